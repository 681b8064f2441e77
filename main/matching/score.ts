// The match weights: for each field and way of agreeing, how much more likely it is for the same person than for two people.

/*
 * Fellegi–Sunter: for a field compared at some level, m = P(level | same person) and
 * u = P(level | two different people), and the weight is log2(m / u) bits. Weights of the fields
 * add up to the score (the fields are treated as independent, the usual working assumption).
 * A field missing on either side weighs 0: it tells us nothing either way.
 *
 * The m values are judgements of how often HR's record and another system's record of one person
 * disagree, informed by published record-linkage work on UK health data (name changes on marriage,
 * nicknames in learning systems, keying errors in dates): they are set so the rare ways of
 * disagreeing still leave the true person clearly above a namesake. The u values come from how
 * common a name is (the frequency tables), from how many dates a "close" date rule accepts out of
 * about 16,000 plausible birth dates (45 working-age years), or from a stated estimate.
 *
 * | field       | rule                  | level     | m      | u                                   | bits (typical)        |
 * |-------------|-----------------------|-----------|--------|-------------------------------------|-----------------------|
 * | first name  | exact                 | exact     | 0.90   | frequency of the name (≥ 2e-6)      | Sarah 6.6, Oluwaseun 13.5 |
 * | first name  | known-as              | close     | 0.10   | frequency of the known-as name      | Beth 5.3              |
 * | first name  | name-family           | close     | 0.05   | 2 × frequency of the commoner name (≥ 1e-4) | Liz/Elizabeth 3.3 |
 * | first name  | middle-name           | close     | 0.02   | frequency of the middle name        | Grace 4.7             |
 * | first name  | typo                  | close     | 0.03   | 0.003                               | 3.3                   |
 * | first name  | name-part             | close     | 0.03   | frequency of the shared part        | Mary 4.9              |
 * | first name  | initial               | close     | 0.01   | 0.06 (one initial in about 16)      | −2.6                  |
 * | first name  | swapped-names         | close     | m ÷ 4  | as for the rule met the other way round | that rule − 2     |
 * | first name  | different             | different | 0.015  | 0.97                                | −6.0                  |
 * | surname     | exact                 | exact     | 0.85   | frequency of the surname (≥ 2e-6)   | Smith 6.4, Okafor 14.8 |
 * | surname     | previous-surname      | close     | 0.30   | frequency of the previous surname   | Jones 5.3             |
 * | surname     | name-part             | close     | 0.05   | frequency of the shared part        | Smith 2.3             |
 * | surname     | typo                  | close     | 0.04   | 0.002                               | 4.3                   |
 * | surname     | previous-surname-typo | close     | 0.01   | 0.002                               | 2.3                   |
 * | surname     | swapped-names         | close     | m ÷ 4  | as for the rule met the other way round | that rule − 2     |
 * | surname     | different             | different | 0.08   | 0.99                                | −3.6                  |
 * | birth date  | exact                 | exact     | 0.95   | 1/16,000                            | 13.9                  |
 * | birth date  | day-month-swapped     | close     | 0.01   | 1/16,000                            | 7.3                   |
 * | birth date  | digits-transposed     | close     | 0.01   | 3/16,000                            | 5.7                   |
 * | birth date  | adjacent-year         | close     | 0.005  | 2/16,000                            | 5.3                   |
 * | birth date  | one-digit             | close     | 0.015  | 30/16,000                           | 3.0                   |
 * | birth date  | different             | different | 0.02   | 0.997                               | −5.6                  |
 * | email       | exact                 | exact     | 0.50   | 1e-5 (shared family mailboxes)      | 15.6                  |
 * | email       | typo                  | close     | 0.02   | 1e-5                                | 11.0                  |
 * | email       | same-mailbox-name     | close     | 0.10   | 0.001                               | 6.6                   |
 * | email       | different             | different | 0.45   | 0.99                                | −1.1                  |
 * | middle names| exact                 | exact     | 0.90   | frequency of the first middle name  | Grace 10.2            |
 * | middle names| initial/family/part   | close     | 0.05   | 0.02                                | 1.3                   |
 * | middle names| different             | different | 0.05   | 0.95                                | −4.2                  |
 *
 * Why these m values:
 * - First name exact 0.90: learning and occupational-health systems often hold a familiar form.
 * - Surname different 0.08: marriage and divorce change surnames, and not every passport records
 *   the previous one; so a surname that differs counts against a candidate less than a first name.
 * - Date of birth different 0.02: dates are keyed by hand and mistakes happen, but rarely, and the
 *   typical mistakes (day and month swapped, two digits transposed, one digit, a year out) are
 *   rules of their own; the specific rules get more weight because they accept fewer dates.
 * - Email different 0.45: people have work and personal addresses, so a different email says little;
 *   an identical one says a lot.
 * - Rarity floor 2e-6: beyond about 1 in 500,000 a rarer surname no longer makes a different person
 *   less likely, because the people who share a very rare surname are mostly relatives.
 */

