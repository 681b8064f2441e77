// npm run demo: the app as a demo trust (Sheffield Teaching Hospitals, RHQ)
// against the sandbox systems, in browser mode. The first run sets the trust up in its own data
// folder, connects it to the four sandbox systems, and adds staff passports at each stage of the
// wallet journeys, one of them with credentials already collected into a demo wallet file
// (demo-passports.ts). Later runs re-create nothing: they start the sandbox where the first run's
// connections and links point (same port and population, from demo.json) and register the
// connections' keys with it again (it keeps clients in memory only). Prints the
// address to open, the demo administrator's sign-in, the address wallets reach the trust at, and
// what to try with the test wallet (npm run wallet).
//
// The trust's DID names its public server's port (did:web:localhost%3A<port>:trusts:rhq), so the
// test wallet can fetch the DID document that signs presentation requests. The demo plays the part
// of IT: demo-settings.json in the data folder is its machine-wide settings file (issuerHost and
// publicServerPort), written on the first run once the public server has its port; later runs
// listen on that port again whatever --public-port says (as they keep --sandbox-port and --size).
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type StaffPassportApp } from '../../main/app.ts';
import { startBrowserHost } from '../../main/api/browser-host.ts';
import { consoleLogger } from '../../main/platform/log.ts';
import { defaultDataDir } from '../../main/platform/data-folder.ts';
import { generatePopulation } from './population.ts';
import { startSandbox, type Sandbox, type SandboxSystem } from './server.ts';
import { SANDBOX_SYSTEMS } from './model.ts';
import { CONNECTION_NAMES } from '../support/systems.ts';
import { addDemoPassports, call, tryItLines, type DemoPeople } from './demo-passports.ts';

const ADMIN = { adminName: 'Demo Administrator', adminEmail: 'demo.admin@nhs.net', password: 'sandbox lantern orchard' };
const USAGE = `Usage: npm run demo -- [--data-dir DIR] [--port N] [--public-port N] [--sandbox-port N] [--size N]
  --data-dir DIR      the demo's data folder (default: the app's data folder with -demo on the end)
  --port N            the screens' address (default: a free port)
  --public-port N     where wallets reach the trust (default 8543; 0 picks a free port)
  --sandbox-port N    the sandbox systems (default 8123; 0 picks a free port)
  --size N            how many people the sandbox holds (default 30000)
The first run on a data folder fixes --public-port (the trust's DID names it), --sandbox-port and
--size (the links name the sandbox's records); later runs on that folder use them again.`;
const OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record'] as const;
/** The demo's own settings file (the machine-wide layer IT would write) and its record of who is where. */
const SETTINGS_FILE = 'demo-settings.json';
const STATE_FILE = 'demo.json';
const DEMO_WALLET_FILE = 'demo-wallet.json';
const YOUR_WALLET_FILE = 'your-wallet.json';

/** What the first run made and fixed, kept in demo.json. */
interface DemoState {
  sandboxPort: number;
  size: number;
  people: DemoPeople;
}

const clientIdOf = (system: SandboxSystem) => `staff-passport-demo-${system}`;
const operationsOf = (system: SandboxSystem) => (system === 'esr' ? OPERATIONS.filter((operation) => operation !== 'add-employee-record') : [...OPERATIONS]);

