// Issuing to a wallet (OpenID for Verifiable Credential Issuance 1.0, pre-authorised code flow):
// offers by reference, the token, nonce, credential and notification endpoints, and each offer's
// life from waiting to accepted, expired, cancelled or failed. Every refusal is the standard's
// error response and changes nothing but the count of wrong transaction codes.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { Oauth2AuthorizationServer, Oauth2ServerErrorResponseError, preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import { Openid4vciIssuer, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { AppError } from '../errors.ts';
import type { AuditEntry } from '../platform/audit.ts';
import { jsonResponse, type PublicRequest, type PublicResponse, type PublicRoute } from '../platform/public-server.ts';
import { RateLimiter } from '../platform/rate-limit.ts';
import { definitionById } from '../credentials/catalogue/index.ts';
import type { OfferState } from './contract.ts';
import { OffersRepository, OPEN_OFFER_STATES, type NewOfferedCredential, type OfferRow, type OfferedCredentialRow } from './offer-store.ts';
import type { Actor } from '../staff/passports.ts';
import { OFFER_SCHEME, PATHS, type ProtocolDeps, allowHttpFor, answering, parseFormBody, parseJsonBody, protocolError, configurationIdOf, didJwkOf, issuerMetadata, randomDigits, randomToken, sha256, walletCallbacks } from './protocol.ts';

export interface IssuanceSettings {
  offerExpiryMinutes: number;
  /** Digits in the transaction code; 0 for none. */
  txCodeLength: number;
  /** Token requests a minute from one address (a trust's NAT or proxy may put a whole office behind one). */
  walletRequestsPerMinute: number;
}

export interface IssuanceDeps extends ProtocolDeps {
  settings(): IssuanceSettings;
  audit(entry: AuditEntry): Promise<void>;
  /** The credentials due on the passport that have now been collected. */
  collected(trx: Knex, passportId: string, typeIds: string[]): Promise<void>;
  changed(offer: { offerId: string; passportId: string; state: OfferState }): void;
}

export const MAX_TX_CODE_FAILURES = 5;
const ACCESS_TOKEN_SECONDS = 600;
const NONCE_SECONDS = 300;
const MAX_NONCES = 10_000;
/** How old a proof may be, and how far ahead of our clock. */
const PROOF_MAX_AGE_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 60;

const notificationSchema = z
  .object({
    notification_id: z.string().min(1).max(200),
    event: z.enum(['credential_accepted', 'credential_failure', 'credential_deleted']),
    event_description: z.string().max(1000).optional(),
  })
  .loose();

const FAILED_REASONS = {
  txCodes: 'The wrong code was typed in 5 times. Make a new offer and read the code out carefully.',
  abandoned: 'The wallet started collecting but did not finish in time. Make a new offer.',
} as const;

export interface CreatedOffer {
  offer: OfferRow;
  offerUri: string;
}

export class Issuance {
  private readonly deps: IssuanceDeps;
  private readonly callbacks: ReturnType<typeof walletCallbacks>;
  private readonly nonces = new Map<string, number>();
  // A wallet makes one token request per offer and one credential request per type in it.
  readonly tokenLimiter = new RateLimiter({ limit: () => this.deps.settings().walletRequestsPerMinute, windowMs: 60_000 });
  readonly credentialLimiter = new RateLimiter({ limit: () => this.deps.settings().walletRequestsPerMinute * 5, windowMs: 60_000 });
  private metadataCache: { key: string; metadata: IssuerMetadataResult } | null = null;

  private readonly issuer: Openid4vciIssuer;
  private readonly authorizationServer: Oauth2AuthorizationServer;

  constructor(deps: IssuanceDeps) {
    this.deps = deps;
    this.callbacks = walletCallbacks(deps.credentials);
    this.issuer = new Openid4vciIssuer({ callbacks: this.callbacks });
    this.authorizationServer = new Oauth2AuthorizationServer({ callbacks: this.callbacks });
  }

  private at(): string {
    return this.deps.now().toISOString();
  }

  private offers(db: Knex = this.deps.knex()): OffersRepository {
    return new OffersRepository(db);
  }

  metadata(): IssuerMetadataResult {
    const base = this.deps.publicBaseUrl();
    // Every time, not once: the libraries' switch is process-wide and something else may reset it.
    allowHttpFor(base);
    const trustName = this.deps.trustName();
    const key = `${base}|${trustName}`;
    if (this.metadataCache?.key !== key) this.metadataCache = { key, metadata: issuerMetadata(base, trustName, this.callbacks) };
    return this.metadataCache.metadata;
  }

