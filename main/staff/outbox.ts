// Messages to staff (invitations by email and text message) wait in the store's outbox until a
// sender has taken them. Queued in the same transaction as the change that caused them, so a crash
// never loses one; delivered at least once (a sender is given the message id to drop repeats).
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { writeFileAtomic } from '../platform/files.ts';
import type { Logger } from '../platform/log.ts';

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

/** Where messages go. The default writes files; a real email/SMS gateway plugs in here later. */
export interface MessageSender {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

/** Writes each message as a JSON file named by its id, so a repeat overwrites rather than doubles. */
export class FolderSender implements MessageSender {
  readonly name = 'folder';
  readonly folder: string;

  constructor(folder: string) {
    this.folder = folder;
  }

  async send(message: OutgoingMessage): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.folder, `${message.id}.json`), `${JSON.stringify(message, null, 2)}\n`);
  }
}

export interface MessageRow {
  id: string;
  passport_id: string | null;
  kind: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  created_at: string;
  state: 'queued' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
}

export interface NewMessage {
  passportId: string;
  kind: 'invitation';
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
}

/** After this many failed tries a message is marked failed and shown as such. */
const MAX_ATTEMPTS = 10;
const BATCH = 200;

function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** (attempts - 1), 6 * 60 * 60_000);
}

export class Outbox {
  private readonly knex: () => Knex;
  private readonly sender: MessageSender;
  private readonly now: () => Date;
  private readonly log: Logger;
  private running: Promise<number> | null = null;

  constructor(knex: () => Knex, sender: MessageSender, now: () => Date, log: Logger) {
    this.knex = knex;
    this.sender = sender;
    this.now = now;
    this.log = log;
  }

  /** Queues messages inside the caller's transaction. */
  static async enqueue(trx: Knex, messages: NewMessage[], at: string): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((message) => ({
      id: randomUUID(),
      passport_id: message.passportId,
      kind: message.kind,
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject,
      body: message.body,
      created_at: at,
      state: 'queued',
      attempts: 0,
      next_attempt_at: at,
    }));
    // SQLite allows 999 bound values per statement by default; 13 columns a row.
    for (let i = 0; i < rows.length; i += 70) await trx('outbox_messages').insert(rows.slice(i, i + 70));
  }

  static async forPassport(knex: Knex, passportId: string): Promise<MessageRow[]> {
    return (await knex('outbox_messages').where({ passport_id: passportId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'channel' }])) as MessageRow[];
  }

  /** Starts a delivery run unless one is going; resolves with how many were sent. */
  deliver(): Promise<number> {
    this.running ??= this.deliverDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Waits for a delivery run in progress, so that the store can close under it safely. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async deliverDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const knex = this.knex();
      const due = (await knex('outbox_messages')
        .where({ state: 'queued' })
        .andWhere('next_attempt_at', '<=', this.now().toISOString())
        .orderBy('next_attempt_at')
        .limit(BATCH)) as MessageRow[];
      if (due.length === 0) return sent;
      // Marked sent in one transaction per batch: a crash before it means those messages go again,
      // which a sender tolerates because each carries its id.
      const delivered: string[] = [];
      const failures: Array<{ row: MessageRow; reason: string }> = [];
      for (const row of due) {
        try {
          await this.sender.send({ id: row.id, channel: row.channel, recipient: row.recipient, subject: row.subject, body: row.body, createdAt: row.created_at });
          delivered.push(row.id);
        } catch (error) {
          failures.push({ row, reason: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) });
        }
      }
      const at = this.now();
      await knex.transaction(async (trx) => {
        for (let i = 0; i < delivered.length; i += 500) {
          await trx('outbox_messages')
            .whereIn('id', delivered.slice(i, i + 500))
            .update({ state: 'sent', sent_at: at.toISOString(), attempts: trx.raw('attempts + 1'), last_error: null });
        }
        for (const { row, reason } of failures) {
          const attempts = row.attempts + 1;
          this.log.warn('message not sent', { messageId: row.id, sender: this.sender.name, attempts });
          await trx('outbox_messages')
            .where({ id: row.id })
            .update({
              attempts,
              last_error: reason,
              state: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued',
              next_attempt_at: new Date(at.getTime() + retryDelayMs(attempts)).toISOString(),
            });
        }
      });
      sent += delivered.length;
      if (due.length < BATCH) return sent;
    }
  }
}
