// The store's side of presentation requests and of the credentials staff share in answer.
import type { Knex } from 'knex';
import type { RequestState, SharedDecision } from './contract.ts';

export interface RequestRow {
  id: string;
  passport_id: string;
  state: RequestState;
  state_reason: string | null;
  nonce: string;
  response_state: string;
  client_id: string;
  /** JSON array of catalogue type ids. */
  type_ids: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  changed_at: string;
  answered_at: string | null;
}

export interface SharedCredentialRow {
  id: string;
  passport_id: string;
  request_id: string;
  position: number;
  jwt: string;
  type_id: string | null;
  display_name: string;
  issuer_did: string;
  issuer_ods_code: string | null;
  issuer_name: string | null;
  outcome: 'pass' | 'fail' | 'unknown';
  summary: string;
  /** JSON: the verifier's checks. */
  checks: string;
  /** JSON: the claims as read. */
  claims: string;
  issued_at: string | null;
  expires_at: string | null;
  received_at: string;
  decision: SharedDecision;
  decided_at: string | null;
  decided_by: string | null;
}

export const OPEN_REQUEST_STATES: readonly RequestState[] = ['waiting', 'scanned'];

export class RequestsRepository {
  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  async insert(row: Omit<RequestRow, 'state_reason' | 'answered_at'>): Promise<void> {
    await this.db('presentation_requests').insert(row);
  }

  async get(id: string): Promise<RequestRow | undefined> {
    return (await this.db('presentation_requests').where({ id }).first()) as RequestRow | undefined;
  }

  async ofPassport(passportId: string): Promise<RequestRow[]> {
    return (await this.db('presentation_requests').where({ passport_id: passportId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])) as RequestRow[];
  }

  async transition(id: string, from: readonly RequestState[], to: RequestState, at: string, changes: Partial<RequestRow> = {}): Promise<boolean> {
    return (await this.db('presentation_requests').where({ id }).whereIn('state', [...from]).update({ ...changes, state: to, changed_at: at })) === 1;
  }

  async expiring(at: string): Promise<RequestRow[]> {
    return (await this.db('presentation_requests').whereIn('state', [...OPEN_REQUEST_STATES]).where('expires_at', '<=', at)) as RequestRow[];
  }

  async nextExpiry(): Promise<string | null> {
    const row = (await this.db('presentation_requests').whereIn('state', [...OPEN_REQUEST_STATES]).min({ at: 'expires_at' }).first()) as { at: string | null } | undefined;
    return row?.at ?? null;
  }

  async insertShared(rows: SharedCredentialRow[]): Promise<void> {
    // 24 columns: 40 rows stay under SQLite's 999 variables.
    for (let at = 0; at < rows.length; at += 40) await this.db('shared_credentials').insert(rows.slice(at, at + 40));
  }

  async sharedOfPassport(passportId: string): Promise<SharedCredentialRow[]> {
    return (await this.db('shared_credentials').where({ passport_id: passportId }).orderBy([{ column: 'received_at', order: 'desc' }, { column: 'position' }])) as SharedCredentialRow[];
  }

  async countShared(requestIds: string[]): Promise<Map<string, number>> {
    if (requestIds.length === 0) return new Map();
    const rows = (await this.db('shared_credentials').whereIn('request_id', requestIds).groupBy('request_id').select('request_id').count({ n: '*' })) as Array<{ request_id: string; n: number | string }>;
    return new Map(rows.map((row) => [row.request_id, Number(row.n)]));
  }

  async decide(passportId: string, id: string, decision: SharedDecision, by: string, at: string): Promise<boolean> {
    return (await this.db('shared_credentials').where({ id, passport_id: passportId }).update({ decision, decided_by: by, decided_at: at })) === 1;
  }

  async shared(passportId: string, ids: string[]): Promise<SharedCredentialRow[]> {
    return (await this.db('shared_credentials').where({ passport_id: passportId }).whereIn('id', ids)) as SharedCredentialRow[];
  }
}
