// How common UK surnames and given names are: data for weighing a name match, and for drawing realistic names.
import { formalNamesOf } from './nicknames.ts';
import { memoise, nameKey, nameParts } from './normalise.ts';
import { withinOneEdit } from './similarity.ts';

/*
 * Sources and spirit: the figures are approximations in the shape of the ONS and Office for
 * National Statistics-derived surname counts for England and Wales (Smith about 1 in 100, Jones
 * 1 in 130, then a long tail), with the surnames common among NHS staff of South Asian, African,
 * Caribbean, Filipino, Irish, Polish, Chinese, Portuguese and other origins added at levels that
 * match their communities' size. They are good to within a factor of about two, which is all a
 * match weight needs: log2 of the frequency moves by one bit when the frequency doubles.
 * Each entry is "Name perMillion"; entries are separated by commas. Surnames with a space
 * ("Dela Cruz", "De Silva") are one surname.
 */
const SURNAME_DATA = `
Smith 10000, Jones 7500, Williams 5200, Taylor 3900, Brown 3600, Davies 3400, Evans 2600, Wilson 2500,
Thomas 2400, Johnson 2200, Roberts 2200, Robinson 1850, Thompson 1800, Wright 1750, Walker 1700,
White 1650, Edwards 1600, Hughes 1600, Green 1550, Hall 1550, Lewis 1500, Harris 1500, Clarke 1450,
Patel 1450, Jackson 1350, Wood 1300, Turner 1250, Martin 1250, Cooper 1200, Hill 1200, Ward 1200,
Morris 1180, Moore 1170, Clark 1150, Lee 1130, King 1120, Baker 1100, Harrison 1100, Morgan 1080,
Allen 1050, James 1040, Scott 1020, Phillips 1000, Watson 990, Davis 980, Parker 960, Price 950,
Bennett 940, Young 930, Griffiths 920, Mitchell 910, Kelly 900, Cook 890, Carter 880, Richardson 870,
Bailey 850, Collins 840, Bell 830, Shaw 820, Murphy 810, Miller 800, Cox 790, Richards 780, Khan 780,
Marshall 770, Anderson 760, Simpson 740, Ellis 730, Adams 720, Singh 720, Begum 700, Wilkinson 700,
Foster 690, Chapman 680, Powell 680, Webb 670, Rogers 660, Gray 650, Mason 650, Ali 650, Hunt 640,
Hussain 640, Campbell 630, Ahmed 620, Matthews 620, Owen 620, Palmer 610, Holmes 600, Mills 600,
Barnes 590, Knight 590, Lloyd 580, Butler 580, Russell 570, Barker 570, Fisher 560, Stevens 560,
Jenkins 550, Murray 550, Dixon 540, Harvey 540, Graham 530, Pearson 530, Fletcher 520, Walsh 520,
Kaur 520, Gibson 510, Howard 510, Andrews 500, Stewart 500, Elliott 490, Reynolds 490, Saunders 480,
Payne 480, Fox 470, Ford 470, Pearce 460, Day 460, Brooks 450, West 450, Lawrence 450, Cole 440,
Atkinson 440, Bradley 430, Spencer 430, Gill 420, Dawson 420, Ball 410, Burton 410, O'Brien 400,
Watts 400, Rose 390, Booth 390, Perry 390, Ryan 380, Grant 380, Wells 370, Armstrong 370, Francis 370,
Rees 360, Hayes 360, Hart 360, Hudson 350, Newman 350, Barrett 350, Webster 340, Hunter 340,
Gregory 340, Carr 330, Lowe 330, Page 330, Marsh 320, Riley 320, Dunn 320, Woods 310, Parsons 310,
Berry 310, Stone 300, Reid 300, Holland 300, Hawkins 300, Harding 290, Porter 290, Robertson 290,
Newton 290, Oliver 280, Reed 280, Kennedy 280, Williamson 280, Bird 270, Gardner 270, Shah 270,
Dean 270, Lane 260, Cooke 260, Bates 260, Henderson 260, Parry 250, Burgess 250, Bishop 250,
Walton 250, Burns 250, Nicholson 240, Shepherd 240, Ross 240, Cross 240, Long 240, Freeman 230,
Warren 230, Nicholls 230, Hamilton 230, Byrne 230, Sutton 220, McDonald 220, Yates 220, Hodgson 220,
Robson 220, Curtis 220, Hopkins 210, O'Connor 210, Harper 210, Coleman 210, Watkins 210, Moss 210,
McCarthy 200, Chambers 200, O'Neill 200, Griffin 200, Sharp 200, Hardy 200, Wheeler 200, Potter 190,
Osborne 190, Johnston 190, Gordon 190, Doyle 190, Wallace 190, George 190, Jordan 180,
Hutchinson 180, Rowe 180, Burke 180, May 180, Pritchard 180, Gilbert 180, Willis 180, Higgins 170,
Read 170, Miles 170, Stevenson 170, Stephenson 170, Hammond 170, Arnold 170, Buckley 170,
Walters 170, Hewitt 160, Barber 160, Nelson 160, Slater 160, Austin 160, Sullivan 160, Whitehead 160,
Mann 160, Frost 160, Lambert 160, Stephens 160, Blake 160, Akhtar 160, Lynch 150, Goodwin 150,
Barton 150, Woodward 150, Thomson 150, Cunningham 150, Quinn 150, Barnett 150, Baxter 150, Bibi 150,
Clayton 150, Nash 150, Greenwood 150, Jennings 140, Holt 140, Kemp 140, Poole 140, Gallagher 140,
Bond 140, Stokes 140, Tucker 140, Davidson 140, Fowler 140, Heath 140, Norman 140, Middleton 140,
Lawson 140, Banks 140, French 140, Stanley 130, Jarvis 130, Gibbs 130, Ferguson 130, Hayward 130,
Carroll 130, Douglas 130, Dickinson 130, Todd 130, Barlow 130, Peters 130, Lucas 130, Knowles 130,
Hartley 130, Miah 130, Simmons 130, Morton 130, Alexander 120, Field 120, Morrison 120, Norris 120,
Townsend 120, Preston 120, Hancock 120, Thornton 120, Baldwin 120, Burrows 120, Briggs 120,
Storey 120, Pollard 120, Howell 120, Rahman 120, Mohammed 120, Joseph 110, Iqbal 110, Mahmood 110,
Uddin 110, Islam 110, Kumar 110, Sharma 100, Malik 100, Mohamed 100, Fraser 100, O'Sullivan 100,
Brennan 100, Doherty 100, Henry 90, Rashid 90, Chowdhury 90, Reilly 90, Connolly 90, Fitzgerald 90,
Flynn 90, Power 90, Chan 90, Wong 90, Li 90, Cameron 90, Ahmad 80, Hassan 80, Owusu 80, Forbes 80,
McKenzie 80, Sandhu 80, MacDonald 80, McLaughlin 80, Nolan 80, Duffy 80, Owens 80, Bowen 80,
Silva 80, Butt 70, Mistry 70, Sidhu 70, Daly 70, Maguire 70, Moran 70, Vaughan 70, Wang 70, Chen 70,
Chaudhry 60, Choudhury 60, Dhillon 60, Abraham 60, Jacob 60, Ibrahim 60, Mensah 60, Osei 60,
Garcia 60, Kavanagh 60, Sinclair 60, Pugh 60, Nguyen 60, Rehman 60, Khatun 60, Hossain 60,
Bains 50, Nair 50, Das 50, Aziz 50, Qureshi 50, Sheikh 50, Parmar 50, Boateng 50, Keane 50, Zhang 50,
Liu 50, Abbas 50, Grewal 40, Mathew 40, Raza 40, Mirza 40, Javed 40, Anwar 40, Nawaz 40, Bhatti 40,
Siddiqui 40, Haque 40, Mehta 40, Chauhan 40, Gupta 40, Asante 40, Appiah 40, Abdi 40, Farah 40,
Samuels 40, Santos 40, Cruz 40, Fernandez 40, Lopez 40, Rodriguez 40, Nowak 40, Lam 40, Cheung 40,
Ng 40, Leung 40, Ferreira 40, Pereira 40, Rodrigues 40, Costa 40, Gomes 40, Perera 40, Fernando 40,
De Silva 40, Gurung 40, Rai 40, Howells 40, Llewellyn 40, Mackay 40, Ashraf 40, Haider 40, Zaman 40,
Varghese 35, Reyes 35, Pillai 30, Yusuf 30, Ansari 30, Hoque 30, Desai 30, Joshi 30, Solanki 30,
Okafor 30, Adeyemi 30, Adebayo 30, Addo 30, Agyeman 30, Amoah 30, Moyo 30, Kamara 30, Sesay 30,
Gayle 30, Martinez 30, Oliveira 30, Martins 30, Yang 30, Huang 30, Tran 30, Georgiou 30, Prosser 30,
Akram 30, Aslam 30, Saleem 30, Younis 30, Riaz 30, Arshad 30, Latif 30, Sultan 30, Ncube 25,
Dube 25, Sibanda 25, Ndlovu 25, Dela Cruz 25, Mendoza 25, Ramos 25, Kowalski 25, Thapa 25,
Kurian 20, Menon 20, Thakkar 20, Okonkwo 20, Afolabi 20, Okoro 20, Eze 20, Obi 20, Okeke 20,
Balogun 20, Darko 20, Conteh 20, Bangura 20, Bautista 20, Flores 20, Gonzales 20, Torres 20,
Almeida 20, Sousa 20, Sanchez 20, Perez 20, Rossi 20, Christodoulou 20, Constantinou 20, Yilmaz 20,
Popa 20, Zhao 20, Nadeem 20, Ogunleye 15, Nwosu 15, Olaniyan 15, Akinyemi 15, Adewale 15,
Adeleke 15, Oladipo 15, Kargbo 15, Warsame 15, Aquino 15, Villanueva 15, Castillo 15, Wiśniewski 15,
Wójcik 15, Kowalczyk 15, Lewandowski 15, Mazur 15, Russo 15, Romano 15, Esposito 15,
Papadopoulos 15, Kaya 15, Demir 15, Popescu 15, Nagy 15, Muller 15, Limbu 15, De Guzman 12,
Zieliński 12, Kamiński 12, Szymański 12, Woźniak 12, Olawale 10, Ogunbiyi 10, Mutasa 10,
Navarro 10, Pascual 10, Dąbrowski 10, Kozłowski 10, Krawczyk 10, Bianchi 10, Schmidt 10,
Kazlauskas 10, Sivakumar 10, Jayasinghe 10, Tamang 10, Tolentino 8
`;

