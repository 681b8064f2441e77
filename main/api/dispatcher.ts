// The dispatcher: the only way into the core. For every call it checks the operation exists, checks
// who is calling, validates the input, runs the operation, validates the output and audits it.
// Electron's IPC handler and the browser-mode host both call dispatch(); nothing goes around it.
import type { z } from 'zod';
import { AppError, isAppError, type FieldError } from '../errors.ts';
import type { AuditEntry, AuditOutcome } from '../platform/audit.ts';
import type { Logger } from '../platform/log.ts';
import {
  isOperationName,
  operations,
  type Access,
  type OperationName,
  type OutputOf,
  type ParsedInputOf,
  type Result,
  type SessionUser,
} from './contract.ts';

export interface Caller {
  user: SessionUser | null;
  locked: boolean;
}

/** Who is acting, for history and records: the signed-in user (operations that need a role always have one). */
export const actorOf = (caller: Caller): { id: string; name: string } => ({ id: caller.user!.id, name: caller.user!.name });

export type Handler<N extends OperationName> = (input: ParsedInputOf<N>, caller: Caller) => Promise<OutputOf<N>>;
export type Handlers = { [N in OperationName]: Handler<N> };

export interface DispatcherDeps {
  handlers: Handlers;
  /** The caller as things stand now (after any inactivity lock has been applied). */
  caller(): Caller;
  audit(entry: AuditEntry): Promise<void>;
  now(): Date;
  log: Logger;
}

/** Who may pass: null when allowed, otherwise the refusal. */
export function refusal(access: Access, caller: Caller): AppError | null {
  if (access === 'public') return null;
  if (!caller.user) return new AppError('not-signed-in', 'Sign in to continue.');
  if (access === 'session') return null;
  if (caller.locked) return new AppError('locked', 'Your session is locked. Enter your password to continue.');
  if (caller.user.mustChangePassword) {
    return new AppError('password-change-required', 'You need to change your password before you continue.');
  }
  if (access === 'administrator' && caller.user.role !== 'administrator') {
    return new AppError('forbidden', 'Only a Senior Portal Administrator can do this.');
  }
  return null;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

export class Dispatcher {
  private readonly deps: DispatcherDeps;

  constructor(deps: DispatcherDeps) {
    this.deps = deps;
  }

  async dispatch(operation: string, input: unknown): Promise<Result<unknown>> {
    if (typeof operation !== 'string' || !isOperationName(operation)) {
      const error = new AppError('unknown-operation', 'That action is not available.', { detail: String(operation) });
      await this.record(String(operation).slice(0, 100), null, [], 'invalid', error);
      return { ok: false, error: error.toWire() };
    }
    return this.run(operation, input);
  }

  private async run<N extends OperationName>(name: N, input: unknown): Promise<Result<OutputOf<N>>> {
    const spec = operations[name];
    const caller = this.deps.caller();
    const actor = caller.user?.id ?? null;

    const refused = refusal(spec.access, caller);
    if (refused) {
      await this.record(name, actor, [], 'refused', refused);
      return { ok: false, error: refused.toWire() };
    }

    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const error = new AppError('invalid-input', 'Some answers need correcting.', { fields: fieldErrors(parsed.error) });
      if (spec.audited) await this.record(name, actor, [], 'invalid', error);
      return { ok: false, error: error.toWire() };
    }

    let output: OutputOf<N>;
    try {
      const handler = this.deps.handlers[name] as Handler<N>;
      const raw = await handler(parsed.data as ParsedInputOf<N>, caller);
      const checked = spec.output.safeParse(raw);
      if (!checked.success) {
        throw new AppError('invalid-output', 'Something went wrong. Try again, and tell your IT team if it keeps happening.', {
          detail: `${name} returned a result that does not match the contract: ${checked.error.message}`,
        });
      }
      output = checked.data as OutputOf<N>;
    } catch (thrown) {
      const error = isAppError(thrown)
        ? thrown
        : new AppError('internal', 'Something went wrong. Try again, and tell your IT team if it keeps happening.', { cause: thrown, detail: String(thrown) });
      if (!isAppError(thrown) || error.code === 'internal' || error.code === 'invalid-output') {
        this.deps.log.error('operation failed', { operation: name, code: error.code, detail: error.detail });
      }
      // Wrong passwords are refusals; anything else that stopped the operation is a failure.
      const outcome: AuditOutcome = error.code === 'wrong-credentials' || error.code === 'too-many-attempts' ? 'refused' : 'failed';
      // The caller may have changed (signed in, signed out) while the handler ran.
      const after = this.deps.caller().user?.id ?? actor;
      await this.record(name, after, [], outcome, error);
      return { ok: false, error: error.toWire() };
    }

    if (spec.audited) {
      const records = spec.records ? (spec.records as (i: unknown, o: unknown) => string[])(parsed.data, output) : [];
      const after = this.deps.caller().user?.id ?? actor;
      await this.record(name, after, records, 'ok', null);
    }
    return { ok: true, value: output };
  }

  private async record(operation: string, actorUserId: string | null, recordIds: string[], outcome: AuditOutcome, error: AppError | null): Promise<void> {
    try {
      await this.deps.audit({
        at: this.deps.now().toISOString(),
        actorUserId,
        operation,
        recordIds,
        outcome,
        errorCode: error?.code ?? null,
      });
    } catch (auditError) {
      // An action that cannot be audited must not look silently fine: log loudly.
      this.deps.log.error('audit write failed', { operation, detail: String(auditError) });
      throw auditError;
    }
  }
}
