// The first run through the real Electron window: an empty data folder, the set-up wizard, the
// recovery code, sign in, and the home page with the trust's name. Also checks what the shell
// promises the renderer: app:// origin, no Node, only window.dsp, CSP on responses, no path traversal.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from './electron-binary.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN_JS = join(ROOT, 'dist/electron/electron/main.js');
const BUILT_FILES = [MAIN_JS, join(ROOT, 'dist/electron/electron/preload.cjs'), join(ROOT, 'dist/renderer/index.html')];
const SCREENSHOTS = join(ROOT, 'tests/e2e/artifacts/electron');

const TRUST = { odsCode: 'RHQ', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' };
const ADMIN = { name: 'Priya Shah', email: 'priya.shah@nhs.net', password: 'correct horse battery staple' };

const electron = findElectronBinary();

/** The page's global as the preload leaves it (the root tsconfig has no DOM types). */
interface PageWithDoor {
  dsp: { invoke(op: unknown, input: unknown): Promise<unknown> };
}

async function launch(dataDir: string): Promise<{ app: ElectronApplication; page: Page }> {
  if (!electron.found) throw new Error('unreachable: the tests are skipped without Electron');
  const missing = BUILT_FILES.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`The app is not built: ${missing.join(', ')} missing. Run "npm run build" first.`);
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('Electron needs a display on Linux: run this under xvfb-run (e.g. xvfb-run -a npx playwright test -c tests/electron/playwright.config.ts).');
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A machine-wide settings file on the test machine must not change what the test sees.
    if (value !== undefined && key !== 'STAFF_PASSPORT_CONFIG' && !key.startsWith('ELECTRON_RUN_AS_NODE')) env[key] = value;
  }
  const app = await _electron.launch({
    // Always explicit: the electron package's own lookup would try to download the binary.
    executablePath: electron.executablePath,
    args: [MAIN_JS, '--data-dir', dataDir],
    cwd: ROOT,
    env,
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page };
}

test.describe('Electron shell: first run', () => {
  test.skip(!electron.found, `Electron is absent on this machine, so the Electron first run cannot be tested here: ${electron.found ? '' : electron.reason}. The same journey runs in browser mode (tests/e2e).`);

  let dataDir: string;

  test.beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dsp-electron-'));
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  test.afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the window is sandboxed, on app://, and offers only window.dsp', async () => {
    const { app, page } = await launch(dataDir);
    try {
      expect(new URL(page.url()).protocol).toBe('app:');
      expect(new URL(page.url()).host).toBe('staff-passport');

      const world = await page.evaluate(() => {
        const g = globalThis as Record<string, unknown>;
        return {
          require: typeof g.require,
          process: typeof g.process,
          module: typeof g.module,
          dspKeys: Object.keys(g.dsp ?? {}).sort(),
          popup: (g.open as (url: string) => unknown)('app://staff-passport/index.html') === null,
        };
      });
      expect(world).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', dspKeys: ['invoke', 'on'], popup: true });
      expect(app.windows()).toHaveLength(1);

      const responses = await page.evaluate(async () => {
        const index = await fetch('app://staff-passport/index.html');
        // dist/renderer/../../package.json is the project's package.json: it exists, so only the
        // traversal check stands between the page and it.
        const traversal = await fetch('app://staff-passport/%2e%2e/%2e%2e/package.json');
        const encodedSlash = await fetch('app://staff-passport/..%2F..%2Fpackage.json');
        return {
          csp: index.headers.get('content-security-policy'),
          nosniff: index.headers.get('x-content-type-options'),
          traversal: traversal.status,
          encodedSlash: encodedSlash.status,
        };
      });
      expect(responses.csp).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
      );
      expect(responses.nosniff).toBe('nosniff');
      // Chromium folds %2e%2e into .. and then drops it at the root, so this asks for dist/renderer/package.json.
      expect(responses.traversal).toBe(404);
      expect(responses.encodedSlash).toBe(400);

      // The door validates names in the preload, and the dispatcher refuses unknown operations.
      const unknown = await page.evaluate(() => (globalThis as unknown as PageWithDoor).dsp.invoke('no.such.operation', {}));
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
      const notAString = await page.evaluate(async () => {
        try {
          await (globalThis as unknown as PageWithDoor).dsp.invoke(42, {});
          return 'accepted';
        } catch (error) {
          return String(error);
        }
      });
      expect(notAString).toContain('must be a non-empty string');

      // Navigation away from app:// is blocked: the page stays where it is.
      const before = page.url();
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href = 'file:///etc/hosts';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
    } finally {
      await app.close();
    }
  });

  test('an empty data folder: set up the trust, keep the recovery code, sign in, see the home page', async () => {
    const { app, page } = await launch(dataDir);
    try {
      await expect(page.getByRole('heading', { level: 1, name: 'Set up Staff Passport for your trust' })).toBeVisible();
      await page.getByLabel('ODS code', { exact: true }).fill(TRUST.odsCode);
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByLabel('Trust name', { exact: true }).fill(TRUST.name);
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByLabel('Full name', { exact: true }).fill(ADMIN.name);
      await page.getByLabel('Email address', { exact: true }).fill(ADMIN.email);
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByLabel('Confirm password', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page.getByRole('heading', { level: 1, name: 'Check your answers' })).toBeVisible();
      await expect(page.getByText(TRUST.name)).toBeVisible();
      await page.screenshot({ path: join(SCREENSHOTS, 'first-run-1-check-answers.png'), fullPage: true });
      await page.getByRole('button', { name: 'Set up Staff Passport' }).click();

      await expect(page.getByRole('heading', { level: 1, name: 'Your recovery code' })).toBeVisible({ timeout: 60_000 });
      const recoveryCode = (await page.getByTestId('recovery-code').innerText()).trim();
      expect(recoveryCode.length).toBeGreaterThanOrEqual(20);
      await page.screenshot({ path: join(SCREENSHOTS, 'first-run-2-recovery-code.png'), fullPage: true });
      await page.getByLabel('I have stored the recovery code somewhere safe').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
      await page.getByLabel('Email address', { exact: true }).fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await expect(page.getByRole('banner')).toContainText(TRUST.name, { timeout: 60_000 });
      await expect(page.getByRole('link', { name: /Invitations pending/ })).toBeVisible();
      await page.screenshot({ path: join(SCREENSHOTS, 'first-run-3-home.png'), fullPage: true });
    } finally {
      await app.close();
    }

    // The store closed cleanly and the single-instance lock was released: a second run opens at sign in.
    const again = await launch(dataDir);
    try {
      await expect(again.page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
    } finally {
      await again.app.close();
    }
  });
});
