// The connections table: one row per authoritative system this trust talks to, with the client
// key pair it signs token requests with (private key sealed under the database key) and the hash
// of the API key that system sends with event notifications.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { SealedPrivateKey } from '../credentials/identity/private-key-cipher.ts';
import type { ConnectionInput, ConnectionKind, ConnectionOperation, ConnectionView } from './contract.ts';

export interface ConnectionRow {
  id: string;
  name: string;
  kind: ConnectionKind;
  base_url: string;
  organisation: string;
  token_url: string;
  client_id: string;
  operations: string;
  key_id: string;
  public_jwk: string;
  private_key_cipher: string;
  private_key_nonce: Buffer;
  private_key_ciphertext: Buffer;
  private_key_tag: Buffer;
  events_apikey_hash: string;
  status: 'unknown' | 'pass' | 'warn' | 'fail';
  status_checked_at: string | null;
  status_detail: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  removed_at: string | null;
}

/** A connection as the rest of the main side uses it (no secrets in it). */
export interface Connection {
  id: string;
  name: string;
  kind: ConnectionKind;
  baseUrl: string;
  organisation: string;
  tokenUrl: string;
  clientId: string;
  operations: ConnectionOperation[];
  keyId: string;
  version: number;
}

/** The API key an authoritative system sends with its events: random, shown once, kept hashed. */
export function newEventsApiKey(): { key: string; hash: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function connectionOf(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.base_url,
    organisation: row.organisation,
    tokenUrl: row.token_url,
    clientId: row.client_id,
    operations: JSON.parse(row.operations) as ConnectionOperation[],
    keyId: row.key_id,
    version: row.version,
  };
}

export function connectionView(row: ConnectionRow): ConnectionView {
  return {
    ...connectionOf(row),
    health: { state: row.status, checkedAt: row.status_checked_at, message: row.status_detail },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ConnectionsRepository {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  async list(): Promise<ConnectionRow[]> {
    return (await this.knex('connections').whereNull('removed_at').orderBy([{ column: 'name' }, { column: 'id' }])) as ConnectionRow[];
  }

  async get(id: string): Promise<ConnectionRow> {
    const row = (await this.knex('connections').where({ id }).whereNull('removed_at').first()) as ConnectionRow | undefined;
    if (!row) throw new AppError('not-found', 'That connection does not exist. It may have been removed.');
    return row;
  }

  /** Any connection, removed or not: links and events keep pointing at removed ones. */
  async getEvenIfRemoved(id: string): Promise<ConnectionRow | undefined> {
    return (await this.knex('connections').where({ id }).first()) as ConnectionRow | undefined;
  }

  async byApiKeyHash(hash: string): Promise<ConnectionRow | undefined> {
    return (await this.knex('connections').where({ events_apikey_hash: hash }).whereNull('removed_at').first()) as ConnectionRow | undefined;
  }

  async insert(row: {
    id: string;
    input: ConnectionInput;
    keyId: string;
    publicJwk: string;
    sealed: SealedPrivateKey;
    apiKeyHash: string;
    at: string;
  }): Promise<void> {
    await this.knex('connections').insert({
      id: row.id,
      ...columnsOf(row.input),
      key_id: row.keyId,
      public_jwk: row.publicJwk,
      private_key_cipher: row.sealed.cipher,
      private_key_nonce: row.sealed.nonce,
      private_key_ciphertext: row.sealed.ciphertext,
      private_key_tag: row.sealed.tag,
      events_apikey_hash: row.apiKeyHash,
      status: 'unknown',
      version: 1,
      created_at: row.at,
      updated_at: row.at,
    });
  }

  /** Optimistic: a stale version is refused, so two administrators never overwrite each other. */
  async update(id: string, version: number, input: ConnectionInput, at: string): Promise<void> {
    const changed = await this.knex('connections')
      .where({ id, version })
      .whereNull('removed_at')
      .update({ ...columnsOf(input), version: version + 1, updated_at: at, status: 'unknown', status_checked_at: null, status_detail: null });
    if (changed === 0) await this.refuseStale(id);
  }

  async remove(id: string, version: number, at: string): Promise<void> {
    const changed = await this.knex('connections').where({ id, version }).whereNull('removed_at').update({ removed_at: at, version: version + 1, updated_at: at });
    if (changed === 0) await this.refuseStale(id);
  }

  async setApiKeyHash(id: string, hash: string, at: string): Promise<void> {
    const changed = await this.knex('connections')
      .where({ id })
      .whereNull('removed_at')
      .update({ events_apikey_hash: hash, updated_at: at, version: this.knex.raw('version + 1') });
    if (changed === 0) throw new AppError('not-found', 'That connection does not exist. It may have been removed.');
  }

  /** Records a status check's result; true when the state differs from the last one. */
  async setHealth(id: string, state: ConnectionRow['status'], message: string | null, at: string): Promise<boolean> {
    const before = (await this.knex('connections').where({ id }).first('status', 'status_detail')) as Pick<ConnectionRow, 'status' | 'status_detail'> | undefined;
    if (!before) return false;
    await this.knex('connections').where({ id }).update({ status: state, status_detail: message, status_checked_at: at });
    return before.status !== state || before.status_detail !== message;
  }

  private async refuseStale(id: string): Promise<never> {
    await this.get(id);
    throw new AppError('stale-record', 'Someone else changed this connection while you were working on it. Check the details and try again.');
  }
}

function columnsOf(input: ConnectionInput) {
  return {
    name: input.name,
    kind: input.kind,
    base_url: input.baseUrl,
    organisation: input.organisation,
    token_url: input.tokenUrl,
    client_id: input.clientId,
    operations: JSON.stringify(input.operations),
  };
}
