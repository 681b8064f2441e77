// Starts the app in browser mode on a fresh data folder, the way a person would, and gives the
// test its printed address. Also: accessibility checks and screenshots kept as artifacts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Sandbox } from '../sandbox/server.ts';

// jsqr is CommonJS: Node hands over module.exports, whose `default` is the decoder (as the types say).
const jsQR = jsQRModule.default;

const root = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(root, 'tests/e2e/artifacts');

export interface RunningApp {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startWebApp(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dsp-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'main/web.ts'), '--data-dir', dataDir, '--port', '0', '--public-port', '0'], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`browser mode exited (${code}): ${stderr}`)));
  });
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** No serious or critical WCAG 2.2 AA violations on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const TRUST_NAME = 'Sheffield Teaching Hospitals NHS Foundation Trust';
export const ADMIN = { name: 'Asha Patel', email: 'asha.patel@nhs.net', password: 'correct horse battery staple' };

/** Sets the trust up through the door itself (the wizard has its own test), returning the recovery code. */
export async function setUpThroughTheDoor(running: RunningApp): Promise<string> {
  const url = new URL(running.url);
  const token = url.searchParams.get('token')!;
  const post = async (op: string, body: unknown) => {
    const response = await fetch(`${url.origin}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const result = (await response.json()) as { ok: boolean; value: { recoveryCode?: string } };
    if (!result.ok) throw new Error(`${op} failed: ${JSON.stringify(result)}`);
    return result.value;
  };
  const { recoveryCode } = await post('setup.start', {
    odsCode: 'RHQ',
    trustName: TRUST_NAME,
    adminName: ADMIN.name,
    adminEmail: ADMIN.email,
    password: ADMIN.password,
    confirmPassword: ADMIN.password,
  });
  await post('setup.finish', { recoveryCodeStored: true });
  return recoveryCode!;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Runs the axe check and keeps a screenshot of the page as it is now. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await keepScreenshot(page, name);
}

/** Presses Tab until the element has focus: proves it can be reached by keyboard alone. */
export async function tabTo(page: Page, target: Locator, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    // The root tsconfig has no DOM types (main/ must not see browser globals), hence globalThis.
    if (await target.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)) return;
  }
  throw new Error(`could not reach ${target.toString()} with the Tab key`);
}

/** Tabs to a control and presses Enter on it. */
export async function press(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

/** The NHS.UK error summary (a success banner is an alert too). */
export function problem(page: Page): Locator {
  return page.getByRole('alert').filter({ hasText: 'There is a problem' });
}

/** Calls an operation from the signed-in page, as the renderer would (the session cookie goes along). */
export async function door<T = unknown>(page: Page, op: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    },
    [op, input] as const,
  );
  if (!result.ok) throw new Error(`${op} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** A fresh app, set up through the door, with the administrator signed in on its page. */
export async function startSignedIn(page: Page, options: Parameters<typeof startWebApp>[0] = {}): Promise<RunningApp> {
  const running = await startWebApp(options);
  await setUpThroughTheDoor(running);
  await page.goto(running.url);
  await signIn(page, ADMIN.email, ADMIN.password);
  return running;
}

/**
 * Adds Ben Okafor as an HR user through the door, then signs him in on screen with his temporary
 * password and changes it there, as he would, ending on Home. (Signing in through the door raced
 * the page: its own sign-in and the pushed session change could land after a reload.)
 */
export async function signInHrUserThroughTheDoor(page: Page, running: RunningApp): Promise<void> {
  const { temporaryPassword } = await door<{ temporaryPassword: string }>(page, 'users.add', { name: 'Ben Okafor', email: 'ben.okafor@nhs.net', role: 'hr' });
  await door(page, 'session.signOut', {});
  await page.goto(`${new URL(running.url).origin}/#/home`);
  await page.reload();
  await signIn(page, 'ben.okafor@nhs.net', temporaryPassword);
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  const password = 'plum tractor lantern ocean';
  await page.getByLabel('Current password').fill(temporaryPassword);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
}

/**
 * Reads a QR code the way a phone's camera would: from a screenshot of the element as drawn, not
 * from its source. The element screenshot is kept too (`<name>.png`), to look at.
 */
export async function scanQr(qr: Locator, name: string): Promise<string> {
  await expect(qr).toBeVisible();
  mkdirSync(ARTIFACTS, { recursive: true });
  const image = PNG.sync.read(await qr.screenshot({ path: join(ARTIFACTS, `${name}.png`) }));
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  if (!code) throw new Error(`no QR code could be read from a screenshot of ${qr.toString()} (${image.width}×${image.height} pixels)`);
  return code.data;
}

/** A staff member invited and their identity confirmed through the door (those screens have their own test); their passport id. */
export async function identityConfirmedThroughTheDoor(page: Page, who: { firstName: string; lastName: string; email: string; mobile: string; birthDate?: string }): Promise<string> {
  const [year, month, day] = (who.birthDate ?? '1990-06-15').split('-') as [string, string, string];
  const dateOfBirth = { day, month, year };
  const { passportId } = await door<{ passportId: string }>(page, 'staff.invite', {
    profile: { firstName: who.firstName, lastName: who.lastName, email: who.email, mobile: who.mobile, dateOfBirth, staffGroup: 'nursing-midwifery-registered', employmentType: 'permanent-or-fixed-term', employmentStatus: 'new-starter' },
  });
  const { version } = await door<{ version: number }>(page, 'staff.get', { passportId });
  await door(page, 'staff.confirmIdentity', {
    passportId,
    version,
    identity: {
      // A real 1×1 PNG.
      photo: { mediaType: 'image/png', base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' },
      firstName: who.firstName,
      lastName: who.lastName,
      dateOfBirth,
      legalGender: 'female',
      nationality: 'British',
      address: { line1: '1 Infirmary Road', town: 'Sheffield', postcode: 'S6 3DF' },
      document: { type: 'passport', number: '123456789', issuingCountry: 'United Kingdom', expiryDate: { day: '1', month: '6', year: String(new Date().getFullYear() + 5) } },
    },
  });
  return passportId;
}

/**
 * Marks the page so that a test can tell later that it was not loaded again: what changed on it
 * since came by the main side's events, not by a reload.
 */
export async function markPage(page: Page): Promise<() => Promise<boolean>> {
  const mark = `dsp-${Date.now()}-${Math.random()}`;
  await page.evaluate((value) => ((globalThis as unknown as { dspMark?: string }).dspMark = value), mark);
  return async () => (await page.evaluate(() => (globalThis as unknown as { dspMark?: string }).dspMark)) === mark;
}

const SANDBOX_OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records'] as const;
let sandboxClients = 0;

/** A connection to a sandbox system added through the door (its screens have their own test), its key set registered with the sandbox. */
export async function connectToSandboxThroughTheDoor(page: Page, sandbox: Sandbox, kind: 'esr' | 'learning', name: string): Promise<string> {
  const clientId = `staff-passport-e2e-${process.pid}-${++sandboxClients}`;
  const added = await door<{ connectionId: string; jwks: { content: string } }>(page, 'connections.add', {
    kind,
    name,
    baseUrl: sandbox.systems[kind].baseUrl,
    organisation: 'RHQ',
    tokenUrl: sandbox.tokenUrl,
    clientId,
    operations: [...SANDBOX_OPERATIONS],
  });
  sandbox.registerClient({ clientId, jwks: JSON.parse(added.jwks.content) as Parameters<Sandbox['registerClient']>[0]['jwks'], permissions: [{ system: kind, organisation: 'RHQ', operations: [...SANDBOX_OPERATIONS] }] });
  return added.connectionId;
}
