// The DSP API client: one per connection to an authoritative system (ESR, a learning management
// system...). It signs in by private key JWT, calls the five operations of the DSP API standard,
// checks every answer against the standard's schema (after putting right the published document's
// known faults), retries what is safe to retry, and turns every failure into a SystemError.
import { randomUUID } from 'node:crypto';
import { AppError, type FieldError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../platform/log.ts';
import { dspStandard, type SchemaIssue } from '../dsp-schema.ts';
import type { DspOperation, EmployeePersonalDetails, EmployeeRecordPost, EmployeeRecords, SearchParameters, SystemKind, SystemStatus } from '../dsp-types.ts';
import { SystemError, messageFor, type Asked, type SystemErrorReason } from './errors.ts';
import { normaliseRecord, normaliseRecords, pick, PERSONAL_DETAILS_SHAPE, RECORD_SHAPES, STATUS_SHAPE, validationView } from './normalise.ts';
import { backoffMs, retryAfterSeconds, retryPolicy, SHORTEST_ATTEMPT_MS, type RetryPolicy, type RetrySettings } from './retry.ts';
import { TokenSource, type ClientSigningKey, type Grant } from './tokens.ts';
import { Transport, TransportFailure, type TransportResponse, type TransportSettings } from './transport.ts';

export interface DspConnection {
  /** What HR calls the system ("ESR", "the learning management system"): used in messages. */
  name: string;
  kind: SystemKind;
  /** The system's DSP API base URL, before /organisations/... */
  baseUrl: string;
  /** The trust's ODS code at this system. */
  organisation: string;
  tokenUrl: string;
  clientId: string;
  signingKey: ClientSigningKey;
}

export interface DspClientOptions {
  connection: DspConnection;
  transport?: TransportSettings;
  now?: () => Date;
  log?: Logger;
  retry?: RetrySettings;
}

export interface AddRecordOptions {
  /**
   * What a 409 duplicate means: 'outcome' (the default, for the delivery outbox) returns
   * { outcome: 'duplicate' }, since the system already has the record; 'error' throws a SystemError
   * with reason 'duplicate', unless an earlier attempt of this same call may have delivered it.
   */
  duplicate?: 'outcome' | 'error';
}

export interface AddRecordResult {
  outcome: 'created' | 'duplicate';
  /** The record as the system stored it (on 'created'). */
  record?: EmployeeRecordPost;
}

/** The largest record sent: two images of up to 5 MB each (base64), and the rest. */
export const MAX_REQUEST_BYTES = 12 * 1024 * 1024;
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
const GRANT_TYPE = 'client_credentials';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A failure before it is put into words for the operation that was asked. */
class Failure extends Error {
  readonly reason: SystemErrorReason;
  readonly status: number | undefined;
  readonly systemText: string | undefined;
  readonly signIn: boolean;
  readonly tls: boolean;
  readonly proxy: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(reason: SystemErrorReason, detail: string, options: { status?: number; systemText?: string; signIn?: boolean; tls?: boolean; proxy?: boolean; retryAfterSeconds?: number } = {}) {
    super(detail);
    this.reason = reason;
    this.status = options.status;
    this.systemText = options.systemText;
    this.signIn = options.signIn ?? false;
    this.tls = options.tls ?? false;
    this.proxy = options.proxy ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

interface ApiRequest {
  method: 'GET' | 'POST';
  /** Encoded, after the base URL. */
  path: string;
  query?: URLSearchParams;
  body?: string;
  auth: boolean;
  accept: string;
  maxResponseBytes: number;
}

/** One call of an operation, across its attempts. */
interface CallState {
  started: number;
  /** The token has been renewed once after a 401. */
  renewed: boolean;
  /** An earlier attempt sent the request and may have been processed (add-employee-record). */
  mayHaveArrived: boolean;
}

interface Answer {
  status: number;
  body: unknown;
}

function systemUrl(value: string, what: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('config-invalid', `The ${what} of ${name} is not a valid address.`, { detail: `${what}: not a URL` });
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)))) {
    throw new AppError('config-invalid', `The ${what} of ${name} must start with https://.`, { detail: `${what}: protocol ${url.protocol}` });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('config-invalid', `The ${what} of ${name} cannot contain a user name, password, query or fragment.`, { detail: `${what}: has credentials, query or fragment` });
  }
  return value;
}

