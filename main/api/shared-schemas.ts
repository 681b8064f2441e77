// Field schemas that more than one capability's part of the contract uses, in a module of their
// own so that those parts can import them without a cycle through main/api/contract.ts.
import { z } from 'zod';

export const odsCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3}([A-Z0-9]{2})?$/, 'Enter an ODS code of 3 or 5 letters and numbers, like RHQ');
