// Given-name families: formal names, their spelling variants and the short or familiar forms people go by.
import { nameKey } from './normalise.ts';

/**
 * One family a line: the formal names (spelling variants of one name) before the bar, the short
 * and familiar forms after it. A short form may belong to several families ("Chris" is short for
 * Christopher and for Christine) and that is what keeps Christopher and Christine apart: two names
 * are the same family only when they share a family, not merely a short form.
 *
 * Families cover English, Scottish, Welsh and Irish names and the names of NHS staff of South
 * Asian, African, Polish, Filipino and other backgrounds, where a short form is in common use.
 * Names that are distinct given names in their own right (Ian, Sean, Evan for John) are left out:
 * a record that says Sean and one that says John are more often two people than one.
 */
const FAMILY_LINES: readonly string[] = [
  // Women's names
  'Elizabeth Elisabeth | Liz Beth Lizzie Betty Libby Eliza Lizzy Liza Bette Betsy Bess Bessie Lisa Elsie Elspeth',
  'Katherine Catherine Kathryn Katharine Catharine Katrina | Kate Katie Katy Kath Kathy Cath Cathy Kat Kay Kitty Cate',
  'Kathleen | Kath Kathy Kay',
  'Caitlin Kaitlyn Katelyn Caitlyn | Cait Katie Kate',
  'Ekaterina Yekaterina | Katya Katia Kate',
  'Margaret | Maggie Mags Meg Peggy Peg Marge Margie Madge Greta Rita Maisie',
  'Marjorie Margery | Marge Margie Madge',
  'Mary Maria Marie | Ma Molly Polly May Mae Mimi',
  'Jennifer | Jen Jenny Jenni Jennie',
  'Rebecca Rebekah | Becky Becca Bex Becks',
  'Victoria | Vicky Vicki Vickie Vic Tori Toria',
  'Alexandra Aleksandra | Alex Alexa Lexi Lexie Sandy Sandie Zandra Ola Ali',
  'Samantha | Sam Sammy Sammie',
  'Christine Christina Kristina Kristine | Chris Chrissie Chrissy Tina Kirsty Kristy',
  'Patricia | Pat Patsy Patty Trish Tricia Trisha',
  'Susan Suzanne Susanna Susannah Suzanna | Sue Susie Suzie Suzy Sukie',
  'Deborah Debra Debora | Debbie Deb Debs Debby',
  'Jacqueline | Jackie Jacqui Jacky Jac',
  'Josephine | Jo Josie',
  'Joanne Joanna Johanna | Jo Jojo Asia',
  'Nicola Nicole | Nicky Nikki Nic Nicci Nickie',
  'Amanda | Mandy Manda',
  'Theresa Teresa | Tess Tessa Tessie Terri',
  'Abigail | Abby Abbie Abi Gail',
  'Jessica | Jess Jessie Jessy',
  'Eleanor Elinor Eleanore | Ellie Elle Ella Nell Nellie Nora Norah',
  'Helen Helena | Nell Nellie Lena',
  'Ellen | Nell Nellie Ellie',
  'Caroline Carolyn | Carrie Caro Caz Carol Carole',
  'Charlotte | Charlie Lottie Lotty Char',
  'Gillian Jillian | Gill Gilly Jill Jilly',
  'Louise Louisa | Lou Lulu Louie',
  'Natalie Natalia Nathalie | Nat Nattie Talia',
  'Natasha | Tasha Tash Nat',
  'Anastasia | Stacey Stacy Ana Nastya',
  'Frances | Fran Frankie Francie Fanny',
  'Francesca | Fran Frankie Cesca Chessie',
  'Barbara | Barb Babs Barbie',
  'Dorothy | Dot Dottie Dolly Dora',
  'Janet Janette Jeanette | Jan Jenny Nettie',
  'Jane | Janey Janie',
  'Angela | Angie Ange',
  'Pamela | Pam Pammy',
  'Sandra | Sandy Sandie',
  'Kimberley Kimberly | Kim Kimmy',
  'Stephanie | Steph Stephie Steff',
  'Antonia Antoinette | Toni Tonia Netta',
  'Melanie | Mel',
  'Melissa | Mel Missy Lissa',
  'Michelle Michele | Shell Shelley Shelly Chelle',
  'Philippa Phillipa | Pippa Pip Phil',
  'Rosemary | Rosie Rose',
  'Rosalind Rosalyn | Ros Roz Rosie',
  'Valerie | Val',
  'Beverley Beverly | Bev',
  'Anne Ann Anna | Annie Nan Anya',
  'Gabrielle Gabriella | Gabby Gabi Gaby Brie',
  'Isabel Isabella Isabelle Isobel Izabela | Izzy Izzie Issy Bella Belle Isa',
  'Olivia | Liv Livvy Ollie',
  'Amelia | Millie Amy Mia',
  'Emily | Em Emmy Millie',
  'Emma | Em Emmy Ems',
  'Madeleine Madeline Madelyn | Maddie Maddy',
  'Georgina Georgia | Georgie Gina',
  'Harriet | Hattie Hatty Etta',
  'Henrietta | Etta Hetty Hettie Hattie',
  'Danielle Daniella | Dani Danni Elle',
  'Hannah Hanna | Han',
  'Sophie Sophia | Soph',
  'Veronica | Ronnie Roni',
  'Geraldine | Gerry Geri Dina',
  'Bernadette | Bernie Detta',
  'Bridget Brigid Bridgette | Bridie Biddy Brid',
  'Winifred | Winnie Win Freda',
  'Evelyn Eveline | Evie Eve',
  'Penelope | Penny Pen',
  'Priscilla | Cilla',
  'Rachel Rachael | Rach Rae',
  'Alison Allison | Ali Ally Allie',
  'Lindsay Lindsey | Lin Lindy',
  'Annabel Annabelle | Bella Belle Annie',
  'Cassandra | Cass Cassie',
  'Roberta | Bobbie Robbie',
  'Florence | Flo Florrie Flossie',
  'Constance | Connie',
  'Matilda | Tilly Tillie Tilda',
  'Judith | Judy Judi Jude',
  'Yvonne | Vonnie',
  'Lillian Lilian | Lily Lil Lilly',
  'Sarah Sara | Sal Sally Sadie',
  'Clare Claire Clara',
  'Gwendolyn Gwendoline | Gwen Wendy',
  'Virginia | Ginny Ginnie',
  'Camilla | Millie Milly Cam',
  'Imogen | Immy Imo',
  'Tamara | Tammy Tam',
  'Diana Diane Dianne | Di Dee',
  'Marian Marion Maryanne',
  'Hayley Haley Hailey',
  'Rhiannon | Rhi',
  'Bethan | Beth',
  'Jasmine Jasmin Yasmin Yasmine Yasmeen | Jaz Yaz',
  'Julia Juliet Juliette | Jules Julie',
  'Leslie Lesley | Les',
  'Magdalena Magdalene | Magda Lena Maggie',
  'Katarzyna | Kasia Kasha',
  'Malgorzata | Gosia Malgosia',
  'Agnieszka | Aga',
  'Fatima Fatimah Fatma',
  'Aisha Ayesha Aysha Aishah Ayisha',
  'Maryam Mariam Mariyam',
  'Khadija Khadijah Khadeeja',
  'Zainab Zaynab Zeinab',
  'Nasreen Nasrin',
  'Priyanka | Priya',
  'Lakshmi Laxmi',
  'Parminder Parmjit | Pam Parm',
  'Olufunmilayo Funmilayo | Funmi',
  'Oluwatoyin | Toyin',
  'Oluwakemi Olukemi | Kemi',
  'Abimbola | Bimbo Bola',
  'Oluwabunmi Olubunmi | Bunmi',
  'Chiamaka | Amaka',
  'Ifeoma | Ife',
  'Oluwadamilola Damilola | Dami',
  // Men's names
  'William | Will Bill Billy Willie Willy Liam',
  'Robert | Rob Robbie Bob Bobby Bert Bertie Rab',
  'James | Jim Jimmy Jimmie Jamie Jem',
  'Alexander Alasdair Alistair Alastair Alister Aleksander | Alex Alec Alick Sandy Xander Zander Sasha Al Ali Olek',
  'John Jon | Jack Johnny Johnnie Jonny',
  'Jonathan Jonathon | Jon Jonny Jonty',
  'Michael | Mike Mick Mickey Micky Mikey Mich',
  'Richard | Rich Richie Rick Ricky Dick Dickie',
  'Thomas Tomasz | Tom Tommy Thom Tam Tomek',
  'Christopher Krzysztof | Chris Kit Kris Christy Krzys',
  'Nicholas Nicolas Nikolas | Nick Nicky Nico Nik',
  'Matthew Mathew | Matt Matty',
  'Daniel | Dan Danny',
  'David Dafydd | Dave Davy Davie Davey Dai',
  'Edward | Ed Eddie Eddy Ted Teddy Ned',
  'Andrew | Andy Drew',
  'Anthony Antony | Tony Ant',
  'Benjamin | Ben Benny Benji Benjy',
  'Benedict | Ben Benny',
  'Charles | Charlie Chas Chaz Chuck',
  'Joseph | Joe Joey Jos',
  'Joshua | Josh',
  'Samuel | Sam Sammy',
  'Stephen Steven Stephan Steffan | Steve Stevie Stef',
  'Peter | Pete',
  'Philip Phillip | Phil Pip',
  'Patrick | Pat Paddy',
  'Timothy | Tim Timmy',
  'Gregory Grzegorz | Greg',
  'Geoffrey Jeffrey Jeffery | Geoff Jeff',
  'Kenneth | Ken Kenny',
  'Leonard | Len Lenny Leo',
  'Lawrence Laurence | Larry Laurie Loz',
  'Ronald | Ron Ronnie',
  'Donald | Don Donny Donnie',
  'Raymond | Ray',
  'Gerald Gerard | Gerry Jerry Ged Ger',
  'Terence Terrence Terrance | Terry Tel',
  'Frederick Frederic Fredrick | Fred Freddie Freddy',
  'Alfred | Alf Alfie Fred Freddie',
  'Albert | Al Bert Bertie Albie',
  'Herbert | Herb Bert Bertie',
  'Harold | Harry Hal',
  'Henry | Harry Hal Hank',
  'Arthur | Art Artie',
  'Edmund | Ed Eddie Ted Ned',
  'Edwin | Ed Eddie',
  'Francis | Frank Frankie Fran',
  'Theodore | Theo Ted Teddy',
  'Nathaniel Nathanael | Nat Nate',
  'Nathan | Nate Nat',
  'Oliver | Ollie Olly',
  'Zachary Zachariah | Zac Zack Zak Zach',
  'Maximilian Maxwell | Max',
  'Jacob Jakub | Jake Kuba',
  'Douglas | Doug Dougie',
  'Dominic Dominik | Dom',
  'Sebastian | Seb',
  'Vincent | Vince Vinnie Vinny',
  'Victor | Vic',
  'Walter | Walt Wally',
  'Stanley | Stan',
  'Sidney Sydney | Sid',
  'Reginald | Reg Reggie',
  'Roger | Rog',
  'Rodney Roderick | Rod Roddy',
  'Russell | Russ',
  'Simon | Si',
  'Martin | Marty',
  'Malcolm | Mal Malc',
  'Nigel | Nige',
  'Neil Neal Neill',
  'Gareth | Gaz',
  'Gary Garry | Gaz Gazza',
  'Barry | Baz Bazza',
  'Darren | Daz Dazza',
  'Kevin | Kev',
  'Trevor | Trev',
  'Dennis Denis | Den Denny',
  'Desmond | Des',
  'Julian | Jules',
  'Lewis Louis | Lou Louie',
  'Lucas Lukas Luke',
  'Mark Marc',
  'Stuart Stewart | Stu',
  'Alan Allan Allen Alun | Al',
  'Brian Bryan',
  'Sean Shaun Shawn',
  'Callum Calum | Cal',
  'Cameron | Cam',
  'Declan | Dec',
  'Connor Conor | Con',
  'Kieran Ciaran Kieron',
  'Aidan Aiden Aden',
  'Ernest | Ernie',
  'Archibald | Archie',
  'Clifford | Cliff',
  'Bradley | Brad',
  'Jeremy Jeremiah | Jerry Jez',
  'Tobias | Toby',
  'Abraham | Abe',
  'Gabriel | Gabe',
  'Eugene | Gene',
  'Montgomery | Monty',
  'Giuseppe | Peppe Beppe',
  'Francisco | Paco Cisco',
  'Konstantinos Constantinos Constantine | Costas Kostas Costa Dino',
  'Wojciech | Wojtek',
  'Mohammed Muhammad Mohammad Mohamed Muhammed Mohamad Mohammod | Mohd Md Mo',
  'Ahmed Ahmad Ahmet',
  'Hussain Hussein Husain Hossain',
  'Yusuf Yousuf Yousef Yusef Youssef Yousaf',
  'Ibrahim Ebrahim Ibraheem',
  'Ismail Ismael',
  'Abdullah Abdulla',
  'Usman Osman Uthman Othman',
  'Suleiman Sulaiman Suleman Sulayman',
  'Hassan Hasan',
  'Mustafa Mostafa Mustapha',
  'Rajesh | Raj',
  'Rajinder Rajendra | Raj',
  'Rajeev Rajiv | Raj',
  'Jaswinder Jasvinder | Jas Jassi',
  'Harjinder Harjit Harjeet | Harj',
  'Sukhwinder Sukhvinder | Sukh',
  'Kulwinder Kulvinder | Kully',
  'Balwinder Balvinder | Bal',
  'Navdeep Navjot | Nav',
  'Sanjay Sanjeev | Sanj',
  'Srinivas Srinivasan | Srini',
  'Venkatesh Venkata | Venkat',
  'Krishna Krishnan | Krish',
  'Deepak Dipak | Deep',
  'Ravinder Ravindra | Ravi Rav',
  'Oluwaseun | Seun',
  'Oluwafemi Olufemi | Femi',
  'Babatunde | Tunde',
  'Adebayo | Bayo',
  'Adewale | Wale',
  'Olusegun | Segun',
  'Oluwatosin | Tosin',
  'Temitope | Tope Temi',
  'Adeyinka Oluwayinka | Yinka',
  'Chukwuemeka | Emeka',
  'Olumide | Mide',
  'Oluwatobi | Tobi',
  'Oluwaseyi | Seyi',
];

