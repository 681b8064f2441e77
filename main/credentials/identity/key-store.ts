// Veramo's key store (used by @veramo/key-manager) on knex: which keys exist, their public halves
// and which KMS holds the private half. Private material never reaches this table.
import type { Knex } from 'knex';
import type { IKey, ManagedKeyInfo, TKeyType } from '@veramo/core';
import { AbstractKeyStore } from '@veramo/key-manager';
import { AppError } from '../../errors.ts';

export const KEYS_TABLE = 'issuer_keys';

export interface KeyRow {
  kid: string;
  kms: string;
  type: string;
  public_key_hex: string;
  meta: string | null;
  created_at: string;
}

export function keyFromRow(row: KeyRow): IKey {
  return {
    kid: row.kid,
    kms: row.kms,
    type: row.type as TKeyType,
    publicKeyHex: row.public_key_hex,
    meta: row.meta === null ? null : (JSON.parse(row.meta) as IKey['meta']),
  };
}

/** Writes a key's public metadata, keeping when it was first seen; used by the DID store too. */
export async function upsertKey(db: Knex, key: Partial<IKey>, now: string): Promise<void> {
  if (!key.kid || !key.kms || !key.type || !key.publicKeyHex) {
    throw new AppError('internal', 'A signing key is missing its id, type, public key or KMS.', { detail: `key ${key.kid ?? '(no kid)'}` });
  }
  const row: KeyRow = {
    kid: key.kid,
    kms: key.kms,
    type: key.type,
    public_key_hex: key.publicKeyHex,
    meta: key.meta ? JSON.stringify(key.meta) : null,
    created_at: now,
  };
  await db(KEYS_TABLE).insert(row).onConflict('kid').merge(['kms', 'type', 'public_key_hex', 'meta']);
}

export class KnexKeyStore extends AbstractKeyStore {
  private readonly db: Knex;
  private readonly now: () => Date;

  constructor(db: Knex, now: () => Date) {
    super();
    this.db = db;
    this.now = now;
  }

  async importKey(args: Partial<IKey>): Promise<boolean> {
    // Anything passed as privateKeyHex is dropped here: private keys live only in the sealed store.
    const { privateKeyHex: _private, ...publicPart } = args;
    await upsertKey(this.db, publicPart, this.now().toISOString());
    return true;
  }

  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const row = (await this.db(KEYS_TABLE).where({ kid }).first()) as KeyRow | undefined;
    if (!row) throw new AppError('not-found', 'The signing key is not in this database.', { detail: `not_found: key ${kid}` });
    return keyFromRow(row);
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    const deleted = await this.db(KEYS_TABLE).where({ kid }).delete();
    return deleted > 0;
  }

  async listKeys(_args: object = {}): Promise<ManagedKeyInfo[]> {
    const rows = (await this.db(KEYS_TABLE).select('*').orderBy('created_at').orderBy('kid')) as KeyRow[];
    return rows.map(keyFromRow);
  }
}
