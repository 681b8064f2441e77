// How names and dates are folded before they are compared, so "Zoë", "ZOE" and " zoe " are one name.

/** Letters that NFKD does not split into a base letter and a mark. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  'ł': 'l', 'đ': 'd', 'ð': 'd', 'ø': 'o', 'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'þ': 'th', 'ı': 'i',
};

/** Lower case, accents removed, whitespace collapsed and trimmed. Keeps hyphens and apostrophes. */
export function foldName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łđðøæœßþı]/g, (letter) => EXTRA_FOLDS[letter] ?? letter)
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The key a name is looked up and compared by: folded, letters a–z only. "O'Brien", "OBrien"
 * and "O Brien" share a key, because systems disagree about apostrophes and spaces far more often
 * than two different people's names differ only by one.
 */
export function nameKey(value: string): string {
  return foldName(value).replace(/[^a-z]/g, '');
}

/** The parts of a name split at hyphens and spaces, each as a key; empty parts dropped. */
export function nameParts(value: string): string[] {
  return foldName(value)
    .split(/[\s-]+/)
    .map(nameKey)
    .filter((part) => part.length > 0);
}

/** "elizabeth" → "Elizabeth", "o'brien" → "O'Brien", "smith-jones" → "Smith-Jones". */
export function titleCase(value: string): string {
  return value.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_all, before: string, letter: string) => before + letter.toUpperCase());
}
