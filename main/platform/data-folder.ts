// The data folder of one instance: the encrypted database, its key slots beside it, and the audit
// entries waiting for the store to open (failed sign-ins before anyone has unlocked it).
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, open, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry } from './audit.ts';

export const DATABASE_FILE = 'staff-passport.db';
export const KEY_SLOTS_FILE = 'staff-passport.keys.json';
const PENDING_AUDIT_FILE = 'audit-pending.jsonl';

const pendingEntry = z.object({
  at: z.string(),
  actorUserId: z.string().nullable(),
  operation: z.string(),
  recordIds: z.array(z.string()),
  outcome: z.enum(['ok', 'refused', 'invalid', 'failed']),
  errorCode: z.string().nullable(),
});

export type FolderState =
  | { kind: 'empty' }
  | { kind: 'ready' }
  | { kind: 'broken'; problem: string };

export class DataFolder {
  readonly dir: string;
  readonly databasePath: string;
  readonly keySlotsPath: string;
  readonly pendingAuditPath: string;

  constructor(dir: string) {
    this.dir = dir;
    this.databasePath = join(dir, DATABASE_FILE);
    this.keySlotsPath = join(dir, KEY_SLOTS_FILE);
    this.pendingAuditPath = join(dir, PENDING_AUDIT_FILE);
  }

  async ensure(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** What is in the folder. A half-present pair is never "fixed" by creating the missing file. */
  state(): FolderState {
    const hasDb = existsSync(this.databasePath);
    const hasKeys = existsSync(this.keySlotsPath);
    if (!hasDb && !hasKeys) return { kind: 'empty' };
    if (hasDb && !hasKeys) {
      return { kind: 'broken', problem: `The key file ${this.keySlotsPath} is missing, so the database ${this.databasePath} cannot be opened. Restore both files from a backup, or ask your IT team for help.` };
    }
    if (!hasDb && hasKeys) {
      return { kind: 'broken', problem: `The database file ${this.databasePath} is missing, but its key file ${this.keySlotsPath} is still there. Restore the database from a backup, or ask your IT team for help.` };
    }
    return { kind: 'ready' };
  }

  /** Appended and flushed to disk before the caller goes on. */
  async appendPendingAudit(entry: AuditEntry): Promise<void> {
    await appendFile(this.pendingAuditPath, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const handle = await open(this.pendingAuditPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  readPendingAudit(): AuditEntry[] {
    if (!existsSync(this.pendingAuditPath)) return [];
    const entries: AuditEntry[] = [];
    for (const line of readFileSync(this.pendingAuditPath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // A line cut short by a crash is the only way to get here; the rest still counts.
        continue;
      }
      const entry = pendingEntry.safeParse(parsed);
      if (entry.success) entries.push(entry.data);
    }
    return entries;
  }

  async clearPendingAudit(): Promise<void> {
    await rm(this.pendingAuditPath, { force: true });
  }
}

/** Where browser mode keeps its data by default, as a desktop app would on each platform. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Staff Passport Desktop');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Staff Passport Desktop');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'staff-passport-desktop');
}
