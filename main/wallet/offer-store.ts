// The store's side of credential offers: each offer, the credentials it carries, and the wallet
// key each passport collected with. State changes are conditional updates, so two wallets (or a
// wallet and HR) racing for one offer cannot both win.
import type { Knex } from 'knex';
import type { OfferState, OfferedCredentialState } from './contract.ts';

export interface OfferRow {
  id: string;
  passport_id: string;
  state: OfferState;
  state_reason: string | null;
  reference: string;
  pre_authorized_code: string;
  tx_code: string | null;
  tx_code_failures: number;
  code_redeemed_at: string | null;
  token_hash: string | null;
  token_expires_at: string | null;
  holder_did: string | null;
  renewed_from: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  changed_at: string;
}

export interface OfferedCredentialRow {
  id: string;
  offer_id: string;
  position: number;
  type_id: string;
  summary: string;
  claims: string;
  provenance: string;
  source_record_id: string | null;
  issued_credential_id: string | null;
  notification_id: string | null;
  state: OfferedCredentialState;
}

export interface NewOfferedCredential {
  typeId: string;
  summary: string;
  claims: Record<string, unknown>;
  provenance: unknown;
  sourceRecordId: string | null;
}

/** States in which a wallet may still use the offer. */
export const OPEN_OFFER_STATES: readonly OfferState[] = ['waiting', 'scanned'];

export class OffersRepository {
  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  async insert(offer: Omit<OfferRow, 'tx_code_failures' | 'code_redeemed_at' | 'token_hash' | 'token_expires_at' | 'holder_did' | 'state_reason'>, credentials: Array<NewOfferedCredential & { id: string }>): Promise<void> {
    await this.db('wallet_offers').insert({ ...offer, tx_code_failures: 0 });
    await this.db('wallet_offer_credentials').insert(
      credentials.map((credential, position) => ({
        id: credential.id,
        offer_id: offer.id,
        position,
        type_id: credential.typeId,
        summary: credential.summary,
        claims: JSON.stringify(credential.claims),
        provenance: JSON.stringify(credential.provenance),
        source_record_id: credential.sourceRecordId,
        state: 'offered',
      })),
    );
  }

  async get(id: string): Promise<OfferRow | undefined> {
    return (await this.db('wallet_offers').where({ id }).first()) as OfferRow | undefined;
  }

  async byCode(code: string): Promise<OfferRow | undefined> {
    return (await this.db('wallet_offers').where({ pre_authorized_code: code }).first()) as OfferRow | undefined;
  }

  async byReference(reference: string): Promise<OfferRow | undefined> {
    return (await this.db('wallet_offers').where({ reference }).first()) as OfferRow | undefined;
  }

  async byTokenHash(hash: string): Promise<OfferRow | undefined> {
    return (await this.db('wallet_offers').where({ token_hash: hash }).first()) as OfferRow | undefined;
  }

  async ofPassport(passportId: string): Promise<OfferRow[]> {
    return (await this.db('wallet_offers').where({ passport_id: passportId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])) as OfferRow[];
  }

  async credentials(offerIds: string[]): Promise<OfferedCredentialRow[]> {
    if (offerIds.length === 0) return [];
    return (await this.db('wallet_offer_credentials').whereIn('offer_id', offerIds).orderBy(['offer_id', 'position'])) as OfferedCredentialRow[];
  }

  /** The offers' credentials, each with when it was issued and whether it still stands: for HR's views. */
  async credentialsIssued(offerIds: string[]): Promise<Array<OfferedCredentialRow & { issued_at: string | null; issued_state: 'issued' | 'suspended' | 'revoked' | null }>> {
    if (offerIds.length === 0) return [];
    return (await this.db('wallet_offer_credentials')
      .leftJoin('issued_credentials', 'issued_credentials.id', 'wallet_offer_credentials.issued_credential_id')
      .whereIn('wallet_offer_credentials.offer_id', offerIds)
      .orderBy(['wallet_offer_credentials.offer_id', 'wallet_offer_credentials.position'])
      .select('wallet_offer_credentials.*', 'issued_credentials.issued_at as issued_at', 'issued_credentials.state as issued_state')) as never;
  }

  async credentialsByNotification(offerId: string, notificationId: string): Promise<OfferedCredentialRow[]> {
    return (await this.db('wallet_offer_credentials').where({ offer_id: offerId, notification_id: notificationId })) as OfferedCredentialRow[];
  }

