// npm run bench: benchmarks, each beside its baseline in the same run. Prints a table and writes
// bench-results.json (name, value, unit, and for comparisons the baseline, ratio and goal).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../main/platform/store.ts';
import { createApp } from '../../main/app.ts';
import { startBrowserHost } from '../../main/api/browser-host.ts';
import { silentLogger } from '../../main/platform/log.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import type { InputOf } from '../../main/api/contract.ts';
import { BATCH, csvOf, person } from '../support/staff.ts';
import { CompactSign, compactVerify, generateKeyPair, importJWK, type JWK } from 'jose';
import { coreSkillRequest, newWallet } from '../support/credentials.ts';
import { benchSystems } from './systems.ts';
import { median, timeMs, type BenchCase } from './measure.ts';
import { benchDeliveries } from './deliveries.ts';
import { benchWallet } from './wallet.ts';

type Case = BenchCase;

const results: Case[] = [];

const ROWS = 30_000;
const OPENS = 25;

async function prepareStore(filename: string, key: Buffer | null): Promise<void> {
  const store = await openStore({ filename, key, mustExist: false });
  const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `bench-${i}`, value: JSON.stringify({ n: i, text: 'x'.repeat(80) }), updated_at: new Date().toISOString() }));
  await store.knex.batchInsert('user_settings', rows, 500);
  await store.close();
}

/** Opens the store (key, probe, version check, migrations) and closes it again. */
async function openOnly(filename: string, key: Buffer | null): Promise<void> {
  const store = await openStore({ filename, key, mustExist: true });
  await store.close();
}

/** Opens the store and reads every row of the big table: what decrypting each page costs. */
async function openAndScan(filename: string, key: Buffer | null): Promise<void> {
  const store = await openStore({ filename, key, mustExist: true });
  const row = (await store.knex('user_settings').count({ n: '*' }).max({ longest: store.knex.raw('length(value)') }).first()) as { n: number };
  if (Number(row.n) !== ROWS) throw new Error(`expected ${ROWS} rows, found ${row.n}`);
  await store.close();
}

async function compare(name: string, run: (filename: string, key: Buffer | null) => Promise<void>, files: { encrypted: string; plain: string; key: Buffer }, goal?: number): Promise<void> {
  await run(files.encrypted, files.key); // warm the file cache for both
  await run(files.plain, null);
  const encryptedTimes: number[] = [];
  const plainTimes: number[] = [];
  // Interleaved, so that whatever else the machine does falls on both alike.
  for (let i = 0; i < OPENS; i++) {
    encryptedTimes.push(await timeMs(() => run(files.encrypted, files.key)));
    plainTimes.push(await timeMs(() => run(files.plain, null)));
  }
  const value = median(encryptedTimes);
  const baseline = median(plainTimes);
  const ratio = value / baseline;
  results.push({
    name,
    value,
    unit: 'ms',
    baseline: { name: 'plain SQLite', value: baseline },
    ratio,
    ...(goal === undefined ? {} : { goal: `<= ${goal}x`, met: ratio <= goal }),
  });
}

async function benchStoreOpen(dir: string): Promise<void> {
  const encrypted = join(dir, 'encrypted.db');
  const plain = join(dir, 'plain.db');
  const key = randomBytes(32);
  await prepareStore(encrypted, key);
  await prepareStore(plain, null);
  const files = { encrypted, plain, key };
  await compare(`store open + migrations, ${ROWS}-row table present, SQLCipher`, openOnly, files, 1.5);
  await compare(`store open + full scan of ${ROWS} rows, SQLCipher (for information)`, openAndScan, files);
}

