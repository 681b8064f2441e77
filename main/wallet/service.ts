// The wallet capability as the rest of the app sees it: HR's offers and requests (with their QR
// codes), what can be offered from a passport, the credentials staff shared and HR's decisions,
// the public endpoints wallets call, and the timer that ends offers and requests on time.
import type { Knex } from 'knex';
import QRCode from 'qrcode';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';
import type { AuditEntry } from '../platform/audit.ts';
import type { PublicRoute } from '../platform/public-server.ts';
import { claimsFromRecord, definitionById, PROVENANCE_LABELS, type CredentialDefinition, type Provenance } from '../credentials/catalogue/index.ts';
import type { Credentials } from '../credentials/service.ts';
import type { CredentialVerification } from '../credentials/verifying/verifier.ts';
import type { StoredRecord } from '../systems/events.ts';
import { CREDENTIAL_CATEGORIES } from '../staff/vocabulary.ts';
import { ukToday } from '../staff/rules.ts';
import { FINAL_OFFER_STATES, FINAL_REQUEST_STATES, type OfferState, type OfferView, type ProvidableRecord, type RequestState, type RequestView, type SharedCredentialView } from './contract.ts';
import { Issuance, type IssuanceSettings } from './issuance.ts';
import type { Actor } from '../staff/passports.ts';
import { OPEN_OFFER_STATES, OffersRepository, type NewOfferedCredential, type OfferRow } from './offer-store.ts';
import { Presentation } from './presentation.ts';
import { RequestsRepository, type RequestRow, type SharedCredentialRow } from './request-store.ts';
import type { ProtocolDeps, RecordHistory } from './protocol.ts';

/** What the wallet needs to know of a passport (the staff passports capability's view of it). */
export interface PassportFacts {
  id: string;
  status: string;
  profile: { firstName: string; lastName: string };
  identityCheck: {
    checkedAt: string;
    checkedByName: string;
    /** A data URL. */
    photo: string;
    firstName: string;
    middleNames: string | null;
    lastName: string;
    dateOfBirth: string;
    legalGender: string;
    nationality: string;
    address: { line1: string; line2: string | null; town: string; postcode: string };
  } | null;
}

export interface WalletSettings extends IssuanceSettings {
  requestExpiryMinutes: number;
}

export interface WalletDeps {
  knex(): Knex;
  now(): Date;
  log: Logger;
  credentials: Credentials;
  publicBaseUrl(): string;
  trust(): { odsCode: string; name: string } | null;
  settings(): WalletSettings;
  audit(entry: AuditEntry): Promise<void>;
  passport(passportId: string): Promise<PassportFacts>;
  /** Refuses, as not found, a passport that does not exist (without reading the whole of it). */
  requirePassport(passportId: string): Promise<void>;
  history: RecordHistory;
  collected(trx: Knex, passportId: string, typeIds: string[]): Promise<void>;
  /** The records kept for a passport from its linked systems, with each system's name. */
  records(passportId: string): Promise<Array<StoredRecord & { system: string }>>;
  /** Fetches the passport's records from its linked systems again; returns problems in words. */
  refreshRecords(passportId: string): Promise<string[]>;
  offerChanged(event: { offerId: string; passportId: string; state: OfferState }): void;
  requestChanged(event: { requestId: string; passportId: string; state: RequestState }): void;
}

/** Pixels per QR module: whole, so a screenshot decodes; 6 keeps a 10-credential offer link under 400 px. */
const QR_SCALE = 6;

const CHECK_LABELS: Record<string, string> = {
  format: 'It can be read',
  signature: 'Signature',
  issuerResolved: 'Issuer\u2019s keys found',
  issuerTrusted: 'Issuer is trusted',
  validity: 'In date',
  status: 'Not revoked or suspended',
  claims: 'Contents are as expected',
  holder: 'Shared by the person it is about',
};

function categoryLabel(definition: CredentialDefinition | undefined): string {
  return CREDENTIAL_CATEGORIES.find((category) => category.value === definition?.category)?.label ?? 'Other';
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const named = value as { name?: unknown; odsCode?: unknown };
    if (typeof named.name === 'string') return typeof named.odsCode === 'string' ? `${named.name} (${named.odsCode})` : named.name;
    return JSON.stringify(value);
  }
  return String(value);
}

/** The claims as HR reads them: the catalogue's label for each, photos and provenance left out. */
export function claimLines(definition: CredentialDefinition | undefined, claims: Record<string, unknown>): Array<{ label: string; value: string }> {
  const labels = (definition?.labels ?? {}) as Record<string, string>;
  return Object.entries(claims)
    .filter(([claim]) => claim !== 'photo' && claim !== 'provenance' && claim !== 'id')
    .map(([claim, value]) => ({ label: labels[claim] ?? claim, value: display(value) }));
}

