// The DSP client against the sandbox systems over real HTTP: each of the four systems, a client
// registered with the JWKS the client exports, records added and refused (201, 409 duplicate and
// conflict, 400, 403), a token that expires at the system, the organisation this client is not
// enabled for, and the sandbox's switchable faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DspClient, SystemError, newClientKeyPair, publicJwks, type ClientKeyPair, type DspClientOptions } from '../../main/systems/client/index.ts';
import type { CoreSkillsTraining, ProfessionalRegistration, RightToWork } from '../../main/systems/dsp-types.ts';
import { SANDBOX_SYSTEMS, type SandboxSystem } from '../sandbox/model.ts';
import { SYSTEM_RECORD_TYPES, type RequestLogEntry } from '../sandbox/server.ts';
import { PERMISSION_OPERATIONS, TEST_CLIENT_ID, testClientPrivateJwk } from '../sandbox/oauth.ts';
import { FIXTURE_PEOPLE, FIXTURE_SURNAME } from '../sandbox/fixtures/people.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixtures/harness.ts';

const CLIENT_ID = 'staff-passport-desktop-rhq';
const clock = { at: Date.now() };
const requests: RequestLogEntry[] = [];
let t: TestSandbox;
let keys: ClientKeyPair;
const clients: DspClient[] = [];

beforeAll(async () => {
  t = await startTestSandbox({ generated: false, now: () => new Date(clock.at), log: (entry) => requests.push(entry) });
  keys = await newClientKeyPair();
  // The connection's own key, registered the way a system's administrators would: from its JWKS.
  t.sandbox.registerClient({ clientId: CLIENT_ID, jwks: publicJwks(keys.publicJwk), permissions: SANDBOX_SYSTEMS.map((system) => ({ system, organisation: 'RHQ', operations: [...PERMISSION_OPERATIONS] })) });
});

afterEach(() => {
  t.sandbox.faults.reset();
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await t.close();
});

interface Made {
  client: DspClient;
  waits: number[];
}

function clientFor(system: SandboxSystem, options: { organisation?: string; now?: () => Date; transport?: DspClientOptions['transport']; retry?: DspClientOptions['retry']; onWait?: () => void } = {}): Made {
  const waits: number[] = [];
  const client = new DspClient({
    connection: {
      name: t.sandbox.systems[system].name,
      kind: system,
      baseUrl: t.sandbox.systems[system].baseUrl,
      organisation: options.organisation ?? 'RHQ',
      tokenUrl: t.sandbox.tokenUrl,
      clientId: CLIENT_ID,
      signingKey: { kid: keys.kid, privateKey: keys.privateJwk, alg: 'ES256' },
    },
    now: options.now ?? (() => new Date(clock.at)),
    transport: { timeoutMs: 3_000, ...options.transport },
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
        options.onWait?.();
      },
      ...options.retry,
    },
  });
  clients.push(client);
  return { client, waits };
}

async function failure(promise: Promise<unknown>): Promise<SystemError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SystemError);
    return error as SystemError;
  }
  throw new Error('expected a SystemError');
}

const requestsTo = (path: string) => requests.filter((entry) => entry.path.endsWith(path)).length;

const coreSkill = (dateLastAwarded: string): CoreSkillsTraining => ({
  recordType: 'CoreSkillsTraining',
  competencyFramework: 'CSTF',
  subjectName: 'Fire Safety',
  competencyName: 'Fire Safety',
  subjectLevel: '1',
  attainmentStatus: 'ACHIEVED',
  awardingOrganisation: 'RHQ',
  dateLastAwarded,
});