interface NameFamily {
  readonly formal: readonly string[];
  readonly short: readonly string[];
}

const FAMILIES: readonly NameFamily[] = FAMILY_LINES.map((line) => {
  const [formalPart = '', shortPart = ''] = line.split('|');
  const words = (part: string) => part.split(/\s+/).filter((word) => word.length > 0);
  return { formal: words(formalPart), short: words(shortPart) };
});

/** Name key → indexes of the families the name is formal in. */
const FORMAL_IN = new Map<string, number[]>();
/** Name key → indexes of the families the name belongs to, formal or short. */
const MEMBER_OF = new Map<string, number[]>();

function addTo(index: Map<string, number[]>, name: string, family: number): void {
  const key = nameKey(name);
  const families = index.get(key);
  if (families === undefined) index.set(key, [family]);
  else if (!families.includes(family)) families.push(family);
}

FAMILIES.forEach((family, index) => {
  for (const name of family.formal) {
    addTo(FORMAL_IN, name, index);
    addTo(MEMBER_OF, name, index);
  }
  for (const name of family.short) addTo(MEMBER_OF, name, index);
});

function unique(names: Iterable<string>, except: string): string[] {
  const seen = new Set<string>([except]);
  const result: string[] = [];
  for (const name of names) {
    const key = nameKey(name);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(name);
    }
  }
  return result;
}

