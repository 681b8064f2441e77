// Event notifications in, over real HTTP: the sandbox learning system POSTs CloudEvents to the
// app's public server; the app checks, stores durably before answering 200, accepts each id once,
// refuses a dataref that is not the connection's own, and fetches the records of linked staff.
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { dspEvents } from '../../main/systems/dsp-schema.ts';
import { recordsForPassport } from '../../main/systems/events.ts';
import { generatePopulation } from '../sandbox/population.ts';
import { buildEvent, deliverEvent, type DspEvent } from '../sandbox/events.ts';
import { startSandbox, type RequestLogEntry, type Sandbox } from '../sandbox/server.ts';
import type { Person } from '../sandbox/model.ts';
import { call, countRows, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { person } from '../support/staff.ts';
import { connectToSandbox, linkDirectly, type SandboxConnection } from '../support/systems.ts';

const population = generatePopulation({ seed: 7, size: 1500 });
let sandbox: Sandbox;
let requests: RequestLogEntry[] = [];
/** The get-records calls the sandbox has answered since the test began. */
const recordRequests = () => requests.filter((entry) => entry.method === 'GET' && /\/records$/.test(entry.path));
let dir: string;
let app: StaffPassportApp;
let eventsUrl: string;
let learning: SandboxConnection;
let adminId: string;

/** Someone at RHQ whom the learning system knows, with core skills. */
function learner(n = 0): Person {
  return population.people.filter((p) => p.organisation === 'RHQ' && (p.systems.learning?.records.length ?? 0) > 0)[n]!;
}

function event(overrides: Partial<DspEvent> = {}, who: Person = learner()): DspEvent {
  return { ...buildEvent(sandbox.systems.learning.baseUrl, { system: 'learning', organisation: 'RHQ', employeeId: who.systems.learning!.id, type: 'employee-elearning-completed' }, new Date()), ...overrides };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', apikey: learning.eventsApiKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Streams `size` bytes as a chunked body (no Content-Length), 16 KB at a time, and gives the status the server answered. */
function postChunked(size: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', apikey: learning.eventsApiKey } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    // Once the server has answered it may close the connection while bytes are still going out.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    let sent = 0;
    const next = () => {
      if (sent >= size || request.destroyed) return void request.end();
      sent += 16_384;
      if (request.write(Buffer.alloc(16_384, 0x20))) setImmediate(next);
      else request.once('drain', next);
    };
    next();
  });
}

async function linkedPassport(who: Person): Promise<string> {
  const { passportId } = await call(app, 'staff.invite', { profile: person(1, { firstName: who.legalFirstName, lastName: who.surname }) });
  await linkDirectly(app, passportId, learning.connectionId, who.systems.learning!.id, adminId);
  return passportId;
}

beforeAll(async () => {
  sandbox = await startSandbox({ population, log: (entry) => requests.push(entry) });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  requests = [];
  dir = tempDir();
  app = await startApp(dir, { systemsClient: { retry: { attempts: 1 } } });
  ({ adminUserId: adminId } = await setUpTrust(app));
  await signInAdmin(app);
  const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  eventsUrl = `http://127.0.0.1:${bound.port}/events`;
  learning = await connectToSandbox(app, sandbox, 'learning');
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

describe('POST /events', () => {
  it('stores an event about a linked person before answering, then fetches and keeps their records', async () => {
    const who = learner();
    const passportId = await linkedPassport(who);
    const sent = await sandbox.publishEvent({ system: 'learning', organisation: 'RHQ', employeeId: who.systems.learning!.id, type: 'employee-elearning-completed', to: eventsUrl, apikey: learning.eventsApiKey });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ id: sent.event.id });
    expect(dspEvents().checkResponse('publish-event', 200, sent.body)).toEqual({ ok: true });
    await app.events.idle();
    await app.fetchEventRecords();
    const [row] = await app.events.events(learning.connectionId);
    expect(row).toMatchObject({ event_id: sent.event.id, subject: who.systems.learning!.id, passport_id: passportId, state: 'fetched', type: 'employee-elearning-completed' });
    const kept = await recordsForPassport(app.vault.open.store.knex, passportId);
    expect(kept.map((entry) => entry.record)).toEqual(expect.arrayContaining(who.systems.learning!.records));
    expect(kept).toHaveLength(who.systems.learning!.records.length);
    // A second event for the same person keeps each record once.
    await sandbox.publishEvent({ system: 'learning', organisation: 'RHQ', employeeId: who.systems.learning!.id, type: 'employee-elearning-completed', to: eventsUrl, apikey: learning.eventsApiKey });
    await app.events.idle();
    await app.fetchEventRecords();
    expect(await recordsForPassport(app.vault.open.store.knex, passportId)).toHaveLength(who.systems.learning!.records.length);
  });

  it('accepts the same event id once', async () => {
    const body = event();
    expect((await post(body)).status).toBe(200);
    const again = await post(body);
    expect(again).toEqual({ status: 200, body: { id: body.id } });
    expect(await countRows(app, 'system_events')).toBe(1);
  });

  it('records an event about someone nobody has linked, and fetches nothing', async () => {
    const body = event({}, learner(3));
    expect((await post(body)).status).toBe(200);
    expect(await app.fetchEventRecords()).toBe(0);
    expect((await app.events.events(learning.connectionId))[0]).toMatchObject({ state: 'unlinked', passport_id: null });
    expect(await countRows(app, 'system_records')).toBe(0);
    expect(recordRequests()).toEqual([]);
  });

  it('fetches the records of an event that came before HR linked the person, once the link is made', async () => {
    const who = learner(4);
    expect((await post(event({}, who))).status).toBe(200);
    expect((await app.events.events(learning.connectionId))[0]).toMatchObject({ state: 'unlinked' });
    const [year, month, day] = who.birthDate.split('-');
    const { passportId } = await call(app, 'staff.invite', { profile: person(2, { firstName: who.legalFirstName, lastName: who.surname, dateOfBirth: { day: day!, month: month!, year: year! } }) });
    const { lookupId, candidates } = await call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    expect(candidates[0]!.employeeId).toBe(who.systems.learning!.id);
    await call(app, 'matching.decide', { lookupId, employeeId: who.systems.learning!.id });
    await app.events.idle();
    await app.fetchEventRecords();
    expect((await app.events.events(learning.connectionId))[0]).toMatchObject({ state: 'fetched', passport_id: passportId });
    expect(await recordsForPassport(app.vault.open.store.knex, passportId)).toHaveLength(who.systems.learning!.records.length);
  });

  it('keeps an acknowledged event through a restart, and fetches its records when the system answers again', async () => {
    const who = learner(1);
    const passportId = await linkedPassport(who);
    // The learning system fails to give the records, so the event waits in the store.
    sandbox.faults.set([{ kind: 'serverError', system: 'learning', operation: 'get-employee-records' }]);
    try {
      expect((await post(event({}, who))).status).toBe(200);
      await app.events.idle();
      await app.fetchEventRecords();
      expect((await app.events.events(learning.connectionId))[0]).toMatchObject({ state: 'received', attempts: 1 });
      expect(await countRows(app, 'system_records')).toBe(0);
    } finally {
      sandbox.faults.set([]);
    }
    await app.close();
    app = await startApp(dir);
    await signInAdmin(app);
    // Time passes until the retry is due (the app's clock must stay the sandbox's, for its tokens).
    await app.vault.open.store.knex('system_events').update({ next_attempt_at: new Date().toISOString() });
    expect(await app.fetchEventRecords()).toBe(1);
    expect((await recordsForPassport(app.vault.open.store.knex, passportId)).length).toBe(who.systems.learning!.records.length);
  });

  it('answers 503 while nobody has unlocked the store, so the system sends it again later', async () => {
    await call(app, 'session.signOut', {});
    await app.close();
    app = await startApp(dir);
    const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
    eventsUrl = `http://127.0.0.1:${bound.port}/events`;
    const answer = await post(event());
    expect(answer.status).toBe(503);
  });
});

