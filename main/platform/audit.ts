// The audit log: who, when, which operation, which records (ids only) and the outcome. Rows are
// append-only (triggers refuse UPDATE and DELETE) and each is chained to the one before by a hash,
// with the head kept apart so that removing the newest rows shows too.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export type AuditOutcome = 'ok' | 'refused' | 'invalid' | 'failed';

export interface AuditEntry {
  at: string;
  actorUserId: string | null;
  operation: string;
  recordIds: string[];
  outcome: AuditOutcome;
  errorCode: string | null;
}

export interface AuditRow extends AuditEntry {
  seq: number;
}

const GENESIS = '0'.repeat(64);

function chainHash(prevHash: string, seq: number, entry: AuditEntry): string {
  const canonical = JSON.stringify([
    seq,
    entry.at,
    entry.actorUserId,
    entry.operation,
    entry.recordIds,
    entry.outcome,
    entry.errorCode,
  ]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

interface DbRow {
  seq: number;
  at: string;
  actor_user_id: string | null;
  operation: string;
  record_ids: string;
  outcome: AuditOutcome;
  error_code: string | null;
  prev_hash: string;
  hash: string;
}

function toEntry(row: DbRow): AuditRow {
  return {
    seq: row.seq,
    at: row.at,
    actorUserId: row.actor_user_id,
    operation: row.operation,
    recordIds: JSON.parse(row.record_ids) as string[],
    outcome: row.outcome,
    errorCode: row.error_code,
  };
}

export class AuditLog {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  /** Appends entries in order, inside the given transaction when there is one. */
  async append(entries: AuditEntry[], trx?: Knex.Transaction): Promise<void> {
    if (entries.length === 0) return;
    const write = async (db: Knex.Transaction) => {
      const head = (await db('audit_head').where({ id: 1 }).first()) as { seq: number; hash: string } | undefined;
      let seq = head?.seq ?? 0;
      let prevHash = head?.hash ?? GENESIS;
      for (const entry of entries) {
        seq += 1;
        const hash = chainHash(prevHash, seq, entry);
        await db('audit_log').insert({
          seq,
          at: entry.at,
          actor_user_id: entry.actorUserId,
          operation: entry.operation,
          record_ids: JSON.stringify(entry.recordIds),
          outcome: entry.outcome,
          error_code: entry.errorCode,
          prev_hash: prevHash,
          hash,
        });
        prevHash = hash;
      }
      await db('audit_head').insert({ id: 1, seq, hash: prevHash }).onConflict('id').merge();
    };
    if (trx) await write(trx);
    else await this.knex.transaction(write);
  }

  /** Newest first. */
  async list(options: { limit: number; beforeSeq?: number }): Promise<AuditRow[]> {
    const query = this.knex<DbRow>('audit_log').orderBy('seq', 'desc').limit(options.limit);
    if (options.beforeSeq !== undefined) query.where('seq', '<', options.beforeSeq);
    return ((await query) as DbRow[]).map(toEntry);
  }

  /** Recomputes the whole chain. Any edited, inserted or deleted row breaks it. */
  async verify(): Promise<{ ok: true; entries: number } | { ok: false; entries: number; brokenAtSeq: number; reason: string }> {
    const rows = (await this.knex<DbRow>('audit_log').orderBy('seq', 'asc')) as DbRow[];
    let prevHash = GENESIS;
    let expectedSeq = 1;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, entries: rows.length, brokenAtSeq: expectedSeq, reason: 'an entry is missing' };
      if (row.prev_hash !== prevHash) return { ok: false, entries: rows.length, brokenAtSeq: row.seq, reason: 'the chain is broken' };
      if (chainHash(prevHash, row.seq, toEntry(row)) !== row.hash) {
        return { ok: false, entries: rows.length, brokenAtSeq: row.seq, reason: 'an entry was changed' };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    const head = (await this.knex('audit_head').where({ id: 1 }).first()) as { seq: number; hash: string } | undefined;
    const headSeq = head?.seq ?? 0;
    if (headSeq !== rows.length || (head?.hash ?? GENESIS) !== prevHash) {
      return { ok: false, entries: rows.length, brokenAtSeq: rows.length + 1, reason: 'the newest entries are missing' };
    }
    return { ok: true, entries: rows.length };
  }
}