  offerUriOf(offer: OfferRow): string {
    const reference = `${this.deps.publicBaseUrl()}${PATHS.offer}${offer.reference}`;
    return `${OFFER_SCHEME}?credential_offer_uri=${encodeURIComponent(reference)}`;
  }

  // ---- HR's side ---------------------------------------------------------------------------

  /** A new offer of these credentials, in the caller's transaction. */
  async create(trx: Knex, passportId: string, credentials: NewOfferedCredential[], actor: Actor, renewedFrom: string | null = null): Promise<CreatedOffer> {
    const { offerExpiryMinutes, txCodeLength } = this.deps.settings();
    const now = this.deps.now();
    const at = now.toISOString();
    const offer: Omit<OfferRow, 'tx_code_failures' | 'code_redeemed_at' | 'token_hash' | 'token_expires_at' | 'holder_did' | 'state_reason'> = {
      id: randomUUID(),
      passport_id: passportId,
      state: 'waiting',
      reference: randomToken(),
      pre_authorized_code: randomToken(),
      tx_code: txCodeLength > 0 ? randomDigits(txCodeLength) : null,
      renewed_from: renewedFrom,
      created_by: actor.id,
      created_at: at,
      expires_at: new Date(now.getTime() + offerExpiryMinutes * 60_000).toISOString(),
      changed_at: at,
    };
    await this.offers(trx).insert(offer, credentials.map((credential) => ({ ...credential, id: randomUUID() })));
    const names = credentials.map((credential) => credential.summary).join(', ');
    await this.deps.history(trx, passportId, { kind: 'offer-made', summary: `Credentials offered: ${names}` }, actor, at);
    const row = (await this.offers(trx).get(offer.id))!;
    return { offer: row, offerUri: this.offerUriOf(row) };
  }

  async cancel(offerId: string, actor: Actor): Promise<void> {
    const at = this.at();
    const passportId = await this.deps.knex().transaction(async (trx) => {
      const offers = this.offers(trx);
      const offer = await offers.get(offerId);
      if (!offer) throw new AppError('not-found', 'That offer does not exist.');
      if (!(await offers.transition(offerId, OPEN_OFFER_STATES, 'cancelled', at, { state_reason: `Cancelled by ${actor.name}.` }))) {
        throw new AppError('conflict', offer.state === 'collected' || offer.state === 'accepted' ? 'The staff member has already collected this offer. To stop a credential being used, revoke it.' : 'This offer has already ended.');
      }
      await this.deps.history(trx, offer.passport_id, { kind: 'offer-cancelled', summary: 'Credential offer cancelled' }, actor, at);
      return offer.passport_id;
    });
    this.deps.changed({ offerId, passportId, state: 'cancelled' });
  }

  /** What a renewed offer carries: the credentials of an ended offer that were never issued. */
  async unissued(offerId: string): Promise<{ offer: OfferRow; credentials: NewOfferedCredential[] }> {
    const offer = await this.offers().get(offerId);
    if (!offer) throw new AppError('not-found', 'That offer does not exist.');
    if (!['expired', 'cancelled', 'failed'].includes(offer.state)) throw new AppError('conflict', 'This offer is still open or has been collected, so there is nothing to offer again.');
    const rows = (await this.offers().credentials([offerId])).filter((row) => row.state === 'offered');
    if (rows.length === 0) throw new AppError('conflict', 'Everything in this offer was collected, so there is nothing to offer again.');
    return {
      offer,
      credentials: rows.map((row) => ({ typeId: row.type_id, summary: row.summary, claims: JSON.parse(row.claims) as Record<string, unknown>, provenance: JSON.parse(row.provenance) as unknown, sourceRecordId: row.source_record_id })),
    };
  }