function register(sandbox: Sandbox, system: SandboxSystem, clientId: string, jwks: string): void {
  sandbox.registerClient({ clientId, jwks: JSON.parse(jwks), permissions: [{ system, organisation: 'RHQ', operations: [...OPERATIONS] }] });
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** First run: the trust and its four connections. */
async function setUpDemo(app: StaffPassportApp, sandbox: Sandbox): Promise<void> {
  await call(app, 'setup.start', { odsCode: 'RHQ', trustName: 'Sheffield Teaching Hospitals NHS Foundation Trust', ...ADMIN, confirmPassword: ADMIN.password });
  await call(app, 'setup.finish', { recoveryCodeStored: true });
  await call(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
  for (const system of SANDBOX_SYSTEMS) {
    await call(app, 'connections.add', {
      name: CONNECTION_NAMES[system],
      kind: system,
      baseUrl: sandbox.systems[system].baseUrl,
      organisation: 'RHQ',
      tokenUrl: sandbox.tokenUrl,
      clientId: clientIdOf(system),
      operations: operationsOf(system),
    });
  }
}

/**
 * Every run: the sandbox learns the demo connections' keys again. A data folder from an earlier
 * demo (no demo.json) may name another sandbox port: its connections, which link nobody, are
 * pointed at this run's sandbox first.
 */
async function connectToThisSandbox(app: StaffPassportApp, sandbox: Sandbox): Promise<void> {
  for (const connection of (await call(app, 'connections.list', {})).connections) {
    const system = SANDBOX_SYSTEMS.find((candidate) => connection.clientId === clientIdOf(candidate) || connection.baseUrl === sandbox.systems[candidate].baseUrl);
    if (!system) continue;
    if (connection.baseUrl !== sandbox.systems[system].baseUrl || connection.tokenUrl !== sandbox.tokenUrl) {
      await call(app, 'connections.update', {
        connectionId: connection.id,
        version: connection.version,
        name: connection.name,
        kind: connection.kind,
        baseUrl: sandbox.systems[system].baseUrl,
        organisation: connection.organisation,
        tokenUrl: sandbox.tokenUrl,
        clientId: connection.clientId,
        operations: connection.operations,
      });
    }
    register(sandbox, system, connection.clientId, (await call(app, 'connections.exportJwks', { connectionId: connection.id })).content);
  }
}

async function main(): Promise<void> {
  let values: { 'data-dir'?: string; port?: string; 'public-port'?: string; 'sandbox-port'?: string; size?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'public-port': { type: 'string' }, 'sandbox-port': { type: 'string' }, size: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const number = (text: string | undefined, fallback: number, name: string, max = 65535) => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) > max) {
      process.stderr.write(`--${name} must be a whole number from 0 to ${max}.\n${USAGE}\n`);
      process.exit(2);
    }
    return Number(text);
  };
  const dataDir = resolve(values['data-dir'] ?? `${defaultDataDir()}-demo`);
  const settingsFile = join(dataDir, SETTINGS_FILE);
  const stateFile = join(dataDir, STATE_FILE);
  const requested = {
    publicPort: values['public-port'] === undefined ? undefined : number(values['public-port'], 8543, 'public-port'),
    sandboxPort: values['sandbox-port'] === undefined ? undefined : number(values['sandbox-port'], 8123, 'sandbox-port'),
    size: values.size === undefined ? undefined : number(values.size, 30_000, 'size', 200_000),
  };
  const log = consoleLogger();
  const app = await createApp({ dataDir, log, configSources: { machineFilePath: settingsFile, readPolicy: async () => null } });
  const firstRun = app.status().state === 'needs-setup';

  // What the first run fixed: the DID names the public port, the links name the sandbox's
  // addresses and its people's ids (which depend on the population's size).
  const earlier = firstRun ? null : { settings: readJson<{ publicServerPort?: number }>(settingsFile), state: readJson<DemoState>(stateFile) };
  const keep = <T extends number>(what: string, remembered: T | undefined, asked: T | undefined, fallback: T): T => {
    if (remembered === undefined) return asked ?? fallback;
    if (asked !== undefined && asked !== 0 && asked !== remembered) process.stderr.write(`The demo data in ${dataDir} was made with ${what} ${remembered}, so this run uses ${remembered} too, not ${asked}.\n`);
    return remembered;
  };
  const size = keep('--size', earlier?.state?.size, requested.size, 30_000);
  const sandboxPort = keep('--sandbox-port', earlier?.state?.sandboxPort, requested.sandboxPort, 8123);
  const publicPort = keep('--public-port', earlier?.settings?.publicServerPort, requested.publicPort, 8543);

  const sandbox = await startSandbox({ port: sandboxPort, population: generatePopulation({ seed: 1, size }) });
  // The public server before anything is issued: the trust's DID and every offer carry its port.
  const publicServer = await app.startPublicServer({ port: publicPort });

  if (firstRun) {
    writeFileSync(settingsFile, `${JSON.stringify({ issuerHost: `localhost:${publicServer.port}`, publicServerPort: publicServer.port }, null, 2)}\n`);
    await app.config.refresh();
    rmSync(join(dataDir, DEMO_WALLET_FILE), { force: true }); // left by a first run that stopped part way
    await setUpDemo(app, sandbox);
    await connectToThisSandbox(app, sandbox);
    const people = await addDemoPassports(app, sandbox, join(dataDir, DEMO_WALLET_FILE));
    const state: DemoState = { sandboxPort: Number(new URL(sandbox.url).port), size, people };
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  } else {
    await call(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    await connectToThisSandbox(app, sandbox);
  }
  await call(app, 'session.signOut', {});
  const host = await startBrowserHost(app, { port: number(values.port, 0, 'port'), rendererDir: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)) });

  const people = readJson<DemoState>(stateFile)?.people;
  const lines = [
    host.url,
    `Demo trust RHQ against the sandbox systems at ${sandbox.url}. Sign in as ${ADMIN.adminEmail} with the password "${ADMIN.password}".`,
    `Wallets reach the trust's public server at ${app.publicBaseUrl()}: offer and request links point there.`,
    ...(people
      ? tryItLines(people, { demoWallet: join(dataDir, DEMO_WALLET_FILE), yourWallet: join(dataDir, YOUR_WALLET_FILE) })
      : ['', `${dataDir} was set up by an earlier version of the demo, or its first run stopped part way, so it has no demo passports or wallet. To try the wallet journeys, run the demo with another --data-dir (or delete that folder).`]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = async () => {
    await host.close();
    await app.close();
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
