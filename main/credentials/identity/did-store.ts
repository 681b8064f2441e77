// Veramo's DID store (used by @veramo/did-manager) on knex: each DID with its keys, in the order
// they were added, and its services.
import type { Knex } from 'knex';
import type { IIdentifier, IService } from '@veramo/core';
import { AbstractDIDStore } from '@veramo/did-manager';
import { AppError } from '../../errors.ts';
import { KEYS_TABLE, keyFromRow, upsertKey, type KeyRow } from './key-store.ts';

export const DIDS_TABLE = 'issuer_dids';
export const DID_KEYS_TABLE = 'issuer_did_keys';

interface DidRow {
  did: string;
  provider: string;
  alias: string | null;
  controller_key_id: string | null;
  services: string;
  created_at: string;
  updated_at: string;
}

export class KnexDIDStore extends AbstractDIDStore {
  private readonly db: Knex;
  private readonly now: () => Date;

  constructor(db: Knex, now: () => Date) {
    super();
    this.db = db;
    this.now = now;
  }

  /** Creates or replaces the DID, its key list and its services in one transaction. */
  async importDID(args: IIdentifier): Promise<boolean> {
    const now = this.now().toISOString();
    await this.db.transaction(async (trx) => {
      const row: DidRow = {
        did: args.did,
        provider: args.provider,
        alias: args.alias ?? null,
        controller_key_id: args.controllerKeyId ?? null,
        services: JSON.stringify(args.services ?? []),
        created_at: now,
        updated_at: now,
      };
      await trx(DIDS_TABLE).insert(row).onConflict('did').merge(['provider', 'alias', 'controller_key_id', 'services', 'updated_at']);
      await trx(DID_KEYS_TABLE).where({ did: args.did }).delete();
      let position = 0;
      for (const key of args.keys) {
        // Private material is never kept with a DID, whatever the caller passed in.
        const { privateKeyHex: _private, ...publicPart } = key;
        await upsertKey(trx, publicPart, now);
        await trx(DID_KEYS_TABLE).insert({ did: args.did, kid: key.kid, position: position++ });
      }
    });
    return true;
  }

  async getDID(args: { did: string }): Promise<IIdentifier>;
  async getDID(args: { alias: string }): Promise<IIdentifier>;
  async getDID(args: { did?: string; alias?: string; provider?: string }): Promise<IIdentifier> {
    let query = this.db(DIDS_TABLE);
    if (args.did !== undefined) query = query.where({ did: args.did });
    else if (args.alias !== undefined) {
      query = query.where({ alias: args.alias });
      if (args.provider !== undefined) query = query.where({ provider: args.provider });
    } else {
      throw new AppError('internal', 'A DID can only be looked up by its DID or its alias.');
    }
    const row = (await query.first()) as DidRow | undefined;
    if (!row) {
      throw new AppError('not-found', 'That DID is not in this database.', { detail: `not_found: DID ${args.did ?? `alias=${args.alias}`}` });
    }
    return this.identifierFrom(row);
  }

  async deleteDID({ did }: { did: string }): Promise<boolean> {
    // The DID's key links go with it (cascade); the keys themselves stay, as Veramo's stores do.
    await this.db(DIDS_TABLE).where({ did }).delete();
    return true;
  }

  async listDIDs(args: { alias?: string; provider?: string } = {}): Promise<IIdentifier[]> {
    let query = this.db(DIDS_TABLE).select('*').orderBy('created_at').orderBy('did');
    if (args.alias !== undefined) query = query.where({ alias: args.alias });
    if (args.provider !== undefined) query = query.where({ provider: args.provider });
    const rows = (await query) as DidRow[];
    const identifiers: IIdentifier[] = [];
    for (const row of rows) identifiers.push(await this.identifierFrom(row));
    return identifiers;
  }

  private async identifierFrom(row: DidRow): Promise<IIdentifier> {
    const keys = (await this.db(DID_KEYS_TABLE)
      .join(KEYS_TABLE, `${KEYS_TABLE}.kid`, `${DID_KEYS_TABLE}.kid`)
      .where(`${DID_KEYS_TABLE}.did`, row.did)
      .orderBy(`${DID_KEYS_TABLE}.position`)
      .select(`${KEYS_TABLE}.*`)) as KeyRow[];
    const identifier: IIdentifier = {
      did: row.did,
      provider: row.provider,
      keys: keys.map(keyFromRow),
      services: JSON.parse(row.services) as IService[],
    };
    if (row.alias !== null) identifier.alias = row.alias;
    if (row.controller_key_id !== null) identifier.controllerKeyId = row.controller_key_id;
    return identifier;
  }
}
