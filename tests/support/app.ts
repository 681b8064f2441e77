// Test helpers: a real app on a real encrypted database in a fresh temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions, type StaffPassportApp } from '../../main/app.ts';
import { silentLogger } from '../../main/platform/log.ts';
import type { InputOf, OperationName, OutputOf } from '../../main/api/contract.ts';
import type { WireError } from '../../main/errors.ts';

/** Cheap scrypt for tests only; the app's default is N=2^17. */
export const TEST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

export const TRUST = { odsCode: 'RHQ', trustName: 'Sheffield Teaching Hospitals NHS Foundation Trust' };
export const ADMIN = { adminName: 'Asha Patel', adminEmail: 'asha.patel@nhs.net', password: 'correct horse battery staple' };

export function tempDir(prefix = 'dsp-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export class Clock {
  time = Date.parse('2026-11-22T09:00:00Z');
  now = () => new Date(this.time);
  advanceMinutes(minutes: number): void {
    this.time += minutes * 60_000;
  }
}

export async function startApp(dataDir: string, options: Partial<AppOptions> = {}): Promise<StaffPassportApp> {
  return createApp({
    dataDir,
    scrypt: TEST_SCRYPT,
    log: silentLogger,
    lockCheckMs: 0,
    systemsCheckMs: 0,
    configSources: { machineFilePath: null, readPolicy: async () => null },
    ...options,
  });
}

/** Calls an operation and returns its value, failing the test with the error otherwise. */
export async function call<N extends OperationName>(app: StaffPassportApp, op: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await app.dispatch(op, input);
  if (!result.ok) throw new Error(`${op} failed: ${JSON.stringify(result.error)}`);
  return result.value as OutputOf<N>;
}

/** Calls an operation that must fail and returns its error. */
export async function refused(app: StaffPassportApp, op: string, input: unknown): Promise<WireError> {
  const result = await app.dispatch(op, input);
  if (result.ok) throw new Error(`${op} was expected to fail but returned ${JSON.stringify(result.value)}`);
  return result.error;
}

/** First run through the door: returns the recovery code. */
export async function setUpTrust(app: StaffPassportApp): Promise<{ recoveryCode: string; adminUserId: string }> {
  const { recoveryCode } = await call(app, 'setup.start', { ...TRUST, ...ADMIN, confirmPassword: ADMIN.password });
  const { adminUserId } = await call(app, 'setup.finish', { recoveryCodeStored: true });
  return { recoveryCode, adminUserId };
}

export async function signInAdmin(app: StaffPassportApp): Promise<void> {
  await call(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
}

export const HR_USER = { name: 'Hana Ruiz', email: 'hana.ruiz@nhs.net', password: 'mango pillow river tundra' };

/** Adds Hana Ruiz as an HR user (not an administrator) and leaves her signed in, her own password set. */
export async function signInHrUser(app: StaffPassportApp): Promise<typeof HR_USER> {
  const { temporaryPassword } = await call(app, 'users.add', { name: HR_USER.name, email: HR_USER.email, role: 'hr' });
  await call(app, 'session.signOut', {});
  await call(app, 'session.signIn', { email: HR_USER.email, password: temporaryPassword });
  await call(app, 'session.changePassword', { currentPassword: temporaryPassword, newPassword: HR_USER.password, confirmPassword: HR_USER.password });
  return HR_USER;
}

/** How many rows a table of the open store holds. */
export async function countRows(app: StaffPassportApp, table: string): Promise<number> {
  const [{ n }] = (await app.vault.open.store.knex(table).count({ n: '*' })) as [{ n: number }];
  return Number(n);
}
