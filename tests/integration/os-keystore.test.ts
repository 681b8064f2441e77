// The optional key slot protected by the operating system's key store (DPAPI through Electron's
// safeStorage). The OS key store is outside this process and has no sandbox, so a stand-in that
// seals with its own secret plays it here; Electron's real one is in electron/os-keystore.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import type { OsKeystore } from '../../main/platform/keyslots.ts';
import { DataFolder } from '../../main/platform/data-folder.ts';

function standInKeystore(backend = 'dpapi', secret = randomBytes(32)): OsKeystore {
  return {
    backend,
    isAvailable: () => true,
    encrypt(plain) {
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', secret, iv);
      return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
    },
    decrypt(wrapped) {
      const decipher = createDecipheriv('aes-256-cbc', secret, wrapped.subarray(0, 16));
      return Buffer.concat([decipher.update(wrapped.subarray(16)), decipher.final()]);
    },
  };
}

describe('the OS key store slot', () => {
  let dir: string;
  let app: StaffPassportApp;
  const keystore = standInKeystore();

  beforeEach(async () => {
    dir = tempDir();
    app = await startApp(dir, { osKeystore: keystore });
    await setUpTrust(app);
    await signInAdmin(app);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('opens the store at start-up when switched on, yet still asks for a password', async () => {
    expect(await call(app, 'keystore.get', {})).toEqual({ available: true, backend: 'dpapi', enabled: false });
    await call(app, 'keystore.set', { enabled: true });
    expect((await call(app, 'keystore.get', {})).enabled).toBe(true);
    await app.close();
    app = await startApp(dir, { osKeystore: keystore });
    expect(app.vault.isOpen).toBe(true);
    const status = await call(app, 'app.status', {});
    expect(status.state).toBe('signed-out');
    expect(status.trust?.odsCode).toBe('RHQ');
    // A wrong password is audited straight into the chain.
    await refused(app, 'session.signIn', { email: 'asha.patel@nhs.net', password: 'wrong password here' });
    expect(app.vault.open.slots.hasOsKeystoreSlot()).toBe(true);
  });

  it('is never copied into a backup, and a changed key store only means signing in with a password', async () => {
    await call(app, 'keystore.set', { enabled: true });
    const { backupFolder } = await call(app, 'backup.create', { folder: dir });
    expect(readFileSync(`${backupFolder}/staff-passport.keys.json`, 'utf8')).not.toContain('os-keystore');
    await app.close();
    // A new PC or roaming profile: the key store cannot open the slot; passwords still work.
    app = await startApp(dir, { osKeystore: standInKeystore('dpapi') });
    expect(app.vault.isOpen).toBe(false);
    await signInAdmin(app);
    expect((await call(app, 'app.status', {})).state).toBe('signed-in');
  });

  it('refuses to switch on where there is no usable key store, and can be switched off', async () => {
    await app.close();
    app = await startApp(dir, { osKeystore: { ...standInKeystore(), isAvailable: () => false } });
    await signInAdmin(app);
    expect(await call(app, 'keystore.get', {})).toMatchObject({ available: false, backend: null });
    expect((await refused(app, 'keystore.set', { enabled: true })).code).toBe('conflict');
    await call(app, 'keystore.set', { enabled: false });
    expect(readFileSync(new DataFolder(dir).keySlotsPath, 'utf8')).not.toContain('os-keystore');
  });
});
