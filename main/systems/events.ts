// Event notifications in: authoritative systems POST /events (CloudEvents 1.0 with an apikey, as
// the DSP event API describes) to say that something changed for an employee. Each event is
// checked, stored durably before the 200, and accepted once per event id; a worker then fetches
// the records (GET dataref) for linked staff and keeps them for the journeys that offer
// credentials. Events about employees nobody has linked are recorded and left.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';
import type { PublicRequest, PublicResponse, PublicRoute } from '../platform/public-server.ts';
import { dspEvents } from './dsp-schema.ts';
import type { EmployeeRecordGet } from './dsp-types.ts';
import type { Connection } from './connections.ts';
import { LinksRepository } from './links.ts';
import type { SystemError } from './client/index.ts';

/** An event is a few hundred bytes; anything near this is not one. */
export const MAX_EVENT_BYTES = 16 * 1024;
/**
 * An event whose records cannot be fetched is tried again for about three days (an overnight
 * maintenance window, keys not yet registered...); only a system saying the employee does not exist
 * or the request is invalid ends it sooner.
 */
const MAX_FETCH_ATTEMPTS = 80;
const FINAL_REASONS = new Set(['not-found', 'invalid']);
const BATCH = 50;

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: 'employee-dbs-check-completed' | 'employee-elearning-completed';
  time: string;
  subject: string;
  filtering: { organisation: string };
  dataref: string;
}

export interface SystemEventRow {
  connection_id: string;
  event_id: string;
  type: string;
  source: string;
  subject: string;
  organisation: string;
  dataref: string;
  time: string;
  received_at: string;
  passport_id: string | null;
  state: 'received' | 'fetched' | 'unlinked' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  handled_at: string | null;
}

export interface StoredRecord {
  id: string;
  connectionId: string;
  employeeId: string;
  recordType: EmployeeRecordGet['recordType'];
  record: EmployeeRecordGet;
  firstFetchedAt: string;
  lastFetchedAt: string;
}

export interface EventInboxDeps {
  knex: () => Knex;
  now: () => Date;
  log: Logger;
  connectionForApiKey: (apiKey: string) => Promise<Connection | undefined>;
  recordsOf: (connectionId: string, employeeId: string) => Promise<EmployeeRecordGet[]>;
  random?: () => number;
}

function outcome(status: number, code: string, text: string): PublicResponse {
  return {
    status,
    contentType: 'application/json',
    body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] }),
  };
}