/** Birth dates a working-age population spreads over: about 45 years of days. */
export const PLAUSIBLE_BIRTH_DATES = 16_000;
/** No name's u is taken below this: see above. */
export const RARITY_FLOOR = 2e-6;
/** Bits taken off an exact weight when first name and surname are the other way round (m ÷ 4). */
export const SWAPPED_NAMES_PENALTY = 2;

export interface Probabilities {
  /** P(this level | same person). */
  readonly m: number;
  /** P(this level | different people); `null` when it is the frequency of the name involved. */
  readonly u: number | null;
}

export const M_U = {
  firstName: {
    exact: { m: 0.9, u: null },
    knownAs: { m: 0.1, u: null },
    nameFamily: { m: 0.05, u: null },
    middleName: { m: 0.02, u: null },
    typo: { m: 0.03, u: 0.003 },
    namePart: { m: 0.03, u: null },
    initial: { m: 0.01, u: 0.06 },
    different: { m: 0.015, u: 0.97 },
  },
  surname: {
    exact: { m: 0.85, u: null },
    previousSurname: { m: 0.3, u: null },
    namePart: { m: 0.05, u: null },
    typo: { m: 0.04, u: 0.002 },
    previousSurnameTypo: { m: 0.01, u: 0.002 },
    different: { m: 0.08, u: 0.99 },
  },
  birthDate: {
    exact: { m: 0.95, u: 1 / PLAUSIBLE_BIRTH_DATES },
    dayMonthSwapped: { m: 0.01, u: 1 / PLAUSIBLE_BIRTH_DATES },
    digitsTransposed: { m: 0.01, u: 3 / PLAUSIBLE_BIRTH_DATES },
    adjacentYear: { m: 0.005, u: 2 / PLAUSIBLE_BIRTH_DATES },
    oneDigit: { m: 0.015, u: 30 / PLAUSIBLE_BIRTH_DATES },
    different: { m: 0.02, u: 0.997 },
  },
  email: {
    exact: { m: 0.5, u: 1e-5 },
    typo: { m: 0.02, u: 1e-5 },
    sameMailboxName: { m: 0.1, u: 0.001 },
    different: { m: 0.45, u: 0.99 },
  },
  middleNames: {
    exact: { m: 0.9, u: null },
    close: { m: 0.05, u: 0.02 },
    different: { m: 0.05, u: 0.95 },
  },
} as const satisfies Record<string, Record<string, Probabilities>>;

/** log2(m / u), in bits. */
export function matchWeight(m: number, u: number): number {
  return Math.log2(m / u);
}

/** The weight of a rule whose u is fixed in the table. */
export function fixedWeight(rule: { readonly m: number; readonly u: number }): number {
  return matchWeight(rule.m, rule.u);
}

/** The weight of a rule whose u is how common the name is, never rarer than the rarity floor. */
export function frequencyWeight(rule: { readonly m: number }, frequency: number): number {
  return matchWeight(rule.m, Math.max(RARITY_FLOOR, frequency));
}
