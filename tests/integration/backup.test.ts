// Backups restore on another machine with the recovery code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, TRUST, call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';

describe('backup and restore', () => {
  let dir: string;
  let app: StaffPassportApp;
  let other: StaffPassportApp | null = null;

  beforeEach(async () => {
    dir = tempDir();
    app = await startApp(join(dir, 'first-machine'));
  });
  afterEach(async () => {
    await app.close();
    await other?.close();
    other = null;
    removeDir(dir);
  });

  it('writes an encrypted copy with its key slots that restores elsewhere with the recovery code', async () => {
    const { recoveryCode } = await setUpTrust(app);
    await signInAdmin(app);
    const { userId } = await call(app, 'users.add', { name: 'Ben Okafor', email: 'ben.okafor@nhs.net', role: 'hr' });
    const { backupFolder } = await call(app, 'backup.create', { folder: dir });
    expect(readdirSync(backupFolder).sort()).toEqual(['staff-passport.db', 'staff-passport.keys.json']);

    other = await startApp(join(dir, 'second-machine'));
    const wrong = await refused(other, 'setup.restoreBackup', { backupFolder, recoveryCode: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH' });
    expect(wrong.code).toBe('wrong-credentials');
    expect((await call(other, 'app.status', {})).state).toBe('needs-setup');

    await call(other, 'setup.restoreBackup', { backupFolder, recoveryCode });
    await call(other, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    const status = await call(other, 'app.status', {});
    expect(status.trust).toEqual({ odsCode: TRUST.odsCode, name: TRUST.trustName });
    expect((await call(other, 'users.list', {})).users.map((u) => u.id)).toContain(userId);
  });

  it('refuses a folder that is not a backup, and a restore over an existing database', async () => {
    await setUpTrust(app);
    await signInAdmin(app);
    other = await startApp(join(dir, 'second-machine'));
    const notBackup = await refused(other, 'setup.restoreBackup', { backupFolder: dir, recoveryCode: 'x' });
    expect(notBackup.fields[0]?.field).toBe('backupFolder');
    expect(existsSync(join(dir, 'second-machine', 'staff-passport.db'))).toBe(false);
    const { backupFolder } = await call(app, 'backup.create', { folder: dir });
    expect((await refused(app, 'setup.restoreBackup', { backupFolder, recoveryCode: 'x' })).code).toBe('already-set-up');
    expect((await refused(app, 'backup.create', { folder: join(dir, 'no-such-folder') })).code).toBe('not-found');
  });
});
