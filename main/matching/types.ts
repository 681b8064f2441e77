// The shapes the matcher works with: the person on the passport, a field-by-field comparison, a ranked candidate.
import type { EmployeePersonalDetails } from '../systems/dsp-types.ts';

/** What HR's passport record says about the person being linked. */
export interface MatchSubject {
  /** Legal first name. */
  firstName: string;
  /** Space-separated middle names, if any. */
  middleNames?: string | null;
  surname: string;
  /** A surname they had before (maiden name, or before a divorce). */
  previousSurname?: string | null;
  /** The name they go by ("Beth" for Elizabeth), if recorded. */
  knownAs?: string | null;
  /** YYYY-MM-DD. */
  birthDate?: string | null;
  email?: string | null;
}

export type MatchField = 'firstName' | 'middleNames' | 'surname' | 'birthDate' | 'email';
export type ComparisonLevel = 'exact' | 'close' | 'different' | 'missing';

/** Which rule decided the level; the reason says the same in plain English. */
export type ComparisonRule =
  | 'exact'
  | 'known-as'
  | 'name-family'
  | 'middle-name'
  | 'typo'
  | 'name-part'
  | 'initial'
  | 'swapped-names'
  | 'previous-surname'
  | 'previous-surname-typo'
  | 'day-month-swapped'
  | 'digits-transposed'
  | 'adjacent-year'
  | 'one-digit'
  | 'same-mailbox-name'
  | 'different'
  | 'missing';

export interface FieldComparison {
  field: MatchField;
  /** The field's name as HR sees it: "First name". */
  label: string;
  level: ComparisonLevel;
  rule: ComparisonRule;
  /** The passport's value (null when it has none). */
  subjectValue: string | null;
  /** The system's value (null when it has none). */
  candidateValue: string | null;
  /** Bits of evidence for (positive) or against (negative) this being the same person. */
  weight: number;
  /** Plain English, e.g. "First name 'Liz' is a short form of 'Elizabeth'". */
  reason: string;
}

export type MatchBand = 'strong' | 'possible' | 'weak';

export interface RankedCandidate {
  candidate: EmployeePersonalDetails;
  /** The sum of the comparisons' weights, in bits. */
  score: number;
  band: MatchBand;
  comparisons: FieldComparison[];
  /** The system's own note about the record, passed through for HR. */
  furtherInformation: string | null;
}
