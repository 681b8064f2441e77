// Asking a wallet to share (OpenID for Verifiable Presentations 1.0): a request by reference whose
// request object the trust signs, a DCQL query for the types HR asked for, a direct_post answer
// whose every credential goes through the engine's verifier, stored with its result.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { decodeJwt } from 'jose';
import { createOpenid4vpAuthorizationRequest, parseOpenid4vpAuthorizationResponse, type Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { AppError } from '../errors.ts';
import { jsonResponse, type PublicRequest, type PublicResponse, type PublicRoute } from '../platform/public-server.ts';
import { CATALOGUE, definitionById, type CredentialDefinition } from '../credentials/catalogue/index.ts';
import { CREDENTIAL_TYPE_NAMES } from '../staff/vocabulary.ts';
import type { CredentialVerification, PresentationVerification } from '../credentials/verifying/verifier.ts';
import type { RequestState } from './contract.ts';
import { OPEN_REQUEST_STATES, RequestsRepository, type RequestRow, type SharedCredentialRow } from './request-store.ts';
import { PATHS, REQUEST_SCHEME, type ProtocolDeps, WALLET_ALGORITHMS, allowHttpFor, answering, parseFormBody, protocolError, randomToken, walletCallbacks } from './protocol.ts';
import type { Actor } from '../staff/passports.ts';

export interface PresentationDeps extends ProtocolDeps {
  requestExpiryMinutes(): number;
  changed(request: { requestId: string; passportId: string; state: RequestState }): void;
}

/** Enough for 30 credentials with an identity photo among them, and no more. */
export const MAX_RESPONSE_BYTES = 12 * 1024 * 1024;

export function queryIdOf(definition: CredentialDefinition): string {
  return definition.id;
}

/** The DCQL query: one optional credential set per type, so the wallet shares whichever it holds. */
export function dcqlQueryFor(typeIds: string[]): Record<string, unknown> {
  const definitions = typeIds.map((typeId) => definitionById(typeId)!);
  return {
    credentials: definitions.map((definition) => ({
      id: queryIdOf(definition),
      format: 'jwt_vc_json',
      multiple: true,
      meta: { type_values: [['VerifiableCredential', definition.vcType]] },
    })),
    credential_sets: definitions.map((definition) => ({ options: [[queryIdOf(definition)]], required: false })),
  };
}

export class Presentation {
  private readonly deps: PresentationDeps;
  private readonly callbacks: ReturnType<typeof walletCallbacks>;

  constructor(deps: PresentationDeps) {
    this.deps = deps;
    this.callbacks = walletCallbacks(deps.credentials);
  }

  private at(): string {
    return this.deps.now().toISOString();
  }

  private requests(db: Knex = this.deps.knex()): RequestsRepository {
    return new RequestsRepository(db);
  }

  requestUriOf(row: RequestRow): string {
    return `${REQUEST_SCHEME}?client_id=${encodeURIComponent(row.client_id)}&request_uri=${encodeURIComponent(`${this.deps.publicBaseUrl()}${PATHS.request}${row.id}`)}`;
  }

  async create(passportId: string, typeIds: string[], actor: Actor): Promise<RequestRow> {
    const unknown = typeIds.filter((typeId) => !definitionById(typeId));
    if (unknown.length > 0) throw new AppError('invalid-input', 'Choose types of credential from the list.', { fields: [{ field: 'typeIds', message: 'Choose types of credential from the list' }], detail: `unknown ${unknown.join(',').slice(0, 200)}` });
    const identity = await this.deps.credentials.identity.get();
    if (!identity) throw new AppError('not-set-up', 'This trust has no signing identity yet, so it cannot ask wallets for credentials.');
    const unique = [...new Set(typeIds)];
    const now = this.deps.now();
    const at = now.toISOString();
    const row = {
      id: randomUUID(),
      passport_id: passportId,
      state: 'waiting' as const,
      nonce: randomToken(),
      response_state: randomToken(),
      client_id: `decentralized_identifier:${identity.did}`,
      type_ids: JSON.stringify(unique),
      created_by: actor.id,
      created_at: at,
      expires_at: new Date(now.getTime() + this.deps.requestExpiryMinutes() * 60_000).toISOString(),
      changed_at: at,
    };
    await this.deps.knex().transaction(async (trx) => {
      await this.requests(trx).insert(row);
      const names = unique.map((typeId) => CREDENTIAL_TYPE_NAMES.find((type) => type.id === typeId)?.askedName ?? definitionById(typeId)!.displayName).join(', ');
      await this.deps.history(trx, passportId, { kind: 'credentials-requested', summary: `Asked the staff member to share: ${names}` }, actor, at);
    });
    return (await this.requests().get(row.id))!;
  }

  async cancel(requestId: string, actor: Actor): Promise<void> {
    const at = this.at();
    const passportId = await this.deps.knex().transaction(async (trx) => {
      const requests = this.requests(trx);
      const request = await requests.get(requestId);
      if (!request) throw new AppError('not-found', 'That request does not exist.');
      if (!(await requests.transition(requestId, OPEN_REQUEST_STATES, 'cancelled', at, { state_reason: `Cancelled by ${actor.name}.` }))) throw new AppError('conflict', 'This request has already ended.');
      await this.deps.history(trx, request.passport_id, { kind: 'request-cancelled', summary: 'Request to share credentials cancelled' }, actor, at);
      return request.passport_id;
    });
    this.deps.changed({ requestId, passportId, state: 'cancelled' });
  }

  async sweep(): Promise<string | null> {
    const at = this.at();
    const requests = this.requests();
    for (const request of await requests.expiring(at)) {
      const expired = await this.deps.knex().transaction(async (trx) => {
        if (!(await this.requests(trx).transition(request.id, OPEN_REQUEST_STATES, 'expired', at, { state_reason: 'The staff member did not share anything before the request expired.' }))) return false;
        await this.deps.history(trx, request.passport_id, { kind: 'request-expired', summary: 'Request to share credentials expired: nothing was shared in time' }, null, at);
        return true;
      });
      if (expired) this.deps.changed({ requestId: request.id, passportId: request.passport_id, state: 'expired' });
    }
    return requests.nextExpiry();
  }

  routes(): Array<PublicRoute<unknown>> {
    return [
      { method: 'GET', pattern: /^\/oid4vp\/requests\/(?<id>[0-9a-f-]{36})$/, handle: (request) => answering(() => this.requestObject(request.params.id!)) },
      { method: 'POST', pattern: /^\/oid4vp\/responses\/(?<id>[0-9a-f-]{36})$/, maxBodyBytes: MAX_RESPONSE_BYTES, handle: (request) => answering(() => this.response(request)) },
    ];
  }

  /** The request as the wallet reads it; the same for the request object and for checking the answer. */
  private payloadOf(row: RequestRow): Openid4vpAuthorizationRequest {
    return {
      response_type: 'vp_token',
      client_id: row.client_id,
      response_mode: 'direct_post',
      response_uri: `${this.deps.publicBaseUrl()}${PATHS.response}${row.id}`,
      nonce: row.nonce,
      state: row.response_state,
      dcql_query: dcqlQueryFor(JSON.parse(row.type_ids) as string[]),
      client_metadata: { client_name: this.deps.trustName(), vp_formats_supported: { jwt_vc_json: { alg_values: [...WALLET_ALGORITHMS] } } },
    } as Openid4vpAuthorizationRequest;
  }

  /** A request a wallet may still fetch (404 when not) or answer (400, the standard's answer to a replay). */
  private async openRequest(id: string, status: 400 | 404 = 404): Promise<RequestRow> {
    const row = await this.requests().get(id);
    if (!row || !OPEN_REQUEST_STATES.includes(row.state)) throw protocolError(status, 'invalid_request', 'This request has already been answered or is no longer available. Ask HR for a new one.');
    if (row.expires_at <= this.at()) {
      await this.sweep();
      throw protocolError(status, 'invalid_request', 'This request has expired. Ask HR for a new one.');
    }
    return row;
  }

  private async requestObject(id: string): Promise<PublicResponse> {
    const row = await this.openRequest(id);
    const base = this.deps.publicBaseUrl();
    allowHttpFor(base);
    const key = await this.deps.credentials.identity.signingKey();
    const expiresInSeconds = Math.max(1, Math.floor((Date.parse(row.expires_at) - this.deps.now().getTime()) / 1000));
    const created = await createOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: this.payloadOf(row),
      jar: { requestUri: `${base}${PATHS.request}${row.id}`, jwtSigner: { method: 'did', didUrl: key.kid, alg: key.algorithm }, expiresInSeconds },
      callbacks: this.callbacks,
      now: this.deps.now(),
    });
    if (await this.requests().transition(row.id, ['waiting'], 'scanned', this.at())) this.deps.changed({ requestId: row.id, passportId: row.passport_id, state: 'scanned' });
    return { status: 200, contentType: 'application/oauth-authz-req+jwt', body: created.jar!.authorizationRequestJwt };
  }

  private async response(request: PublicRequest): Promise<PublicResponse> {
    const form = parseFormBody(request);
    const row = await this.openRequest(request.params.id!, 400);
    if (form.state !== row.response_state) throw protocolError(400, 'invalid_request', 'The state does not match this request.');
    let presentations: Record<string, unknown[]>;
    try {
      const parsed = await parseOpenid4vpAuthorizationResponse({ authorizationResponse: form, authorizationRequestPayload: this.payloadOf(row), callbacks: this.callbacks });
      if (parsed.type !== 'dcql') throw new Error('not a DCQL answer');
      presentations = parsed.dcql.presentations;
    } catch (error) {
      this.deps.log.info('presentation response refused', { requestId: row.id, detail: String(error).slice(0, 300) });
      throw protocolError(400, 'invalid_request', 'The response is not a valid answer to this request: send vp_token as a JSON object of presentations for the query ids asked for.');
    }
    const asked = new Set((JSON.parse(row.type_ids) as string[]).map((typeId) => queryIdOf(definitionById(typeId)!)));
    const verified: Array<PresentationVerification & { jwts: string[] }> = [];
    for (const [queryId, entries] of Object.entries(presentations)) {
      if (!asked.has(queryId)) throw protocolError(400, 'invalid_request', `The answer holds "${queryId.slice(0, 60)}", which this request did not ask for.`);
      for (const entry of entries) {
        const result = await this.deps.credentials.verifier.verify(entry, { nonce: row.nonce, audience: row.client_id });
        if (result.kind !== 'presentation') throw protocolError(400, 'invalid_request', 'Each answer must be a verifiable presentation signed by the wallet.');
        verified.push({ ...result, jwts: credentialJwtsOf(entry) });
      }
    }
    // A presentation that is not the holder's own (a wrong signature, another request's nonce) or
    // that carries a forged or someone else's credential is refused whole; a genuine credential
    // from an issuer HR does not trust is kept, marked as failing, for HR to see and reject.
    for (const presentation of verified) {
      const broken = Object.entries(presentation.checks).find(([, check]) => check.outcome === 'fail');
      if (broken) throw protocolError(400, 'invalid_request', `The presentation was refused: ${broken[1].reason}`);
      for (const credential of presentation.credentials) {
        const forged = (['format', 'signature', 'holder'] as const).map((name) => credential.checks[name]).find((check) => check?.outcome === 'fail');
        if (forged) throw protocolError(400, 'invalid_request', `A credential in it was refused: ${forged.reason}`);
      }
    }
    const credentials = verified.flatMap((presentation) => presentation.credentials.map((credential, n) => ({ credential, jwt: presentation.jwts[n] ?? '' })));
    if (credentials.length === 0) throw protocolError(400, 'invalid_request', 'The answer holds no credentials.');
    const at = this.at();
    const rows = credentials.map(({ credential, jwt }, position) => sharedRow(row, credential, jwt, position, at));
    const stored = await this.deps.knex().transaction(async (trx) => {
      const requests = this.requests(trx);
      // Conditional: a replay of the same answer, or two at once, finds the request already answered.
      if (!(await requests.transition(row.id, OPEN_REQUEST_STATES, 'shared', at, { answered_at: at }))) return false;
      await requests.insertShared(rows);
      const names = rows.map((shared) => shared.display_name).join(', ');
      await this.deps.history(trx, row.passport_id, { kind: 'credentials-shared', summary: `The staff member shared ${rows.length} credential${rows.length === 1 ? '' : 's'}: ${names}` }, null, at);
      return true;
    });
    if (!stored) throw protocolError(400, 'invalid_request', 'This request has already been answered.');
    this.deps.changed({ requestId: row.id, passportId: row.passport_id, state: 'shared' });
    return jsonResponse(200, {});
  }
}

