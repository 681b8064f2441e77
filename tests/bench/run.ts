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

interface Case {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  goal?: string;
  met?: boolean;
}

const results: Case[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeMs(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

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

const dir = mkdtempSync(join(tmpdir(), 'dsp-bench-'));
try {
  await benchStoreOpen(dir);
  await benchDoor(dir);
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