describe('each sandbox system through the client', () => {
  it.each(SANDBOX_SYSTEMS)('%s: status, search, personal details and records', async (system) => {
    const { client } = clientFor(system);
    expect(await client.status()).toEqual({ status: 'pass' });
    const zelda = FIXTURE_PEOPLE.zelda;
    const found = await client.search({ firstName: zelda.first, surname: FIXTURE_SURNAME, birthDate: zelda.birthDate });
    expect(found.map((person) => person.id)).toEqual([t.ids.zelda[system]]);
    const details = await client.personalDetails(t.ids.zelda[system]);
    expect(details).toMatchObject({ id: t.ids.zelda[system], firstName: zelda.first, surname: FIXTURE_SURNAME, birthDate: zelda.birthDate });
    const records = await client.records(t.ids.zelda[system]);
    expect(records.id).toBe(t.ids.zelda[system]);
    expect(records.records.length).toBeGreaterThan(0);
    for (const record of records.records) expect(SYSTEM_RECORD_TYPES[system].returns).toContain(record.recordType);
    for (const record of records.records) if (record.recordType === 'DBSCheckOutcome') expect(typeof record.informationDisclosed).toBe('boolean');
    expect(await client.search({ surname: 'Nobody-By-This-Name' })).toEqual([]);
    const missing = await failure(client.records('no-such-employee'));
    expect(missing).toMatchObject({ reason: 'not-found', status: 404 });
    expect(missing.message).toBe(`${t.sandbox.systems[system].name.replace(/^t/, 'T')} has no employee no-such-employee at RHQ.`);
  });

  it("works with the sandbox's documented test client too", async () => {
    const jwk = testClientPrivateJwk();
    const client = new DspClient({
      connection: { name: 'ESR', kind: 'esr', baseUrl: t.sandbox.systems.esr.baseUrl, organisation: 'RHQ', tokenUrl: t.sandbox.testClient.tokenUrl, clientId: TEST_CLIENT_ID, signingKey: { kid: jwk.kid!, privateKey: jwk, alg: 'ES256' } },
      now: () => new Date(clock.at),
    });
    clients.push(client);
    expect((await client.personalDetails(t.ids.zelda.esr)).id).toBe(t.ids.zelda.esr);
  });
});

describe('adding records', () => {
  it('201 created (as the system stored it), then 409 duplicate as an outcome, or as an error when asked', async () => {
    const { client } = clientFor('learning');
    const skill = coreSkill('2026-01-15');
    const created = await client.addRecord(t.ids.petra.learning, skill);
    expect(created.outcome).toBe('created');
    // The learning system applies its own renewal period and works out the expiry date.
    expect(created.record).toMatchObject({ ...skill, renewalPeriodNumber: '2', renewalPeriodUnits: 'Years', dateTo: '2028-01-14' });
    expect(await client.addRecord(t.ids.petra.learning, skill)).toEqual({ outcome: 'duplicate' });
    const duplicate = await failure(client.addRecord(t.ids.petra.learning, skill, { duplicate: 'error' }));
    expect(duplicate).toMatchObject({ reason: 'duplicate', code: 'conflict', status: 409 });
    expect(duplicate.message).toBe('The sandbox learning management system already has this record.');
    expect((await client.records(t.ids.petra.learning)).records).toHaveLength(1);
  });

  it('409 conflict for a leaver, not retried', async () => {
    const { client, waits } = clientFor('learning');
    const error = await failure(client.addRecord(t.ids.leaver.learning, coreSkill('2026-01-16')));
    expect(error).toMatchObject({ reason: 'conflict', code: 'conflict', status: 409, retryable: false });
    expect(error.systemText).toContain('has left RHQ');
    expect(error.message).toBe(`The sandbox learning management system cannot take this record for employee ${t.ids.leaver.learning} at the moment, so it was not added.`);
    expect(waits).toEqual([]);
  });

  it('400 when the system finds the record not valid (a date that does not exist; a type it does not take)', async () => {
    const { client } = clientFor('learning');
    const error = await failure(client.addRecord(t.ids.petra.learning, coreSkill('2025-02-30')));
    expect(error).toMatchObject({ reason: 'invalid', code: 'invalid-input', status: 400 });
    expect(error.systemText).toContain('dateLastAwarded must be a real date');
    expect(error.message).toBe('The sandbox learning management system did not accept this record as valid, so it was not added.');
    const recruitment = clientFor('recruitment').client;
    const vaccination = await failure(recruitment.addRecord(t.ids.petra.recruitment, { recordType: 'Vaccination', code: 'HEPB001', description: 'Hepatitis B Vaccine', date: '2024-10-01' }));
    expect(vaccination).toMatchObject({ reason: 'invalid', status: 400 });
  });

  it('sends an HCPC registration number as text, and a right-to-work record, to the recruitment system', async () => {
    const { client } = clientFor('recruitment');
    const hcpc: ProfessionalRegistration = { recordType: 'ProfessionalRegistration', professionalBody: 'Health and Care Professions Council', registrationNumber: 'PA12345', registrationCheckDate: '2026-02-01' };
    expect(await client.addRecord(t.ids.petra.recruitment, hcpc)).toEqual({ outcome: 'created', record: hcpc });
    const rightToWork: RightToWork = {
      recordType: 'RightToWork',
      legalFirstName: 'Petra',
      legalSurname: 'Inkwell-Fixture',
      birthDate: '2001-01-31',
      biometricPageImage: Buffer.alloc(3000, 1).toString('base64'),
      photograph: Buffer.alloc(2000, 2).toString('base64'),
      identityDocumentExpiryDate: '2030-05-01',
      identityVerified: true,
      evidenceCheckedBy: 'Yoti Ltd',
      dateOfIdCheck: '2026-02-01',
      GPG45profile: 'M1B',
    };
    expect(await client.addRecord(t.ids.petra.recruitment, rightToWork)).toEqual({ outcome: 'created', record: rightToWork });
    expect(t.sandbox.addedRecords('recruitment', 'RHQ', t.ids.petra.recruitment)).toEqual([hcpc, rightToWork]);
  });

  it('403 where the system takes no records (ESR)', async () => {
    const { client } = clientFor('esr');
    const error = await failure(client.addRecord(t.ids.petra.esr, coreSkill('2026-01-17')));
    expect(error).toMatchObject({ reason: 'forbidden', code: 'forbidden', status: 403 });
    expect(error.message).toBe('Staff Passport is not allowed to add records to ESR at RHQ. Ask the ESR administrators to enable this connection for adding records.');
  });
});

