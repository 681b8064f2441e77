// Building blocks of the claim schemas: dates, the DSP standard's tolerated input faults, and the
// provenance block every credential carries.
import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD');
/** Vaccination and clinical-test dates may be a day, a month or a year. */
export const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'Use the format YYYY-MM-DD, YYYY-MM or YYYY');
export const odsCode = z.string().regex(/^[A-Z0-9]{3,5}$/, 'An ODS code is 3 to 5 capital letters and numbers');
export const text = (max = 500) => z.string().min(1).max(max);

/**
 * A boolean as the standard defines it. Its published examples write "true" and "false" as
 * strings, and systems built from them do too: accepted on input, always a boolean on output.
 */
export const dspBoolean = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean());

/** An enum matched without regard to case ("Not Detected" for "Not detected"), kept in the standard's spelling. */
export function lenientEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (values.find((v) => v.toLowerCase() === value.toLowerCase()) ?? value) : value), z.enum(values));
}

export const PEDIGREES = ['Sourced', 'Authoritative'] as const;

/** Where a fact came from and how it was assured (product.md: provenance). */
export const provenanceSchema = z
  .object({
    /** The system or organisation the fact came from, e.g. "ESR" or "Chambury Learning Solutions LMS". */
    origin: text(200),
    assurancePolicy: text(200).optional(),
    assuranceOutcome: text(200).optional(),
    /** The organisation that provided it (an ODS code and name). */
    provider: z.object({ odsCode, name: text(200) }).strict(),
    verifier: text(200).optional(),
    verificationMethod: text(200).optional(),
    pedigree: z.enum(PEDIGREES),
    /** When the fact was last read from its origin (ISO date-time). */
    lastRefresh: z.iso.datetime({ offset: true }),
  })
  .strict();
export type Provenance = z.infer<typeof provenanceSchema>;

export const PROVENANCE_LABELS: Record<keyof Provenance, string> = {
  origin: 'Where it came from',
  assurancePolicy: 'Assurance policy',
  assuranceOutcome: 'Assurance outcome',
  provider: 'Provided by',
  verifier: 'Checked by',
  verificationMethod: 'How it was checked',
  pedigree: 'Source type',
  lastRefresh: 'Last updated from its source',
};

/**
 * The last day of a period: the day before its anniversary. "2 Years" from 2023-11-01 ends on
 * 2025-10-31. Where the anniversary's day does not exist (31 August plus 6 months, 29 February plus
 * a year), the anniversary is the 1st of the next month, so the period ends on the month's last day.
 */
export function endOfPeriod(from: string, amount: number, unit: 'year' | 'month'): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) + (unit === 'year' ? amount * 12 : amount);
  const year = Math.floor(months / 12);
  const month = months % 12; // 0-based
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = d > daysInMonth ? new Date(Date.UTC(year, month, daysInMonth)) : new Date(Date.UTC(year, month, d - 1));
  return end.toISOString().slice(0, 10);
}
