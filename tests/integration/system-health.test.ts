// "Test connection" and the status check against the sandbox over real HTTP: each step reported
// plainly, a failing system recorded (and announced to the screens), checks only while unlocked.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { generatePopulation } from '../sandbox/population.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { call, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { connectToSandbox } from '../support/systems.ts';

const population = generatePopulation({ seed: 3, size: 500 });
let sandbox: Sandbox;
let dir: string;
let app: StaffPassportApp;
let healthEvents = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ population });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  dir = tempDir();
  app = await startApp(dir, { systemsClient: { timeoutMs: 1500, retry: { attempts: 1 } } });
  await setUpTrust(app);
  await signInAdmin(app);
  healthEvents = 0;
  app.onEvent((name) => {
    if (name === 'systems.healthChanged') healthEvents++;
  });
});
afterEach(async () => {
  sandbox.faults.set([]);
  await app.close();
  removeDir(dir);
});

const health = async (connectionId: string) => (await call(app, 'connections.list', {})).connections.find((entry) => entry.id === connectionId)!.health;

describe('Test connection', () => {
  it('passes each step for a registered connection and records the system as working', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'learning');
    const { steps } = await call(app, 'connections.test', { connectionId });
    expect(steps.map((step) => [step.step, step.outcome])).toEqual([
      ['status', 'pass'],
      ['token', 'pass'],
      ['search', 'pass'],
    ]);
    expect(steps[2]!.message).toBe('Staff Passport can search Sandbox LMS at RHQ.');
    expect(await health(connectionId)).toMatchObject({ state: 'pass', message: null });
    expect(healthEvents).toBe(1);
  });

  it('says which step failed when the system does not know this client', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'learning', { clientId: 'registered-client' });
    await call(app, 'connections.update', {
      connectionId,
      version: 1,
      name: 'Sandbox LMS',
      kind: 'learning',
      baseUrl: sandbox.systems.learning.baseUrl,
      organisation: 'RHQ',
      tokenUrl: sandbox.tokenUrl,
      clientId: 'a-client-the-system-never-registered',
      operations: ['search-for-employee'],
    });
    const { steps } = await call(app, 'connections.test', { connectionId });
    expect(steps.map((step) => [step.step, step.outcome])).toEqual([
      ['status', 'pass'],
      ['token', 'fail'],
      ['search', 'skipped'],
    ]);
    expect(steps[1]!.message).not.toMatch(/assertion|jwt|invalid_client/i);
    expect(steps[2]!.message).toBe('Not tried, because there is no token.');
  });

  it('reports a search the system refuses at another organisation', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'learning', { organisation: 'RCB', enabledAt: ['RHQ'] });
    const { steps } = await call(app, 'connections.test', { connectionId });
    expect(steps.map((step) => step.outcome)).toEqual(['pass', 'pass', 'fail']);
  });

  it('skips the search when the connection may not search', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'occupational-health', { operations: ['get-employee-records'] });
    const { steps } = await call(app, 'connections.test', { connectionId });
    expect(steps[2]).toEqual({ step: 'search', outcome: 'skipped', message: 'Not tried: this connection is not set up for searching.' });
  });
});

describe('the status check', () => {
  it('records a failing system with a plain message, and announces each change', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'esr');
    await app.checkSystems();
    expect(await health(connectionId)).toMatchObject({ state: 'pass' });
    sandbox.faults.set([{ kind: 'statusFail', system: 'esr', note: 'database down' }]);
    await app.checkSystems();
    const failing = await health(connectionId);
    expect(failing.state).toBe('fail');
    expect(failing.message).toBe('ESR says it is not working properly (status "fail").');
    expect(failing.checkedAt).not.toBeNull();
    // Unchanged results are not announced again.
    await app.checkSystems();
    expect(healthEvents).toBe(2);
    sandbox.faults.set([{ kind: 'timeout', system: 'esr', operation: 'status' }]);
    await app.checkSystems();
    expect((await health(connectionId)).message).toMatch(/ESR did not answer/);
  });

  it('runs only while someone is signed in and unlocked', async () => {
    const { connectionId } = await connectToSandbox(app, sandbox, 'esr');
    await call(app, 'session.lock', {});
    await app.checkSystems();
    expect((await app.systems.list()).find((entry) => entry.id === connectionId)!.health.state).toBe('unknown');
  });

  it('runs on its own every interval', async () => {
    await app.close();
    app = await startApp(dir, { systemsCheckMs: 100 });
    await signInAdmin(app);
    const { connectionId } = await connectToSandbox(app, sandbox, 'recruitment');
    await expect.poll(async () => (await health(connectionId)).state, { timeout: 5000 }).toBe('pass');
  });
});