/*
 * Given names per million people of that sex born 1960–2003 in England and Wales: the popular
 * names of the 1960s–70s (Susan, Karen, David, Paul), 1980s (Sarah, Claire, Lee, Darren) and
 * 1990s–2000s (Jessica, Chloe, Jack, Joshua) blended, plus names common among NHS staff from
 * abroad and from the UK's South Asian, African, Irish and Polish communities.
 */
const FEMALE_DATA = `
Sarah 18000, Emma 13000, Claire 11000, Nicola 10000, Laura 10000, Rebecca 9500, Lisa 9000,
Louise 8500, Karen 8500, Amy 8000, Rachel 7500, Michelle 7500, Helen 7500, Samantha 7500,
Jennifer 7000, Hannah 7000, Kelly 6500, Gemma 6500, Joanne 6500, Charlotte 6500, Susan 6000,
Victoria 6000, Julie 6000, Lauren 6000, Jessica 5500, Katie 5500, Sophie 5500, Emily 5000,
Elizabeth 5000, Amanda 5000, Catherine 4500, Angela 4500, Deborah 4500, Tracey 4500, Alison 4500,
Natalie 4500, Lucy 4500, Donna 4000, Jane 4000, Caroline 4000, Kirsty 4000, Stephanie 4000,
Hayley 4000, Danielle 4000, Chloe 4000, Sharon 4000, Jacqueline 3500, Elaine 3500, Dawn 3500,
Zoe 3500, Kerry 3500, Leanne 3500, Jade 3500, Megan 3500, Stacey 3000, Holly 3000, Sandra 3000,
Georgia 2500, Bethany 2500, Abigail 2500, Tracy 2500, Wendy 2500, Linda 2500, Gillian 2500,
Fiona 2500, Katherine 2500, Paula 2500, Shannon 2000, Jodie 2000, Julia 2000, Anne 2000, Mary 2000,
Ruth 2000, Joanna 2000, Kathryn 2000, Natasha 2000, Andrea 2000, Lorraine 2000, Maria 2000,
Anna 2000, Patricia 1800, Margaret 1800, Kate 1800, Kimberley 1800, Leah 1800, Diane 1800,
Christine 1800, Charlene 1500, Kayleigh 1500, Carly 1500, Sian 1500, Naomi 1500, Heather 1500,
Sally 1500, Beverley 1500, Carol 1500, Ellie 1500, Eleanor 1500, Grace 1500, Clare 1500,
Olivia 1500, Lynne 1200, Yvonne 1200, Alice 1200, Jasmine 1200, Aimee 1200, Melissa 1200,
Paige 1200, Chelsea 1200, Courtney 1200, Alexandra 1200, Janet 1200, Denise 1200, Lesley 1200,
Harriet 1000, Georgina 1000, Molly 1000, Jenna 1000, Francesca 1000, Ella 1000, Katy 1000,
Rosie 800, Vanessa 800, Tanya 800, Marie 800, Teresa 800, Sara 800, Siobhan 800, Fatima 800,
Amelia 800, Toni 800, Pauline 800, Tina 800, Jayne 800, Amber 800, Aisha 700, Imogen 700, Lydia 700,
Millie 700, Phoebe 700, Jill 700, Theresa 600, Niamh 600, Priya 600, Nadia 600, Esther 600,
Rhiannon 600, Freya 600, Annette 600, Ayesha 500, Ciara 500, Sinead 500, Yasmin 500, Anita 500,
Joy 500, Bethan 500, Isabel 500, Isabelle 500, Eve 500, Barbara 500, Sonia 500, Frances 500,
Judith 500, Hollie 500, Sana 400, Amina 400, Sabrina 400, Harpreet 400, Kiran 400, Kathleen 400,
Sheila 400, Valerie 400, Philippa 400, Abby 400, Rebekah 400, Nichola 400, Leigh 400, Jenny 400,
Vicky 400, Sophia 400, Aoife 300, Orla 300, Roisin 300, Zainab 300, Shabana 300, Nasreen 300,
Farzana 300, Shazia 300, Salma 300, Manpreet 300, Pooja 300, Neha 300, Sunita 300, Blessing 300,
Mercy 300, Faith 300, Nia 300, Evie 300, Poppy 300, Kirstie 300, Jackie 300, Debbie 300,
Rosemary 300, Brenda 300, Jean 300, Rukhsana 250, Samina 250, Gurpreet 250, Katarzyna 250,
Agnieszka 250, Bridget 200, Jaspreet 200, Anjali 200, Deepa 200, Meena 200, Divya 200, Reena 200,
Precious 200, Magdalena 200, Monika 200, Ffion 200, Catrin 200, Penelope 200, Gabrielle 200,
Bianca 200, Lakshmi 150, Chioma 150, Ngozi 150, Patience 150, Ewa 150, Małgorzata 150, Marta 150,
Rosa 150, Bindu 100, Funmilayo 100, Abimbola 100, Rowena 100, Jocelyn 100, Aleksandra 100,
Justyna 100, Oluwaseun 80, Folasade 80, Yetunde 80, Abena 80, Rosalie 80, Adaeze 60, Akosua 60,
Maricel 60, Jincy 50
`;