/** What a credential is about, in a few words ("Fire Safety – level 1"); the type's name when nothing says more. */
export function summaryOf(definition: CredentialDefinition, claims: Record<string, unknown>): string {
  // A shared credential's claims have not necessarily passed any check: only short text or numbers name it.
  const words = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim().slice(0, 150) || null : null);
  const name = ['competencyName', 'subjectName', 'description', 'professionalBody', 'typeOfDbsCheck', 'positionTitle', 'jobRole', 'organisationName'].map((claim) => words(claims[claim])).find((value) => value !== null);
  const level = words(claims.subjectLevel);
  const about = [name, level ? `level ${level}` : null].filter((part): part is string => typeof part === 'string');
  return about.length > 0 ? about.join(' \u2013 ') : definition.displayName;
}

export class Wallet {
  readonly issuance: Issuance;
  readonly presentation: Presentation;
  private readonly deps: WalletDeps;
  private timer: NodeJS.Timeout | null = null;

  constructor(deps: WalletDeps) {
    this.deps = deps;
    const shared: ProtocolDeps = {
      knex: deps.knex,
      now: deps.now,
      log: deps.log,
      credentials: deps.credentials,
      publicBaseUrl: deps.publicBaseUrl,
      trustName: () => deps.trust()?.name ?? 'NHS trust',
      history: deps.history,
    };
    this.issuance = new Issuance({ ...shared, settings: deps.settings, audit: deps.audit, collected: deps.collected, changed: (event) => deps.offerChanged(event) });
    this.presentation = new Presentation({ ...shared, requestExpiryMinutes: () => deps.settings().requestExpiryMinutes, changed: (event) => deps.requestChanged(event) });
  }

  routes(): Array<PublicRoute<unknown>> {
    return [...this.issuance.routes(), ...this.presentation.routes()];
  }

  // ---- Offers ------------------------------------------------------------------------------

  /** The identity credential and access key, from the identity check HR recorded. */
  async offerIdentity(passportId: string, actor: Actor): Promise<OfferView> {
    const passport = await this.deps.passport(passportId);
    const check = passport.identityCheck;
    if (!check) throw new AppError('conflict', 'Check their identity first: the identity credential is made from the identity check.');
    if (!['credentials-pending', 'active'].includes(passport.status)) throw new AppError('conflict', 'Credentials can only be offered for a passport that is pending or active.');
    const trust = this.trustOrRefuse();
    const provenance: Provenance = {
      origin: `${trust.name} identity check`,
      assurancePolicy: 'Face-to-face document check',
      assuranceOutcome: 'Identity confirmed',
      provider: { odsCode: trust.odsCode, name: trust.name },
      verifier: check.checkedByName,
      verificationMethod: 'Documents checked face to face',
      pedigree: 'Authoritative',
      lastRefresh: check.checkedAt,
    };
    const identityClaims = {
      photo: check.photo.replace(/^data:[^,]*,/, ''),
      firstName: check.firstName,
      ...(check.middleNames ? { middleNames: check.middleNames } : {}),
      lastName: check.lastName,
      dateOfBirth: check.dateOfBirth,
      legalGender: check.legalGender,
      nationality: check.nationality,
      addressLine1: check.address.line1,
      ...(check.address.line2 ? { addressLine2: check.address.line2 } : {}),
      town: check.address.town,
      postcode: check.address.postcode,
    };
    const accessKeyClaims = { organisationOdsCode: trust.odsCode, organisationName: trust.name, firstName: passport.profile.firstName, lastName: passport.profile.lastName };
    return this.offer(passportId, [
      { typeId: 'identity', summary: 'Identity', claims: identityClaims, provenance, sourceRecordId: null },
      { typeId: 'access-key', summary: `Access key for ${trust.name}`, claims: accessKeyClaims, provenance: { ...provenance, lastRefresh: this.deps.now().toISOString() }, sourceRecordId: null },
    ], actor);
  }

  async providableRecords(passportId: string, refresh: boolean): Promise<{ records: ProvidableRecord[]; problems: string[] }> {
    await this.deps.requirePassport(passportId);
    const problems = refresh ? await this.deps.refreshRecords(passportId) : [];
    return { records: (await this.readRecords(passportId)).map((record) => record.view), problems };
  }

