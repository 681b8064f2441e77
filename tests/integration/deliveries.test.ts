// The delivery outbox on a real encrypted store, through the real DSP client, against a small
// in-test learning system on 127.0.0.1 whose answers each test scripts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openStore, type Store } from '../../main/platform/store.ts';
import type { Logger } from '../../main/platform/log.ts';
import { DspClient } from '../../main/systems/client/index.ts';
import { BACKOFF, DeliveryOutbox, retryDelayMs, type NewDelivery } from '../../main/systems/deliveries.ts';
import type { CoreSkillsTraining } from '../../main/systems/dsp-types.ts';
import { insertLearningConnection } from '../support/systems.ts';

// Not tests/support/app.ts: that builds the whole app, and this needs only the store.
function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dsp-deliveries-'));
}

class Clock {
  time = Date.parse('2026-11-22T09:00:00Z');
  now = () => new Date(this.time);
  advanceMinutes(minutes: number): void {
    this.time += minutes * 60_000;
  }
}

type Behaviour =
  | { kind: 'answer'; status: number; code: string; text: string; retryAfter?: number }
  /** Stores the record, then answers only after `ms` (past the client's timeout). */
  | { kind: 'store-then-stall'; ms: number };

/** A learning system: stores core skills once (409 duplicate on the same competency and date). */
class FakeLearningSystem {
  readonly received: Array<{ employeeId: string; record: CoreSkillsTraining }> = [];
  readonly stored = new Map<string, CoreSkillsTraining[]>();
  /** Per employee id, answers to give before behaving normally. */
  readonly script = new Map<string, Behaviour[]>();
  /** Every request fails like this while set. */
  down: Behaviour | null = null;
  inFlight = 0;
  maxInFlight = 0;
  private held: Array<() => void> | null = null;
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Holds every answer until release(). */
  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }

  recordsOf(employeeId: string): CoreSkillsTraining[] {
    return this.stored.get(employeeId) ?? [];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/oauth2/token') return send(200, { access_token: 'fake-token', token_type: 'Bearer', expires_in: 300 });
    const match = /^\/dsp-api\/organisations\/RHQ\/employees\/([^/]+)\/records$/.exec(request.url ?? '');
    if (!match || request.method !== 'POST') return send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text: 'No such path.' } }] });
    const employeeId = decodeURIComponent(match[1]!);
    const record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CoreSkillsTraining;
    this.received.push({ employeeId, record });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
      const behaviour = this.down ?? this.script.get(employeeId)?.shift();
      if (behaviour?.kind === 'answer') {
        const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: behaviour.code, details: { text: behaviour.text } }] };
        return send(behaviour.status, outcome, behaviour.retryAfter === undefined ? {} : { 'retry-after': String(behaviour.retryAfter) });
      }
      const records = this.stored.get(employeeId) ?? [];
      if (records.some((held) => held.competencyName === record.competencyName && held.dateLastAwarded === record.dateLastAwarded)) {
        return send(409, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'duplicate', details: { text: 'This employee already has this core skill with the same date last awarded.' } }] });
      }
      records.push(record);
      this.stored.set(employeeId, records);
      if (behaviour?.kind === 'store-then-stall') await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
      send(201, record);
    } finally {
      this.inFlight--;
    }
  }
}

const SKILLS = ['Fire Safety', 'Conflict Resolution', 'Safeguarding Adults', 'Moving and Handling', 'Resuscitation'];

function coreSkill(n: number): CoreSkillsTraining {
  const date = new Date(Date.UTC(2024, 0, 1) + Math.floor(n / SKILLS.length) * 86_400_000).toISOString().slice(0, 10);
  const name = SKILLS[n % SKILLS.length]!;
  return { recordType: 'CoreSkillsTraining', competencyFramework: 'CSTF', subjectName: name, competencyName: name, subjectLevel: '1', attainmentStatus: 'ACHIEVED', awardingOrganisation: 'RHQ', dateLastAwarded: date };
}

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

