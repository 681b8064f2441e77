// String similarity for names: Jaro–Winkler and the one-edit (optimal string alignment) test.

/**
 * Jaro–Winkler similarity in [0, 1] (Winkler 1990): the Jaro score, raised for a shared prefix of
 * up to 4 characters by 0.1 per character. Compares the strings as given: callers fold case first.
 * Reference values: MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
 */
/** Two reusable flag arrays: names are compared thousands of times and allocation shows. */
const buffers = [new Uint8Array(64), new Uint8Array(64)];

function scratch(which: 0 | 1, length: number): Uint8Array {
  if (buffers[which]!.length < length) buffers[which] = new Uint8Array(length * 2);
  const buffer = buffers[which]!;
  buffer.fill(0, 0, length);
  return buffer;
}

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = scratch(0, a.length);
  const bMatched = scratch(1, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        aMatched[i] = 1;
        bMatched[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder / 2;
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * True when b can be made from a by one edit: a letter changed, added or removed, or two
 * neighbouring letters swapped (the optimal-string-alignment distance is at most 1).
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const lengthGap = Math.abs(a.length - b.length);
  if (lengthGap > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const restA = endA - start + 1;
  const restB = endB - start + 1;
  // What is left after the shared beginning and end: one letter changed, added or removed…
  if (restA <= 1 && restB <= 1) return true;
  // …or two neighbouring letters the other way round.
  return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start];
}

const letterCounts = new Int32Array(128);

/**
 * An upper bound on jaroWinkler(a, b) that costs one pass over each string: the Jaro matches
 * cannot outnumber the letters the two have in common, and the Winkler bonus is at most 0.4 of
 * what is left. Lets callers skip the full comparison for names that share too few letters.
 */
export function jaroWinklerBound(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  letterCounts.fill(0);
  for (let i = 0; i < a.length; i++) letterCounts[a.charCodeAt(i) & 127]!++;
  let shared = 0;
  for (let i = 0; i < b.length; i++) {
    const code = b.charCodeAt(i) & 127;
    if (letterCounts[code]! > 0) {
      letterCounts[code]!--;
      shared++;
    }
  }
  if (shared === 0) return 0;
  const jaro = (shared / a.length + shared / b.length + 1) / 3;
  return jaro + 0.4 * (1 - jaro);
}
