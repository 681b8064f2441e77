// The vault: the data folder, its key slots and, once unlocked, the open store and its key.
// The key lives only here, in the main process, and never crosses the door.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';
import { AuditLog, type AuditEntry } from './audit.ts';
import type { DataFolder } from './data-folder.ts';
import { KeySlots, type OsKeystore, type ScryptParams } from './keyslots.ts';
import { openStore, type Store } from './store.ts';

export interface OpenVault {
  store: Store;
  key: Buffer;
  slots: KeySlots;
  audit: AuditLog;
}

export class Vault {
  readonly folder: DataFolder;
  readonly scrypt: ScryptParams;
  readonly osKeystore: OsKeystore | null;
  private slotsCache: KeySlots | null = null;
  private opened: OpenVault | null = null;
  private readonly openListeners: Array<(vault: OpenVault) => Promise<void>> = [];

  constructor(folder: DataFolder, scrypt: ScryptParams, osKeystore: OsKeystore | null) {
    this.folder = folder;
    this.scrypt = scrypt;
    this.osKeystore = osKeystore;
  }

  get isOpen(): boolean {
    return this.opened !== null;
  }

  /** The open store, or a refusal when nobody has unlocked it yet. */
  get open(): OpenVault {
    if (!this.opened) throw new AppError('not-signed-in', 'Sign in to continue.');
    return this.opened;
  }

  /** Runs once each time the store opens (loading settings, flushing queued audit entries). */
  onOpen(listener: (vault: OpenVault) => Promise<void>): void {
    this.openListeners.push(listener);
  }

  slots(): KeySlots {
    this.slotsCache ??= KeySlots.load(this.folder.keySlotsPath);
    return this.slotsCache;
  }

  /** Opens the store with a key from a slot; a second unlock must produce the same key. */
  async unlock(key: Buffer): Promise<OpenVault> {
    if (this.opened) {
      if (!timingSafeEqual(this.opened.key, key)) throw new AppError('wrong-key', 'That key does not open this database.');
      return this.opened;
    }
    const state = this.folder.state();
    if (state.kind === 'broken') throw new AppError('store-corrupt', state.problem);
    const store = await openStore({ filename: this.folder.databasePath, key, mustExist: true });
    const opened: OpenVault = { store, key, slots: this.slots(), audit: new AuditLog(store.knex) };
    this.opened = opened;
    try {
      await this.flushPendingAudit(opened);
      for (const listener of this.openListeners) await listener(opened);
    } catch (error) {
      this.opened = null;
      await store.close();
      throw error;
    }
    return opened;
  }

  async openWithOsKeystore(): Promise<boolean> {
    if (!this.osKeystore || this.folder.state().kind !== 'ready') return false;
    const key = this.slots().unlockWithOsKeystore(this.osKeystore);
    if (!key) return false;
    await this.unlock(key);
    return true;
  }

  /** Audit to the chain when open; otherwise to the pending file, which joins the chain on open. */
  async audit(entry: AuditEntry): Promise<void> {
    if (this.opened) await this.opened.audit.append([entry]);
    else if (this.folder.state().kind !== 'empty') await this.folder.appendPendingAudit(entry);
    // With an empty folder there is no instance yet to audit for (before set-up).
  }

  private async flushPendingAudit(opened: OpenVault): Promise<void> {
    const pending = this.folder.readPendingAudit();
    if (pending.length === 0) return;
    await opened.audit.append(pending);
    await this.folder.clearPendingAudit();
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    if (opened) await opened.store.close();
  }
}