const MALE_DATA = `
David 20000, Paul 15000, Andrew 15000, Mark 15000, James 15000, Michael 14000, John 12000,
Christopher 12000, Richard 11000, Daniel 11000, Matthew 11000, Thomas 10000, Stephen 10000,
Robert 9000, Peter 7000, Simon 7000, Ian 7000, Adam 6500, Anthony 6000, Gary 6000, Steven 6000,
Neil 5000, Kevin 5000, Martin 5000, Lee 5000, Darren 5000, Benjamin 5000, Samuel 5000, Joshua 5000,
Luke 5000, Ryan 5000, Jack 5000, Jonathan 4500, Joseph 4500, Craig 4000, Jason 4000, Stuart 4000,
Philip 4000, Alan 4000, Nicholas 4000, William 4000, Liam 4000, Jamie 4000, Scott 4000,
Graham 3500, Dean 3000, Carl 3000, Wayne 3000, Alexander 3000, Nathan 3000, Sean 2500, Jordan 2500,
Jake 2500, Lewis 2500, Aaron 2500, Edward 2500, Gareth 2500, Mohammed 2500, Shaun 2000,
Kieran 2000, Oliver 2000, Harry 2000, Callum 2000, Connor 2000, Bradley 2000, George 2000,
Timothy 2000, Keith 2000, Colin 2000, Brian 2000, Nigel 2000, Patrick 2000, Barry 1500,
Russell 1500, Rhys 1500, Kyle 1500, Muhammad 1500, Gavin 1500, Marc 1500, Ross 1500, Jacob 1500,
Ashley 1500, Charlie 1200, Trevor 1200, Owen 1200, Tony 1200, Ben 1200, Charles 1200, Marcus 1200,
Jeremy 1000, Julian 1000, Conor 1000, Phillip 1000, Leon 1000, Karl 1000, Dominic 1000, Dylan 800,
Tyler 800, Mohammad 800, Emmanuel 800, Declan 800, Ciaran 800, Mathew 800, Terry 800, Tom 800,
Henry 800, Duncan 800, Malcolm 800, Roger 800, Raymond 800, Derek 800, Gordon 800, Graeme 800,
Reece 800, Jay 800, Elliot 800, Joel 800, Warren 800, Dale 800, Louis 800, Imran 700,
Douglas 700, Kenneth 700, Abdul 700, Ali 600, Niall 600, Alex 600, Max 600, Toby 600, Elliott 600,
Robin 600, Spencer 600, Glenn 600, Gregory 600, Mohamed 600, Ahmed 500, Hassan 500, Omar 500,
Jerome 500, Joe 500, Rory 500, Mitchell 500, Alistair 500, Lloyd 500, Bilal 400, Usman 400,
Adnan 400, Asif 400, Tariq 400, Sanjay 400, Amit 400, Sandeep 400, Ravi 400, Sam 400,
Jonathon 400, Kane 400, Frank 400, Vincent 400, Sebastian 400, Francis 400, Geoffrey 400,
Lawrence 400, Zahid 300, Kamran 300, Faisal 300, Rajesh 300, Suresh 300, Vijay 300, Anil 300,
Sunil 300, Deepak 300, Ajay 300, Jose 300, Piotr 300, Tomasz 300, Hugh 300, Hugo 300, Fraser 300,
Euan 300, Dennis 300, Eric 300, Victor 300, Jeffrey 300, Ibrahim 300, Raj 200, Arjun 200,
Harjinder 200, Gurpreet 200, Ramesh 200, Pradeep 200, Eoin 200, Krzysztof 200, Michał 200,
Łukasz 200, Frederick 200, Tristan 200, Nathaniel 200, Yusuf 200, Ahmad 200, Hussain 200,
Shahid 200, Nadeem 200, Irfan 200, Waqas 200, Rizwan 200, Manoj 250, Arun 250, Paweł 250,
Marcin 250, Cormac 100, Kwame 100, Kofi 100, Alasdair 100, Leonard 100, Jakub 150, Kamil 150,
Mateusz 150, Zeeshan 150, Oluwaseun 80, Chukwuemeka 80, Babatunde 80, Olumide 60, Adebayo 60,
Kwabena 60, Tendai 60, Tafadzwa 40, Ronaldo 40, Rodel 20
`;

