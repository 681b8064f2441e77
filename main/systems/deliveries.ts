// The durable outbox of records to deliver to authoritative systems (add-employee-record). A record
// HR accepts is queued in the same transaction as the acceptance; a worker posts it with bounded
// concurrency, retries failures with capped exponential backoff and full jitter, and survives being
// killed at any moment without losing a record or adding one twice (see deliver()).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';
import { dspStandard } from './dsp-schema.ts';
import { SystemError } from './client/index.ts';
import { SYSTEM_KIND_NAMES, type EmployeeRecordPost, type RecordType, type SystemKind } from './dsp-types.ts';

export const DELIVERY_STATES = ['queued', 'sending', 'delivered', 'duplicate', 'rejected', 'failed-will-retry'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What the outbox needs of a DSP client: one add-employee-record call. */
export interface RecordSender {
  addRecord(employeeId: string, record: EmployeeRecordPost): Promise<{ outcome: 'created' | 'duplicate' }>;
}

export interface DeliveryOutboxDeps {
  knex: () => Knex;
  now: () => Date;
  log: Logger;
  /** A client for the connection (the app passes Systems.client); asked once per connection per run. */
  clientFor: (connectionId: string) => Promise<RecordSender>;
  /** Uniform in [0, 1); tests pin it to check the backoff's bounds. */
  random?: () => number;
  /** How many records may be in flight at once, across connections. */
  concurrency?: number;
}

export interface NewDelivery {
  connectionId: string;
  passportId: string | null;
  employeeId: string;
  record: EmployeeRecordPost;
  createdBy: number | null;
}

export interface DeliveryFilter {
  passportId?: string;
  connectionId?: string;
  state?: DeliveryState | DeliveryState[];
  /** At most this many, newest first (default 1,000). */
  limit?: number;
}

/** One delivery as the screens show it: no record contents beyond a short title. */
export interface DeliveryView {
  id: string;
  connectionId: string;
  passportId: string | null;
  employeeId: string;
  recordType: RecordType;
  /** What the record is, in a few words ("Fire Safety, awarded 2024-03-01"). */
  title: string;
  state: DeliveryState;
  attempts: number;
  /** When it will be tried next: queued and failed-will-retry only. */
  nextAttemptAt: string | null;
  /** A sentence for HR about where this record stands. */
  message: string;
  /** The system's reason for a rejection, or the last failure (as stored). */
  lastError: string | null;
  /** Failing for a long time: the screens flag it so that someone checks the connection. */
  needsAttention: boolean;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface DeliveryRunSummary {
  /** Records posted in this run (each try counts once). */
  attempted: number;
  delivered: number;
  duplicate: number;
  rejected: number;
  failed: number;
  /** Records found half-sent (a crash between marking and recording) and sent again. */
  resumed: number;
}

interface DeliveryRow {
  id: string;
  connection_id: string;
  passport_id: string | null;
  employee_id: string;
  record_type: RecordType;
  record: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  delivered_at: string | null;
  connection_kind: SystemKind | null;
}

/** The result of one try, waiting to be committed. `attempt` fences it to the try that made it. */
interface Outcome {
  id: string;
  connectionId: string;
  kind: SystemKind;
  attempt: number;
  state: 'delivered' | 'duplicate' | 'rejected' | 'failed-will-retry';
  /** A code for the log: the client's reason, 'created', or 'client-unavailable'. */
  reason: string;
  /** For rejected: the sentence to keep. For failed: the cause, completed with the next time. */
  problem: string | null;
  /** Counts towards stopping a run's tries to this connection (the system is down, not the record). */
  systemDown: boolean;
  /** The system asked for this long a wait (Retry-After). */
  retryAfterMs?: number;
}

// Backoff: full jitter under a ceiling that doubles from 30 s to 6 h, never sooner than 5 s. After
// LONG_FAILURE_AFTER tries (about two hours of expected waiting) the system is plainly down for a
// while: tries continue every 3 to 6 hours, the item is flagged for attention, and nothing is ever
// given up automatically, because a record HR accepted must reach the system in the end.
export const BACKOFF = {
  baseMs: 30_000,
  capMs: 6 * 60 * 60_000,
  floorMs: 5_000,
  longFailureAfter: 10,
  longFailureMinMs: 3 * 60 * 60_000,
} as const;

/** The wait before the next try after `attempts` tries have failed. */
export function retryDelayMs(attempts: number, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  if (attempts >= BACKOFF.longFailureAfter) return Math.round(BACKOFF.longFailureMinMs + r * (BACKOFF.capMs - BACKOFF.longFailureMinMs));
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.max(attempts - 1, 0));
  return Math.round(BACKOFF.floorMs + r * (ceiling - BACKOFF.floorMs));
}

const DEFAULT_CONCURRENCY = 6;
/** Retryable failures in a row, with no success between, after which a run leaves a connection alone. */
const CIRCUIT_AFTER = 3;
// SQLite binds at most 999 values per statement: 12 columns a row on insert, ids one each.
const INSERT_CHUNK = 80;
const ID_CHUNK = 500;
const DUE_STATES: DeliveryState[] = ['queued', 'failed-will-retry'];
const MAX_PROBLEM_LENGTH = 500;

const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const UK_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long' });
const UK_DATE_KEY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** "14:05", or "14:05 on 3 March" when that is not today in the UK. */
function whenText(at: Date, now: Date): string {
  const time = UK_TIME.format(at);
  return UK_DATE_KEY.format(at) === UK_DATE_KEY.format(now) ? time : `${time} on ${UK_DAY.format(at)}`;
}

function systemName(kind: SystemKind | null): string {
  return SYSTEM_KIND_NAMES[kind ?? 'other'];
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function shorten(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_PROBLEM_LENGTH ? `${clean.slice(0, MAX_PROBLEM_LENGTH - 1)}…` : clean;
}

/** A short title for a record, for lists: what it is, never the personal details in it. */
export function recordTitle(record: EmployeeRecordPost): string {
  switch (record.recordType) {
    case 'CoreSkillsTraining':
      return `${record.competencyName}, awarded ${record.dateLastAwarded}`;
    case 'ProfessionalRegistration':
      return `${record.professionalBody} registration`;
    case 'DBSCheckOutcome':
      return `DBS ${record.typeOfDbsCheck.charAt(0).toLowerCase()}${record.typeOfDbsCheck.slice(1)}, issued ${record.disclosureIssueDate}`;
    case 'DBSCheckSupportingInformation':
      return `DBS check supporting information, identity checked ${record.dateOfIdCheck}`;
    case 'RightToWork':
      return `Right to work check, identity checked ${record.dateOfIdCheck}`;
    case 'Vaccination':
      return `${record.description}, ${record.date}`;
    case 'ClinicalTest':
      return `${record.description}, ${record.date}`;
    case 'Observation':
      return record.description;
  }
}

function titleOf(row: DeliveryRow): string {
  try {
    return recordTitle(JSON.parse(row.record) as EmployeeRecordPost);
  } catch {
    // Only a row written outside enqueue could fail here; the type still says what it was.
    return row.record_type;
  }
}

export class DeliveryOutbox {
  private readonly deps: DeliveryOutboxDeps;
  private readonly random: () => number;
  private readonly concurrency: number;
  private running: Promise<DeliveryRunSummary> | null = null;
  /** deliver() was called during a run: look once more before finishing, so nothing waits a tick. */
  private again = false;
  private stopping = false;

  constructor(deps: DeliveryOutboxDeps) {
    this.deps = deps;
    this.random = deps.random ?? Math.random;
    this.concurrency = Math.max(1, Math.floor(deps.concurrency ?? DEFAULT_CONCURRENCY));
  }

  /**
   * Queues records inside the caller's transaction (so a record is queued exactly when its
   * acceptance commits). Each record is checked against the DSP standard first: a record the
   * standard refuses is refused here, with nothing queued, rather than rejected by the system later.
   */
  static async enqueue(trx: Knex, items: NewDelivery[], at: string): Promise<string[]> {
    if (items.length === 0) return [];
    const standard = dspStandard();
    items.forEach((item, index) => {
      const where = items.length === 1 ? 'The record' : `Record ${index + 1}`;
      if (!item.connectionId || !item.employeeId) throw new AppError('invalid-input', `${where} has no system or employee to go to.`);
      const check = standard.checkRequest('add-employee-record', item.record);
      if (!check.ok) {
        const first = check.issues[0];
        throw new AppError('invalid-input', `${where} cannot be sent: it does not follow the DSP API standard (${first ? `${first.path || 'the record'} ${first.message}` : 'unknown problem'}).`, {
          detail: JSON.stringify(check.issues.map(({ path, keyword, message }) => ({ path, keyword, message }))),
        });
      }
    });
    const connectionIds = [...new Set(items.map((item) => item.connectionId))];
    const known = new Set<string>();
    for (let i = 0; i < connectionIds.length; i += ID_CHUNK) {
      const rows = (await trx('connections').whereIn('id', connectionIds.slice(i, i + ID_CHUNK)).whereNull('removed_at').select('id')) as Array<{ id: string }>;
      for (const row of rows) known.add(row.id);
    }
    if (known.size !== connectionIds.length) throw new AppError('not-found', 'That connection does not exist. It may have been removed.');
    const rows = items.map((item) => ({
      id: randomUUID(),
      connection_id: item.connectionId,
      passport_id: item.passportId,
      employee_id: item.employeeId,
      record_type: item.record.recordType,
      record: JSON.stringify(item.record),
      state: 'queued',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      created_by: item.createdBy,
      updated_at: at,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('deliveries').insert(rows.slice(i, i + INSERT_CHUNK));
    return rows.map((row) => row.id);
  }

  /**
   * Delivers everything due, at most `concurrency` records in flight; one run at a time (a call
   * during a run joins it, and the run looks once more before it ends). Resolves when nothing
   * due remains, each record tried at most once per run.
   *
   * Crash safety: a record is marked `sending` (attempts + 1) and committed before it is posted,
   * and its outcome is committed only after the system answered. A process killed in between
   * leaves it `sending`; the next run sends it again, and the system, which already has it if the
   * first post arrived, answers 409 duplicate, recorded as `duplicate` (delivered). Nothing is
   * marked delivered before the system said so, and no row is ever deleted.
   */
  deliver(): Promise<DeliveryRunSummary> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.stopping = false;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Waits for a run in progress, so that the store can close under it safely. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Lets records in flight finish and be recorded, starts no more, and waits (locking, closing). */
  async stop(): Promise<void> {
    if (this.running) this.stopping = true;
    await this.idle();
  }

  /** The earliest time a queued or failed record is due, for scheduling the next run; null when none. */
  async nextDueAt(): Promise<string | null> {
    const row = (await this.deps.knex()('deliveries').whereIn('state', DUE_STATES).min({ at: 'next_attempt_at' }).first()) as { at: string | null } | undefined;
    return row?.at ?? null;
  }

  async list(filter: DeliveryFilter = {}): Promise<DeliveryView[]> {
    const states = filter.state === undefined ? [] : Array.isArray(filter.state) ? filter.state : [filter.state];
    const limit = Math.min(Math.max(Math.floor(filter.limit ?? 1000), 1), 10_000);
    const query = this.selectRows(this.deps.knex());
    if (filter.passportId !== undefined) query.where('deliveries.passport_id', filter.passportId);
    if (filter.connectionId !== undefined) query.where('deliveries.connection_id', filter.connectionId);
    if (states.length > 0) query.whereIn('deliveries.state', states);
    const rows = (await query.orderBy([{ column: 'deliveries.created_at', order: 'desc' }, { column: 'deliveries.id' }]).limit(limit)) as DeliveryRow[];
    const now = this.deps.now();
    return rows.map((row) => this.viewOf(row, now));
  }

  async get(id: string): Promise<DeliveryView> {
    const row = (await this.selectRows(this.deps.knex()).where('deliveries.id', id).first()) as DeliveryRow | undefined;
    if (!row) throw new AppError('not-found', 'That delivery does not exist.');
    return this.viewOf(row, this.deps.now());
  }

  /**
   * HR's "Try again now" on a record that failed or was refused (after someone fixed the problem
   * in the system): it becomes due at once. Call deliver() to send it now rather than at the
   * next scheduled run.
   */
  async retryNow(id: string): Promise<DeliveryView> {
    const knex = this.deps.knex();
    const at = this.deps.now().toISOString();
    const changed = await knex('deliveries')
      .where({ id })
      .whereIn('state', ['failed-will-retry', 'rejected', 'queued'])
      .update({ state: 'queued', next_attempt_at: at, updated_at: at });
    if (changed === 0) {
      const row = (await knex('deliveries').where({ id }).first('state')) as { state: DeliveryState } | undefined;
      if (!row) throw new AppError('not-found', 'That delivery does not exist.');
      if (row.state === 'sending') throw new AppError('conflict', 'This record is being sent now. Wait a moment and look again.');
      throw new AppError('conflict', 'This record has already been delivered, so there is nothing to try again.');
    }
    this.deps.log.info('delivery retry requested', { deliveryId: id });
    return this.get(id);
  }

  private selectRows(knex: Knex): Knex.QueryBuilder {
    return knex('deliveries').leftJoin('connections', 'connections.id', 'deliveries.connection_id').select('deliveries.*', 'connections.kind as connection_kind');
  }

  private viewOf(row: DeliveryRow, now: Date): DeliveryView {
    const system = systemName(row.connection_kind);
    const due = row.state === 'queued' || row.state === 'failed-will-retry';
    let message: string;
    switch (row.state) {
      case 'queued':
        message = row.attempts === 0 ? `Waiting to be sent to ${system}.` : `Waiting to be sent to ${system} again.`;
        break;
      case 'sending':
        message = `Being sent to ${system}.`;
        break;
      case 'delivered':
        message = `Sent to ${system}${row.delivered_at ? ` at ${whenText(new Date(row.delivered_at), now)}` : ''}.`;
        break;
      case 'duplicate':
        message = `${capitalised(system)} already had this record, so it was not added again.`;
        break;
      default:
        message = row.last_error ?? (row.state === 'rejected' ? `${capitalised(system)} refused this record.` : `Not sent yet. Staff Passport will try again.`);
    }
    return {
      id: row.id,
      connectionId: row.connection_id,
      passportId: row.passport_id,
      employeeId: row.employee_id,
      recordType: row.record_type,
      title: titleOf(row),
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: due ? row.next_attempt_at : null,
      message,
      lastError: row.last_error,
      needsAttention: row.state === 'failed-will-retry' && row.attempts >= BACKOFF.longFailureAfter,
      createdAt: row.created_at,
      createdBy: row.created_by,
      updatedAt: row.updated_at,
      deliveredAt: row.delivered_at,
    };
  }

  private async run(): Promise<DeliveryRunSummary> {
    const summary: DeliveryRunSummary = { attempted: 0, delivered: 0, duplicate: 0, rejected: 0, failed: 0, resumed: 0 };
    const runStart = this.deps.now().toISOString();
    summary.resumed = await this.resumeInterrupted(runStart);
    const clients = new Map<string, Promise<RecordSender>>();
    const kinds = new Map<string, SystemKind>();
    /** Retryable failures in a row per connection; at CIRCUIT_AFTER the run leaves it alone. */
    const downStreak = new Map<string, number>();
    const inFlight = new Map<string, Promise<void>>();
    const finished: Outcome[] = [];
    // The last look found fewer due records than there was room for: look again only when idle.
    let drained = false;
    try {
      for (;;) {
        // Answers that arrive together share a commit: give those already read a turn to finish.
        if (finished.length > 0 && inFlight.size > 0) await new Promise((resolve) => setImmediate(resolve));
        const outcomes = finished.splice(0);
        const room = this.stopping ? 0 : this.concurrency - inFlight.size;
        const want: number = !drained || inFlight.size === 0 ? room : 0;
        if (outcomes.length > 0 || want > 0) {
          for (const outcome of outcomes) downStreak.set(outcome.connectionId, outcome.systemDown ? (downStreak.get(outcome.connectionId) ?? 0) + 1 : 0);
          const skip = [...downStreak].filter(([, streak]) => streak >= CIRCUIT_AFTER).map(([id]) => id);
          // Outcomes and the next claims share one transaction: fewer commits, same guarantees.
          const claimed = await this.commitAndClaim(outcomes, want, { runStart, skip, kinds }, summary);
          if (want > 0) drained = claimed.length < want;
          for (const row of claimed) {
            summary.attempted++;
            const attempt = this.attempt(row, clients).then((outcome) => {
              finished.push(outcome);
              inFlight.delete(row.id);
            });
            inFlight.set(row.id, attempt);
          }
          if (inFlight.size === 0 && finished.length === 0 && claimed.length === 0) {
            if (this.again && !this.stopping) {
              this.again = false;
              drained = false;
              continue;
            }
            break;
          }
        } else if (inFlight.size === 0 && finished.length === 0) {
          break; // stopping, and everything in flight is recorded
        }
        if (finished.length === 0 && inFlight.size > 0) await Promise.race(inFlight.values());
      }
    } finally {
      // A failure of the store (locked, closed) ends the run; posts already made finish first, and
      // their outcomes are recorded if the store still allows. Any not recorded stay `sending` and
      // are sent again next run, which the system answers as a duplicate.
      if (inFlight.size > 0) await Promise.allSettled(inFlight.values());
      if (finished.length > 0) {
        try {
          await this.commitAndClaim(finished.splice(0), 0, { runStart, skip: [], kinds }, summary);
        } catch (error) {
          this.deps.log.warn('delivery outcomes not recorded; those records will be sent again', { detail: String(error) });
        }
      }
    }
    this.again = false;
    if (summary.attempted > 0 || summary.resumed > 0) this.deps.log.info('delivery run finished', { ...summary });
    return summary;
  }

  /**
   * Records left `sending` when a run starts were being posted by a process that died (in this
   * process runs never overlap, so none of them is in flight here). They become due at once.
   * Where several workstations share one database (PostgreSQL), one may resume another's record
   * mid-post: the system then answers the second post as a duplicate, and the attempt fence in
   * commitAndClaim keeps only the newest try's outcome.
   */
  private async resumeInterrupted(at: string): Promise<number> {
    const knex = this.deps.knex();
    const rows = (await knex('deliveries').where({ state: 'sending' }).select('id', 'connection_id', 'attempts')) as Array<{ id: string; connection_id: string; attempts: number }>;
    if (rows.length === 0) return 0;
    await knex.transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += ID_CHUNK) {
        await trx('deliveries').whereIn('id', rows.slice(i, i + ID_CHUNK).map((row) => row.id)).andWhere({ state: 'sending' }).update({ state: 'queued', next_attempt_at: at, updated_at: at });
      }
    });
    for (const row of rows) this.deps.log.warn('delivery interrupted; sending again', { deliveryId: row.id, connectionId: row.connection_id, state: 'sending', attempt: row.attempts });
    return rows.length;
  }

  /** In one transaction: records finished tries, then claims up to `want` due records (marks them sending). */
  private async commitAndClaim(outcomes: Outcome[], want: number, scope: { runStart: string; skip: string[]; kinds: Map<string, SystemKind> }, summary: DeliveryRunSummary): Promise<DeliveryRow[]> {
    const now = this.deps.now();
    const at = now.toISOString();
    return this.deps.knex().transaction(async (trx) => {
      for (const outcome of outcomes) await this.record(trx, outcome, now, summary);
      if (want <= 0) return [];
      // The due records of each state are read in the order of the deliveries_due index (never a
      // sort of every due row: that made a long queue quadratic), and marked in the same statement.
      const candidates = (state: 'queued' | 'failed-will-retry') => {
        const query = trx('deliveries').select('id', 'next_attempt_at').where('state', state).andWhere('next_attempt_at', '<=', at);
        // Tried in this run already: not again until a later run.
        if (state === 'failed-will-retry') query.andWhere('updated_at', '<', scope.runStart);
        if (scope.skip.length > 0) query.whereNotIn('connection_id', scope.skip);
        return trx.select('*').from(query.orderBy('next_attempt_at').limit(want).as(state === 'queued' ? 'queued' : 'failed'));
      };
      const due = trx.select('id').from(trx.unionAll([candidates('queued'), candidates('failed-will-retry')], false).as('due')).orderBy('next_attempt_at').limit(want);
      const rows = (await trx('deliveries').whereIn('id', due).update({ state: 'sending', attempts: trx.raw('attempts + 1'), next_attempt_at: at, updated_at: at }, '*')) as DeliveryRow[];
      if (rows.length === 0) return [];
      const kinds = await this.kindsOf(trx, scope.kinds, rows);
      return rows.map((row) => ({ ...row, connection_kind: kinds.get(row.connection_id) ?? null }));
    });
  }

  /** The kind of system each connection is (for messages), read once per run and again for a new connection. */
  private async kindsOf(trx: Knex, kinds: Map<string, SystemKind>, rows: DeliveryRow[]): Promise<Map<string, SystemKind>> {
    if (rows.every((row) => kinds.has(row.connection_id))) return kinds;
    for (const connection of (await trx('connections').select('id', 'kind')) as Array<{ id: string; kind: SystemKind }>) kinds.set(connection.id, connection.kind);
    return kinds;
  }

  private async record(trx: Knex.Transaction, outcome: Outcome, now: Date, summary: DeliveryRunSummary): Promise<void> {
    const at = now.toISOString();
    let update: Record<string, unknown>;
    if (outcome.state === 'delivered' || outcome.state === 'duplicate') {
      update = { state: outcome.state, last_error: null, delivered_at: at, next_attempt_at: at, updated_at: at };
    } else if (outcome.state === 'rejected') {
      update = { state: 'rejected', last_error: outcome.problem, next_attempt_at: at, updated_at: at };
    } else {
      const next = new Date(now.getTime() + Math.max(retryDelayMs(outcome.attempt, this.random), Math.min(outcome.retryAfterMs ?? 0, BACKOFF.capMs)));
      const longFailure = outcome.attempt >= BACKOFF.longFailureAfter ? ` It has not gone through after ${outcome.attempt} tries: ask your IT team to check the connection.` : '';
      const problem = `Not sent yet: ${outcome.problem ?? `something went wrong while sending it to ${systemName(outcome.kind)}.`} Staff Passport will try again at ${whenText(next, now)}.${longFailure}`;
      update = { state: 'failed-will-retry', last_error: shorten(problem), next_attempt_at: next.toISOString(), updated_at: at };
    }
    // Only the try that holds the row records its outcome (see resumeInterrupted).
    const changed = await trx('deliveries').where({ id: outcome.id, state: 'sending', attempts: outcome.attempt }).update(update);
    const fields = { deliveryId: outcome.id, connectionId: outcome.connectionId, state: outcome.state, attempt: outcome.attempt, reason: outcome.reason };
    if (changed === 0) {
      this.deps.log.warn('delivery outcome not recorded: another try holds the record', fields);
      return;
    }
    if (outcome.state === 'delivered') summary.delivered++;
    else if (outcome.state === 'duplicate') summary.duplicate++;
    else if (outcome.state === 'rejected') summary.rejected++;
    else summary.failed++;
    if (outcome.state === 'rejected') this.deps.log.warn('delivery rejected', fields);
    else if (outcome.state === 'failed-will-retry' && outcome.attempt >= BACKOFF.longFailureAfter) this.deps.log.error('delivery failing for a long time; will retry', fields);
    else if (outcome.state === 'failed-will-retry') this.deps.log.warn('delivery failed; will retry', fields);
    else this.deps.log.info('delivered', fields);
  }

  /** Posts one claimed record. Never throws: every ending is an outcome to record. */
  private async attempt(row: DeliveryRow, clients: Map<string, Promise<RecordSender>>): Promise<Outcome> {
    const base = { id: row.id, connectionId: row.connection_id, kind: row.connection_kind ?? 'other', attempt: row.attempts };
    const system = systemName(row.connection_kind);
    let client: RecordSender;
    try {
      let pending = clients.get(row.connection_id);
      if (!pending) {
        pending = this.deps.clientFor(row.connection_id);
        clients.set(row.connection_id, pending);
      }
      client = await pending;
    } catch (error) {
      // The connection was removed since the record was queued: it can never be sent there.
      if (error instanceof AppError && error.code === 'not-found') {
        return { ...base, state: 'rejected', reason: 'connection-removed', problem: `Not sent: the connection to ${system} was removed. Add the connection again, then try again.`, systemDown: false };
      }
      const problem = error instanceof AppError ? error.message : `Staff Passport could not get ready to talk to ${system}.`;
      this.deps.log.warn('delivery client unavailable', { deliveryId: row.id, connectionId: row.connection_id, code: error instanceof AppError ? error.code : 'internal', detail: error instanceof AppError ? error.detail : String(error) });
      return { ...base, state: 'failed-will-retry', reason: 'client-unavailable', problem: shorten(problem), systemDown: true };
    }
    try {
      const result = await client.addRecord(row.employee_id, JSON.parse(row.record) as EmployeeRecordPost);
      return { ...base, state: result.outcome === 'duplicate' ? 'duplicate' : 'delivered', reason: result.outcome, problem: null, systemDown: false };
    } catch (error) {
      return { ...base, ...this.classify(error, system) };
    }
  }

  private classify(error: unknown, system: string): Pick<Outcome, 'state' | 'reason' | 'problem' | 'systemDown' | 'retryAfterMs'> {
    if (!(error instanceof SystemError)) {
      // Not the client's typed error: a defect somewhere. Kept and tried again, never dropped.
      this.deps.log.error('delivery failed unexpectedly', { detail: String(error) });
      return { state: 'failed-will-retry', reason: 'internal', problem: `something went wrong while sending it to ${system}.`, systemDown: false };
    }
    const said = error.systemText ? shorten(error.systemText) : null;
    switch (error.reason) {
      case 'duplicate':
        return { state: 'duplicate', reason: 'duplicate', problem: null, systemDown: false };
      case 'invalid':
      case 'not-found':
      case 'conflict':
      case 'forbidden':
        // The system's own words when it gave them; otherwise the client's sentence for the reason.
        return { state: 'rejected', reason: error.reason, problem: shorten(said ? `${capitalised(system)} refused this record: ${said}` : error.message), systemDown: false };
      case 'timeout':
      case 'unreachable':
        return { state: 'failed-will-retry', reason: error.reason, problem: `${system} did not answer.`, systemDown: true };
      case 'server-error':
        return {
          state: 'failed-will-retry',
          reason: error.reason,
          problem: `${system} had a problem${said ? ` (it said: ${said})` : ''}.`,
          systemDown: true,
          ...(error.retryAfterSeconds === undefined ? {} : { retryAfterMs: error.retryAfterSeconds * 1000 }),
        };
      case 'bad-response':
      case 'too-large':
        // It may have stored the record: the next try learns that as a duplicate.
        return { state: 'failed-will-retry', reason: error.reason, problem: `${system} gave an answer Staff Passport could not read.`, systemDown: true };
      case 'unauthorised':
        // The connection's key, not the record: retried, so that fixing the connection is enough.
        return { state: 'failed-will-retry', reason: error.reason, problem: `${system} did not accept Staff Passport's key. Ask your IT team to check the connection.`, systemDown: true };
    }
  }
}