function post(agent: Agent, port: number, token: string, op: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/api/${op}`, method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function benchDoor(dir: string): Promise<void> {
  const app = await createApp({ dataDir: join(dir, 'door'), log: silentLogger, lockCheckMs: 0, configSources: { machineFilePath: null, readPolicy: async () => null } });
  const host = await startBrowserHost(app, { port: 0, rendererDir: dir });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const CALLS = 1000;
  for (let i = 0; i < 100; i++) await post(agent, host.port, host.token, 'app.status');
  const http: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    http.push(await timeMs(() => post(agent, host.port, host.token, 'app.status')));
    direct.push(await timeMs(async () => void (await app.dispatch('app.status', {}))));
  }
  agent.destroy();
  await host.close();
  await app.close();
  const value = median(http) * 1000;
  const baseline = median(direct) * 1000;
  results.push({
    name: 'trivial operation (app.status) through the browser-mode door',
    value,
    unit: 'µs',
    baseline: { name: 'same operation dispatched in-process', value: baseline },
    ratio: value / baseline,
  });
}

async function dispatchOk(app: StaffPassportApp, op: string, input: unknown): Promise<void> {
  const result = await app.dispatch(op, input);
  if (!result.ok) throw new Error(`${op} failed: ${JSON.stringify(result.error)}`);
}

/** Median of `runs` timings, interleaved with its baseline so both see the same machine. */
async function compareCalls(name: string, run: () => Promise<void>, baseline: { name: string; run: () => Promise<void> }, runs: number, goalMs: number): Promise<void> {
  await run();
  await baseline.run();
  const times: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await timeMs(run));
    baseTimes.push(await timeMs(baseline.run));
  }
  const value = median(times);
  const base = median(baseTimes);
  results.push({ name, value, unit: 'ms', baseline: { name: baseline.name, value: base }, ratio: value / base, goal: `< ${goalMs} ms`, met: value < goalMs });
}

const PASSPORTS = 30_000;

async function benchStaff(dir: string): Promise<void> {
  const app = await createApp({
    dataDir: join(dir, 'staff'),
    log: silentLogger,
    lockCheckMs: 0,
    configSources: { machineFilePath: null, readPolicy: async () => null },
    // Messages are not what is measured here: a sender that takes them and does nothing.
    sender: { name: 'bench', send: async () => undefined },
  });
  const password = 'correct horse battery staple';
  await dispatchOk(app, 'setup.start', { odsCode: 'RHQ', trustName: 'Bench Trust', adminName: 'Bench Admin', adminEmail: 'bench@nhs.net', password, confirmPassword: password });
  await dispatchOk(app, 'setup.finish', { recoveryCodeStored: true });
  await dispatchOk(app, 'session.signIn', { email: 'bench@nhs.net', password });

  // Importing 1,000 rows (goal: under 5 s), beside reading and checking the same file without storing it.
  let next = 0;
  let imported = 0;
  const fileOf = (size: number) => {
    const people = Array.from({ length: size }, (_, n) => person(next + n));
    next += size;
    return { fileName: 'rotation.csv', content: csvOf(people), batch: BATCH } satisfies InputOf<'staff.import'>;
  };
  let file = fileOf(1000);
  await compareCalls(
    'CSV import of 1,000 rows (all created in one transaction)',
    async () => {
      await dispatchOk(app, 'staff.import', file);
      imported += 1000;
      file = fileOf(1000);
    },
    { name: 'preview of the same file (read and check, nothing stored)', run: () => dispatchOk(app, 'staff.previewImport', file) },
    5,
    5000,
  );
  await app.deliverMessages();

  // Fill the store to 30,000 passports, some further on in their journey.
  while (imported < PASSPORTS) {
    const size = Math.min(5000, PASSPORTS - imported);
    await dispatchOk(app, 'staff.import', fileOf(size));
    imported += size;
    await app.deliverMessages();
  }
  const knex = app.vault.open.store.knex;
  await knex.raw("UPDATE passports SET list = 'pending', status = 'credentials-pending' WHERE rowid % 7 = 0");
  await knex.raw("UPDATE passports SET list = 'reviewed', status = 'active' WHERE rowid % 7 = 1");
  await knex.raw("UPDATE passports SET professional_body = 'GMC', registration_number = printf('%07d', 1000000 + rowid) WHERE rowid % 5 = 0");
  await knex.raw("UPDATE passports SET staff_group = 'medical-dental' WHERE rowid % 3 = 0");
  await knex.raw('ANALYZE');
  const [{ n }] = (await knex('passports').count({ n: '*' })) as [{ n: number }];
  if (Number(n) !== PASSPORTS) throw new Error(`expected ${PASSPORTS} passports, found ${n}`);
  const someone = ((await knex('passports').first('id')) as { id: string }).id;
  const pointRead = { name: 'one passport page (staff.get)', run: () => dispatchOk(app, 'staff.get', { passportId: someone }) };

  const cases: Array<[string, InputOf<'staff.list'> | null]> = [
    ['Identity and access list, first page', { list: 'identity' }],
    ['Identity and access list, last page', { list: 'identity', page: 838 }],
    ['search by partial name across every list ("smi")', { list: 'all', search: 'smi' }],
    ['search by full name ("amina smith")', { list: 'all', search: 'amina smith' }],
    ['search by registration number ("10001")', { list: 'all', search: '10001' }],
    ['Identity and access: three filters and a search combined', { list: 'identity', search: 'jones', employmentType: ['temporary-mover'], employmentStatus: ['new-starter'], status: ['invitation-sent', 'appointment-needed'] }],
    ['Staff passports Pending, filtered by staff group', { list: 'pending', staffGroup: ['medical-dental'] }],
    ['Staff passports Reviewed, page 10', { list: 'reviewed', page: 10 }],
    ['home page counters', null],
  ];
  for (const [name, query] of cases) {
    const run = query ? () => dispatchOk(app, 'staff.list', query) : () => dispatchOk(app, 'home.summary', {});
    await compareCalls(`${name}, ${PASSPORTS.toLocaleString('en-GB')} passports`, run, pointRead, 15, 100);
  }
  await app.close();
}

/**
 * Issuing and verifying 1,000 credentials through the engine, each beside raw jose doing the
 * same cryptography on the same payloads, interleaved in rounds of 100 so both see the same machine.
 */
async function benchCredentials(dir: string): Promise<void> {
  const app = await createApp({ dataDir: join(dir, 'credentials'), log: silentLogger, lockCheckMs: 0, configSources: { machineFilePath: null, readPolicy: async () => null }, sender: { name: 'bench', send: async () => undefined } });
  await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  const password = 'correct horse battery staple';
  await dispatchOk(app, 'setup.start', { odsCode: 'RHQ', trustName: 'Bench Trust', adminName: 'Bench Admin', adminEmail: 'bench@nhs.net', password, confirmPassword: password });
  await dispatchOk(app, 'setup.finish', { recoveryCodeStored: true });
  await dispatchOk(app, 'session.signIn', { email: 'bench@nhs.net', password });
  const invited = await app.dispatch('staff.invite', { profile: person(1) });
  if (!invited.ok) throw new Error('invite failed');
  const { passportId } = invited.value as { passportId: string };
  const wallet = await newWallet();
  const { privateKey } = await generateKeyPair('EdDSA');
  const ROUNDS = 10;
  const PER_ROUND = 100;

  // Raw jose signs the same header and payload as the engine produced, in the same round.
  const rawSignAll = async (jwts: string[]) => {
    for (const jwt of jwts) {
      const [header, payload] = jwt.split('.') as [string, string];
      await new CompactSign(Buffer.from(payload, 'base64url')).setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg: string }).sign(privateKey);
    }
  };
  const request = () => coreSkillRequest(passportId, wallet.did);
  const issueCase = async (name: string, issueRound: () => Promise<string[]>): Promise<string[]> => {
    const jwts: string[] = [];
    let engine = 0;
    let raw = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let batch: string[] = [];
      engine += await timeMs(async () => {
        batch = await issueRound();
      });
      raw += await timeMs(() => rawSignAll(batch));
      jwts.push(...batch);
    }
    results.push({ name, value: engine, unit: 'ms', baseline: { name: 'raw jose signing the same payloads', value: raw }, ratio: engine / raw, goal: '<= 3x', met: engine / raw <= 3 });
    return jwts;
  };
  await app.credentials.issuer.issue(request()); // warm
  const issued = await issueCase('issue 1,000 credentials through the engine, one at a time (check, sign through Veramo, record, status index: one transaction each)', async () => {
    const batch: string[] = [];
    for (let i = 0; i < PER_ROUND; i++) batch.push((await app.credentials.issuer.issue(request())).jwt);
    return batch;
  });
  await issueCase('issue 1,000 credentials through the engine in batches of 100 (issueAll: one transaction per batch)', async () => (await app.credentials.issuer.issueAll(Array.from({ length: PER_ROUND }, request))).map((credential) => credential.jwt));

  const document = await app.credentials.didDocument();
  const publicKey = await importJWK(document.verificationMethod[0]!.publicKeyJwk as JWK, 'EdDSA');
  const first = await app.credentials.verifier.verify(issued[0]); // warms the DID document and status-list caches
  if (first.outcome !== 'pass') throw new Error(`verification failed: ${first.summary}`);
  let engineVerify = 0;
  let rawVerify = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const batch = issued.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
    engineVerify += await timeMs(async () => {
      for (const jwt of batch) if ((await app.credentials.verifier.verify(jwt)).outcome !== 'pass') throw new Error('verification failed');
    });
    rawVerify += await timeMs(async () => {
      for (const jwt of batch) await compactVerify(jwt, publicKey);
    });
  }
  results.push({ name: 'verify 1,000 credentials through the engine (every check; DID document and status list cached)', value: engineVerify, unit: 'ms', baseline: { name: 'raw jose verifying the same JWTs', value: rawVerify }, ratio: engineVerify / rawVerify, goal: '<= 5x', met: engineVerify / rawVerify <= 5 });
  await app.close();
}

const dir = mkdtempSync(join(tmpdir(), 'dsp-bench-'));
try {
  // BENCH_ONLY=credentials (or store, door, staff, systems, deliveries, wallet) runs just those cases, for working on them.
  const only = process.env.BENCH_ONLY;
  const want = (group: string) => !only || only === group;
  if (want('credentials')) await benchCredentials(dir);
  if (want('store')) await benchStoreOpen(dir);
  if (want('door')) await benchDoor(dir);
  if (want('staff')) await benchStaff(dir);
  if (want('systems')) results.push(...(await benchSystems(dir)));
  if (want('systems') || want('deliveries')) results.push(...(await benchDeliveries(dir)));
  if (want('wallet')) results.push(...(await benchWallet(dir)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
const lines = results.map((r) =>
  [r.name, `${fmt(r.value)} ${r.unit}`, r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : '', r.ratio ? `${r.ratio.toFixed(2)}x` : '', r.goal ? `${r.goal} ${r.met ? 'met' : 'NOT MET'}` : ''],
);
const header = ['case', 'value', 'baseline', 'ratio', 'goal'];
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(row(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const line of lines) console.log(row(line));
writeFileSync('bench-results.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
console.log('\nWritten to bench-results.json');