type FrequencyTable = ReadonlyArray<readonly [name: string, perMillion: number]>;

function parseTable(data: string): FrequencyTable {
  const rows = data
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry): readonly [string, number] => {
      const at = entry.lastIndexOf(' ');
      return Object.freeze([entry.slice(0, at), Number(entry.slice(at + 1))] as const);
    });
  // Stable sort: equal frequencies keep the order they are written in.
  return Object.freeze([...rows].sort((a, b) => b[1] - a[1]));
}

/** The ~400 most common surnames in England and Wales, per million people, most common first. */
export const SURNAME_FREQUENCIES: ReadonlyArray<readonly [surname: string, perMillion: number]> = parseTable(SURNAME_DATA);
/** Women's given names, per million women born 1960–2003, most common first. */
export const FEMALE_GIVEN_NAMES: ReadonlyArray<readonly [name: string, perMillion: number]> = parseTable(FEMALE_DATA);
/** Men's given names, per million men born 1960–2003, most common first. */
export const MALE_GIVEN_NAMES: ReadonlyArray<readonly [name: string, perMillion: number]> = parseTable(MALE_DATA);

/**
 * A surname not in the table: 1 in 200,000. The table's last entries are about 1 in 100,000, and
 * the long tail of surnames beyond it (over 250,000 of them in England and Wales) mostly sits
 * below that; rarer still would make an exact match on a misspelt or foreign surname outweigh
 * everything else on the record.
 */