const isDotSegment = (value: string) => value === '.' || value === '..';
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
/** Schema issues for the log: where and what, never the value found there. */
const describeIssues = (issues: SchemaIssue[]) => issues.map((issue) => `${issue.path || '(body)'} ${issue.message}`).join('; ');

export class DspClient {
  readonly name: string;
  readonly kind: SystemKind;
  readonly organisation: string;
  private readonly baseUrl: string;
  private readonly tokenUrl: string;
  private readonly transport: Transport;
  private readonly tokens: TokenSource;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;

  constructor(options: DspClientOptions) {
    const connection = options.connection;
    if (typeof connection.name !== 'string' || connection.name.trim() === '') throw new AppError('config-invalid', 'A connection needs a name.', { detail: 'name missing' });
    this.name = connection.name.trim();
    this.kind = connection.kind;
    if (typeof connection.organisation !== 'string' || !/^[A-Za-z0-9-]{1,20}$/.test(connection.organisation)) {
      throw new AppError('config-invalid', `The organisation code for ${this.name} is not a valid ODS code.`, { detail: 'organisation not valid' });
    }
    this.organisation = connection.organisation;
    if (typeof connection.clientId !== 'string' || connection.clientId === '') throw new AppError('config-invalid', `The client id for ${this.name} is missing.`, { detail: 'clientId missing' });
    this.baseUrl = systemUrl(connection.baseUrl, 'address', this.name).replace(/\/+$/, '');
    this.tokenUrl = systemUrl(connection.tokenUrl, 'sign-in address', this.name);
    this.transport = new Transport(options.transport);
    this.retry = retryPolicy(options.retry, this.transport.timeoutMs);
    this.log = options.log ?? silentLogger;
    this.tokens = new TokenSource({
      tokenUrl: this.tokenUrl,
      clientId: connection.clientId,
      signingKey: connection.signingKey,
      now: options.now ?? (() => new Date()),
      exchange: (assertion) => this.grant(assertion),
    });
  }

