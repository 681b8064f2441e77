// Backups for administrators: the encrypted database file (already ciphertext) and its portable key
// slots, in a new folder. A backup restores on another machine with the recovery code.
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { DATABASE_FILE, KEY_SLOTS_FILE, type DataFolder } from './data-folder.ts';
import { KeySlots } from './keyslots.ts';
import { openStore } from './store.ts';
import { writeFileAtomic } from './files.ts';
import type { OpenVault } from './vault.ts';
import type Database from 'better-sqlite3-multiple-ciphers';

type RawDatabase = Database.Database;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export async function createBackup(opened: OpenVault, parentFolder: string, now: Date): Promise<string> {
  if (!existsSync(parentFolder)) throw new AppError('not-found', `The folder ${parentFolder} does not exist.`, { fields: [{ field: 'folder', message: 'Enter a folder that exists' }] });
  const target = join(parentFolder, `staff-passport-backup-${stamp(now)}`);
  await mkdir(target, { recursive: false }).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('conflict', error.code === 'EEXIST' ? `The backup folder ${target} already exists.` : `The backup folder ${target} could not be created.`, { cause: error });
  });
  try {
    // Holding the store's only connection keeps every other query out while the file is copied;
    // the checkpoint first moves the write-ahead log into the file so the copy is complete.
    const client = opened.store.knex.client as { acquireConnection(): Promise<RawDatabase>; releaseConnection(c: RawDatabase): Promise<void> };
    const connection = await client.acquireConnection();
    try {
      connection.pragma('wal_checkpoint(TRUNCATE)');
      await copyFile(opened.store.filename, join(target, DATABASE_FILE));
    } finally {
      await client.releaseConnection(connection);
    }
    await writeFileAtomic(join(target, KEY_SLOTS_FILE), `${JSON.stringify(opened.slots.portableCopy(), null, 2)}\n`);
    // Prove the copy opens with the same key before calling it a backup.
    const check = await openStore({ filename: join(target, DATABASE_FILE), key: opened.key, mustExist: true });
    await check.close();
  } catch (error) {
    await rm(target, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/** Restores a backup into an empty data folder, after proving the recovery code opens it. */
export async function restoreBackup(folder: DataFolder, backupFolder: string, recoveryCode: string): Promise<void> {
  if (folder.state().kind !== 'empty') throw new AppError('already-set-up', 'This computer already has a Staff Passport database. Restore only works on a new installation.');
  const sourceDb = join(backupFolder, DATABASE_FILE);
  const sourceKeys = join(backupFolder, KEY_SLOTS_FILE);
  if (!existsSync(sourceDb) || !existsSync(sourceKeys)) {
    throw new AppError('not-found', `The folder ${backupFolder} is not a Staff Passport backup: it needs ${DATABASE_FILE} and ${KEY_SLOTS_FILE}.`, {
      fields: [{ field: 'backupFolder', message: 'Enter the folder of a Staff Passport backup' }],
    });
  }
  const slots = KeySlots.load(sourceKeys);
  const key = await slots.unlockWithRecoveryCode(recoveryCode);
  if (!key) {
    throw new AppError('wrong-credentials', 'The recovery code does not open this backup.', { fields: [{ field: 'recoveryCode', message: 'Enter the recovery code shown when this trust was set up' }] });
  }
  // Copy, then prove the copy opens (and migrate it) before it takes the database's name.
  await folder.ensure();
  const staging = `${folder.databasePath}.restoring`;
  await copyFile(sourceDb, staging);
  try {
    const check = await openStore({ filename: staging, key, mustExist: true });
    await check.close();
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
  await rename(staging, folder.databasePath);
  await writeFileAtomic(folder.keySlotsPath, await readFile(sourceKeys));
}