export const UNKNOWN_SURNAME_FREQUENCY = 1 / 200_000;
/** A given name not in the tables: 1 in 100,000 (given names are more concentrated than surnames). */
export const UNKNOWN_GIVEN_NAME_FREQUENCY = 1 / 100_000;
/** About 1 in 100 people in England and Wales has a double-barrelled surname. */
export const DOUBLE_BARRELLED_SHARE = 0.01;
/** No name is reckoned rarer than 1 in 100 million: a floor that keeps one match weight bounded. */
export const MINIMUM_NAME_FREQUENCY = 1e-8;

function lookup(table: FrequencyTable): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const [name, perMillion] of table) byKey.set(nameKey(name), (byKey.get(nameKey(name)) ?? 0) + perMillion / 1_000_000);
  return byKey;
}

const SURNAME_BY_KEY = lookup(SURNAME_FREQUENCIES);
const FEMALE_BY_KEY = lookup(FEMALE_GIVEN_NAMES);
const MALE_BY_KEY = lookup(MALE_GIVEN_NAMES);

/**
 * How likely a randomly chosen person in England and Wales has this surname, in (0, 1).
 * Case, accents, apostrophes and spaces do not matter ("O'Brien" = "OBRIEN").
 * - In the table: its frequency.
 * - Made of parts (hyphen or space) and not in the table as a whole: when at least one part is
 *   known, the share of double-barrelled surnames times the product of the parts' frequencies
 *   (unknown parts at the unknown-surname floor): "Smith-Jones" ≈ 0.01 × 0.01 × 0.0075, about
 *   1 in 1.3 million, never below 1 in 100 million. When no part is known ("Van der Berg") the
 *   whole is treated as one unknown surname.
 * - Otherwise, and for an empty surname: 1 in 200,000.
 */