  /** Offers whose time is up become expired; those redeemed but never finished, failed. Returns the next time to look. */
  async sweep(): Promise<string | null> {
    const at = this.at();
    const offers = this.offers();
    const end = async (offer: OfferRow, from: readonly OfferState[], to: 'expired' | 'failed', reason: string, summary: string) => {
      const ended = await this.deps.knex().transaction(async (trx) => {
        if (!(await this.offers(trx).transition(offer.id, from, to, at, { state_reason: reason }))) return false;
        await this.deps.history(trx, offer.passport_id, { kind: to === 'expired' ? 'offer-expired' : 'offer-failed', summary }, null, at);
        return true;
      });
      if (ended) this.deps.changed({ offerId: offer.id, passportId: offer.passport_id, state: to });
    };
    for (const offer of await offers.expiring(at)) {
      const within = duration(Date.parse(offer.expires_at) - Date.parse(offer.created_at));
      await end(offer, OPEN_OFFER_STATES, 'expired', `The offer was not collected within ${within}.`, `Credential offer expired: it was not collected within ${within}`);
    }
    for (const offer of await offers.abandoned(at)) await end(offer, ['scanned'], 'failed', FAILED_REASONS.abandoned, 'Credential offer failed: the wallet started collecting but did not finish in time');
    return offers.nextExpiry();
  }

  // ---- The wallet's side -------------------------------------------------------------------

  routes(): Array<PublicRoute<unknown>> {
    return [
      { method: 'GET', pattern: /^\/\.well-known\/openid-credential-issuer$/, handle: async () => cors(jsonResponse(200, this.metadata().credentialIssuer)) },
      { method: 'GET', pattern: /^\/\.well-known\/oauth-authorization-server$/, handle: async () => cors(jsonResponse(200, this.metadata().authorizationServers[0])) },
      { method: 'GET', pattern: /^\/oid4vci\/offers\/(?<reference>[A-Za-z0-9_-]{43})$/, handle: (request) => answering(() => this.credentialOffer(request.params.reference!)) },
      { method: 'POST', pattern: /^\/oid4vci\/token$/, maxBodyBytes: 8 * 1024, rateLimit: this.tokenLimiter, handle: (request) => answering(() => this.token(request)) },
      { method: 'POST', pattern: /^\/oid4vci\/nonce$/, maxBodyBytes: 1024, handle: (request) => answering(() => this.nonce(request)) },
      { method: 'POST', pattern: /^\/oid4vci\/credential$/, maxBodyBytes: 64 * 1024, rateLimit: this.credentialLimiter, handle: (request) => answering(() => this.credential(request)) },
      { method: 'POST', pattern: /^\/oid4vci\/notification$/, maxBodyBytes: 8 * 1024, handle: (request) => answering(() => this.notification(request)) },
    ];
  }

  private async credentialOffer(reference: string): Promise<PublicResponse> {
    const offers = this.offers();
    const offer = await offers.byReference(reference);
    const gone = protocolError(404, 'not_found', 'This offer has already been used or is no longer available. Ask HR for a new one.');
    if (!offer || offer.code_redeemed_at !== null || !OPEN_OFFER_STATES.includes(offer.state)) throw gone;
    if (offer.expires_at <= this.at()) {
      await this.sweep();
      throw gone;
    }
    const configurationIds = [...new Set((await offers.credentials([offer.id])).map((row) => configurationIdOf(definitionById(row.type_id)!)))];
    const { txCodeLength } = this.deps.settings();
    const { credentialOfferObject } = await this.issuer.createCredentialOffer({
      issuerMetadata: this.metadata(),
      credentialConfigurationIds: configurationIds,
      grants: {
        [preAuthorizedCodeGrantIdentifier]: {
          'pre-authorized_code': offer.pre_authorized_code,
          ...(offer.tx_code ? { tx_code: { input_mode: 'numeric', length: offer.tx_code.length || txCodeLength, description: 'Enter the code HR tells you' } } : {}),
        },
      },
    });
    if (await offers.transition(offer.id, ['waiting'], 'scanned', this.at())) this.deps.changed({ offerId: offer.id, passportId: offer.passport_id, state: 'scanned' });
    return jsonResponse(200, credentialOfferObject);
  }