describe('signing in', () => {
  it('recovers from a token that expired at the system: one 401, a new token, the answer', async () => {
    // The system's clock moves past the token's 300 s; the client's moves less, so it still trusts
    // its token (and its next assertion, good for 120 s, is still good at the system).
    const clientClock = { at: clock.at };
    const { client } = clientFor('esr', { now: () => new Date(clientClock.at) });
    const before = requestsTo('/oauth2/token');
    await client.personalDetails(t.ids.zelda.esr);
    clock.at += 301_000;
    clientClock.at += 200_000;
    expect((await client.personalDetails(t.ids.zelda.esr)).id).toBe(t.ids.zelda.esr);
    expect(requestsTo('/oauth2/token') - before).toBe(2);
    expect(requests.filter((entry) => entry.path.endsWith(`/employees/${t.ids.zelda.esr}`)).slice(-3).map((entry) => entry.status)).toEqual([200, 401, 200]);
  });

  it('403 at RCB, where this connection is not enabled; the open status check still works there', async () => {
    const { client, waits } = clientFor('esr', { organisation: 'RCB' });
    expect(await client.status()).toEqual({ status: 'pass' });
    const error = await failure(client.search({ surname: FIXTURE_SURNAME }));
    expect(error).toMatchObject({ reason: 'forbidden', code: 'forbidden', status: 403, retryable: false });
    expect(error.message).toBe('Staff Passport is not allowed to search ESR at RCB. Ask the ESR administrators to enable this connection for searching.');
    expect(waits).toEqual([]);
  });

  it('a key the system does not know: unauthorised', async () => {
    const stranger = await newClientKeyPair();
    const client = new DspClient({
      connection: { name: 'ESR', kind: 'esr', baseUrl: t.sandbox.systems.esr.baseUrl, organisation: 'RHQ', tokenUrl: t.sandbox.tokenUrl, clientId: CLIENT_ID, signingKey: { kid: stranger.kid, privateKey: stranger.privateJwk, alg: 'ES256' } },
      now: () => new Date(clock.at),
    });
    clients.push(client);
    const error = await failure(client.checkToken());
    expect(error).toMatchObject({ reason: 'unauthorised', status: 401 });
    expect(error.detail).toContain('invalid_client');
  });
});

