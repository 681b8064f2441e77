// Switchable faults over real HTTP: latency, 5xx answers (OperationOutcome or a proxy's HTML page),
// hangs, malformed JSON, bodies that break the schema, trickles, oversized bodies and a failing
// _status; scoped by system, operation and organisation; rates drawn from a seeded PRNG; set in
// code or through /_sandbox/faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dspStandard } from '../../main/systems/dsp-schema.ts';
import { FaultController } from '../sandbox/faults.ts';
import { TEST_CLIENT_ID, createClientAssertion, CLIENT_ASSERTION_TYPE, testClientPrivateJwk } from '../sandbox/oauth.ts';
import { read, startTestSandbox, type TestSandbox } from '../sandbox/fixtures/harness.ts';

let t: TestSandbox;
const details = () => `/organisations/RHQ/employees/${t.ids.zelda.esr}`;
const search = '/organisations/RHQ/employees?surname=Quillfeather';

beforeAll(async () => {
  t = await startTestSandbox({ generated: false });
});
afterEach(() => {
  t.sandbox.faults.reset();
});
afterAll(async () => {
  await t.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('faults', () => {
  it('latency: waits ms plus up to jitterMs before answering', async () => {
    t.sandbox.faults.add({ kind: 'latency', ms: 250, jitterMs: 100, system: 'esr' });
    const slow = await timed(() => t.api('esr', details()));
    expect(slow.result.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(245);
    expect(slow.ms).toBeLessThan(1000);
    const other = await timed(() => t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}`));
    expect(other.ms).toBeLessThan(200);
  });

  it('serverError: 500/502/503 as an OperationOutcome or as a proxy\'s HTML page', async () => {
    t.sandbox.faults.add({ kind: 'serverError', status: 503, operation: 'get-employee-personal-details' });
    const outcome = await t.api('esr', details());
    expect(outcome.status).toBe(503);
    expect(dspStandard().check('#/components/schemas/Error', outcome.json)).toEqual({ ok: true });
    expect((await t.api('esr', search)).status).toBe(200);
    t.sandbox.faults.reset();
    t.sandbox.faults.add({ kind: 'serverError', status: 502, body: 'html' });
    const page = await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}/records`);
    expect(page.status).toBe(502);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(page.text).toContain('502 Bad Gateway');
    expect(page.json).toBeUndefined();
    // A fault without an operation leaves the token endpoint alone.
    const assertion = await createClientAssertion({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk() });
    const token = await fetch(t.sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }) });
    expect(token.status).toBe(200);
    t.sandbox.faults.add({ kind: 'serverError', operation: 'token' });
    const failing = await fetch(t.sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(failing.status).toBe(500);
  });

  it('rate: a seeded share of requests fails, the same ones after a reset', async () => {
    const pattern = async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 40; index += 1) statuses.push((await t.api('esr', details())).status);
      return statuses;
    };
    t.sandbox.faults.reset(7);
    t.sandbox.faults.add({ kind: 'serverError', status: 500, rate: 0.3, system: 'esr' });
    const first = await pattern();
    t.sandbox.faults.reset(7);
    t.sandbox.faults.add({ kind: 'serverError', status: 500, rate: 0.3, system: 'esr' });
    const second = await pattern();
    expect(second).toEqual(first);
    const failed = first.filter((status) => status === 500).length;
    expect(failed).toBeGreaterThan(4);
    expect(failed).toBeLessThan(24);
    expect(first.filter((status) => status === 200).length).toBe(40 - failed);
    t.sandbox.faults.reset(8);
    t.sandbox.faults.add({ kind: 'serverError', status: 500, rate: 0.3, system: 'esr' });
    expect(await pattern()).not.toEqual(first);
  });

  it('scope: by system, operation and organisation', async () => {
    t.sandbox.faults.add({ kind: 'serverError', status: 503, system: 'recruitment', operation: 'add-employee-record', organisation: 'RHQ' });
    const path = `/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`;
    expect((await t.api('recruitment', path)).status).toBe(200);
    expect((await t.api('recruitment', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(503);
    expect((await t.api('recruitment', `/organisations/RCB/employees/${t.ids.ronan.recruitment}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    expect((await t.api('occupational-health', `/organisations/RHQ/employees/${t.ids.zelda['occupational-health']}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });

  it('timeout: accepts and never answers until the client gives up; the sandbox goes on serving', async () => {
    t.sandbox.faults.add({ kind: 'timeout', operation: 'search-for-employee' });
    const hung = await timed(() => t.api('esr', search, { signal: AbortSignal.timeout(400) }).catch((error: Error) => error));
    expect(hung.result).toBeInstanceOf(Error);
    expect((hung.result as Error).name).toBe('TimeoutError');
    expect(hung.ms).toBeGreaterThanOrEqual(390);
    expect((await t.api('esr', details())).status).toBe(200);
  });

  it('malformedJson: the right status and content type, a body that is not JSON', async () => {
    t.sandbox.faults.add({ kind: 'malformedJson', system: 'occupational-health' });
    const answer = await t.api('occupational-health', `/organisations/RHQ/employees/${t.ids.zelda['occupational-health']}/records`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('schemaBreak: a successful answer missing a required field, or with wrong types', async () => {
    t.sandbox.faults.add({ kind: 'schemaBreak', variant: 'missing-required', operation: 'search-for-employee' });
    const missing = await t.api('esr', search);
    expect(missing.status).toBe(200);
    expect((missing.json as Array<Record<string, unknown>>)[0]!.surname).toBeUndefined();
    const check = dspStandard().checkResponse('search-for-employee', 200, missing.json);
    expect(check.ok).toBe(false);
    t.sandbox.faults.reset();
    t.sandbox.faults.add({ kind: 'schemaBreak', variant: 'wrong-types', operation: 'get-employee-records' });
    const wrong = await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}/records`);
    expect(wrong.json).toMatchObject({ records: 'none' });
    expect(dspStandard().checkResponse('get-employee-records', 200, wrong.json).ok).toBe(false);
    // Errors are left alone: only a successful answer is broken.
    expect((await t.api('learning', '/organisations/RHQ/employees/NOBODY/records')).status).toBe(404);
  });

  it('trickle: the whole body, a few bytes at a time', async () => {
    t.sandbox.faults.add({ kind: 'trickle', chunkBytes: 40, intervalMs: 30, operation: 'get-employee-personal-details' });
    const slow = await timed(() => t.api('esr', details()));
    expect(slow.result.status).toBe(200);
    expect(slow.result.json).toMatchObject({ id: t.ids.zelda.esr });
    const chunks = Math.ceil(slow.result.text.length / 40);
    expect(slow.ms).toBeGreaterThanOrEqual((chunks - 1) * 30 - 10);
  });

  it('oversized: a body of about 10 MB, chunked or with its length declared', async () => {
    t.sandbox.faults.add({ kind: 'oversized', operation: 'get-employee-records' });
    const big = await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}/records`);
    expect(big.status).toBe(200);
    expect(big.headers.get('content-length')).toBeNull();
    expect(big.text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024 - 200);
    t.sandbox.faults.reset();
    t.sandbox.faults.add({ kind: 'oversized', bytes: 2_000_000, declareLength: true, operation: 'search-for-employee' });
    const declared = await t.api('esr', search);
    expect(Number(declared.headers.get('content-length'))).toBeGreaterThan(1_900_000);
    expect(Array.isArray(declared.json)).toBe(true);
  });

  it('statusFail: _status says fail (still 200, still the schema)', async () => {
    t.sandbox.faults.add({ kind: 'statusFail', system: 'recruitment', note: 'Database unreachable' });
    const failing = await t.api('recruitment', '/organisations/RHQ/_status', { token: null });
    expect(failing.status).toBe(200);
    expect(failing.json).toMatchObject({ status: 'fail', notes: ['Database unreachable'] });
    expect(dspStandard().checkResponse('status', 200, failing.json)).toEqual({ ok: true });
    expect((await t.api('esr', '/organisations/RHQ/_status', { token: null })).json).toEqual({ status: 'pass' });
  });

  it('is set, listed, removed and reset through /_sandbox/faults', async () => {
    const endpoint = `${t.sandbox.url}/_sandbox/faults`;
    const added = await read(await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ kind: 'serverError', status: 502, system: 'esr' }, { kind: 'latency', ms: 10 }]) }));
    expect(added.status).toBe(201);
    const ids = (added.json as { ids: string[] }).ids;
    expect(ids).toHaveLength(2);
    expect((await t.api('esr', details())).status).toBe(502);
    expect(((await read(await fetch(endpoint))).json as { faults: unknown[] }).faults).toHaveLength(2);
    expect((await read(await fetch(`${endpoint}/${ids[0]}`, { method: 'DELETE' }))).status).toBe(200);
    expect((await t.api('esr', details())).status).toBe(200);
    expect((await read(await fetch(`${endpoint}/${ids[0]}`, { method: 'DELETE' }))).status).toBe(404);
    const replaced = await read(await fetch(endpoint, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'statusFail' }) }));
    expect((replaced.json as { faults: Array<{ kind: string }> }).faults.map((fault) => fault.kind)).toEqual(['statusFail']);
    expect((await read(await fetch(endpoint, { method: 'DELETE' }))).json).toEqual({ faults: [] });
    for (const body of [{ kind: 'explode' }, { kind: 'latency' }, { kind: 'serverError', status: 404 }, { kind: 'latency', ms: 5, rate: 2 }, { kind: 'timeout', extra: true }, { kind: 'timeout', system: 'payroll' }]) {
      const refused = await read(await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect(t.sandbox.faults.list()).toEqual([]);
  });

  it('close() does not wait for hung or trickling answers', async () => {
    const other = await startTestSandbox({ generated: false, faults: [{ kind: 'timeout', operation: 'search-for-employee' }, { kind: 'trickle', chunkBytes: 1, intervalMs: 1000, operation: 'get-employee-records' }] });
    const hung = other.api('esr', search).catch((error: Error) => error);
    const trickling = other.api('esr', `/organisations/RHQ/employees/${other.ids.zelda.esr}/records`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = await timed(() => other.close());
    expect(closing.ms).toBeLessThan(1000);
    expect(await hung).toBeInstanceOf(Error);
    expect(await trickling).toBeInstanceOf(Error);
  });
});

describe('FaultController', () => {
  it('draws from its seed, so the same requests fault on every run', () => {
    const decisions = (seed: number) => {
      const controller = new FaultController(seed, [{ kind: 'serverError', rate: 0.5 }]);
      return Array.from({ length: 64 }, () => controller.plan({ system: 'esr', operation: 'get-employee-records', organisation: 'RHQ' }).answer !== null);
    };
    expect(decisions(3)).toEqual(decisions(3));
    expect(decisions(3)).not.toEqual(decisions(4));
    const share = decisions(3).filter(Boolean).length / 64;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
  });
});