export const surnameFrequency: (surname: string) => number = memoise((surname) => {
  const whole = SURNAME_BY_KEY.get(nameKey(surname));
  if (whole !== undefined) return whole;
  const parts = nameParts(surname);
  if (parts.length > 1) {
    const known = parts.map((part) => SURNAME_BY_KEY.get(part));
    if (known.some((frequency) => frequency !== undefined)) {
      const product = known.reduce<number>((total, frequency) => total * (frequency ?? UNKNOWN_SURNAME_FREQUENCY), DOUBLE_BARRELLED_SHARE);
      return Math.max(MINIMUM_NAME_FREQUENCY, product);
    }
  }
  return UNKNOWN_SURNAME_FREQUENCY;
});

function tableGivenName(key: string): number | undefined {
  const female = FEMALE_BY_KEY.get(key);
  const male = MALE_BY_KEY.get(key);
  if (female === undefined && male === undefined) return undefined;
  // Half the population is each sex, so a name's share of everyone is the mean of its two shares.
  return ((female ?? 0) + (male ?? 0)) / 2;
}

/**
 * How likely a randomly chosen person has this given name, in (0, 1), men and women together.
 * - In the tables: the mean of its shares among women and among men.
 * - A short form or spelling we know ("Liz", "Mohd"): the frequency of its most common formal
 *   name, since records that use the short form are drawn from the people with the formal one.
 * - Several names ("Mary Grace"): the first name's frequency.
 * - Otherwise, and for an empty name: 1 in 100,000.
 */
