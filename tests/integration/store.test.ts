// The encrypted store: ciphertext on disk, key slots, damage and version checks, crash safety.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { ADMIN, call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { DataFolder } from '../../main/platform/data-folder.ts';
import { KeySlots } from '../../main/platform/keyslots.ts';
import { openStore } from '../../main/platform/store.ts';

describe('the encrypted store', () => {
  let dir: string;
  let app: StaffPassportApp;
  let folder: DataFolder;

  beforeEach(async () => {
    dir = tempDir();
    folder = new DataFolder(dir);
    app = await startApp(dir);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('is not readable as plain SQLite and holds no plain text', async () => {
    await setUpTrust(app);
    await app.close();
    const bytes = readFileSync(folder.databasePath);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    expect(bytes.includes(Buffer.from('Sheffield Teaching'))).toBe(false);
    expect(bytes.includes(Buffer.from(ADMIN.adminEmail))).toBe(false);
    const plain = new Database(folder.databasePath, { fileMustExist: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    // The key file holds no personal data either.
    expect(readFileSync(folder.keySlotsPath, 'utf8')).not.toContain('asha');
  });

  it('opens nothing without a valid slot: wrong password, wrong recovery code, unknown user', async () => {
    const { recoveryCode } = await setUpTrust(app);
    await app.close();
    app = await startApp(dir);
    expect((await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: 'not the right password' })).code).toBe('wrong-credentials');
    expect((await refused(app, 'session.signIn', { email: 'nobody@nhs.net', password: ADMIN.password })).code).toBe('wrong-credentials');
    expect(app.vault.isOpen).toBe(false);
    const slots = KeySlots.load(folder.keySlotsPath);
    expect(await slots.unlockWithRecoveryCode('0000-0000-0000-0000-0000-0000-0000-0000')).toBeNull();
    const key = await slots.unlockWithRecoveryCode(recoveryCode.toLowerCase().replace(/-/g, ' '));
    expect(key).not.toBeNull();
    // A random key is refused by the probe rather than yielding an empty database.
    await expect(openStore({ filename: folder.databasePath, key: Buffer.alloc(32, 7), mustExist: true })).rejects.toMatchObject({ code: 'store-corrupt' });
  });

  it('leaves the database untouched after wrong passwords', async () => {
    await setUpTrust(app);
    await app.close();
    const before = readFileSync(folder.databasePath);
    const beforeKeys = readFileSync(folder.keySlotsPath);
    app = await startApp(dir);
    await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: 'wrong password entirely' });
    expect(readFileSync(folder.databasePath).equals(before)).toBe(true);
    expect(readFileSync(folder.keySlotsPath).equals(beforeKeys)).toBe(true);
  });

  it('names a missing key file, and never re-creates it', async () => {
    await setUpTrust(app);
    await app.close();
    rmSync(folder.keySlotsPath);
    const before = readFileSync(folder.databasePath);
    app = await startApp(dir);
    const status = await call(app, 'app.status', {});
    expect(status.state).toBe('unavailable');
    expect(status.problem).toContain(folder.keySlotsPath);
    expect((await refused(app, 'setup.start', { odsCode: 'RHQ', trustName: 'X', adminName: 'Y', adminEmail: 'y@nhs.net', password: ADMIN.password, confirmPassword: ADMIN.password })).code).toBe('already-set-up');
    expect((await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password })).message).toContain(folder.keySlotsPath);
    expect(existsSync(folder.keySlotsPath)).toBe(false);
    expect(readFileSync(folder.databasePath).equals(before)).toBe(true);
  });

  it('names a corrupt database file, and never overwrites it', async () => {
    await setUpTrust(app);
    await app.close();
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(folder.databasePath, garbage);
    app = await startApp(dir);
    const error = await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    expect(error.code).toBe('store-corrupt');
    expect(error.message).toContain(folder.databasePath);
    expect(readFileSync(folder.databasePath).equals(garbage)).toBe(true);
  });

  it('names a damaged key file', async () => {
    await setUpTrust(app);
    await app.close();
    writeFileSync(folder.keySlotsPath, '{"format": 1, "slots": "nope"}');
    app = await startApp(dir);
    const error = await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    expect(error.code).toBe('store-key-missing');
    expect(error.message).toContain(folder.keySlotsPath);
    expect(readFileSync(folder.keySlotsPath, 'utf8')).toBe('{"format": 1, "slots": "nope"}');
  });

  it('refuses a database written by a newer version of the app', async () => {
    const { recoveryCode } = await setUpTrust(app);
    await app.close();
    const key = (await KeySlots.load(folder.keySlotsPath).unlockWithRecoveryCode(recoveryCode))!;
    const store = await openStore({ filename: folder.databasePath, key, mustExist: true });
    await store.knex('knex_migrations').insert({ name: '9999_from_the_future', batch: 99, migration_time: new Date().toISOString() });
    await store.close();
    app = await startApp(dir);
    const error = await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    expect(error.code).toBe('store-too-new');
    expect(error.message).toMatch(/newer version/);
  });

  it('changing a password rewraps only that user\'s slot; deactivating removes it', async () => {
    await setUpTrust(app);
    await signInAdmin(app);
    const { userId, temporaryPassword } = await call(app, 'users.add', { name: 'Ben Okafor', email: 'ben.okafor@nhs.net', role: 'hr' });
    const before = KeySlots.load(folder.keySlotsPath).snapshot();
    await call(app, 'session.signOut', {});
    await call(app, 'session.signIn', { email: 'ben.okafor@nhs.net', password: temporaryPassword });
    expect((await call(app, 'app.status', {})).user?.mustChangePassword).toBe(true);
    expect((await refused(app, 'home.summary', {})).code).toBe('password-change-required');
    await call(app, 'session.changePassword', { currentPassword: temporaryPassword, newPassword: 'plum tractor lantern ocean', confirmPassword: 'plum tractor lantern ocean' });
    const after = KeySlots.load(folder.keySlotsPath).snapshot();
    const byId = (file: typeof before) => Object.fromEntries(file.slots.map((slot) => [slot.id, JSON.stringify(slot)]));
    const [b, a] = [byId(before), byId(after)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const id of Object.keys(b)) {
      if (id === `user:${userId}`) expect(a[id]).not.toBe(b[id]);
      else expect(a[id]).toBe(b[id]);
    }
    await call(app, 'home.summary', {});
    await call(app, 'session.signOut', {});
    expect((await refused(app, 'session.signIn', { email: 'ben.okafor@nhs.net', password: temporaryPassword })).code).toBe('wrong-credentials');

    await signInAdmin(app);
    await call(app, 'users.deactivate', { userId });
    expect(KeySlots.load(folder.keySlotsPath).hasUserSlot(userId)).toBe(false);
    await call(app, 'session.signOut', {});
    expect((await refused(app, 'session.signIn', { email: 'ben.okafor@nhs.net', password: 'plum tractor lantern ocean' })).code).toBe('wrong-credentials');
  });

  it('keeps every committed row when the process is killed in the middle of a write transaction', async () => {
    const { recoveryCode } = await setUpTrust(app);
    await app.close();
    const key = (await KeySlots.load(folder.keySlotsPath).unlockWithRecoveryCode(recoveryCode))!;
    const script = fileURLToPath(new URL('../support/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, [script, folder.databasePath, key.toString('hex')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('committed ')) committed = Number(line.slice('committed '.length));
          // Kill while the next transaction is half written.
          if (line === 'writing' && committed >= 5) {
            child.kill('SIGKILL');
          }
        }
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without being killed (${signal})`))));
    });
    expect(committed).toBeGreaterThanOrEqual(5);
    const store = await openStore({ filename: folder.databasePath, key, mustExist: true });
    const integrity = (await store.knex.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
    expect(integrity[0]?.integrity_check).toBe('ok');
    // A kill is survived by any setting; a power cut only by syncing each commit (FULL = 2), which the store asks for.
    expect((await store.knex.raw('PRAGMA synchronous')) as Array<{ synchronous: number }>).toEqual([{ synchronous: 2 }]);
    const rows = (await store.knex('user_settings').where('key', 'like', 'crash-%').count({ n: '*' }).first()) as { n: number };
    // Each committed batch wrote 100 rows; the killed batch wrote none that survive.
    expect(Number(rows.n)).toBe(committed * 100);
    await store.close();
    expect(statSync(folder.databasePath).size).toBeGreaterThan(0);
  });
});

