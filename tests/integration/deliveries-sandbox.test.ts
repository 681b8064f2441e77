// The delivery outbox against the sandbox learning system through the real DSP client: each record
// ends up held exactly once, also when the process delivering them is killed again and again.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../main/platform/store.ts';
import { silentLogger } from '../../main/platform/log.ts';
import { DspClient } from '../../main/systems/client/index.ts';
import { DeliveryOutbox, type NewDelivery } from '../../main/systems/deliveries.ts';
import type { CoreSkillsTraining } from '../../main/systems/dsp-types.ts';
import { startSandbox, type Population, type RequestLogEntry, type Sandbox } from '../sandbox/server.ts';
import { generatePopulation } from '../sandbox/population.ts';
import type { WorkerOptions } from '../support/delivery-worker.ts';
import { insertLearningConnection } from '../support/systems.ts';

const WORKER = fileURLToPath(new URL('../support/delivery-worker.ts', import.meta.url));
const CONNECTION_ID = 'sandbox-lms';
/** Lives of the worker that end in a kill (one in three each: after marking, after posting, at random). */
const ROUNDS = 27;
/** Records queued for the kill test: more than the killed lives can deliver, so that every one of them has work. */
const RECORDS = 300;

function skill(name: string, dateLastAwarded: string): CoreSkillsTraining {
  return { recordType: 'CoreSkillsTraining', competencyFramework: 'CSTF', subjectName: 'Fire Safety', competencyName: name, subjectLevel: '1', attainmentStatus: 'ACHIEVED', awardingOrganisation: 'RHQ', dateLastAwarded };
}

