// Errors are values the caller can act on: a stable code, a sentence an HR user can read, and
// detail for the log only (never sent across the door).

export type ErrorCode =
  | 'unknown-operation'
  | 'invalid-input'
  | 'invalid-output'
  | 'not-signed-in'
  | 'locked'
  | 'forbidden'
  | 'password-change-required'
  | 'wrong-credentials'
  | 'too-many-attempts'
  | 'already-set-up'
  | 'not-set-up'
  | 'not-found'
  | 'conflict'
  | 'stale-record'
  | 'store-corrupt'
  | 'store-key-missing'
  | 'store-too-new'
  | 'wrong-key'
  | 'config-invalid'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  /** Dotted path of the field in the input, e.g. "admin.email". */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldError[]; detail?: string; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields ?? [];
    this.detail = options.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** What crosses the door: no stack, no detail. */
  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      fields: this.fields,
      ...(this.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: this.retryAfterSeconds }),
    };
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
  retryAfterSeconds?: number;
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