  /** Each kept record as HR sees it and, when it reads as a credential, its type and claims: read once, for the list and for the offer. */
  private async readRecords(passportId: string): Promise<Array<{ stored: StoredRecord & { system: string }; view: ProvidableRecord; credential: { definition: CredentialDefinition; claims: Record<string, unknown> } | null }>> {
    const today = ukToday(this.deps.now());
    return (await this.deps.records(passportId)).map((stored) => {
      const reading = claimsFromRecord(stored.record);
      const base = { recordId: stored.id, system: stored.system, lastFetchedAt: stored.lastFetchedAt };
      if (!reading.ok) return { stored, credential: null, view: { ...base, typeId: null, displayName: stored.recordType, category: 'Other', summary: stored.recordType, claims: [], providable: false, reason: reading.reason } };
      const { definition, claims } = reading;
      const validUntil = definition.validUntil(claims as never);
      const refusal = definition.notIssuable?.(claims as never, today) ?? (validUntil !== null && validUntil < today ? `It ran out on ${validUntil}.` : null);
      return {
        stored,
        credential: { definition, claims },
        view: { ...base, typeId: definition.id, displayName: definition.displayName, category: categoryLabel(definition), summary: summaryOf(definition, claims), claims: claimLines(definition, claims), providable: refusal === null, reason: refusal },
      };
    });
  }

  async offerRecords(passportId: string, recordIds: string[], actor: Actor): Promise<OfferView> {
    const trust = this.trustOrRefuse();
    const byId = new Map((await this.readRecords(passportId)).map((record) => [record.view.recordId, record]));
    const credentials: NewOfferedCredential[] = [];
    for (const recordId of new Set(recordIds)) {
      const found = byId.get(recordId);
      if (!found) throw new AppError('invalid-input', 'Choose records from the list: one of them is not this staff member\u2019s.', { fields: [{ field: 'recordIds', message: 'Choose records from the list' }] });
      const { stored, view: record, credential } = found;
      if (!record.providable || !credential) throw new AppError('invalid-input', `${record.summary} cannot be provided: ${record.reason}`, { fields: [{ field: 'recordIds', message: `${record.summary} cannot be provided` }] });
      credentials.push({
        typeId: credential.definition.id,
        summary: record.summary,
        claims: credential.claims,
        provenance: {
          origin: stored.system,
          provider: { odsCode: trust.odsCode, name: trust.name },
          verifier: actor.name,
          verificationMethod: 'Retrieved from the authoritative system and checked by HR',
          pedigree: 'Authoritative',
          lastRefresh: stored.lastFetchedAt,
        } satisfies Provenance,
        sourceRecordId: recordId,
      });
    }
    return this.offer(passportId, credentials, actor);
  }

  private async offer(passportId: string, credentials: NewOfferedCredential[], actor: Actor, renewedFrom: string | null = null): Promise<OfferView> {
    const created = await this.deps.knex().transaction((trx) => this.issuance.create(trx, passportId, credentials, actor, renewedFrom));
    this.schedule(created.offer.expires_at);
    this.deps.offerChanged({ offerId: created.offer.id, passportId, state: 'waiting' });
    return this.offerView(created.offer.id);
  }

  async renewOffer(offerId: string, actor: Actor): Promise<OfferView> {
    const { offer, credentials } = await this.issuance.unissued(offerId);
    return this.offer(offer.passport_id, credentials, actor, offer.id);
  }

  async cancelOffer(offerId: string, actor: Actor): Promise<OfferView> {
    await this.issuance.cancel(offerId, actor);
    return this.offerView(offerId);
  }

  async offerView(offerId: string): Promise<OfferView> {
    await this.swept(this.issuance);
    const offers = new OffersRepository(this.deps.knex());
    const offer = await offers.get(offerId);
    if (!offer) throw new AppError('not-found', 'That offer does not exist.');
    return (await this.offerViews([offer], true))[0]!;
  }

  async offersOf(passportId: string): Promise<OfferView[]> {
    await this.swept(this.issuance);
    return this.offerViews(await new OffersRepository(this.deps.knex()).ofPassport(passportId), false);
  }

