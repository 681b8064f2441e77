// Which searches to run in a system that can only look people up by exact first name, surname and date of birth.
import type { SearchParameters } from '../systems/dsp-types.ts';
import { parseBirthDate, present } from './compare.ts';
import { formalNamesOf, nicknamesOf } from './nicknames.ts';
import { knownNamesNear } from './name-frequencies.ts';
import { foldName } from './normalise.ts';
import type { MatchSubject } from './types.ts';

/** Never more searches than this for one person: each is a round trip to the system. */
export const MAX_SEARCHES = 20;
/** At most this many other forms of the first name are searched (the commonest come first in the data). */
export const MAX_NAME_VARIANTS = 4;
/** At most this many repaired spellings of the surname are searched. */
export const MAX_SPELLING_REPAIRS = 3;
/** Places at the end of the plan kept for the surname alone, the first name alone and the known-as name alone. */
const LAST_RESORTS = 3;

/*
 * The order is the order of priority: when the plan is full, the later (more speculative)
 * searches are the ones left out. Most specific first:
 *  1. full name and date of birth: the record as the passport has it;
 *  2. surname and date of birth: finds a nickname, typo or other first name;
 *  3. first name and date of birth: finds a married name, typo or double-barrelled surname;
 *  4. date of birth alone: finds anything with the right date (a trust has about one person per
 *     birth date, so this is a small answer), including swapped names and accents spelt out;
 *  5. first name and surname without the date: the only way to find a record whose date is wrong
 *     or missing (learning systems often hold no date of birth);
 *  6. the name they are known by, with the surname (date may be wrong too);
 *  7–8. the previous surname with the first name, and with the date of birth;
 *  9. first name and surname the other way round, and the known-as name with the first name as
 *     surname (a swapped "Claire Cooper" known as Clare: the system has "Clare Cooper");
 * 10. the date of birth with day and month swapped (when that is a real, different date);
 * 11. each part of a double-barrelled surname, and the parts joined by a space, a hyphen or
 *     nothing, with the date of birth (or with the first name when there is no date);
 * 12. the names without accents or apostrophes ("Zoe", "OBrien"), for systems that drop them;
 * 13. the first name with the middle names, as some systems keep them ("Mary Grace");
 * 14. the previous and current surnames joined, both ways round ("Jones-Smith"), as some people
 *     take on marriage;
 * 15. up to four other forms of the first name (Elizabeth → Liz, Beth…; Liz → Elizabeth) with
 *     the surname;
 * 16. a surname repaired of a likely slip, with the first name: one of a doubled letter dropped
 *     ("Harrrison" → Harrison), and known surnames one keystroke away ("Walhs" → Walsh); then a
 *     known first name one keystroke away with the surname ("Nataile" → Natalie). Needed when the
 *     other system has no date of birth, or it is wrong too, so the date cannot stand in for the
 *     misspelt name;
 * 17–19. the surname alone, then the first name alone, then the known-as name alone, in places
 *     kept for them: the last resort for a record where two of the three fields are wrong or missing. A common name is cut short
 *     by the system's 50-result limit, but most names are shared by fewer than 50 people at a
 *     trust, and the answer is then complete; the scoring puts the strangers it brings far below.
 * Searches that would repeat another (the system ignores case) are left out.
 */
/** The name with one letter of a doubled pair dropped, for each pair: "Harrrison" → "Harrison". */
function withoutADoubledLetter(name: string): string[] {
  const repaired: string[] = [];
  for (let i = 1; i < name.length; i++) {
    if (/\p{L}/u.test(name[i]!) && name[i]!.toLowerCase() === name[i - 1]!.toLowerCase() && name[i]!.toLowerCase() !== name[i + 1]?.toLowerCase()) {
      repaired.push(name.slice(0, i) + name.slice(i + 1));
    }
  }
  return repaired;
}