export const givenNameFrequency: (name: string) => number = memoise((name) => {
  const key = nameKey(name);
  const direct = tableGivenName(key);
  if (direct !== undefined) return direct;
  const formal = formalNamesOf(name)
    .map((formalName) => tableGivenName(nameKey(formalName)))
    .filter((frequency): frequency is number => frequency !== undefined);
  if (formal.length > 0) return Math.max(...formal);
  const parts = nameParts(name);
  if (parts.length > 1 && parts[0] !== undefined) return givenNameFrequency(parts[0]);
  return UNKNOWN_GIVEN_NAME_FREQUENCY;
});

/** Known names of each kind, commonest first, with their keys: for suggesting what a misspelt name may have been. */
const KNOWN_NAMES: Readonly<Record<'surname' | 'given', ReadonlyArray<readonly [name: string, key: string]>>> = {
  surname: byCommonness([SURNAME_FREQUENCIES]),
  given: byCommonness([FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES]),
};

function byCommonness(tables: readonly FrequencyTable[]): ReadonlyArray<readonly [string, string]> {
  const rows = tables.flat().sort((a, b) => b[1] - a[1]);
  const seen = new Set<string>();
  const names: Array<readonly [string, string]> = [];
  for (const [name] of rows) {
    const key = nameKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    names.push([name, key]);
  }
  return names;
}

/**
 * Known names one slip of the keyboard away from `name` (a letter changed, added, dropped or two
 * swapped), commonest first: "Walhs" → Walsh, "Nataile" → Natalie. None when the name is itself
 * known (a real "Smyth" is not a misspelt Smith) or shorter than four letters (short names have
 * too many neighbours for a guess to mean anything).
 */
export function knownNamesNear(name: string, kind: 'surname' | 'given', limit = 2): string[] {
  const key = nameKey(name);
  const known = KNOWN_NAMES[kind];
  const isKnown = kind === 'surname' ? SURNAME_BY_KEY.has(key) : tableGivenName(key) !== undefined || formalNamesOf(name).length > 0;
  if (key.length < 4 || isKnown) return [];
  const near: string[] = [];
  for (const [knownName, knownKey] of known) {
    if (Math.abs(knownKey.length - key.length) <= 1 && withinOneEdit(key, knownKey)) near.push(knownName);
    if (near.length >= limit) break;
  }
  return near;
}