describe('POST /events refuses bad events with the event API errors, storing nothing', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: unknown }>, number]> = [
    ['no apikey', () => post(event(), { apikey: '' }), 401],
    ['a wrong apikey', () => post(event(), { apikey: 'not-the-key' }), 401],
    ['a wrong specversion', () => post({ ...event(), specversion: '0.3' }), 400],
    ['no subject', () => post({ ...event(), subject: undefined }), 400],
    ['no dataref', () => post({ ...event(), dataref: undefined }), 400],
    ['an unknown type', () => post({ ...event(), type: 'employee-left' }), 400],
    ['a time that is not RFC 3339', () => post({ ...event(), time: '01/06/2020 13:00' }), 400],
    ['a dataref on another host', () => post({ ...event(), dataref: event().dataref.replace('127.0.0.1', 'attacker.example') }), 400],
    ['a dataref for another employee', () => post({ ...event(), dataref: event({}, learner(2)).dataref }), 400],
    ['a dataref on another path of the same host', () => post({ ...event(), dataref: event().dataref.replace('/learning/', '/esr/') }), 400],
    ['another organisation', () => post({ ...event(), filtering: { organisation: 'RCB' }, dataref: event().dataref.replace('/RHQ/', '/RCB/') }), 400],
    ['JSON with a trailing comma', () => post(JSON.stringify(event()).replace(/}$/, ',}')), 400],
    ['a body that is not JSON', () => post('hello'), 400],
    ['a form body', () => post(event(), { 'content-type': 'application/x-www-form-urlencoded' }), 400],
    ['an empty event id', () => post({ ...event(), id: '' }), 400],
    ['a subject that is not an employee id', () => post({ ...event(), subject: '../../admin', dataref: `${sandbox.systems.learning.baseUrl}/organisations/RHQ/employees/..%2F..%2Fadmin/records` }), 400],
    ['a body of 20 KB', () => post({ ...event(), source: 'x'.repeat(20_000) }), 413],
    ['a chunked body of 1 MB with no length given', () => postChunked(1_048_576), 413],
    // The key is checked before the body is read: a stranger is refused for what it is, whatever it sends.
    ['a wrong apikey with a body of 20 KB', () => post({ ...event(), source: 'x'.repeat(20_000) }, { apikey: 'not-the-key' }), 401],
  ];
  it.each(cases)('%s', async (_name, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    if (status !== 413) {
      expect(dspEvents().checkResponse('publish-event', status, answer.body)).toEqual({ ok: true });
      expect((answer.body as { issue: Array<{ code: string }> }).issue[0]!.code).toBe(status === 401 ? 'invalid-credentials' : 'invalid');
    }
    expect(await countRows(app, 'system_events')).toBe(0);
    expect(await app.fetchEventRecords()).toBe(0);
    expect(recordRequests()).toEqual([]);
  });

  it('answers a flood of events quickly and stores each', async () => {
    const bodies = Array.from({ length: 200 }, () => event());
    const answers = await Promise.all(bodies.map((body) => deliverEvent(body, eventsUrl, learning.eventsApiKey)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await countRows(app, 'system_events')).toBe(200);
  });
});