/** The credentials inside a presentation, in the order the verifier reports them. */
function credentialJwtsOf(presentation: unknown): string[] {
  try {
    const vp = (decodeJwt(String(presentation)) as { vp?: { verifiableCredential?: unknown } }).vp;
    const inside = vp?.verifiableCredential;
    return (Array.isArray(inside) ? inside : inside === undefined ? [] : [inside]).map((jwt) => (typeof jwt === 'string' ? jwt : JSON.stringify(jwt)));
  } catch {
    return [];
  }
}

function sharedRow(request: RequestRow, verification: CredentialVerification, jwt: string, position: number, at: string): SharedCredentialRow {
  const credential = verification.credential;
  const typeId = credential?.typeId ?? null;
  const vcType = credential?.types.find((type) => type !== 'VerifiableCredential') ?? 'Unknown credential';
  return {
    id: randomUUID(),
    passport_id: request.passport_id,
    request_id: request.id,
    position,
    jwt,
    type_id: typeId,
    display_name: credential?.displayName ?? vcType,
    issuer_did: credential?.issuer.did ?? 'unknown',
    issuer_ods_code: credential?.issuer.odsCode ?? null,
    issuer_name: credential?.issuer.name ?? null,
    outcome: verification.outcome,
    summary: verification.summary,
    checks: JSON.stringify(verification.checks),
    claims: JSON.stringify(credential?.claims ?? {}),
    issued_at: credential?.issuedAt ?? null,
    expires_at: credential?.expiresAt ?? null,
    received_at: at,
    decision: 'pending',
    decided_at: null,
    decided_by: null,
  };
}

/** Types HR may ask for, for the screens. */
export function requestableTypes(): Array<{ typeId: string; displayName: string }> {
  return CATALOGUE.map((definition) => ({ typeId: definition.id, displayName: definition.displayName }));
}