/**
 * The short and familiar forms of a formal given name, and its other spellings:
 * "Elizabeth" → Liz, Lizzie, Beth, Betty, Eliza, Libby… and Elisabeth. Case and accents in the
 * input do not matter; the output is in Title Case. Empty for a name we know no forms of.
 */
export function nicknamesOf(name: string): string[] {
  const key = nameKey(name);
  const families = FORMAL_IN.get(key) ?? [];
  return unique(families.flatMap((index) => [...(FAMILIES[index]?.short ?? []), ...(FAMILIES[index]?.formal ?? [])]), key);
}

/**
 * The formal names a short form or spelling stands for: "Liz" → Elizabeth, Elisabeth;
 * "Chris" → Christine, Christina, …, Christopher. A formal name gives its other spellings.
 */
export function formalNamesOf(nickname: string): string[] {
  const key = nameKey(nickname);
  const families = MEMBER_OF.get(key) ?? [];
  return unique(families.flatMap((index) => FAMILIES[index]?.formal ?? []), key);
}

/**
 * True when two given names could be the same person's: equal ignoring case and accents, or in
 * one family (a short form of the other, two spellings of one name, two short forms of one name).
 * "Chris" and "Christine" are one family; "Christopher" and "Christine" are not.
 */
export function sameNameFamily(a: string, b: string): boolean {
  const keyA = nameKey(a);
  const keyB = nameKey(b);
  if (keyA.length === 0 || keyB.length === 0) return false;
  if (keyA === keyB) return true;
  const familiesA = MEMBER_OF.get(keyA);
  const familiesB = MEMBER_OF.get(keyB);
  if (familiesA === undefined || familiesB === undefined) return false;
  return familiesA.some((family) => familiesB.includes(family));
}

