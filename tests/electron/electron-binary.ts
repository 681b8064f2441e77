// Finds the Electron executable without triggering a download: requiring the `electron` package
// runs its index.js, which downloads the binary from GitHub when it is missing. So this reads the
// package's path.txt and checks dist/ itself (or ELECTRON_OVERRIDE_DIST_PATH, as index.js does).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; executablePath: string } | { found: false; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let packageDir: string;
  try {
    // Resolving package.json reads no code of the package.
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executablePath = join(override, relative ?? 'electron');
    return existsSync(executablePath)
      ? { found: true, executablePath }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${executablePath} does not exist` };
  }
  if (!relative) {
    return {
      found: false,
      reason: `its binary was never downloaded (no ${pathFile}; npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1). Install it with "npx install-electron" where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH`,
    };
  }
  const executablePath = join(packageDir, 'dist', relative);
  return existsSync(executablePath)
    ? { found: true, executablePath }
    : { found: false, reason: `${executablePath} is missing; install it with "npx install-electron" or set ELECTRON_OVERRIDE_DIST_PATH` };
}