describe('faults', () => {
  it.each([
    { status: 503 as const, body: 'operation-outcome' as const },
    { status: 502 as const, body: 'html' as const },
  ])('a $status ($body) and then success: the retry gets the answer', async ({ status, body }) => {
    t.sandbox.faults.add({ kind: 'serverError', status, body, system: 'occupational-health', operation: 'get-employee-records' });
    // The fault is lifted while the client waits to try again.
    const { client, waits } = clientFor('occupational-health', { onWait: () => t.sandbox.faults.reset() });
    const records = await client.records(t.ids.zelda['occupational-health']);
    expect(records.records.map((record) => record.recordType)).toEqual(['Vaccination', 'ClinicalTest', 'Observation']);
    expect(waits).toEqual([250]);
  });

  it('a system that keeps failing: server-error after three attempts', async () => {
    t.sandbox.faults.add({ kind: 'serverError', status: 500, system: 'esr' });
    const { client, waits } = clientFor('esr');
    const before = requestsTo('/employees');
    const error = await failure(client.search({ surname: FIXTURE_SURNAME }));
    expect(error).toMatchObject({ reason: 'server-error', status: 500, retryable: true });
    expect(requestsTo('/employees') - before).toBe(3);
    expect(waits).toEqual([250, 500]);
  });

  it('a record answered 503 and then 409 duplicate on the resend was delivered', async () => {
    // The system stored the first send but answered 503 (simulated: the record is already there).
    const skill = coreSkill('2026-01-18');
    expect((await clientFor('learning').client.addRecord(t.ids.petra.learning, skill)).outcome).toBe('created');
    t.sandbox.faults.add({ kind: 'serverError', status: 503, system: 'learning', operation: 'add-employee-record' });
    const { client, waits } = clientFor('learning', { onWait: () => t.sandbox.faults.reset() });
    expect(await client.addRecord(t.ids.petra.learning, skill, { duplicate: 'error' })).toEqual({ outcome: 'duplicate' });
    expect(waits).toEqual([250]);
  });

  it('a system that never answers: timeout within the time allowed', async () => {
    t.sandbox.faults.add({ kind: 'timeout', system: 'esr', operation: 'get-employee-personal-details' });
    const { client } = clientFor('esr', { transport: { timeoutMs: 500 }, retry: { attempts: 2 } });
    const started = performance.now();
    const error = await failure(client.personalDetails(t.ids.zelda.esr));
    const ms = performance.now() - started;
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(ms).toBeLessThan(2_000);
  });

  it('a trickled answer: timeout, cut off by the deadline', async () => {
    t.sandbox.faults.add({ kind: 'trickle', chunkBytes: 8, intervalMs: 100, system: 'learning', operation: 'get-employee-records' });
    const { client } = clientFor('learning', { transport: { timeoutMs: 700 }, retry: { attempts: 1 } });
    const started = performance.now();
    expect((await failure(client.records(t.ids.zelda.learning))).reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('malformed JSON, a body that breaks the schema, and a 10 MB body: never data', async () => {
    const { client } = clientFor('esr');
    t.sandbox.faults.set([{ kind: 'malformedJson', system: 'esr' }]);
    expect((await failure(client.records(t.ids.zelda.esr))).reason).toBe('bad-response');
    t.sandbox.faults.set([{ kind: 'schemaBreak', variant: 'wrong-types', system: 'esr' }]);
    expect((await failure(client.personalDetails(t.ids.zelda.esr))).reason).toBe('bad-response');
    t.sandbox.faults.set([{ kind: 'schemaBreak', variant: 'missing-required', system: 'esr' }]);
    expect((await failure(client.search({ surname: FIXTURE_SURNAME }))).reason).toBe('bad-response');
    t.sandbox.faults.set([{ kind: 'oversized', system: 'esr' }]);
    const started = performance.now();
    expect((await failure(client.search({ surname: FIXTURE_SURNAME }))).reason).toBe('too-large');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('a failing token endpoint: retried like any other 5xx', async () => {
    t.sandbox.faults.add({ kind: 'serverError', status: 503, operation: 'token' });
    const { client, waits } = clientFor('esr', { onWait: () => t.sandbox.faults.reset() });
    expect((await client.personalDetails(t.ids.zelda.esr)).id).toBe(t.ids.zelda.esr);
    expect(waits).toEqual([250]);
  });

  it('a system that reports itself unhealthy: status fail, with its note', async () => {
    t.sandbox.faults.add({ kind: 'statusFail', note: 'Database unreachable', system: 'recruitment' });
    const { client } = clientFor('recruitment');
    expect(await client.status()).toEqual({ status: 'fail', notes: ['Database unreachable'], output: 'Database unreachable' });
  });
});