  private async offerViews(offers: OfferRow[], withQr: boolean): Promise<OfferView[]> {
    const credentials = await new OffersRepository(this.deps.knex()).credentialsIssued(offers.map((offer) => offer.id));
    return Promise.all(
      offers.map(async (offer) => {
        const open = !FINAL_OFFER_STATES.includes(offer.state) && offer.state !== 'collected' && offer.code_redeemed_at === null;
        const offerUri = open ? this.issuance.offerUriOf(offer) : null;
        return {
          id: offer.id,
          passportId: offer.passport_id,
          state: offer.state,
          stateReason: offer.state_reason,
          offerUri,
          qrCode: offerUri && withQr ? await qrCode(offerUri) : null,
          txCode: open ? offer.tx_code : null,
          createdAt: offer.created_at,
          expiresAt: offer.expires_at,
          changedAt: offer.changed_at,
          credentials: credentials
            .filter((row) => row.offer_id === offer.id)
            .map((row) => ({ id: row.id, typeId: row.type_id, displayName: definitionById(row.type_id)?.displayName ?? row.type_id, summary: row.summary, state: row.state, issuedAt: row.issued_at, status: row.issued_state })),
        };
      }),
    );
  }

  /**
   * HR records that the staff member has a new wallet: later offers accept its key. Offers the old
   * wallet had started collecting end too, so a lost phone cannot finish one and take the passport back.
   */
  async recordNewWallet(passportId: string, reason: string, actor: Actor): Promise<void> {
    await this.deps.requirePassport(passportId);
    const at = this.deps.now().toISOString();
    const ended = await this.deps.knex().transaction(async (trx) => {
      const offers = new OffersRepository(trx);
      const forgotten = await offers.forgetHolder(passportId);
      await this.deps.history(trx, passportId, { kind: 'new-wallet', summary: `Recorded that the staff member has a new wallet: ${reason}${forgotten === 0 ? ' (they had not collected anything yet)' : ''}` }, actor, at);
      const started = (await offers.ofPassport(passportId)).filter((offer) => OPEN_OFFER_STATES.includes(offer.state) && offer.code_redeemed_at !== null);
      const cancelled: string[] = [];
      for (const offer of started) {
        if (await offers.transition(offer.id, OPEN_OFFER_STATES, 'cancelled', at, { state_reason: 'HR recorded that the staff member has a new wallet, so the old one cannot finish collecting this offer. Make a new offer.' })) cancelled.push(offer.id);
      }
      if (cancelled.length > 0) await this.deps.history(trx, passportId, { kind: 'offer-cancelled', summary: `Credential offer${cancelled.length === 1 ? '' : 's'} the old wallet had started collecting cancelled` }, actor, at);
      return cancelled;
    });
    for (const offerId of ended) this.deps.offerChanged({ offerId, passportId, state: 'cancelled' });
  }

  // ---- Presentation requests ---------------------------------------------------------------

  async requestCredentials(passportId: string, typeIds: string[], actor: Actor): Promise<RequestView> {
    await this.deps.requirePassport(passportId);
    const row = await this.presentation.create(passportId, typeIds, actor);
    this.schedule(row.expires_at);
    this.deps.requestChanged({ requestId: row.id, passportId, state: 'waiting' });
    return this.requestView(row.id);
  }

  async cancelRequest(requestId: string, actor: Actor): Promise<RequestView> {
    await this.presentation.cancel(requestId, actor);
    return this.requestView(requestId);
  }

  async requestView(requestId: string): Promise<RequestView> {
    await this.swept(this.presentation);
    const row = await new RequestsRepository(this.deps.knex()).get(requestId);
    if (!row) throw new AppError('not-found', 'That request does not exist.');
    return (await this.requestViews([row], true))[0]!;
  }

  async requestsOf(passportId: string): Promise<RequestView[]> {
    await this.swept(this.presentation);
    return this.requestViews(await new RequestsRepository(this.deps.knex()).ofPassport(passportId), false);
  }

  private async requestViews(rows: RequestRow[], withQr: boolean): Promise<RequestView[]> {
    const counts = await new RequestsRepository(this.deps.knex()).countShared(rows.map((row) => row.id));
    return Promise.all(
      rows.map(async (row) => {
        const open = !FINAL_REQUEST_STATES.includes(row.state);
        const requestUri = open ? this.presentation.requestUriOf(row) : null;
        return {
          id: row.id,
          passportId: row.passport_id,
          state: row.state,
          stateReason: row.state_reason,
          requestUri,
          qrCode: requestUri && withQr ? await qrCode(requestUri) : null,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          changedAt: row.changed_at,
          asked: (JSON.parse(row.type_ids) as string[]).map((typeId) => ({ typeId, displayName: definitionById(typeId)?.displayName ?? typeId })),
          sharedCount: counts.get(row.id) ?? 0,
        };
      }),
    );
  }

  async sharedCredentials(passportId: string): Promise<SharedCredentialView[]> {
    await this.deps.requirePassport(passportId);
    return (await new RequestsRepository(this.deps.knex()).sharedOfPassport(passportId)).map(sharedView);
  }

