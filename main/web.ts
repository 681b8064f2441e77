// Browser mode's command line: `npm run start:web -- --data-dir DIR --port N`. The first line of
// output is the address to open, with this run's token.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { startBrowserHost } from './api/browser-host.ts';
import { AppError } from './errors.ts';
import { consoleLogger } from './platform/log.ts';
import { defaultDataDir } from './platform/data-folder.ts';

const USAGE = 'Usage: npm run start:web -- [--data-dir DIR] [--port N] [--public-port N]';

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    process.stderr.write(`${name} must be a whole number from 0 to 65535.\n${USAGE}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  let values: { 'data-dir'?: string; port?: string; 'public-port'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'public-port': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = portOption(values.port, '--port') ?? 0;
  // Without --public-port, the public server listens where IT's configuration says (8543 by default).
  const publicPort = portOption(values['public-port'], '--public-port');
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const log = consoleLogger();
  const app = await createApp({ dataDir, log });
  const rendererDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
  const host = await startBrowserHost(app, { port, rendererDir });
  process.stdout.write(`${host.url}\n`);
  log.info('browser mode started', { dataDir, port: host.port });
  try {
    await app.startPublicServer(publicPort === undefined ? {} : { port: publicPort });
  } catch (error) {
    log.warn('the public server did not start', { detail: error instanceof AppError ? error.message : String(error) });
  }
  const stop = async () => {
    await host.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof AppError ? error.message : String(error)}\n`);
  process.exit(1);
});