/** mulberry32: the kill test's moments are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('deliveries to the sandbox learning system', () => {
  let population: Population;
  let sandbox: Sandbox;
  let requests: RequestLogEntry[];
  let dir: string;
  let store: Store;
  let key: Buffer;

  /** Linked learning-system employees at RHQ (their ids there), and a leaver. */
  const rhqLearners = () => population.people.filter((person) => person.organisation === 'RHQ' && person.systems.learning && !person.systems.learning.leaver).map((person) => person.systems.learning!);

  beforeAll(() => {
    population = generatePopulation({ seed: 41, size: 2000 });
  });

  beforeEach(async () => {
    requests = [];
    sandbox = await startSandbox({ port: 0, seed: 41, population, log: (entry) => requests.push(entry) });
    dir = mkdtempSync(join(tmpdir(), 'dsp-deliveries-'));
    key = randomBytes(32);
    store = await openStore({ filename: join(dir, 'store.db'), key, mustExist: false });
    await insertLearningConnection(store.knex, {
      id: CONNECTION_ID,
      name: 'Sandbox learning',
      baseUrl: sandbox.systems.learning.baseUrl,
      tokenUrl: sandbox.testClient.tokenUrl,
      clientId: sandbox.testClient.clientId,
      keyId: 'test-key',
    });
  });

  afterEach(async () => {
    await store.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const addRecordPosts = () => requests.filter((entry) => entry.method === 'POST' && /^\/learning\/dsp-api\/organisations\/RHQ\/employees\/[^/]+\/records$/.test(entry.path));

  function heldOnce(employeeId: string, record: CoreSkillsTraining): number {
    return sandbox.addedRecords('learning', 'RHQ', employeeId).filter((held) => held.recordType === 'CoreSkillsTraining' && held.competencyName === record.competencyName && held.dateLastAwarded === record.dateLastAwarded).length;
  }

  it('delivers core skills through the real client: each held once, duplicates and refusals recorded', async () => {
    const learners = rhqLearners().slice(0, 20);
    const records: NewDelivery[] = [];
    learners.forEach((entry, index) => {
      for (let n = 0; n < 3; n++) records.push({ connectionId: CONNECTION_ID, passportId: `passport-${index}`, employeeId: entry.id, record: skill(`Delivery check ${index}-${n}`, `2026-0${n + 1}-15`), createdBy: 1 });
    });
    // One the system already has from its own records, one for a leaver, one for nobody.
    const existing = learners.flatMap((entry) => entry.records.filter((record): record is CoreSkillsTraining => record.recordType === 'CoreSkillsTraining').map((record) => ({ entry, record })))[0]!;
    const leaver = population.people.find((person) => person.organisation === 'RHQ' && person.systems.learning?.leaver)!.systems.learning!;
    const { entry: holder, record: held } = existing;
    const extra: NewDelivery[] = [
      { connectionId: CONNECTION_ID, passportId: 'passport-held', employeeId: holder.id, record: skill(held.competencyName, held.dateLastAwarded), createdBy: 1 },
      { connectionId: CONNECTION_ID, passportId: 'passport-leaver', employeeId: leaver.id, record: skill('Delivery check leaver', '2026-03-01'), createdBy: 1 },
      { connectionId: CONNECTION_ID, passportId: 'passport-nobody', employeeId: 'LMS0000001', record: skill('Delivery check nobody', '2026-03-01'), createdBy: 1 },
    ];
    await store.knex.transaction((trx) => DeliveryOutbox.enqueue(trx, [...records, ...extra], new Date().toISOString()));

    const privateJwk = JSON.parse(readFileSync(sandbox.testClient.keyFile, 'utf8')) as { kid: string; kty: string; crv: string; d: string };
    const client = new DspClient({
      connection: { name: 'the learning management system', kind: 'learning', baseUrl: sandbox.systems.learning.baseUrl, organisation: 'RHQ', tokenUrl: sandbox.testClient.tokenUrl, clientId: sandbox.testClient.clientId, signingKey: { kid: privateJwk.kid, privateKey: privateJwk, alg: 'ES256' } },
    });
    const outbox = new DeliveryOutbox({ knex: () => store.knex, now: () => new Date(), log: silentLogger, clientFor: async () => client, concurrency: 4 });
    const summary = await outbox.deliver();
    client.close();
    expect(summary).toMatchObject({ attempted: 63, delivered: 60, duplicate: 1, rejected: 2, failed: 0 });
    for (const item of records) expect(heldOnce(item.employeeId, item.record as CoreSkillsTraining)).toBe(1);
    expect(addRecordPosts()).toHaveLength(63);

    expect((await outbox.list({ passportId: 'passport-held' }))[0]).toMatchObject({ state: 'duplicate' });
    const [leaverView] = await outbox.list({ passportId: 'passport-leaver' });
    expect(leaverView).toMatchObject({ state: 'rejected', attempts: 1 });
    expect(leaverView!.lastError).toMatch(/^The learning management system refused this record: Employee .* has left RHQ/);
    const [nobodyView] = await outbox.list({ passportId: 'passport-nobody' });
    expect(nobodyView).toMatchObject({ state: 'rejected' });
    expect(nobodyView!.lastError).toContain('Employee not found');
    expect(sandbox.addedRecords('learning', 'RHQ', leaver.id)).toEqual([]);
  });

  it('loses nothing and adds nothing twice when the delivering process is killed again and again', { timeout: 150_000 }, async () => {
    // Each post takes 5-30 ms, so that kills land with records in flight.
    sandbox.faults.add({ kind: 'latency', ms: 5, jitterMs: 25, system: 'learning', operation: 'add-employee-record' });
    const learners = rhqLearners().slice(0, RECORDS / 5);
    const items: NewDelivery[] = [];
    learners.forEach((entry, index) => {
      for (let n = 0; n < 5; n++) items.push({ connectionId: CONNECTION_ID, passportId: `passport-${index}`, employeeId: entry.id, record: skill(`Kill test ${index * 5 + n}`, `2026-10-0${n + 1}`), createdBy: 1 });
    });
    await store.knex.transaction((trx) => DeliveryOutbox.enqueue(trx, items, new Date().toISOString()));
    // The worker opens the same file: this process lets go of it meanwhile.
    await store.close();

    const options: WorkerOptions = { filename: join(dir, 'store.db'), keyHex: key.toString('hex'), baseUrl: sandbox.systems.learning.baseUrl, tokenUrl: sandbox.testClient.tokenUrl, clientId: sandbox.testClient.clientId, keyFile: sandbox.testClient.keyFile, concurrency: 4 };
    const random = seeded(20261122);
    type Plan = { kind: 'delay'; ms: number } | { kind: 'pause'; marker: 'posting' | 'posted'; count: number } | { kind: 'finish' };
    interface Worker {
      child: ChildProcessWithoutNullStreams;
      lines: string[];
      onLine: ((line: string) => void) | null;
      loaded: Promise<void>;
      exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
    }
    const children: ChildProcessWithoutNullStreams[] = [];

    /** Starts a worker that loads its modules and waits for "go": the slow part overlaps the life before. */
    const standby = (): Worker => {
      // V8's compile cache makes each worker's start about a third cheaper after the first.
      const child = spawn(process.execPath, [WORKER, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_COMPILE_CACHE: join(dir, 'compile-cache') } });
      children.push(child);
      let stderr = '';
      let buffer = '';
      let loaded!: () => void;
      const worker: Worker = {
        child,
        lines: [],
        onLine: null,
        loaded: new Promise<void>((resolve) => (loaded = resolve)),
        exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr }))),
      };
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const line of parts) {
          worker.lines.push(line);
          if (line === 'loaded') loaded();
          worker.onLine?.(line);
        }
      });
      return worker;
    };

    /** One life: go, then a kill at the planned moment (or none), until the process ends. */
    const life = async (worker: Worker, plan: Plan): Promise<{ killed: boolean; heldRecord: string | null }> => {
      await Promise.race([worker.loaded, worker.exited.then(({ stderr }) => Promise.reject(new Error(`worker ended before loading: ${stderr.slice(0, 2000)}`)))]);
      let timer: NodeJS.Timeout | undefined;
      const kill = () => worker.child.kill('SIGKILL');
      worker.onLine = (line) => {
        // A random moment while records are being delivered.
        if (plan.kind === 'delay' && line.startsWith('posting ') && timer === undefined) timer = setTimeout(kill, plan.ms);
        if (line.startsWith('paused ')) kill();
      };
      worker.child.stdin.end(`go ${JSON.stringify(plan.kind === 'pause' ? { marker: plan.marker, count: plan.count } : null)}\n`);
      const { code, signal, stderr } = await worker.exited;
      clearTimeout(timer);
      const paused = worker.lines.indexOf(worker.lines.find((line) => line.startsWith('paused ')) ?? '');
      // The line before "paused" names the record held at that moment ("posting Kill test 17").
      const heldRecord = paused > 0 ? worker.lines[paused - 1]!.split(' ').slice(1, 4).join(' ') : null;
      if (signal === 'SIGKILL') return { killed: true, heldRecord };
      if (code === 0 && worker.lines.some((line) => line.startsWith('done '))) return { killed: false, heldRecord: null };
      throw new Error(`worker exited with ${code ?? signal}: ${stderr.slice(0, 2000)}`);
    };

    const aimedAtSending: string[] = [];
    const aimedAtPosted: string[] = [];
    let kills = 0;
    let finished = false;
    try {
      let next = standby();
      for (let round = 0; round < ROUNDS && !finished; round++) {
        const choice = round % 3;
        const plan: Plan =
          choice === 0
            ? { kind: 'pause', marker: 'posting', count: 1 + Math.floor(random() * 4) }
            : choice === 1
              ? { kind: 'pause', marker: 'posted', count: 1 + Math.floor(random() * 4) }
              : { kind: 'delay', ms: Math.floor(random() * 40) };
        const current = next;
        next = standby();
        const result = await life(current, plan);
        if (!result.killed) {
          finished = true; // everything was delivered before the moment came
          break;
        }
        kills++;
        if (result.heldRecord && plan.kind === 'pause') (plan.marker === 'posting' ? aimedAtSending : aimedAtPosted).push(result.heldRecord);
      }
      // Finally a worker that is left to finish.
      if (!finished) expect((await life(next, { kind: 'finish' })).killed).toBe(false);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    store = await openStore({ filename: join(dir, 'store.db'), key, mustExist: true });
    const integrity = (await store.knex.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
    expect(integrity[0]?.integrity_check).toBe('ok');
    const rows = (await store.knex('deliveries').select('state', 'attempts', 'record', 'employee_id')) as Array<{ state: string; attempts: number; record: string; employee_id: string }>;
    expect(rows).toHaveLength(RECORDS);
    const byName = new Map(rows.map((row) => [(JSON.parse(row.record) as CoreSkillsTraining).competencyName, row]));

    // Nothing lost: every record ended delivered, or found already there.
    expect(rows.filter((row) => row.state !== 'delivered' && row.state !== 'duplicate')).toEqual([]);
    // Nothing twice: the system holds each record once, and nothing else under these names.
    for (const item of items) expect(heldOnce(item.employeeId, item.record as CoreSkillsTraining)).toBe(1);
    const held = learners.flatMap((entry) => sandbox.addedRecords('learning', 'RHQ', entry.id)).filter((record) => record.recordType === 'CoreSkillsTraining' && record.competencyName.startsWith('Kill test '));
    expect(held).toHaveLength(RECORDS);

    expect(kills).toBe(ROUNDS);
    // Killed after marking but before posting: sent again later.
    expect(aimedAtSending.length).toBeGreaterThanOrEqual(8);
    for (const name of aimedAtSending) expect(byName.get(name)!.attempts).toBeGreaterThanOrEqual(2);
    // Killed after the system stored it but before the outcome was committed: re-sent, found a duplicate.
    expect(aimedAtPosted.length).toBeGreaterThanOrEqual(8);
    for (const name of aimedAtPosted) expect(byName.get(name)).toMatchObject({ state: 'duplicate' });
    expect(byName.get(aimedAtPosted[0]!)!.attempts).toBeGreaterThanOrEqual(2);

    // Every post was preceded by a committed try: no more posts than tries counted.
    const posts = addRecordPosts();
    const tries = rows.reduce((sum, row) => sum + row.attempts, 0);
    expect(tries).toBeGreaterThan(RECORDS);
    expect(posts.length).toBeLessThanOrEqual(tries);
    expect(posts.filter((entry) => entry.status === 201)).toHaveLength(RECORDS);
  });
});