/** The indexes of the families a name belongs to (empty when none): for callers that compare one name with many. */
export function nameFamilies(name: string): readonly number[] {
  return MEMBER_OF.get(nameKey(name)) ?? NO_FAMILIES;
}

const NO_FAMILIES: readonly number[] = Object.freeze([]);

/** How two names in one family relate, for the explanation shown to HR. */
export type NameRelation = 'same' | 'shortFormOf' | 'formalOf' | 'spellingOf' | 'sameFamily' | 'unrelated';

/** How `a` relates to `b`: "Liz" is a short form of "Elizabeth"; "Catherine" is another spelling of "Katherine". */
export function nameRelation(a: string, b: string): NameRelation {
  const keyA = nameKey(a);
  const keyB = nameKey(b);
  if (keyA.length === 0 || keyB.length === 0) return 'unrelated';
  if (keyA === keyB) return 'same';
  if (!sameNameFamily(a, b)) return 'unrelated';
  const formalA = FORMAL_IN.get(keyA) ?? [];
  const formalB = FORMAL_IN.get(keyB) ?? [];
  if (formalA.some((family) => formalB.includes(family))) return 'spellingOf';
  const membersA = MEMBER_OF.get(keyA) ?? [];
  const membersB = MEMBER_OF.get(keyB) ?? [];
  if (formalB.some((family) => membersA.includes(family))) return 'shortFormOf';
  if (formalA.some((family) => membersB.includes(family))) return 'formalOf';
  return 'sameFamily';
}

/** How many families the data holds (for tests and the population generator's notes). */
export const NAME_FAMILY_COUNT = FAMILIES.length;