  /** Moves an offer from one of `from` to `to`; false when it was no longer in one of them. */
  async transition(id: string, from: readonly OfferState[], to: OfferState, at: string, changes: Partial<OfferRow> = {}): Promise<boolean> {
    const updated = await this.db('wallet_offers')
      .where({ id })
      .whereIn('state', [...from])
      .update({ ...changes, state: to, changed_at: at });
    return updated === 1;
  }

  async update(id: string, changes: Partial<OfferRow>): Promise<void> {
    await this.db('wallet_offers').where({ id }).update(changes);
  }

  /** Redeems the pre-authorised code once: true for the one caller that redeemed it. */
  async redeem(id: string, tokenHash: string, tokenExpiresAt: string, at: string): Promise<boolean> {
    const updated = await this.db('wallet_offers')
      .where({ id })
      .whereNull('code_redeemed_at')
      .whereIn('state', [...OPEN_OFFER_STATES])
      .update({ code_redeemed_at: at, token_hash: tokenHash, token_expires_at: tokenExpiresAt, state: 'scanned', changed_at: at });
    return updated === 1;
  }

  async countTxCodeFailure(id: string): Promise<number> {
    await this.db('wallet_offers').where({ id }).increment('tx_code_failures', 1);
    return Number(((await this.db('wallet_offers').where({ id }).first('tx_code_failures')) as { tx_code_failures: number }).tx_code_failures);
  }

  /**
   * The wallet with this key takes the offer, or already has it: 'taken'. Otherwise another
   * wallet took it first ('other-wallet'), or it is no longer open ('ended').
   */
  async claim(id: string, holderDid: string): Promise<'taken' | 'other-wallet' | 'ended'> {
    const usable: OfferState[] = [...OPEN_OFFER_STATES, 'collected'];
    const taken = await this.db('wallet_offers')
      .where({ id })
      .whereIn('state', usable)
      .where((query) => query.whereNull('holder_did').orWhere({ holder_did: holderDid }))
      .update({ holder_did: holderDid });
    if (taken === 1) return 'taken';
    const offer = await this.get(id);
    return offer && usable.includes(offer.state) ? 'other-wallet' : 'ended';
  }

  async markIssued(issued: Array<{ id: string; issuedCredentialId: string }>, notificationId: string): Promise<void> {
    for (const entry of issued) {
      await this.db('wallet_offer_credentials').where({ id: entry.id }).update({ issued_credential_id: entry.issuedCredentialId, notification_id: notificationId, state: 'issued' });
    }
  }

  async setCredentialStates(ids: string[], state: OfferedCredentialState): Promise<void> {
    if (ids.length > 0) await this.db('wallet_offer_credentials').whereIn('id', ids).update({ state });
  }

  /** Open offers whose time is up, for the expiry sweep. */
  async expiring(at: string): Promise<OfferRow[]> {
    return (await this.db('wallet_offers').whereIn('state', [...OPEN_OFFER_STATES]).whereNull('code_redeemed_at').where('expires_at', '<=', at)) as OfferRow[];
  }

  /** Offers redeemed but never collected whose access token ran out. */
  async abandoned(at: string): Promise<OfferRow[]> {
    return (await this.db('wallet_offers').where({ state: 'scanned' }).whereNotNull('code_redeemed_at').where('token_expires_at', '<=', at)) as OfferRow[];
  }

  async nextExpiry(): Promise<string | null> {
    const row = (await this.db('wallet_offers').whereIn('state', [...OPEN_OFFER_STATES]).min({ at: 'expires_at' }).first()) as { at: string | null } | undefined;
    const token = (await this.db('wallet_offers').where({ state: 'scanned' }).whereNotNull('token_expires_at').min({ at: 'token_expires_at' }).first()) as { at: string | null } | undefined;
    const times = [row?.at, token?.at].filter((value): value is string => typeof value === 'string');
    return times.length === 0 ? null : times.sort()[0]!;
  }

  async holder(passportId: string): Promise<{ holder_did: string; bound_at: string } | undefined> {
    return (await this.db('wallet_holders').where({ passport_id: passportId }).first()) as { holder_did: string; bound_at: string } | undefined;
  }

  async bindHolder(passportId: string, holderDid: string, offerId: string, at: string): Promise<void> {
    await this.db('wallet_holders').insert({ passport_id: passportId, holder_did: holderDid, bound_at: at, offer_id: offerId }).onConflict('passport_id').ignore();
  }

  async forgetHolder(passportId: string): Promise<number> {
    return this.db('wallet_holders').where({ passport_id: passportId }).delete();
  }
}
