// The shape of one operation of the contract. A module of its own so that each capability can
// declare its part of the contract (main/<capability>/contract.ts) without an import cycle.
import type { z } from 'zod';

/**
 * Who may call an operation.
 * - public: anyone, signed in or not (status, first-run set-up, sign-in).
 * - session: a signed-in user, even when locked or when their password must be changed.
 * - hr: day-to-day work; HR users and administrators.
 * - administrator: Senior Portal Administrators only (users, settings, backups, audit).
 */
export type Access = 'public' | 'session' | 'hr' | 'administrator';

export interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  access: Access;
  input: I;
  output: O;
  /** Status reads and heartbeats are not actions; everything else is audited. Refusals always are. */
  audited: boolean;
  /** Ids of the records touched, for the audit log. Ids only: never names, emails or secrets. */
  records?: (input: z.output<I>, output: z.output<O>) => string[];
}

export function op<I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> {
  return spec;
}

