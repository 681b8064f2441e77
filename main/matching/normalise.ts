// How names and dates are folded before they are compared, so "Zoë", "ZOE" and " zoe " are one name.

/** Letters that NFKD does not split into a base letter and a mark. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  'ł': 'l', 'đ': 'd', 'ð': 'd', 'ø': 'o', 'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'þ': 'th', 'ı': 'i',
};

/**
 * Remembers a function's answers for the strings it has seen. Ranking compares the same few
 * names hundreds of times, and folding is the costly part; the cache is emptied when it grows
 * past `limit` so a long-running app does not keep every name it ever saw. The function must
 * never answer `undefined` (null is fine).
 */
export function memoise<T extends NonNullable<unknown> | null>(compute: (value: string) => T, limit = 20_000): (value: string) => T {
  const cache = new Map<string, T>();
  return (value: string): T => {
    const known = cache.get(value);
    if (known !== undefined) return known;
    if (cache.size >= limit) cache.clear();
    const answer = compute(value);
    cache.set(value, answer);
    return answer;
  };
}

/** A name of plain letters only, the common case, folds to lower case and nothing more. */
const PLAIN_WORD = /^[A-Za-z]+$/;

/** Lower case, accents removed, whitespace collapsed and trimmed. Keeps hyphens and apostrophes. */
export function foldName(value: string): string {
  return PLAIN_WORD.test(value) ? value.toLowerCase() : foldSlowly(value);
}

const foldSlowly = memoise((value) => (/^[\x20-\x7e]*$/.test(value) ? value : value.normalize('NFKD').replace(/\p{M}/gu, ''))
  .toLowerCase()
  .replace(/[łđðøæœßþı]/g, (letter) => EXTRA_FOLDS[letter] ?? letter)
  .replace(/[\u2018\u2019\u02bc`´]/g, "'")
  .replace(/[\u2010-\u2015]/g, '-')
  .replace(/\s+/g, ' ')
  .trim());

/**
 * The key a name is looked up and compared by: folded, letters a–z only. "O'Brien", "OBrien"
 * and "O Brien" share a key, because systems disagree about apostrophes and spaces far more often
 * than two different people's names differ only by one.
 */
export function nameKey(value: string): string {
  return PLAIN_WORD.test(value) ? value.toLowerCase() : keySlowly(value);
}

const keySlowly = memoise((value) => foldSlowly(value).replace(/[^a-z]/g, ''));

/** The parts of a name split at hyphens and spaces, each as a key; empty parts dropped. */
export function nameParts(value: string): readonly string[] {
  return PLAIN_WORD.test(value) ? [value.toLowerCase()] : partsSlowly(value);
}

const partsSlowly = memoise((value) => Object.freeze(foldSlowly(value)
  .split(/[\s-]+/)
  .map(nameKey)
  .filter((part) => part.length > 0)));

/** "elizabeth" → "Elizabeth", "o'brien" → "O'Brien", "smith-jones" → "Smith-Jones". */
export const titleCase: (value: string) => string = memoise((value) =>
  value.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_all, before: string, letter: string) => before + letter.toUpperCase()));