export function searchPlan(person: MatchSubject): SearchParameters[] {
  const plan: SearchParameters[] = [];
  const seen = new Set<string>();
  // The last places are kept for the surname, first name and known-as name alone (see 17–19 above).
  const add = (search: SearchParameters, broadAllowed = false, limit = MAX_SEARCHES - LAST_RESORTS): void => {
    if (plan.length >= limit) return;
    const cleaned: SearchParameters = {};
    const firstName = present(search.firstName);
    const surname = present(search.surname);
    const birthDate = present(search.birthDate);
    if (firstName !== null) cleaned.firstName = firstName;
    if (surname !== null) cleaned.surname = surname;
    if (birthDate !== null && parseBirthDate(birthDate) !== null) cleaned.birthDate = birthDate;
    const fields = Object.keys(cleaned).length;
    if (fields === 0 || (fields === 1 && cleaned.birthDate === undefined && !broadAllowed)) return;
    const key = [cleaned.firstName, cleaned.surname, cleaned.birthDate].map((value) => value?.toLowerCase() ?? '').join('|');
    if (seen.has(key)) return;
    seen.add(key);
    plan.push(cleaned);
  };

  const first = present(person.firstName) ?? undefined;
  const surname = present(person.surname) ?? undefined;
  const knownAs = present(person.knownAs) ?? undefined;
  const previous = present(person.previousSurname) ?? undefined;
  const date = present(person.birthDate);
  const parsed = date === null ? null : parseBirthDate(date);
  const birthDate = parsed === null ? undefined : date ?? undefined;

  if (birthDate !== undefined) {
    add({ firstName: first, surname, birthDate });
    add({ surname, birthDate });
    add({ firstName: first, birthDate });
    add({ birthDate });
  }
  add({ firstName: first, surname });
  add({ firstName: knownAs, surname });
  add({ firstName: first, surname: previous });
  if (birthDate !== undefined) add({ surname: previous, birthDate });
  add({ firstName: surname, surname: first });
  add({ firstName: knownAs, surname: first });
  if (parsed !== null && parsed.day <= 12 && parsed.day !== parsed.month) {
    add({ birthDate: `${String(parsed.year).padStart(4, '0')}-${String(parsed.day).padStart(2, '0')}-${String(parsed.month).padStart(2, '0')}` });
  }

  const withDateOrFirstName = (surnameVariant: string): SearchParameters =>
    birthDate !== undefined ? { surname: surnameVariant, birthDate } : { firstName: first, surname: surnameVariant };
  const parts = (surname ?? '').split(/[\s\-\u2010-\u2015]+/).filter((part) => part.length > 0);
  if (parts.length > 1) {
    for (const part of parts) add(withDateOrFirstName(part));
    for (const joiner of [' ', '-', '']) add(withDateOrFirstName(parts.join(joiner)));
  }

  const plain = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : value.normalize('NFKD').replace(/\p{M}/gu, '').replace(/['\u2018\u2019`]/g, '');
  add({ firstName: plain(first), surname: plain(surname) });
  if (surname !== undefined && /['\u2018\u2019`]/.test(surname)) add({ firstName: first, surname: surname.replace(/\s*['\u2018\u2019`]\s*/g, ' ') });

  const middle = present(person.middleNames ?? null);
  if (first !== undefined && middle !== null) add({ firstName: `${first} ${middle}`, surname });
  if (previous !== undefined && surname !== undefined) {
    add({ firstName: first, surname: `${previous}-${surname}` });
    add({ firstName: first, surname: `${surname}-${previous}` });
  }

  if (first !== undefined) {
    const firstKey = foldName(first);
    const variants = [...nicknamesOf(first), ...formalNamesOf(first)].filter((variant) => foldName(variant) !== firstKey);
    for (const variant of variants.slice(0, MAX_NAME_VARIANTS)) add({ firstName: variant, surname });
  }

  if (surname !== undefined) {
    const repairs = [...withoutADoubledLetter(surname), ...knownNamesNear(surname, 'surname')];
    for (const repaired of repairs.slice(0, MAX_SPELLING_REPAIRS)) add({ firstName: first, surname: repaired });
  }
  if (first !== undefined) for (const repaired of knownNamesNear(first, 'given', 1)) add({ firstName: repaired, surname });

  add({ surname }, true, MAX_SEARCHES - 2);
  add({ firstName: first }, true, MAX_SEARCHES - 1);
  add({ firstName: knownAs }, true, MAX_SEARCHES);
  return plan;
}
