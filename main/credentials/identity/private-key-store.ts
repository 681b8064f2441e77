// Veramo's private-key store (used by @veramo/kms-local) on knex: every key is sealed by
// PrivateKeyCipher before it is written and opened only when kms-local asks for it to sign.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AbstractPrivateKeyStore, type ImportablePrivateKey, type ManagedPrivateKey } from '@veramo/key-manager';
import { AppError } from '../../errors.ts';
import type { PrivateKeyCipher } from './private-key-cipher.ts';

export const PRIVATE_KEYS_TABLE = 'issuer_private_keys';

interface PrivateKeyRow {
  alias: string;
  type: string;
  cipher: string;
  nonce: string;
  ciphertext: string;
  tag: string;
  created_at: string;
}

export class KnexPrivateKeyStore extends AbstractPrivateKeyStore {
  private readonly db: Knex;
  private readonly cipher: PrivateKeyCipher;
  private readonly now: () => Date;

  constructor(db: Knex, cipher: PrivateKeyCipher, now: () => Date) {
    super();
    this.db = db;
    this.cipher = cipher;
    this.now = now;
  }

  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    const alias = args.alias || randomUUID();
    const privateKeyHex = normaliseHex(args.privateKeyHex, alias);
    const existing = await this.row(alias);
    if (existing) {
      // Importing the same key again is harmless; a different key under the same alias is not.
      if (this.unseal(existing) !== privateKeyHex || existing.type !== args.type) {
        throw new AppError('conflict', 'A different signing key already exists under that name.', {
          detail: `key_already_exists: private key ${alias} exists with different data`,
        });
      }
      return { alias, type: existing.type, privateKeyHex };
    }
    const sealed = this.cipher.seal(alias, args.type, Buffer.from(privateKeyHex, 'hex'));
    const row: PrivateKeyRow = {
      alias,
      type: args.type,
      cipher: sealed.cipher,
      nonce: sealed.nonce.toString('base64'),
      ciphertext: sealed.ciphertext.toString('base64'),
      tag: sealed.tag.toString('base64'),
      created_at: this.now().toISOString(),
    };
    await this.db(PRIVATE_KEYS_TABLE).insert(row);
    return { alias, type: args.type, privateKeyHex };
  }

  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const row = await this.row(alias);
    if (!row) throw new AppError('not-found', 'The signing key is not in this database.', { detail: `not_found: private key ${alias}` });
    return { alias: row.alias, type: row.type, privateKeyHex: this.unseal(row) };
  }

  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    const deleted = await this.db(PRIVATE_KEYS_TABLE).where({ alias }).delete();
    return deleted > 0;
  }

  async listKeys(_args: object = {}): Promise<ManagedPrivateKey[]> {
    const rows = (await this.db(PRIVATE_KEYS_TABLE).select('*').orderBy('created_at').orderBy('alias')) as PrivateKeyRow[];
    return rows.map((row) => ({ alias: row.alias, type: row.type, privateKeyHex: this.unseal(row) }));
  }

  private async row(alias: string): Promise<PrivateKeyRow | undefined> {
    return (await this.db(PRIVATE_KEYS_TABLE).where({ alias }).first()) as PrivateKeyRow | undefined;
  }

  private unseal(row: PrivateKeyRow): string {
    const bytes = this.cipher.open(row.alias, row.type, {
      cipher: row.cipher,
      nonce: Buffer.from(row.nonce, 'base64'),
      ciphertext: Buffer.from(row.ciphertext, 'base64'),
      tag: Buffer.from(row.tag, 'base64'),
    });
    return bytes.toString('hex');
  }
}

function normaliseHex(value: string, alias: string): string {
  const hex = value.startsWith('0x') ? value.slice(2) : value;
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new AppError('invalid-input', 'The signing key is not in a form Staff Passport can store.', { detail: `private key ${alias}: not hex` });
  }
  return hex.toLowerCase();
}
