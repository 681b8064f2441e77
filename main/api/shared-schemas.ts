// Field schemas that more than one capability's part of the contract uses, in a module of their
// own so that those parts can import them without a cycle through main/api/contract.ts.
import { z } from 'zod';

export const odsCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3}([A-Z0-9]{2})?$/, 'Enter an ODS code of 3 or 5 letters and numbers, like RHQ');

/** The version of a record the screen last read, sent back with a change so a change made in between is caught. */
export const recordVersionSchema = z
  .number({ error: 'The page is out of date. Reload it and try again.' })
  .int('The page is out of date. Reload it and try again.')
  .min(1, 'The page is out of date. Reload it and try again.');