  async decideShared(passportId: string, decisions: Array<{ sharedCredentialId: string; decision: 'accepted' | 'rejected' }>, actor: Actor): Promise<SharedCredentialView[]> {
    const at = this.deps.now().toISOString();
    await this.deps.knex().transaction(async (trx) => {
      const requests = new RequestsRepository(trx);
      const rows = new Map((await requests.shared(passportId, decisions.map((decision) => decision.sharedCredentialId))).map((row) => [row.id, row]));
      const problems = decisions.flatMap((decision, n) => {
        const row = rows.get(decision.sharedCredentialId);
        if (!row) return [{ field: `decisions.${n}`, message: 'That credential was not shared by this staff member' }];
        if (decision.decision === 'accepted' && row.outcome !== 'pass') return [{ field: `decisions.${n}`, message: `${row.display_name} did not pass its checks, so it cannot be accepted` }];
        return [];
      });
      if (problems.length > 0) throw new AppError('invalid-input', problems[0]!.message, { fields: problems });
      for (const decision of decisions) await requests.decide(passportId, decision.sharedCredentialId, decision.decision, actor.id, at);
      const words = decisions.map((decision) => `${rows.get(decision.sharedCredentialId)!.display_name} ${decision.decision}`).join(', ');
      await this.deps.history(trx, passportId, { kind: 'shared-credentials-decided', summary: `Shared credentials reviewed: ${words}` }, actor, at);
    });
    return this.sharedCredentials(passportId);
  }

  // ---- Time --------------------------------------------------------------------------------

  /** Ends what is due and sets the one timer for the next thing due. */
  async sweep(): Promise<void> {
    await this.swept(this.issuance);
    await this.swept(this.presentation);
  }

  /**
   * Ends what is past its time on one side (offers or requests) and keeps the timer for its next
   * end: reading offers need not sweep requests, and the timer keeps the earliest of both.
   */
  private async swept(side: { sweep(): Promise<string | null> }): Promise<void> {
    const next = await side.sweep();
    if (next) this.schedule(next);
  }

  /** Called when the store opens: offers left open before a restart still end on time. */
  async resume(): Promise<void> {
    await this.sweep();
  }

  private scheduledFor: number | null = null;

  private schedule(at: string): void {
    const when = Date.parse(at);
    if (this.timer && this.scheduledFor !== null && this.scheduledFor <= when) return;
    if (this.timer) clearTimeout(this.timer);
    this.scheduledFor = when;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.scheduledFor = null;
        this.sweep().catch((error: unknown) => this.deps.log.warn('could not end expired offers', { detail: String(error).slice(0, 300) }));
      },
      Math.max(0, Math.min(when - this.deps.now().getTime() + 50, 2 ** 31 - 1)),
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.scheduledFor = null;
  }

  private trustOrRefuse(): { odsCode: string; name: string } {
    const trust = this.deps.trust();
    if (!trust) throw new AppError('not-set-up', 'This trust is not set up yet.');
    return trust;
  }
}

async function qrCode(text: string): Promise<string> {
  const png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: QR_SCALE });
  return `data:image/png;base64,${png.toString('base64')}`;
}

function sharedView(row: SharedCredentialRow): SharedCredentialView {
  const definition = row.type_id ? definitionById(row.type_id) : undefined;
  const checks = JSON.parse(row.checks) as CredentialVerification['checks'];
  const claims = JSON.parse(row.claims) as Record<string, unknown>;
  const provenance = claims.provenance as Record<string, unknown> | undefined;
  return {
    id: row.id,
    passportId: row.passport_id,
    requestId: row.request_id,
    typeId: row.type_id,
    displayName: row.display_name,
    about: definition ? summaryOf(definition, claims) : row.display_name,
    category: categoryLabel(definition),
    issuer: { did: row.issuer_did, odsCode: row.issuer_ods_code, name: row.issuer_name },
    outcome: row.outcome,
    summary: row.summary,
    checks: Object.entries(checks).map(([name, check]) => ({ name, label: CHECK_LABELS[name] ?? name, outcome: check!.outcome, reason: check!.reason })),
    claims: [
      ...claimLines(definition, claims),
      ...(provenance ? Object.entries(provenance).map(([key, value]) => ({ label: PROVENANCE_LABELS[key as keyof Provenance] ?? key, value: display(value) })) : []),
    ],
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    receivedAt: row.received_at,
    decision: row.decision,
    decidedAt: row.decided_at,
    acceptable: row.outcome === 'pass' && row.decision === 'pending',
  };
}