  /** Search for an employee by first name, surname and date of birth (at least one). At most 50 come back. */
  async search(params: SearchParameters): Promise<EmployeePersonalDetails[]> {
    const asked = this.asked('search-for-employee');
    const query = new URLSearchParams();
    for (const name of ['firstName', 'surname', 'birthDate'] as const) {
      const value: unknown = params?.[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string' || value.length > 200) throw this.invalid(asked, `The search for ${this.name} is not valid.`, `${name} is not a short text`);
      if (value.trim() !== '') query.set(name, value.trim());
    }
    if (query.size === 0) throw this.invalid(asked, `Give a first name, surname or date of birth to search ${this.name}.`, 'no search parameters');
    const birthDate = query.get('birthDate');
    if (birthDate !== null && !(DATE.test(birthDate) && !Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`)))) {
      throw this.invalid(asked, `Give the date of birth as a full date to search ${this.name}.`, 'birthDate is not YYYY-MM-DD');
    }
    const path = `/organisations/${encodeURIComponent(this.organisation)}/employees`;
    return this.run(asked, async (state) => {
      const answer = await this.call(asked, state, { method: 'GET', path, query, auth: true, accept: 'application/json', maxResponseBytes: this.transport.maxResponseBytes });
      this.conform(asked, answer, answer.body);
      return (answer.body as unknown[]).map((person) => pick(person, PERSONAL_DETAILS_SHAPE) as EmployeePersonalDetails);
    });
  }

  /** An employee's personal details, to check an id is the right person's. */
  async personalDetails(employeeId: string): Promise<EmployeePersonalDetails> {
    const asked = this.asked('get-employee-personal-details', employeeId);
    const path = `/organisations/${encodeURIComponent(this.organisation)}/employees/${this.employeeSegment(asked, employeeId)}`;
    return this.run(asked, async (state) => {
      const answer = await this.call(asked, state, { method: 'GET', path, auth: true, accept: 'application/json', maxResponseBytes: this.transport.maxResponseBytes });
      this.conform(asked, answer, answer.body);
      return pick(answer.body, PERSONAL_DETAILS_SHAPE) as EmployeePersonalDetails;
    });
  }

  /** Every record the system holds for an employee. */
  async records(employeeId: string): Promise<EmployeeRecords> {
    const asked = this.asked('get-employee-records', employeeId);
    const path = `/organisations/${encodeURIComponent(this.organisation)}/employees/${this.employeeSegment(asked, employeeId)}/records`;
    return this.run(asked, async (state) => {
      const answer = await this.call(asked, state, { method: 'GET', path, auth: true, accept: 'application/json', maxResponseBytes: this.transport.maxResponseBytes });
      const records = normaliseRecords(answer.body);
      this.conform(asked, answer, validationView(records));
      return records as EmployeeRecords;
    });
  }

  /**
   * Adds a record. Network failures, timeouts and 5xx answers are retried: the standard has the
   * system reject a record it already holds with 409 duplicate, so a resent record is never stored
   * twice, and a duplicate is reported as an outcome (see AddRecordOptions).
   */
  async addRecord(employeeId: string, record: EmployeeRecordPost, options: AddRecordOptions = {}): Promise<AddRecordResult> {
    const asked = this.asked('add-employee-record', employeeId);
    const path = `/organisations/${encodeURIComponent(this.organisation)}/employees/${this.employeeSegment(asked, employeeId)}/records`;
    const outgoing = this.outgoingRecord(asked, record);
    const body = JSON.stringify(outgoing);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_REQUEST_BYTES) throw this.invalid(asked, `This record is too large to send to ${this.name}.`, `record of ${bytes} bytes`);
    // The created record comes back, images and all: room for it whatever the usual cap.
    const maxResponseBytes = Math.max(this.transport.maxResponseBytes, bytes + 64 * 1024);
    return this.run(asked, async (state) => {
      let answer: Answer;
      try {
        answer = await this.call(asked, state, { method: 'POST', path, body, auth: true, accept: 'application/json', maxResponseBytes });
      } catch (error) {
        if (error instanceof Failure && error.reason === 'duplicate' && (options.duplicate !== 'error' || state.mayHaveArrived)) {
          this.log.info('DSP record already held', { system: this.name, operation: asked.operation, employeeId, resent: state.mayHaveArrived });
          return { outcome: 'duplicate' };
        }
        throw error;
      }
      const created = normaliseRecord(answer.body);
      this.conform(asked, answer, validationView(created));
      return { outcome: 'created', record: created as EmployeeRecordPost };
    });
  }

  /** The system's open status check (no token). */
  async status(): Promise<SystemStatus> {
    const asked = this.asked('status');
    const path = `/organisations/${encodeURIComponent(this.organisation)}/_status`;
    return this.run(asked, async (state) => {
      let answer: Answer;
      try {
        answer = await this.call(asked, state, { method: 'GET', path, auth: false, accept: 'application/health+json, application/json', maxResponseBytes: this.transport.maxResponseBytes });
      } catch (error) {
        // The health-check draft answers "fail" with a 5xx: a readable one is an answer, not an error.
        const reported = error instanceof FailedStatus ? error.body : undefined;
        if (reported !== undefined) return statusOf(reported);
        throw error;
      }
      this.conform(asked, answer, answer.body);
      return statusOf(answer.body);
    });
  }

  /** Fetches a new token now ("Test connection"): proves the system accepts this connection's key. */
  async checkToken(): Promise<void> {
    const asked: Asked = { system: this.name, organisation: this.organisation, operation: 'token' };
    await this.run(asked, async (state) => {
      await this.withDeadline(this.tokens.fresh(), state);
    });
  }

  /** Closes kept-alive connections; the client must not be used afterwards. */
  close(): void {
    this.transport.close();
  }

  private asked(operation: DspOperation, employeeId?: string): Asked {
    return { system: this.name, organisation: this.organisation, operation, ...(employeeId === undefined ? {} : { employeeId }) };
  }

  private invalid(asked: Asked, message: string, detail: string, fields?: FieldError[]): SystemError {
    return new SystemError({ reason: 'invalid', message, asked, retryable: false, detail: `${asked.system} ${asked.operation}: not sent: ${detail}`, ...(fields ? { fields } : {}) });
  }

  private employeeSegment(asked: Asked, employeeId: unknown): string {
    // '.' and '..' would be resolved away by the URL parser however they are encoded.
    if (typeof employeeId !== 'string' || employeeId.trim() === '' || employeeId.length > 200 || isDotSegment(employeeId) || hasControlCharacters(employeeId)) {
      throw this.invalid(asked, `The employee id is missing or not one ${this.name} could use, so ${this.name} was not asked.`, 'employee id not valid');
    }
    return encodeURIComponent(employeeId);
  }

  /** The record as it will be sent: only the properties the standard names, checked against the request schema. */
  private outgoingRecord(asked: Asked, record: EmployeeRecordPost): Record<string, unknown> {
    const recordType = isObject(record) ? record.recordType : undefined;
    const shape = typeof recordType === 'string' ? RECORD_SHAPES.get(recordType) : undefined;
    const outgoing = shape ? (pick(record, shape) as Record<string, unknown>) : record;
    const check = dspStandard().checkRequest('add-employee-record', validationView(outgoing));
    if (!check.ok) {
      const fields = check.issues.map((issue) => ({ field: issue.path.slice(1).replaceAll('/', '.') || 'record', message: issue.message }));
      const named = [...new Set(fields.map((field) => field.field))].join(', ');
      throw this.invalid(asked, `This record cannot be sent to ${this.name}: it is incomplete or not valid (${named}).`, describeIssues(check.issues), fields);
    }
    return outgoing as Record<string, unknown>;
  }

  /** Runs one call's attempts: retries what is safe with backoff, within the attempts and time allowed. */
  private async run<T>(asked: Asked, attempt: (state: CallState) => Promise<T>): Promise<T> {
    const state: CallState = { started: performance.now(), renewed: false, mayHaveArrived: false };
    for (let failed = 0; ; ) {
      try {
        return await attempt(state);
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        failed += 1;
        const wait = this.retryWait(error, failed, state);
        if (asked.operation === 'add-employee-record' && !error.signIn && ['timeout', 'unreachable', 'server-error', 'bad-response', 'too-large'].includes(error.reason)) state.mayHaveArrived = true;
        this.log.warn('DSP call failed', {
          system: this.name,
          operation: asked.operation,
          ...(asked.employeeId === undefined ? {} : { employeeId: asked.employeeId }),
          reason: error.reason,
          ...(error.status === undefined ? {} : { status: error.status }),
          attempt: failed,
          retrying: wait !== null,
          detail: error.message,
        });
        if (wait === null) throw this.systemError(asked, error, state);
        await this.retry.sleep(wait);
      }
    }
  }

  /** How long to wait before trying again, or null not to. */
  private retryWait(failure: Failure, failed: number, state: CallState): number | null {
    const transient = failure.reason === 'server-error' || failure.reason === 'timeout' || (failure.reason === 'unreachable' && !failure.tls && !failure.proxy);
    if (!transient || failed >= this.retry.attempts) return null;
    const wait = Math.max(backoffMs(this.retry, failed), (failure.retryAfterSeconds ?? 0) * 1000);
    const left = this.retry.maxElapsedMs - (performance.now() - state.started) - wait;
    return left >= SHORTEST_ATTEMPT_MS ? wait : null;
  }

  private systemError(asked: Asked, failure: Failure, state: CallState): SystemError {
    const answered2xx = failure.status !== undefined && failure.status >= 200 && failure.status < 300;
    const retryable =
      failure.reason === 'server-error' ||
      failure.reason === 'timeout' ||
      (failure.reason === 'unreachable' && !failure.tls && !failure.proxy) ||
      // The system may have stored it; sending it again is safe (409 duplicate).
      (asked.operation === 'add-employee-record' && (failure.reason === 'bad-response' || failure.reason === 'too-large') && (answered2xx || failure.status === undefined));
    return new SystemError({
      reason: failure.reason,
      message: messageFor(failure.reason, asked, { signIn: failure.signIn, tls: failure.tls, proxy: failure.proxy }),
      asked,
      retryable,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.systemText === undefined ? {} : { systemText: failure.systemText }),
      ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
      detail: `${asked.system} ${asked.operation}${failure.signIn ? ' (sign-in)' : ''}${state.mayHaveArrived ? ' (resent)' : ''}: ${failure.message}`,
    });
  }

  /** The time left for one exchange: the timeout, or less when the call's time is nearly up. */
  private deadlineMs(state: CallState): number {
    const left = this.retry.maxElapsedMs - (performance.now() - state.started);
    return Math.max(1, Math.min(this.transport.timeoutMs, Math.floor(left)));
  }

  /** A shared token fetch, given up on (by this caller only) when its time is up. */
  private async withDeadline<T>(promise: Promise<T>, state: CallState): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Failure('timeout', 'sign-in took longer than the time left', { signIn: true })), this.deadlineMs(state));
    });
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One exchange with the system (renewing the token once on a 401), read as JSON on success. */
  private async call(asked: Asked, state: CallState, request: ApiRequest): Promise<Answer> {
    let token = request.auth ? await this.withDeadline(this.tokens.get(), state) : null;
    let response = await this.send(asked, state, request, token);
    if (response.status === 401 && token !== null && !state.renewed) {
      state.renewed = true;
      this.tokens.invalidate(token);
      token = await this.withDeadline(this.tokens.get(), state);
      response = await this.send(asked, state, request, token);
    }
    return this.answer(asked, request, response);
  }

  private async send(asked: Asked, state: CallState, request: ApiRequest, token: string | null): Promise<TransportResponse> {
    const requestId = randomUUID();
    const headers: Record<string, string> = { Accept: request.accept, 'X-Request-ID': requestId };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const query = request.query && request.query.size > 0 ? `?${request.query.toString()}` : '';
    const started = performance.now();
    try {
      const response = await this.transport.exchange({
        method: request.method,
        url: `${this.baseUrl}${request.path}${query}`,
        headers,
        ...(request.body === undefined ? {} : { body: request.body, maxRequestBytes: MAX_REQUEST_BYTES + 1024 }),
        deadlineMs: this.deadlineMs(state),
        maxResponseBytes: request.maxResponseBytes,
      });
      this.log.info('DSP exchange', { system: this.name, operation: asked.operation, ...(asked.employeeId === undefined ? {} : { employeeId: asked.employeeId }), status: response.status, ms: Math.round(performance.now() - started), requestId });
      return response;
    } catch (error) {
      if (error instanceof TransportFailure) throw new Failure(error.kind, `${request.method} ${this.pathOf(request)}: ${error.kind} (${error.code}) after ${Math.round(performance.now() - started)} ms, request ${requestId}`, { tls: error.tls });
      throw error;
    }
  }

  /** The path for the log: never the query, which carries names and birth dates. */
  private pathOf(request: ApiRequest): string {
    return `${new URL(this.baseUrl).pathname.replace(/\/+$/, '')}${request.path}`;
  }

  /** A successful answer's JSON, or the failure the answer means. */
  private answer(asked: Asked, request: ApiRequest, response: TransportResponse): Answer {
    const status = response.status;
    const where = `${request.method} ${this.pathOf(request)} answered ${status}`;
    const contentType = response.headers['content-type'] ?? '';
    if (status >= 200 && status < 300) {
      if (!JSON_TYPE.test(contentType)) throw new Failure('bad-response', `${where} with content type "${contentType.slice(0, 60)}", not JSON`, { status });
      return { status, body: parseJson(response.text, where, status) };
    }
    const retryAfter = retryAfterSeconds(response.headers['retry-after'], Date.now());
    if (status === 407) throw new Failure('unreachable', `${where}: the proxy wants credentials`, { status, proxy: true });
    if (status === 429 || status >= 500) {
      if (asked.operation === 'status' && status >= 500) {
        const body = JSON_TYPE.test(contentType) ? tryParseJson(response.text) : undefined;
        if (body !== undefined && dspStandard().check('#/components/schemas/Status', body).ok) throw new FailedStatus(body, where);
      }
      const outcome = this.outcomeOf(response, contentType);
      throw new Failure('server-error', where, { status, ...(outcome?.text === undefined ? {} : { systemText: outcome.text }), ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }) });
    }
    if (status === 401) throw new Failure('unauthorised', `${where} again after a new token`, { status });
    if (status < 400) throw new Failure('bad-response', `${where}: not an answer the standard defines`, { status });
    // The standard's 4XX answers are OperationOutcomes; anything else is not the system speaking.
    const body = JSON_TYPE.test(contentType) ? tryParseJson(response.text) : undefined;
    const check = body === undefined ? null : dspStandard().checkResponse(asked.operation as DspOperation, status, body);
    if (!check?.ok) {
      throw new Failure('bad-response', `${where} without an OperationOutcome (${body === undefined ? `content type "${contentType.slice(0, 60)}"` : describeIssues(check?.ok === false ? check.issues : [])})`, { status });
    }
    const issue = (body as { issue: Array<{ code: string; details?: { text: string } }> }).issue[0]!;
    const systemText = issue.details?.text.slice(0, 500);
    const options = { status, ...(systemText === undefined ? {} : { systemText }) };
    const detail = `${where} (issue code ${issue.code.slice(0, 40)})`;
    if (status === 403) throw new Failure('forbidden', detail, options);
    if (status === 404) throw new Failure('not-found', detail, options);
    if (status === 409) throw new Failure(issue.code === 'duplicate' ? 'duplicate' : 'conflict', detail, options);
    throw new Failure('invalid', detail, options);
  }

  /** The system's OperationOutcome text on an error answer, when it sent a readable one. */
  private outcomeOf(response: TransportResponse, contentType: string): { text?: string } | null {
    const body = JSON_TYPE.test(contentType) ? tryParseJson(response.text) : undefined;
    if (body === undefined || !dspStandard().check('#/components/schemas/Error', body).ok) return null;
    const text = (body as { issue: Array<{ details?: { text: string } }> }).issue[0]?.details?.text;
    return text === undefined ? {} : { text: text.slice(0, 500) };
  }

  /** The body must match the operation's schema for the status, or it is not data. */
  private conform(asked: Asked, answer: Answer, view: unknown): void {
    const check = dspStandard().checkResponse(asked.operation as DspOperation, answer.status, view);
    if (!check.ok) throw new Failure('bad-response', `${asked.operation} answered ${answer.status} with a body that breaks the standard: ${describeIssues(check.issues)}`, { status: answer.status });
  }

  /** Exchanges a client assertion for an access token at the token endpoint. */
  private async grant(assertion: string): Promise<Grant> {
    const where = `POST ${new URL(this.tokenUrl).pathname}`;
    const started = performance.now();
    let response: TransportResponse;
    try {
      response = await this.transport.exchange({
        method: 'POST',
        url: this.tokenUrl,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: GRANT_TYPE, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }).toString(),
        deadlineMs: this.transport.timeoutMs,
        maxResponseBytes: MAX_TOKEN_ANSWER_BYTES,
      });
    } catch (error) {
      if (error instanceof TransportFailure) throw new Failure(error.kind, `${where}: ${error.kind} (${error.code})`, { signIn: true, tls: error.tls });
      throw error;
    }
    const status = response.status;
    this.log.info('DSP sign-in', { system: this.name, status, ms: Math.round(performance.now() - started) });
    const contentType = response.headers['content-type'] ?? '';
    const body = JSON_TYPE.test(contentType) ? tryParseJson(response.text) : undefined;
    if (status === 200) {
      const token = isObject(body) ? body : {};
      const problems = [
        typeof token.access_token === 'string' && /^[\x21-\x7e]{1,8192}$/.test(token.access_token) ? null : 'access_token',
        typeof token.expires_in === 'number' && Number.isFinite(token.expires_in) && token.expires_in > 0 ? null : 'expires_in',
        typeof token.token_type === 'string' && token.token_type.toLowerCase() === 'bearer' ? null : 'token_type',
      ].filter((problem) => problem !== null);
      if (body === undefined || problems.length > 0) throw new Failure('bad-response', `${where} answered 200 with ${body === undefined ? `content type "${contentType.slice(0, 60)}" or a body that is not JSON` : `a token answer missing or wrong in: ${problems.join(', ')}`}`, { status, signIn: true });
      return { accessToken: token.access_token as string, expiresInSeconds: token.expires_in as number };
    }
    const oauthError = isObject(body) && typeof body.error === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(body.error) ? ` (${body.error})` : '';
    if (status === 400 || status === 401 || status === 403) throw new Failure('unauthorised', `${where} answered ${status}${oauthError}`, { status, signIn: true });
    if (status === 407) throw new Failure('unreachable', `${where} answered 407: the proxy wants credentials`, { status, signIn: true, proxy: true });
    const retryAfter = retryAfterSeconds(response.headers['retry-after'], Date.now());
    if (status === 429 || status >= 500) throw new Failure('server-error', `${where} answered ${status}`, { status, signIn: true, ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }) });
    throw new Failure('bad-response', `${where} answered ${status}${oauthError}`, { status, signIn: true });
  }
}

/** _status answered "fail" with a 5xx and a readable health body. */
class FailedStatus extends Failure {
  readonly body: unknown;
  constructor(body: unknown, where: string) {
    super('server-error', where);
    this.body = body;
  }
}

function statusOf(body: unknown): SystemStatus {
  const status = pick(body, STATUS_SHAPE) as Record<string, unknown>;
  if (status.description !== undefined && typeof status.description !== 'string') delete status.description;
  if (Array.isArray(status.notes)) status.notes = status.notes.filter((note) => typeof note === 'string');
  else delete status.notes;
  return status as unknown as SystemStatus;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJson(text: string, where: string, status: number): unknown {
  const body = tryParseJson(text);
  if (body === undefined) throw new Failure('bad-response', `${where} with a body that is not JSON (${text.length} characters)`, { status });
  return body;
}

function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
