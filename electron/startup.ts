// Everything that must happen before Electron's `ready` event. main.ts imports this module first:
// an ESM entry point's own body may run after `ready`, but its imports' side effects run before it.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { app, protocol } from 'electron';
import { APP_SCHEME } from './window-policy.ts';

app.enableSandbox();

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    // standard + secure: a real origin, so 'self' in the CSP, fetch and storage behave as on https.
    // Deliberately not bypassCSP, corsEnabled, allowServiceWorkers or stream.
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

/**
 * `--data-dir DIR` puts the store and Chromium's profile in DIR (tests use a fresh one each run).
 * Chromium and Playwright add their own switches to argv, so unknown options are tolerated.
 */
function dataDirArgument(argv: string[]): string | undefined {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const value = values['data-dir'];
  return typeof value === 'string' && value.trim() !== '' ? resolve(value) : undefined;
}

const requestedDataDir = dataDirArgument(process.argv.slice(1));
if (requestedDataDir) {
  // Before the lock: the single-instance lock is per userData folder, so each test profile gets its own.
  app.setPath('userData', requestedDataDir);
}

/** Where the store, its key slots and Chromium's profile live. */
export const dataDir: string = requestedDataDir ?? app.getPath('userData');

/** False when another instance of the app already runs on this profile; main.ts then quits. */
export const isPrimaryInstance: boolean = app.requestSingleInstanceLock();
