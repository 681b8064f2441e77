import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { ADMIN, TRUST, call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { DataFolder } from '../../main/platform/data-folder.ts';

describe('first run', () => {
  let dir: string;
  let app: StaffPassportApp;

  beforeEach(async () => {
    dir = tempDir();
    app = await startApp(dir);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('starts in set-up, creates the trust and its administrator, then signs in', async () => {
    expect((await call(app, 'app.status', {})).state).toBe('needs-setup');
    const { recoveryCode } = await setUpTrust(app);
    expect(recoveryCode).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect((await call(app, 'app.status', {})).state).toBe('signed-out');
    await signInAdmin(app);
    const status = await call(app, 'app.status', {});
    expect(status).toMatchObject({ state: 'signed-in', trust: { odsCode: 'RHQ', name: TRUST.trustName }, user: { email: ADMIN.adminEmail, role: 'administrator' } });
  });

  it('stores nothing until the recovery code is confirmed', async () => {
    await call(app, 'setup.start', { ...TRUST, ...ADMIN, confirmPassword: ADMIN.password });
    const error = await refused(app, 'setup.finish', { recoveryCodeStored: false });
    expect(error.code).toBe('invalid-input');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['an invalid ODS code', { odsCode: 'R!' }, 'odsCode'],
    ['a weak password', { password: 'password', confirmPassword: 'password' }, 'password'],
    ['a mismatched confirmation', { confirmPassword: 'correct horse battery stapler' }, 'confirmPassword'],
    ['a bad email', { adminEmail: 'asha' }, 'adminEmail'],
  ])('refuses %s with a field error and stores nothing', async (_label, change, field) => {
    const error = await refused(app, 'setup.start', { ...TRUST, ...ADMIN, confirmPassword: ADMIN.password, ...change });
    expect(error.code).toBe('invalid-input');
    expect(error.fields.map((f) => f.field)).toContain(field);
    expect(new DataFolder(dir).state().kind).toBe('empty');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    await expect(refused(app, 'setup.finish', { recoveryCodeStored: true })).resolves.toMatchObject({ code: 'not-set-up' });
  });

  it('refuses a second set-up', async () => {
    await setUpTrust(app);
    const error = await refused(app, 'setup.start', { ...TRUST, ...ADMIN, confirmPassword: ADMIN.password });
    expect(error.code).toBe('already-set-up');
  });
});
