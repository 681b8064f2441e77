// npm run sandbox: starts the sandbox systems until Ctrl+C, or (token, assertion) prints what a
// caller needs to use the documented test client against a running sandbox. See README.md here.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandbox, type SandboxOptions } from './server.ts';
import { parseFaults } from './faults.ts';
import { TEST_CLIENT_ID, createClientAssertion, requestAccessToken, testClientPrivateJwk } from './oauth.ts';

const USAGE = `Usage:
  npm run sandbox -- [--port 8123] [--host 127.0.0.1] [--seed 1] [--size 30000]
                     [--faults '<fault JSON or array>'] [--events-to URL --events-apikey KEY]
                     [--token-lifetime 300] [--quiet]
  npm run sandbox -- token --url http://127.0.0.1:8123       prints an access token for the test client
  npm run sandbox -- assertion --url http://127.0.0.1:8123   prints a client assertion (for curl)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function whole(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) fail(`--${name} must be a whole number from ${min} to ${max}.`);
  return Number(text);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        faults: { type: 'string' },
        'events-to': { type: 'string' },
        'events-apikey': { type: 'string' },
        'token-lifetime': { type: 'string' },
        url: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = positionals[0] ?? 'serve';
  if (positionals.length > 1) fail(`Unexpected arguments: ${positionals.slice(1).join(' ')}`);

  if (command === 'token' || command === 'assertion') {
    const url = (values.url ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');
    const tokenUrl = `${url}/oauth2/token`;
    const privateJwk = testClientPrivateJwk();
    if (command === 'assertion') {
      process.stdout.write(`${await createClientAssertion({ clientId: TEST_CLIENT_ID, tokenUrl, privateJwk })}\n`);
      return;
    }
    const token = await requestAccessToken({ clientId: TEST_CLIENT_ID, tokenUrl, privateJwk });
    process.stdout.write(`${token.access_token}\n`);
    return;
  }
  if (command !== 'serve') fail(`Unknown command ${command}.`);

  const options: SandboxOptions = {
    port: whole('port', values.port, 8123, 0, 65535),
    host: values.host ?? '127.0.0.1',
    seed: whole('seed', values.seed, 1, 0, 2 ** 32 - 1),
    size: whole('size', values.size, 30_000, 0, 1_000_000),
    tokenLifetimeSeconds: whole('token-lifetime', values['token-lifetime'], 300, 1, 86_400),
  };
  if (values.faults !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(values.faults.startsWith('@') ? readFileSync(values.faults.slice(1), 'utf8') : values.faults);
    } catch (error) {
      fail(`--faults is not JSON: ${(error as Error).message}`);
    }
    const faults = parseFaults(json);
    if (!faults.ok) fail(faults.error);
    options.faults = faults.faults;
  }
  if ((values['events-to'] === undefined) !== (values['events-apikey'] === undefined)) fail('Give --events-to and --events-apikey together.');
  if (values['events-to'] !== undefined) {
    if (!URL.canParse(values['events-to'])) fail('--events-to must be a URL (the full address of the events endpoint, e.g. http://127.0.0.1:8200/events).');
    options.events = { to: values['events-to'], apikey: values['events-apikey']! };
  }
  if (!values.quiet) options.log = (entry) => process.stdout.write(`${entry.method} ${entry.path} ${entry.status ?? '(no answer)'} ${entry.ms} ms${entry.fault ? ` [${entry.fault}]` : ''}\n`);

  const started = performance.now();
  const sandbox = await startSandbox(options);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const lines = [
    `DSP sandbox at ${sandbox.url} (seed ${options.seed}, ${sandbox.population.people.length} people, started in ${seconds} s)`,
    '',
    'Systems (base URLs):',
    ...Object.values(sandbox.systems).map((system) => `  ${system.baseUrl.padEnd(52)} ${system.name}`),
    '',
    'Organisations:',
    ...sandbox.organisations.map((organisation) => `  ${organisation.odsCode}  ${organisation.name}`),
    '',
    'Test client (enabled for every operation at RHQ in all four systems):',
    `  client id  ${sandbox.testClient.clientId}`,
    `  token URL  ${sandbox.testClient.tokenUrl}`,
    `  key file   ${sandbox.testClient.keyFile}`,
    `  a token:   npm run -s sandbox -- token --url ${sandbox.url}`,
    '',
    `Control: ${sandbox.url}/_sandbox (clients, faults, events)`,
    options.faults?.length ? `Faults on: ${JSON.stringify(sandbox.faults.list())}` : 'No faults.',
    options.events ? `Events go to ${options.events.to}` : 'No automatic events (--events-to, --events-apikey).',
    '',
    'Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping the sandbox.\n`);
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
