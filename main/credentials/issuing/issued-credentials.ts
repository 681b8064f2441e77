// The record of every credential this trust has issued: what, to whom, under which status index,
// and whether it still stands.
import type { Knex } from 'knex';

export const ISSUED_CREDENTIALS_TABLE = 'issued_credentials';

export const CREDENTIAL_STATES = ['issued', 'suspended', 'revoked'] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

export interface IssuedCredentialRow {
  id: string;
  type_id: string;
  vc_type: string;
  passport_id: string;
  holder_did: string;
  kid: string;
  status_generation: number;
  status_index: number;
  issued_at: string;
  expires_at: string | null;
  state: CredentialState;
  state_changed_at: string | null;
  state_reason: string | null;
}

export interface IssuedCredential {
  id: string;
  typeId: string;
  vcType: string;
  passportId: string;
  holderDid: string;
  kid: string;
  statusGeneration: number;
  statusIndex: number;
  issuedAt: string;
  expiresAt: string | null;
  state: CredentialState;
  stateChangedAt: string | null;
  stateReason: string | null;
}

function fromRow(row: IssuedCredentialRow): IssuedCredential {
  return {
    id: row.id,
    typeId: row.type_id,
    vcType: row.vc_type,
    passportId: row.passport_id,
    holderDid: row.holder_did,
    kid: row.kid,
    statusGeneration: Number(row.status_generation),
    statusIndex: Number(row.status_index),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    state: row.state,
    stateChangedAt: row.state_changed_at,
    stateReason: row.state_reason,
  };
}

export class IssuedCredentials {
  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  /** Records credentials just issued, in one statement. */
  async insert(...credentials: Array<Omit<IssuedCredential, 'state' | 'stateChangedAt' | 'stateReason'>>): Promise<void> {
    const rows = credentials.map(
      (credential): IssuedCredentialRow => ({
        id: credential.id,
        type_id: credential.typeId,
        vc_type: credential.vcType,
        passport_id: credential.passportId,
        holder_did: credential.holderDid,
        kid: credential.kid,
        status_generation: credential.statusGeneration,
        status_index: credential.statusIndex,
        issued_at: credential.issuedAt,
        expires_at: credential.expiresAt,
        state: 'issued',
        state_changed_at: null,
        state_reason: null,
      }),
    );
    // SQLite allows 999 variables per statement: 13 columns, 70 rows at a time.
    for (let at = 0; at < rows.length; at += 70) await this.db(ISSUED_CREDENTIALS_TABLE).insert(rows.slice(at, at + 70));
  }


  async get(id: string): Promise<IssuedCredential | null> {
    const row = (await this.db(ISSUED_CREDENTIALS_TABLE).where({ id }).first()) as IssuedCredentialRow | undefined;
    return row ? fromRow(row) : null;
  }

  async ofPassport(passportId: string): Promise<IssuedCredential[]> {
    const rows = (await this.db(ISSUED_CREDENTIALS_TABLE).where({ passport_id: passportId }).orderBy('issued_at').orderBy('id')) as IssuedCredentialRow[];
    return rows.map(fromRow);
  }

  async setState(id: string, state: CredentialState, at: string, reason: string | null): Promise<void> {
    await this.db(ISSUED_CREDENTIALS_TABLE).where({ id }).update({ state, state_changed_at: at, state_reason: reason });
  }
}