  private async token(request: PublicRequest): Promise<PublicResponse> {
    const form = parseFormBody(request);
    const metadata = this.metadata();
    const authorizationServerMetadata = metadata.authorizationServers[0]!;
    const server = this.authorizationServer;
    const requestLike = { headers: new Headers(request.headers as Record<string, string>), method: 'POST' as const, url: `${this.deps.publicBaseUrl()}${PATHS.token}` };
    const parsed = server.parseAccessTokenRequest({ accessTokenRequest: form, request: requestLike });
    if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) throw protocolError(400, 'unsupported_grant_type', 'Only the pre-authorised code grant is supported.');
    const code = parsed.grant.preAuthorizedCode;
    const offers = this.offers();
    const offer = typeof code === 'string' && code.length <= 100 ? await offers.byCode(code) : undefined;
    if (!offer) throw protocolError(400, 'invalid_grant', 'This code is not valid.');
    const at = this.at();
    if (offer.code_redeemed_at !== null) throw protocolError(400, 'invalid_grant', 'This offer has already been collected. Ask HR for a new one.');
    if (!OPEN_OFFER_STATES.includes(offer.state)) throw protocolError(400, 'invalid_grant', 'This offer is no longer available. Ask HR for a new one.');
    if (offer.expires_at <= at) {
      await this.sweep();
      throw protocolError(400, 'invalid_grant', 'This offer has expired. Ask HR for a new one.');
    }
    if (offer.tx_code !== null) {
      if (offer.tx_code_failures >= MAX_TX_CODE_FAILURES) throw protocolError(400, 'invalid_grant', 'The wrong code was typed in too many times. Ask HR for a new offer.');
      const given = parsed.grant.txCode;
      if (given !== offer.tx_code) {
        const failures = await offers.countTxCodeFailure(offer.id);
        await this.deps.audit({ at, actorUserId: null, operation: 'wallet.transactionCode', recordIds: [offer.passport_id, offer.id], outcome: 'refused', errorCode: given === undefined ? 'missing' : 'wrong' });
        if (failures >= MAX_TX_CODE_FAILURES && (await offers.transition(offer.id, OPEN_OFFER_STATES, 'failed', at, { state_reason: FAILED_REASONS.txCodes }))) {
          this.deps.changed({ offerId: offer.id, passportId: offer.passport_id, state: 'failed' });
        }
        const left = MAX_TX_CODE_FAILURES - failures;
        throw protocolError(400, 'invalid_grant', left > 0 ? `That code is not right. You have ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'The wrong code was typed in too many times. Ask HR for a new offer.');
      }
    }
    await server.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata,
      grant: parsed.grant,
      accessTokenRequest: parsed.accessTokenRequest,
      request: requestLike,
      expectedPreAuthorizedCode: offer.pre_authorized_code,
      ...(offer.tx_code ? { expectedTxCode: offer.tx_code } : {}),
      preAuthorizedCodeExpiresAt: new Date(offer.expires_at),
      now: this.deps.now(),
    });
    const accessToken = randomToken();
    const expiresAt = new Date(this.deps.now().getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString();
    if (!(await offers.redeem(offer.id, sha256(accessToken), expiresAt, at))) throw protocolError(400, 'invalid_grant', 'This offer has already been collected. Ask HR for a new one.');
    this.deps.changed({ offerId: offer.id, passportId: offer.passport_id, state: 'scanned' });
    const rows = await offers.credentials([offer.id]);
    const byConfiguration = new Map<string, string[]>();
    for (const row of rows) {
      const id = configurationIdOf(definitionById(row.type_id)!);
      byConfiguration.set(id, [...(byConfiguration.get(id) ?? []), row.id]);
    }
    return jsonResponse(200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      authorization_details: [...byConfiguration].map(([configurationId, identifiers]) => ({ type: 'openid_credential', credential_configuration_id: configurationId, credential_identifiers: identifiers })),
    });
  }

  private async nonce(_request: PublicRequest): Promise<PublicResponse> {
    const now = this.deps.now().getTime();
    if (this.nonces.size >= MAX_NONCES) {
      for (const [nonce, expires] of this.nonces) if (expires <= now || this.nonces.size >= MAX_NONCES) this.nonces.delete(nonce);
    }
    const cNonce = randomToken();
    this.nonces.set(cNonce, now + NONCE_SECONDS * 1000);
    return jsonResponse(200, this.issuer.createNonceResponse({ cNonce, cNonceExpiresIn: NONCE_SECONDS }));
  }

  /** The offer an access token was given for, while the token and the offer are good. */
  private async offerForToken(request: PublicRequest): Promise<OfferRow> {
    const header = String(request.headers.authorization ?? '');
    const match = /^(?:Bearer|DPoP) ([A-Za-z0-9_-]{20,100})$/.exec(header);
    const refuse = (description: string) => protocolError(401, 'invalid_token', description, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    if (!match) throw refuse('Send the access token from the token endpoint.');
    const offer = await this.offers().byTokenHash(sha256(match[1]!));
    if (!offer || offer.token_expires_at === null) throw refuse('The access token is not valid.');
    if (offer.token_expires_at <= this.at()) throw refuse('The access token has expired.');
    if (offer.state === 'cancelled' || offer.state === 'expired' || offer.state === 'failed') throw refuse('This offer is no longer available.');
    return offer;
  }

  private async credential(request: PublicRequest): Promise<PublicResponse> {
    const offer = await this.offerForToken(request);
    const body = parseJsonBody(request.body, 'invalid_credential_request');
    const metadata = this.metadata();
    const issuer = this.issuer;
    let parsed: ReturnType<Openid4vciIssuer['parseCredentialRequest']>;
    try {
      parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body });
    } catch (error) {
      if (error instanceof Oauth2ServerErrorResponseError) throw error;
      throw protocolError(400, 'invalid_credential_request', 'The credential request is not valid.');
    }
    const proofJwt = parsed.proofs?.jwt?.[0];
    if (!proofJwt || (parsed.proofs?.jwt?.length ?? 0) !== 1) throw protocolError(400, 'invalid_proof', 'Send exactly one proof of possession, as a JWT.');

    // The nonce must be one we gave out, still fresh, and is spent whatever the outcome.
    let claimedNonce: unknown;
    try {
      claimedNonce = decodeJwt(proofJwt).nonce;
    } catch {
      throw protocolError(400, 'invalid_proof', 'The proof could not be read.');
    }
    const nonceExpires = typeof claimedNonce === 'string' ? this.nonces.get(claimedNonce) : undefined;
    if (typeof claimedNonce === 'string') this.nonces.delete(claimedNonce);
    const now = this.deps.now();
    if (nonceExpires === undefined || nonceExpires <= now.getTime()) throw protocolError(400, 'invalid_nonce', 'The proof\u2019s nonce is not one this service gave out, or it has been used or has expired. Get a new nonce.');
    const verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt: proofJwt, expectedNonce: claimedNonce as string, nonceExpiresAt: new Date(nonceExpires), now });
    const issuedAt = verified.payload.iat;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (issuedAt > nowSeconds + CLOCK_SKEW_SECONDS || issuedAt < nowSeconds - PROOF_MAX_AGE_SECONDS) throw protocolError(400, 'invalid_proof', 'The proof is not fresh: make a new one.');
    const signer = verified.signer as { method: string; didUrl?: string; publicJwk?: Record<string, unknown> };
    const holderDid = signer.method === 'did' && signer.didUrl ? signer.didUrl.split('#')[0]! : signer.publicJwk ? didJwkOf(signer.publicJwk) : null;
    if (!holderDid) throw protocolError(400, 'invalid_proof', 'The proof must name the wallet\u2019s key (a did:jwk, did:key or JWK).');

    const at = now.toISOString();
    const outcome = await this.deps.knex().transaction(async (trx) => {
      const offers = this.offers(trx);
      const bound = await offers.holder(offer.passport_id);
      const notTheirWallet = () => protocolError(400, 'invalid_proof', 'This is not the wallet this staff member uses with us. If they have a new phone, HR must record that first.');
      if (bound && bound.holder_did !== holderDid) throw notTheirWallet();
      // The offer is this wallet's from its first credential on; a race with another wallet, or HR
      // ending the offer since the token was checked, leaves nothing to claim.
      const claim = await offers.claim(offer.id, holderDid);
      if (claim === 'other-wallet') throw protocolError(400, 'invalid_proof', 'This offer was started on another wallet. Ask HR for a new offer.');
      if (claim === 'ended') throw protocolError(401, 'invalid_token', 'This offer is no longer available.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      const rows = await offers.credentials([offer.id]);
      const wanted = parsed.credentialIdentifier !== undefined ? rows.filter((row) => row.id === parsed.credentialIdentifier) : rows.filter((row) => configurationIdOf(definitionById(row.type_id)!) === parsed.credentialConfigurationId);
      if (wanted.length === 0) {
        throw parsed.credentialIdentifier !== undefined
          ? protocolError(400, 'unknown_credential_identifier', 'This offer holds no credential with that identifier.')
          : protocolError(400, 'unknown_credential_configuration', 'This offer holds no credential of that type.');
      }
      const pending = wanted.filter((row) => row.state === 'offered');
      if (pending.length === 0) throw protocolError(400, 'invalid_credential_request', 'These credentials have already been collected.');
      const issued = await this.deps.credentials.issuer.issueAll(
        pending.map((row) => ({ typeId: row.type_id, claims: JSON.parse(row.claims) as unknown, provenance: JSON.parse(row.provenance) as unknown, holderDid, passportId: offer.passport_id })),
        trx,
      );
      const notificationId = randomUUID();
      await offers.markIssued(
        pending.map((row, n) => ({ id: row.id, issuedCredentialId: issued[n]!.id })),
        notificationId,
      );
      if (!bound) await offers.bindHolder(offer.passport_id, holderDid, offer.id, at);
      const remaining = rows.filter((row) => row.state === 'offered' && !pending.includes(row));
      // Each request's credentials in the history as they go, so each is collected before the wallet says it accepted it.
      await this.deps.history(trx, offer.passport_id, { kind: 'credential-collected', summary: `Collected into the staff member\u2019s wallet: ${pending.map((row) => row.summary).join(', ')}` }, null, at);
      const collected = remaining.length === 0 && (await offers.transition(offer.id, ['scanned', 'waiting'], 'collected', at));
      await this.deps.collected(trx, offer.passport_id, [...new Set(pending.map((row) => row.type_id))]);
      return { issued, notificationId, collected, passportId: offer.passport_id };
    });
    if (outcome.collected) this.deps.changed({ offerId: offer.id, passportId: outcome.passportId, state: 'collected' });
    return jsonResponse(
      200,
      issuer.createCredentialResponse({
        credentialRequest: parsed,
        credentials: outcome.issued.map((credential) => ({ credential: credential.jwt })),
        notificationId: outcome.notificationId,
      }),
    );
  }

  private async notification(request: PublicRequest): Promise<PublicResponse> {
    const offer = await this.offerForToken(request);
    const parsed = notificationSchema.safeParse(parseJsonBody(request.body, 'invalid_notification_request'));
    if (!parsed.success) throw protocolError(400, 'invalid_notification_request', 'The notification must have a notification_id and an event of credential_accepted, credential_failure or credential_deleted.');
    const { notification_id: notificationId, event, event_description: description } = parsed.data;
    const at = this.at();
    const result = await this.deps.knex().transaction(async (trx) => {
      const offers = this.offers(trx);
      const rows = await offers.credentialsByNotification(offer.id, notificationId);
      if (rows.length === 0) throw protocolError(400, 'invalid_notification_id', 'This offer has no credentials with that notification_id.');
      await offers.setCredentialStates(
        rows.map((row) => row.id),
        event === 'credential_accepted' ? 'accepted' : event === 'credential_deleted' ? 'deleted' : 'failed',
      );
      const all: OfferedCredentialRow[] = await offers.credentials([offer.id]);
      const names = rows.map((row) => row.summary).join(', ');
      const reason =
        event === 'credential_accepted'
          ? null
          : event === 'credential_deleted'
            ? `The staff member deleted ${names} from their wallet.`
            : `Their wallet could not store ${names}${description ? ` (${description.slice(0, 200)})` : ''}.`;
      await this.deps.history(
        trx,
        offer.passport_id,
        { kind: event === 'credential_accepted' ? 'credential-accepted' : event === 'credential_deleted' ? 'credential-deleted' : 'credential-failed', summary: reason ?? `The staff member\u2019s wallet accepted: ${names}` },
        null,
        at,
      );
      // The offer ends when the wallet has said what became of every credential in it.
      const problem = reason ?? (await offers.get(offer.id))!.state_reason ?? unkeptReason(all);
      if (!all.every((row) => ['accepted', 'deleted', 'failed'].includes(row.state))) {
        if (reason) await offers.update(offer.id, { state_reason: reason });
        return null;
      }
      if (problem === null) return (await offers.transition(offer.id, ['collected'], 'accepted', at)) ? ('accepted' as const) : null;
      return (await offers.transition(offer.id, ['scanned', 'collected'], 'failed', at, { state_reason: problem })) ? ('failed' as const) : null;
    });
    if (result) this.deps.changed({ offerId: offer.id, passportId: offer.passport_id, state: result });
    return { status: 204, contentType: 'text/plain', body: '' };
  }
}

/** "10 minutes", or "30 seconds" for IT's shorter settings. */
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** Why an offer whose credentials are all settled did not end accepted, or null when it did. */
function unkeptReason(rows: OfferedCredentialRow[]): string | null {
  const refused = rows.filter((row) => row.state !== 'accepted');
  if (refused.length === 0) return null;
  return `The staff member\u2019s wallet did not keep ${refused.map((row) => row.summary).join(', ')}.`;
}

/** Wallets running in a browser read the metadata across origins. */
function cors(response: PublicResponse): PublicResponse {
  return { ...response, headers: { ...response.headers, 'Access-Control-Allow-Origin': '*' } };
}