describe('the delivery outbox', () => {
  let dir: string;
  let store: Store;
  let system: FakeLearningSystem;
  let clock: Clock;
  let logs: LogLine[];
  let client: DspClient;
  const connectionId = 'lms-1';

  const log: Logger = {
    info: (message, fields = {}) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => logs.push({ level: 'error', message, fields }),
  };

  const outbox = (options: { concurrency?: number; random?: () => number } = {}) =>
    new DeliveryOutbox({ knex: () => store.knex, now: clock.now, log, clientFor: async () => client, random: options.random ?? (() => 0.5), concurrency: options.concurrency ?? 4 });

  const items = (employeeId: string, records: CoreSkillsTraining[], passportId = 'passport-1'): NewDelivery[] => records.map((record) => ({ connectionId, passportId, employeeId, record, createdBy: 1 }));

  async function enqueue(list: NewDelivery[]): Promise<string[]> {
    return store.knex.transaction((trx) => DeliveryOutbox.enqueue(trx, list, clock.now().toISOString()));
  }

  async function row(id: string): Promise<{ state: string; attempts: number; next_attempt_at: string; last_error: string | null; delivered_at: string | null }> {
    return (await store.knex('deliveries').where({ id }).first()) as never;
  }

  beforeEach(async () => {
    dir = tempDir();
    clock = new Clock();
    logs = [];
    system = new FakeLearningSystem();
    await system.start();
    store = await openStore({ filename: join(dir, 'store.db'), key: randomBytes(32), mustExist: false });
    await insertLearningConnection(store.knex, {
      id: connectionId,
      name: 'Learning Hub',
      baseUrl: `${system.url}/dsp-api`,
      tokenUrl: `${system.url}/oauth2/token`,
      clientId: 'staff-passport-test',
      keyId: 'test-key',
      at: clock.now().toISOString(),
    });
    client = new DspClient({
      connection: { name: 'the learning management system', kind: 'learning', baseUrl: `${system.url}/dsp-api`, organisation: 'RHQ', tokenUrl: `${system.url}/oauth2/token`, clientId: 'staff-passport-test', signingKey: { kid: 'k1', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, alg: 'ES256' } },
      transport: { timeoutMs: 400 },
      // One try per delivery attempt: the outbox's own retries are what is tested here.
      retry: { attempts: 1 },
    });
  });

  afterEach(async () => {
    client.close();
    await store.close();
    await system.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues records in the caller\'s transaction: a rolled-back acceptance queues nothing', async () => {
    await expect(
      store.knex.transaction(async (trx) => {
        await DeliveryOutbox.enqueue(trx, items('E100', [coreSkill(0)]), clock.now().toISOString());
        throw new Error('the acceptance failed');
      }),
    ).rejects.toThrow('the acceptance failed');
    expect(await store.knex('deliveries').count({ n: '*' }).first()).toEqual({ n: 0 });
    const ids = await enqueue(items('E100', [coreSkill(0), coreSkill(1)]));
    expect(ids).toHaveLength(2);
    expect((await row(ids[0]!)).state).toBe('queued');
  });

  it('refuses a record the standard does not allow, or an unknown connection, and queues nothing', async () => {
    const bad = { ...coreSkill(0), dateLastAwarded: undefined } as unknown as CoreSkillsTraining;
    await expect(enqueue(items('E100', [coreSkill(1), bad]))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('Record 2') });
    await expect(enqueue([{ ...items('E100', [coreSkill(0)])[0]!, connectionId: 'nope' }])).rejects.toMatchObject({ code: 'not-found' });
    expect(await store.knex('deliveries').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('delivers a record the system creates, and records it as delivered only then', async () => {
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    const summary = await outbox().deliver();
    expect(summary).toMatchObject({ attempted: 1, delivered: 1, duplicate: 0, rejected: 0, failed: 0 });
    expect(await row(id!)).toMatchObject({ state: 'delivered', attempts: 1, last_error: null, delivered_at: clock.now().toISOString() });
    expect(system.recordsOf('E100')).toEqual([coreSkill(0)]);
    // Nothing due: a second run sends nothing.
    expect((await outbox().deliver()).attempted).toBe(0);
    expect(system.received).toHaveLength(1);
    const [view] = await outbox().list({ passportId: 'passport-1' });
    expect(view).toMatchObject({ id, state: 'delivered', title: 'Fire Safety, awarded 2024-01-01', nextAttemptAt: null, message: 'Sent to the learning management system at 09:00.' });
  });

  it('records a record the system already had as duplicate, which counts as delivered', async () => {
    system.stored.set('E100', [coreSkill(0)]);
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    expect(await outbox().deliver()).toMatchObject({ delivered: 0, duplicate: 1 });
    expect(await row(id!)).toMatchObject({ state: 'duplicate', attempts: 1, delivered_at: clock.now().toISOString() });
    expect(system.recordsOf('E100')).toHaveLength(1);
    expect((await outbox().get(id!)).message).toBe('The learning management system already had this record, so it was not added again.');
  });

  it('records a refusal for good (400 invalid, 404 not found, 409 conflict, 403 forbidden) with the system\'s reason, and does not retry it', async () => {
    const cases = [
      { employeeId: 'E400', status: 400, code: 'invalid', text: 'Competency not in this trust\'s catalogue.' },
      { employeeId: 'E404', status: 404, code: 'not-found', text: 'Employee not found for the given ID.' },
      { employeeId: 'E409', status: 409, code: 'conflict', text: 'This employee has left the organisation.' },
      { employeeId: 'E403', status: 403, code: 'forbidden', text: 'Client not enabled for add-employee-record.' },
    ];
    const ids: string[] = [];
    for (const entry of cases) {
      system.script.set(entry.employeeId, [{ kind: 'answer', status: entry.status, code: entry.code, text: entry.text }]);
      ids.push(...(await enqueue(items(entry.employeeId, [coreSkill(0)]))));
    }
    expect(await outbox().deliver()).toMatchObject({ attempted: 4, rejected: 4 });
    for (const [index, entry] of cases.entries()) {
      expect(await row(ids[index]!)).toMatchObject({ state: 'rejected', attempts: 1, last_error: `The learning management system refused this record: ${entry.text}`, delivered_at: null });
    }
    clock.advanceMinutes(24 * 60);
    expect((await outbox().deliver()).attempted).toBe(0);
    expect(system.received).toHaveLength(4);
    const rejected = await outbox().list({ state: 'rejected' });
    expect(rejected.map((view) => view.message).sort()).toEqual(cases.map((entry) => `The learning management system refused this record: ${entry.text}`).sort());
  });

  it('keeps a record the system failed on (5xx) for a later run, then delivers it when due', async () => {
    system.script.set('E100', [{ kind: 'answer', status: 503, code: 'exception', text: 'Database maintenance' }]);
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    expect(await outbox().deliver()).toMatchObject({ attempted: 1, failed: 1 });
    const failed = await row(id!);
    expect(failed.state).toBe('failed-will-retry');
    expect(failed.attempts).toBe(1);
    const wait = Date.parse(failed.next_attempt_at) - clock.time;
    // random 0.5 on the first retry: halfway between 5 s and 30 s.
    expect(wait).toBe(retryDelayMs(1, () => 0.5));
    expect(wait).toBeGreaterThan(0);
    expect(failed.last_error).toBe(`Not sent yet: the learning management system had a problem (it said: Database maintenance). Staff Passport will try again at 09:00.`);
    // Not due yet: nothing is sent.
    expect((await outbox().deliver()).attempted).toBe(0);
    clock.time += wait;
    expect(await outbox().deliver()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await row(id!)).toMatchObject({ state: 'delivered', attempts: 2, last_error: null });
    expect(system.recordsOf('E100')).toHaveLength(1);
  });

  it('retries after a timeout; the system already had the record, so it ends as a duplicate, stored once', async () => {
    system.script.set('E100', [{ kind: 'store-then-stall', ms: 1500 }]);
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    expect(await outbox().deliver()).toMatchObject({ failed: 1 });
    const failed = await row(id!);
    expect(failed.state).toBe('failed-will-retry');
    expect(failed.last_error).toMatch(/^Not sent yet: the learning management system did not answer\. Staff Passport will try again at \d\d:\d\d\.$/);
    clock.time = Date.parse(failed.next_attempt_at);
    expect(await outbox().deliver()).toMatchObject({ duplicate: 1 });
    expect(await row(id!)).toMatchObject({ state: 'duplicate', attempts: 2 });
    expect(system.recordsOf('E100')).toHaveLength(1);
  });

  it('waits at least as long as a Retry-After the system sends', async () => {
    system.script.set('E100', [{ kind: 'answer', status: 503, code: 'exception', text: 'Busy', retryAfter: 600 }]);
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    await outbox().deliver();
    expect(Date.parse((await row(id!)).next_attempt_at) - clock.time).toBe(600_000);
  });

  it('backs off exponentially with full jitter, capped, then every 3 to 6 hours', () => {
    const low = () => 0;
    const high = () => 1;
    for (let attempts = 1; attempts < BACKOFF.longFailureAfter; attempts++) {
      const ceiling = Math.min(30_000 * 2 ** (attempts - 1), 6 * 3600_000);
      expect(retryDelayMs(attempts, low)).toBe(5_000);
      expect(retryDelayMs(attempts, high)).toBe(ceiling);
      const middle = retryDelayMs(attempts, () => 0.5);
      expect(middle).toBeGreaterThan(5_000);
      expect(middle).toBeLessThan(ceiling);
    }
    expect(retryDelayMs(9, high)).toBe(30_000 * 256);
    for (const attempts of [10, 11, 40]) {
      expect(retryDelayMs(attempts, low)).toBe(3 * 3600_000);
      expect(retryDelayMs(attempts, high)).toBe(6 * 3600_000);
    }
  });

  it('spreads retries: each failed try waits longer, within the jitter bounds', async () => {
    let r = 0.999;
    const box = outbox({ random: () => r });
    system.script.set('E100', Array.from({ length: 12 }, () => ({ kind: 'answer' as const, status: 500, code: 'exception', text: 'Down' })));
    const [id] = await enqueue(items('E100', [coreSkill(0)]));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      // Alternate the jitter between its extremes: the waits stay within [5 s, ceiling].
      r = attempt % 2 === 0 ? 0.999 : 0.001;
      expect(await box.deliver()).toMatchObject({ attempted: 1, failed: 1 });
      const current = await row(id!);
      expect(current.attempts).toBe(attempt);
      const wait = Date.parse(current.next_attempt_at) - clock.time;
      const ceiling = attempt >= 10 ? 6 * 3600_000 : Math.min(30_000 * 2 ** (attempt - 1), 6 * 3600_000);
      const floor = attempt >= 10 ? 3 * 3600_000 : 5_000;
      expect(wait).toBeGreaterThanOrEqual(floor);
      expect(wait).toBeLessThanOrEqual(ceiling);
      waits.push(wait);
      clock.time += wait;
    }
    // The high draws (even attempts) grow: about 1 min, 4 min, 16 min, 64 min, 4 h 16 min.
    const high = waits.filter((_, index) => (index + 1) % 2 === 0);
    for (let i = 1; i < high.length; i++) expect(high[i]!).toBeGreaterThan(high[i - 1]!);
    const view = await box.get(id!);
    expect(view.needsAttention).toBe(true);
    expect(view.message).toContain('after 11 tries');
    expect(logs.some((line) => line.level === 'error' && line.fields.deliveryId === id)).toBe(true);
  });

  it('keeps at most `concurrency` records in flight, each marked sending and committed before it is posted', async () => {
    const ids = await enqueue(items('E100', Array.from({ length: 12 }, (_, n) => coreSkill(n))));
    system.hold();
    const run = outbox({ concurrency: 3 }).deliver();
    await expect.poll(() => system.inFlight, { timeout: 5000 }).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(system.inFlight).toBe(3);
    // What the system holds is exactly what the store says is being sent.
    const sending = (await store.knex('deliveries').where({ state: 'sending' }).select('id', 'attempts')) as Array<{ id: string; attempts: number }>;
    expect(sending).toHaveLength(3);
    expect(sending.every((entry) => entry.attempts === 1)).toBe(true);
    system.release();
    expect(await run).toMatchObject({ attempted: 12, delivered: 12 });
    expect(system.maxInFlight).toBe(3);
    expect(await store.knex('deliveries').whereIn('id', ids).where({ state: 'delivered' }).count({ n: '*' }).first()).toEqual({ n: 12 });
    expect(system.recordsOf('E100')).toHaveLength(12);
  });

  it('runs one delivery at a time: a second call joins the run, and a record queued meanwhile goes in it', async () => {
    await enqueue(items('E100', [coreSkill(0), coreSkill(1), coreSkill(2)]));
    const box = outbox({ concurrency: 2 });
    system.hold();
    const first = box.deliver();
    await expect.poll(() => system.inFlight).toBe(2);
    const second = box.deliver();
    expect(second).toBe(first);
    const [late] = await enqueue(items('E200', [coreSkill(3)]));
    expect(box.deliver()).toBe(first);
    system.release();
    expect(await first).toMatchObject({ attempted: 4, delivered: 4 });
    expect(system.received).toHaveLength(4);
    expect((await row(late!)).state).toBe('delivered');
    await box.idle();
  });

  it('sends again what a crash left half-sent: a record the system got becomes a duplicate, one it did not is delivered', async () => {
    const [got, lost] = await enqueue(items('E100', [coreSkill(0), coreSkill(1)]));
    // As a process killed mid-post leaves them: marked sending (one try counted), no outcome.
    await store.knex('deliveries').whereIn('id', [got!, lost!]).update({ state: 'sending', attempts: 1 });
    system.stored.set('E100', [coreSkill(0)]);
    const summary = await outbox().deliver();
    expect(summary).toMatchObject({ resumed: 2, attempted: 2, delivered: 1, duplicate: 1 });
    expect(await row(got!)).toMatchObject({ state: 'duplicate', attempts: 2 });
    expect(await row(lost!)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(system.recordsOf('E100')).toEqual([coreSkill(0), coreSkill(1)]);
    expect(logs.filter((line) => line.message.includes('interrupted')).map((line) => line.fields.deliveryId).sort()).toEqual([got, lost].sort());
  });

  it('lets HR retry a failed or refused record now; refuses a retry of a delivered one', async () => {
    system.script.set('E100', [{ kind: 'answer', status: 409, code: 'conflict', text: 'Employee record locked for year-end.' }]);
    system.script.set('E200', [{ kind: 'answer', status: 500, code: 'exception', text: 'Down' }]);
    const [refused] = await enqueue(items('E100', [coreSkill(0)]));
    const [failed] = await enqueue(items('E200', [coreSkill(0)]));
    const [fine] = await enqueue(items('E300', [coreSkill(0)]));
    const box = outbox();
    await box.deliver();
    expect((await row(refused!)).state).toBe('rejected');
    expect((await row(failed!)).state).toBe('failed-will-retry');
    expect((await box.retryNow(refused!)).state).toBe('queued');
    const view = await box.retryNow(failed!);
    expect(view).toMatchObject({ state: 'queued', nextAttemptAt: clock.now().toISOString(), message: 'Waiting to be sent to the learning management system again.' });
    expect(await box.deliver()).toMatchObject({ attempted: 2, delivered: 2 });
    expect(await row(refused!)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(await row(failed!)).toMatchObject({ state: 'delivered', attempts: 2 });
    await expect(box.retryNow(fine!)).rejects.toMatchObject({ code: 'conflict' });
    await expect(box.retryNow('no-such-delivery')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stops trying a connection in a run once its system is plainly down, leaving the rest queued untouched', async () => {
    system.down = { kind: 'answer', status: 503, code: 'exception', text: 'Down' };
    await enqueue(items('E100', Array.from({ length: 20 }, (_, n) => coreSkill(n))));
    const summary = await outbox({ concurrency: 2 }).deliver();
    expect(summary.attempted).toBeLessThanOrEqual(4);
    expect(summary.failed).toBe(summary.attempted);
    const untouched = (await store.knex('deliveries').where({ state: 'queued', attempts: 0 }).count({ n: '*' }).first()) as { n: number };
    expect(Number(untouched.n)).toBe(20 - summary.attempted);
    system.down = null;
    clock.advanceMinutes(60);
    expect(await outbox({ concurrency: 2 }).deliver()).toMatchObject({ attempted: 20, delivered: 20 });
  });

  it('lists by passport, connection and state', async () => {
    system.script.set('E200', [{ kind: 'answer', status: 404, code: 'not-found', text: 'Employee not found for the given ID.' }]);
    await enqueue(items('E100', [coreSkill(0), coreSkill(1)], 'passport-a'));
    await enqueue(items('E200', [coreSkill(0)], 'passport-b'));
    const box = outbox();
    expect((await box.list({ state: 'queued' })).length).toBe(3);
    await box.deliver();
    expect((await box.list({ passportId: 'passport-a' })).map((view) => view.state)).toEqual(['delivered', 'delivered']);
    expect((await box.list({ passportId: 'passport-b', state: ['rejected', 'failed-will-retry'] })).map((view) => view.employeeId)).toEqual(['E200']);
    expect(await box.list({ connectionId: 'other' })).toEqual([]);
    expect((await box.list({ connectionId })).length).toBe(3);
  });

  it('logs ids, states, attempts and reasons, never a record or the system\'s words', async () => {
    system.script.set('E400', [{ kind: 'answer', status: 400, code: 'invalid', text: 'Competency Fire Safety unknown' }]);
    await enqueue(items('E100', [coreSkill(0)]));
    await enqueue(items('E400', [coreSkill(0)]));
    await outbox().deliver();
    const text = JSON.stringify(logs);
    expect(logs.some((line) => line.fields.deliveryId && line.fields.connectionId === connectionId && line.fields.state === 'rejected' && line.fields.reason === 'invalid' && line.fields.attempt === 1)).toBe(true);
    for (const secret of ['Fire Safety', '2024-01-01', 'Competency', 'E400', 'E100']) expect(text).not.toContain(secret);
  });
});
