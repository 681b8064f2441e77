// Ranks the records a system's searches returned by how likely each is the passport's person.
import type { EmployeePersonalDetails } from '../systems/dsp-types.ts';
import { compareCandidate, prepareSubject } from './compare.ts';
import type { FieldComparison, MatchBand, MatchSubject, RankedCandidate } from './types.ts';

export type { ComparisonLevel, ComparisonRule, FieldComparison, MatchBand, MatchField, MatchSubject, RankedCandidate } from './types.ts';

/**
 * Score thresholds in bits (see score.ts for the weights).
 * - strong, 20 or more: two of name, surname and date of birth agree exactly and the third at
 *   least nearly (a common "Sarah Smith" with an exact date of birth scores about 27; with the
 *   day and month swapped about 20; "Liz" for Elizabeth with surname and date exact about 24).
 *   A candidate is never strong, whatever else agrees, when its first name differs or its date
 *   of birth is not at least close (different, or missing on either side): a twin, a namesake or
 *   a relative looks like that, so HR should look before linking.
 * - possible, 10 or more: worth HR's look; a namesake with the same surname and date of birth but
 *   another first name (about 15), or the right names with a date one digit out (about 16).
 * - weak, below 10: little in common beyond what the search asked for.
 */
export const MATCH_BANDS = { strong: 20, possible: 10 } as const;

export function bandFor(score: number, comparisons: readonly FieldComparison[]): MatchBand {
  const vetoed = comparisons.some((comparison) => (comparison.field === 'firstName' && comparison.level === 'different')
    || (comparison.field === 'birthDate' && comparison.level !== 'exact' && comparison.level !== 'close'));
  if (score >= MATCH_BANDS.strong && !vetoed) return 'strong';
  if (score >= MATCH_BANDS.possible) return 'possible';
  return 'weak';
}

/** One record per id: the first seen, with gaps filled from later copies of the same record. */
function mergeById(candidates: readonly EmployeePersonalDetails[]): EmployeePersonalDetails[] {
  const byId = new Map<string, EmployeePersonalDetails>();
  for (const candidate of candidates) {
    const seen = byId.get(candidate.id);
    if (seen === undefined) {
      byId.set(candidate.id, { ...candidate });
      continue;
    }
    for (const field of ['birthDate', 'email', 'esrIdentifier', 'furtherInformation'] as const) {
      if (seen[field] === undefined && candidate[field] !== undefined) seen[field] = candidate[field];
    }
  }
  return [...byId.values()];
}

/**
 * The candidates from all searches, one per id, scored and sorted best first (equal scores by id,
 * so the order never depends on which search answered first), each with a band and the reasons.
 */
export function rankCandidates(subject: MatchSubject, candidates: EmployeePersonalDetails[]): RankedCandidate[] {
  const prepared = prepareSubject(subject);
  const ranked = mergeById(candidates).map((candidate): RankedCandidate => {
    const comparisons = compareCandidate(prepared, candidate);
    const score = comparisons.reduce((total, comparison) => total + comparison.weight, 0);
    return { candidate, score, band: bandFor(score, comparisons), comparisons, furtherInformation: candidate.furtherInformation ?? null };
  });
  return ranked.sort((a, b) => b.score - a.score || (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0));
}
