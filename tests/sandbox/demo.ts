// npm run demo: the app on its embedded defaults as a demo trust (Sheffield Teaching Hospitals, RHQ)
// against the sandbox systems, in browser mode. The first run sets the trust up in its own data
// folder, connects it to the four sandbox systems and invites a few staff who are in them; every
// run registers the connections' keys with the (in-memory) sandbox again. Prints the address to
// open and the demo administrator's sign-in.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type StaffPassportApp } from '../../main/app.ts';
import { startBrowserHost } from '../../main/api/browser-host.ts';
import type { InputOf, OperationName, OutputOf } from '../../main/api/contract.ts';
import { consoleLogger } from '../../main/platform/log.ts';
import { defaultDataDir } from '../../main/platform/data-folder.ts';
import { generatePopulation } from './population.ts';
import { startSandbox, type Sandbox, type SandboxSystem } from './server.ts';
import { SANDBOX_SYSTEMS } from './model.ts';
import { CONNECTION_NAMES } from '../support/systems.ts';

const ADMIN = { adminName: 'Demo Administrator', adminEmail: 'demo.admin@nhs.net', password: 'sandbox lantern orchard' };
const USAGE = 'Usage: npm run demo -- [--data-dir DIR] [--port N] [--public-port N] [--sandbox-port N] [--size N]';
const OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record'] as const;

async function call<N extends OperationName>(app: StaffPassportApp, op: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await app.dispatch(op, input);
  if (!result.ok) throw new Error(`${op}: ${result.error.message} ${result.error.fields.map((field) => `${field.field}: ${field.message}`).join("; ")}`);
  return result.value as OutputOf<N>;
}

function register(sandbox: Sandbox, system: SandboxSystem, clientId: string, jwks: string): void {
  sandbox.registerClient({ clientId, jwks: JSON.parse(jwks), permissions: [{ system, organisation: 'RHQ', operations: [...OPERATIONS] }] });
}

/** First run: the trust, its four connections and a few invited staff whom the sandbox knows. */
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
      clientId: `staff-passport-demo-${system}`,
      operations: system === 'esr' ? ['search-for-employee', 'get-employee-personal-details', 'get-employee-records'] : [...OPERATIONS],
    });
  }
  const people = sandbox.population.people.filter((p) => p.organisation === 'RHQ' && p.systems.esr && p.systems.learning && !p.systems.esr.leaver).slice(0, 6);
  for (const [n, p] of people.entries()) {
    const [year, month, day] = p.birthDate.split('-');
    await call(app, 'staff.invite', {
      profile: {
        firstName: p.knownAs ?? p.legalFirstName,
        lastName: p.surname,
        dateOfBirth: { day: day!, month: month!, year: year! },
        email: p.email ?? `${p.legalFirstName}.${p.surname}.${n}@nhs.net`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
        mobile: `07911 ${String(200100 + n)}`,
        staffGroup: 'nursing-midwifery-registered',
        employmentType: 'permanent-or-fixed-term',
        employmentStatus: 'new-starter',
        ...(n % 2 === 0 ? { esrAssignmentNumber: p.systems.esr!.id } : {}),
      },
    });
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
  const log = consoleLogger();
  const sandbox = await startSandbox({ port: number(values['sandbox-port'], 8123, 'sandbox-port'), population: generatePopulation({ seed: 1, size: number(values.size, 30_000, 'size', 200_000) }) });
  const app = await createApp({ dataDir: resolve(values['data-dir'] ?? `${defaultDataDir()}-demo`), log });
  if (app.status().state === 'needs-setup') await setUpDemo(app, sandbox);
  else await call(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
  // The sandbox forgets its clients when it stops: register this trust's keys with it again.
  for (const connection of (await call(app, 'connections.list', {})).connections) {
    const system = SANDBOX_SYSTEMS.find((candidate) => connection.baseUrl === sandbox.systems[candidate].baseUrl);
    if (system) register(sandbox, system, connection.clientId, (await call(app, 'connections.exportJwks', { connectionId: connection.id })).content);
  }
  await call(app, 'session.signOut', {});
  const host = await startBrowserHost(app, { port: number(values.port, 0, 'port'), rendererDir: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)) });
  await app.startPublicServer({ port: number(values['public-port'], 8543, 'public-port') });
  process.stdout.write(`${host.url}\n`);
  process.stdout.write(`Demo trust RHQ against the sandbox systems at ${sandbox.url}. Sign in as ${ADMIN.adminEmail} with the password "${ADMIN.password}".\n`);
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