/** The dataref an event about this subject must carry: the connection's own get-records address. */
export function expectedDataref(connection: Pick<Connection, 'baseUrl'>, organisation: string, subject: string): string {
  return `${connection.baseUrl}/organisations/${encodeURIComponent(organisation)}/employees/${encodeURIComponent(subject)}/records`;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** Canonical JSON (sorted keys), so the same record fetched twice hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function retryDelayMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(30_000 * 2 ** (attempts - 1), 60 * 60_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class EventInbox {
  private readonly deps: EventInboxDeps;
  private running: Promise<number> | null = null;

  constructor(deps: EventInboxDeps) {
    this.deps = deps;
  }

  route(): PublicRoute<Connection> {
    return {
      method: 'POST',
      pattern: /^\/events$/,
      maxBodyBytes: MAX_EVENT_BYTES,
      authorise: async (headers) => {
        const connection = await this.connectionOf(headers);
        return connection ? { caller: connection } : { refused: outcome(401, 'invalid-credentials', 'Missing or invalid API key.') };
      },
      handle: (request, connection) => this.receive(request, connection),
    };
  }

  /** The connection whose event API key the request carries, if any. */
  private async connectionOf(headers: IncomingHttpHeaders): Promise<Connection | undefined> {
    const apiKey = headers.apikey;
    if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > 200) return undefined;
    return this.deps.connectionForApiKey(apiKey);
  }

  /** Checks, stores and acknowledges one event from the connection whose key it carried. Nothing is fetched here: the worker does that. */
  async receive(request: PublicRequest, connection: Connection): Promise<PublicResponse> {
    const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/cloudevents+json' && type !== 'application/json') {
      return outcome(400, 'invalid', 'The body must be a CloudEvent in JSON (Content-Type: application/cloudevents+json).');
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return outcome(400, 'invalid', 'The body is not valid JSON.');
    }
    const check = dspEvents().checkRequest('publish-event', body);
    if (!check.ok) {
      const first = check.issues.slice(0, 3).map((issue) => `${issue.path || 'the event'} ${issue.message}`);
      return outcome(400, 'invalid', `The event is not valid: ${first.join('; ')}.`);
    }
    const event = body as CloudEvent;
    if (!/^[\x21-\x7e]{1,200}$/.test(event.id)) return outcome(400, 'invalid', 'The event id must be 1 to 200 printable characters.');
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(event.subject) || /^\.+$/.test(event.subject)) return outcome(400, 'invalid', 'The subject must be an employee id of 1 to 100 letters, numbers, dots, dashes or underscores.');
    if (event.filtering.organisation.toUpperCase() !== connection.organisation) {
      return outcome(400, 'invalid', `This connection is for organisation ${connection.organisation}, not ${event.filtering.organisation}.`);
    }
    if (!sameUrl(event.dataref, expectedDataref(connection, connection.organisation, event.subject))) {
      this.deps.log.warn('event refused: dataref does not match', { connectionId: connection.id, eventId: event.id.slice(0, 100) });
      return outcome(400, 'invalid', "The dataref must be this system's get-records address for the event's subject and organisation.");
    }

    const at = this.deps.now().toISOString();
    const knex = this.deps.knex();
    // Stored before the answer; a repeated id is accepted once and answered the same way.
    const { fresh, passports } = await knex.transaction(async (trx) => {
      const seen = await trx('system_events').where({ connection_id: connection.id, event_id: event.id }).first('event_id');
      if (seen) return { fresh: false, passports: [] };
      const passports = await new LinksRepository(trx).passportsFor(connection.id, event.subject);
      await trx('system_events').insert({
        connection_id: connection.id,
        event_id: event.id,
        type: event.type,
        source: event.source,
        subject: event.subject,
        organisation: connection.organisation,
        dataref: event.dataref,
        time: event.time,
        received_at: at,
        passport_id: passports[0] ?? null,
        state: passports.length > 0 ? 'received' : 'unlinked',
        attempts: 0,
        next_attempt_at: at,
      });
      return { fresh: true, passports };
    });
    this.deps.log.info('event received', { connectionId: connection.id, eventId: event.id.slice(0, 100), linked: passports.length > 0, repeat: !fresh });
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ id: event.id }) };
  }

  /** Fetches the records for events about linked staff; one run at a time. Resolves with how many were fetched. */
  fetchDue(): Promise<number> {
    this.running ??= this.fetchAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async fetchAll(): Promise<number> {
    let fetched = 0;
    for (;;) {
      const knex = this.deps.knex();
      const due = (await knex('system_events')
        .where({ state: 'received' })
        .andWhere('next_attempt_at', '<=', this.deps.now().toISOString())
        .orderBy('next_attempt_at')
        .limit(BATCH)) as SystemEventRow[];
      if (due.length === 0) return fetched;
      // Several events about one employee need one fetch.
      const groups = new Map<string, SystemEventRow[]>();
      for (const row of due) {
        const key = `${row.connection_id}\u0000${row.subject}`;
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      for (const rows of groups.values()) {
        try {
          if (await this.fetchOne(rows)) fetched += rows.length;
        } catch (error) {
          // One group that cannot be stored must not hold up the others: it waits its turn again.
          this.deps.log.error('records for an event not stored', { connectionId: rows[0]!.connection_id, detail: String(error) });
          await knex('system_events')
            .where({ connection_id: rows[0]!.connection_id })
            .whereIn('event_id', rows.map((row) => row.event_id))
            .update({ attempts: knex.raw('attempts + 1'), next_attempt_at: new Date(this.deps.now().getTime() + 5 * 60_000).toISOString() });
        }
      }
      if (due.length < BATCH) return fetched;
    }
  }

  private async fetchOne(rows: SystemEventRow[]): Promise<boolean> {
    const { connection_id: connectionId, subject } = rows[0]!;
    const knex = this.deps.knex();
    const at = this.deps.now().toISOString();
    const keys = rows.map((row) => row.event_id);
    let records: EmployeeRecordGet[];
    try {
      records = await this.deps.recordsOf(connectionId, subject);
    } catch (error) {
      const systemError = error as Partial<SystemError>;
      const attempts = Math.max(...rows.map((row) => row.attempts)) + 1;
      // Our own refusals (the connection removed, or not allowed to get records) end it too.
      const ours = error instanceof AppError && systemError.reason === undefined && (error.code === 'not-found' || error.code === 'conflict');
      const retry = !ours && !FINAL_REASONS.has(systemError.reason ?? '') && attempts < MAX_FETCH_ATTEMPTS;
      this.deps.log.warn('records for an event not fetched', { connectionId, attempts, reason: systemError.reason ?? 'internal', retry });
      await knex('system_events')
        .where({ connection_id: connectionId })
        .whereIn('event_id', keys)
        .update({
          attempts,
          last_error: error instanceof Error ? error.message.slice(0, 500) : 'The records could not be fetched.',
          state: retry ? 'received' : 'failed',
          next_attempt_at: new Date(Date.parse(at) + retryDelayMs(attempts, this.deps.random ?? Math.random)).toISOString(),
          ...(retry ? {} : { handled_at: at }),
        });
      return false;
    }
    await knex.transaction(async (trx) => {
      // Who is linked now, not when the event came: a link removed since means nothing is kept.
      const passports = await new LinksRepository(trx).passportsFor(connectionId, subject);
      await keepRecords(trx, passports, connectionId, subject, records, at);
      await trx('system_events')
        .where({ connection_id: connectionId })
        .whereIn('event_id', keys)
        .update({ state: passports.length > 0 ? 'fetched' : 'unlinked', attempts: trx.raw('attempts + 1'), last_error: null, handled_at: at });
    });
    return true;
  }

  /**
   * Inside the transaction that links a passport: events that came before the link (recorded as
   * unlinked) are fetched now, so a DBS check completed an hour before HR matched is not missed.
   */
  static async linked(trx: Knex, connectionId: string, employeeId: string, passportId: string, at: string): Promise<void> {
    await trx('system_events')
      .where({ connection_id: connectionId, subject: employeeId, state: 'unlinked' })
      .update({ state: 'received', passport_id: passportId, next_attempt_at: at });
  }

  async events(connectionId: string): Promise<SystemEventRow[]> {
    return (await this.deps.knex()('system_events').where({ connection_id: connectionId }).orderBy('received_at', 'desc')) as SystemEventRow[];
  }
}

/** Keeps each fetched record once per passport and system, noting when it was last seen. */
export async function keepRecords(trx: Knex, passports: string[], connectionId: string, employeeId: string, records: EmployeeRecordGet[], at: string): Promise<void> {
  for (const passportId of passports) {
    for (const record of records) {
      const hash = createHash('sha256').update(canonical(record)).digest('hex');
      await trx('system_records')
        .insert({
          id: randomUUID(),
          passport_id: passportId,
          connection_id: connectionId,
          employee_id: employeeId,
          record_type: record.recordType,
          record: JSON.stringify(record),
          record_hash: hash,
          first_fetched_at: at,
          last_fetched_at: at,
        })
        .onConflict(['passport_id', 'connection_id', 'record_hash'])
        .merge({ last_fetched_at: at });
    }
  }
}

/** The records kept for a passport, newest first: what the journeys offering credentials choose from. */
export async function recordsForPassport(knex: Knex, passportId: string): Promise<StoredRecord[]> {
  const rows = (await knex('system_records').where({ passport_id: passportId }).orderBy([{ column: 'last_fetched_at', order: 'desc' }, { column: 'id' }])) as Array<{
    id: string;
    connection_id: string;
    employee_id: string;
    record_type: string;
    record: string;
    first_fetched_at: string;
    last_fetched_at: string;
  }>;
  return rows.map((row) => ({
    id: row.id,
    connectionId: row.connection_id,
    employeeId: row.employee_id,
    recordType: row.record_type as EmployeeRecordGet['recordType'],
    record: JSON.parse(row.record) as EmployeeRecordGet,
    firstFetchedAt: row.first_fetched_at,
    lastFetchedAt: row.last_fetched_at,
  }));
}
