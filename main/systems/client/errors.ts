// What went wrong talking to an authoritative system: a reason the caller can act on, a sentence
// an HR user can read (naming the system and what was asked), and detail for the log only.
import { AppError, type ErrorCode, type FieldError } from '../../errors.ts';
import type { DspOperation } from '../dsp-types.ts';

export type SystemErrorReason =
  | 'not-found'
  | 'invalid'
  | 'unauthorised'
  | 'forbidden'
  | 'conflict'
  | 'duplicate'
  | 'bad-response'
  | 'server-error'
  | 'timeout'
  | 'unreachable'
  | 'too-large';

/** What was asked of which system: 'token' is the sign-in that comes before any operation. */
export interface Asked {
  system: string;
  organisation: string;
  operation: DspOperation | 'token';
  employeeId?: string;
}

const CODES: Record<SystemErrorReason, ErrorCode> = {
  'not-found': 'not-found',
  invalid: 'invalid-input',
  unauthorised: 'forbidden',
  forbidden: 'forbidden',
  conflict: 'conflict',
  duplicate: 'conflict',
  'bad-response': 'unavailable',
  'server-error': 'unavailable',
  timeout: 'unavailable',
  unreachable: 'unavailable',
  'too-large': 'unavailable',
};

export interface SystemErrorInit {
  reason: SystemErrorReason;
  message: string;
  asked: Asked;
  retryable: boolean;
  status?: number;
  /** The system's own words (OperationOutcome issue details text): may be shown, never logged. */
  systemText?: string;
  detail?: string;
  fields?: FieldError[];
  retryAfterSeconds?: number;
}

export class SystemError extends AppError {
  readonly reason: SystemErrorReason;
  readonly status: number | undefined;
  readonly systemText: string | undefined;
  /** Worth trying again later (the client has already retried what it safely could). */
  readonly retryable: boolean;
  readonly system: string;
  readonly operation: DspOperation | 'token';

  constructor(init: SystemErrorInit) {
    super(CODES[init.reason], init.message, {
      ...(init.detail === undefined ? {} : { detail: init.detail }),
      ...(init.fields === undefined ? {} : { fields: init.fields }),
      ...(init.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: init.retryAfterSeconds }),
    });
    this.name = 'SystemError';
    this.reason = init.reason;
    this.status = init.status;
    this.systemText = init.systemText;
    this.retryable = init.retryable;
    this.system = init.asked.system;
    this.operation = init.asked.operation;
  }
}

export function isSystemError(value: unknown): value is SystemError {
  return value instanceof SystemError;
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** "the ESR administrators", "the administrators of the learning management system". */
const administrators = (name: string) => (/^the\s/i.test(name) ? `the administrators of ${name}` : `the ${name} administrators`);

const PERMISSIONS: Record<DspOperation | 'token', { may: (name: string) => string; for: string }> = {
  'search-for-employee': { may: (name) => `search ${name}`, for: 'searching' },
  'get-employee-personal-details': { may: (name) => `look up employees in ${name}`, for: 'looking up employees' },
  'get-employee-records': { may: (name) => `read records from ${name}`, for: 'reading records' },
  'add-employee-record': { may: (name) => `add records to ${name}`, for: 'adding records' },
  status: { may: (name) => `check whether ${name} is working`, for: 'status checks' },
  token: { may: (name) => `sign in to ${name}`, for: 'Staff Passport' },
};

/** Variants of a reason's sentence. */
export interface Circumstances {
  /** The failure came from the sign-in (token endpoint), before the operation was sent. */
  signIn?: boolean;
  /** A TLS failure: certificate not trusted, wrong name, client certificate refused. */
  tls?: boolean;
  /** The proxy server refused or failed to connect. */
  proxy?: boolean;
}

/** The sentence an HR user reads for a reason, naming the system and what was asked. */
export function messageFor(reason: SystemErrorReason, asked: Asked, circumstances: Circumstances = {}): string {
  const name = asked.system;
  const Name = capitalised(name);
  const adding = asked.operation === 'add-employee-record' && !circumstances.signIn;
  const employee = asked.employeeId === undefined ? 'this employee' : `employee ${asked.employeeId}`;
  const unsure = adding ? 'so Staff Passport cannot tell whether the record was added' : circumstances.signIn && asked.operation === 'add-employee-record' ? 'so the record was not sent' : 'so nothing was saved';
  switch (reason) {
    case 'not-found':
      return asked.operation === 'search-for-employee' || asked.employeeId === undefined
        ? `${Name} does not know the organisation ${asked.organisation}. Ask ${administrators(name)} to check this connection.`
        : `${Name} has no ${employee} at ${asked.organisation}.`;
    case 'invalid':
      if (asked.operation === 'search-for-employee') return `${Name} did not accept the search. Check the name and date of birth, then try again.`;
      if (asked.operation === 'add-employee-record') return `${Name} did not accept this record as valid, so it was not added.`;
      return `${Name} did not accept the request for ${employee}.`;
    case 'unauthorised':
      return `${Name} did not accept Staff Passport's sign-in for ${asked.organisation}. Ask ${administrators(name)} to check that this connection's key is registered with them.`;
    case 'forbidden': {
      const permission = PERMISSIONS[asked.operation];
      return `Staff Passport is not allowed to ${permission.may(name)} at ${asked.organisation}. Ask ${administrators(name)} to enable this connection for ${permission.for}.`;
    }
    case 'conflict':
      return `${Name} cannot take this record for ${employee} at the moment, so it was not added.`;
    case 'duplicate':
      return `${Name} already has this record.`;
    case 'bad-response':
      return circumstances.signIn
        ? `${Name} sent a sign-in answer Staff Passport could not read, ${unsure}.`
        : `${Name} sent an answer Staff Passport could not read, ${unsure}.`;
    case 'server-error':
      return `${Name} is having problems at the moment. Try again in a few minutes.`;
    case 'timeout':
      return `${Name} did not answer in time. Try again in a few minutes.`;
    case 'unreachable':
      if (circumstances.proxy) return `The proxy server would not connect Staff Passport to ${name}. Ask IT to check the proxy settings.`;
      if (circumstances.tls) return `Staff Passport could not make a secure connection to ${name}. Ask IT to check the certificate settings for this connection.`;
      return `Staff Passport could not reach ${name}. Try again in a few minutes, and ask IT to check the connection if it keeps happening.`;
    case 'too-large':
      return `${Name} sent an answer too large to read, ${unsure}.`;
  }
}
