// The test wallet: a holder with a did:jwk key that collects credentials from an OpenID4VCI 1.0
// offer (pre-authorised code) and presents them for an OpenID4VP 1.0 request (signed by a did:web
// verifier, answered by direct_post), through the OpenWallet Foundation clients. Used by tests,
// benchmarks and by people trying the app without a phone (see cli.ts).
import { createHash, randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { clientAuthenticationAnonymous, preAuthorizedCodeGrantIdentifier, type Jwk, type SignJwtCallback, type VerifyJwtCallback } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciVersion, type IssuerMetadataResult, type NotificationEvent } from '@openid4vc/openid4vci';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { objectToQueryParams } from '@openid4vc/utils';
import { newWallet, present as signPresentation, type Wallet as HolderKey } from '../support/credentials.ts';
import { dcqlQuerySchema, matchesQuery, selectForQuery, type DcqlQuery } from './dcql.ts';
import { isLocalHost, verifyWithDidWeb } from './did-web.ts';
import { WalletError, toWalletError } from './errors.ts';
import { withLocalHttp } from './local-http.ts';
import { WALLET_FILE_VERSION, readWalletFile, writeWalletFile, type StoredCredential, type WalletFile } from './store.ts';

export { WalletError } from './errors.ts';
export type { StoredCredential } from './store.ts';

export type HolderAlg = 'ES256' | 'EdDSA';

export interface WalletOptions {
  /** Replaces scheme, host and port of every did:web lookup (tests run verifiers on random ports). */
  didWebOrigin?: string;
  /** The fetch to use (default: global fetch). Every URL still passes the wallet's https rule. */
  fetch?: typeof fetch;
  /** The clock for proof and presentation times. */
  now?: () => Date;
  /** Per HTTP request (default 15 s). */
  timeoutMs?: number;
}

/**
 * Which notification the wallet sends after receiving: `accepted` (the default) keeps the
 * credentials; `deleted` and `failure` do not keep them (the holder threw them away, or the wallet
 * could not store them); `false` keeps them and sends nothing.
 */
export type NotifyChoice = 'accepted' | 'deleted' | 'failure' | false;

export interface CollectOptions {
  /** The transaction code (PIN) the offer asks for, e.g. "493536". */
  txCode?: string;
  notify?: NotifyChoice;
}

export interface PresentOptions {
  /** Extra credential JWTs to put in (another wallet's, tampered ones), whatever the query asks. */
  include?: string[];
  /** `other-key`: sign the presentations with a fresh key while still naming this wallet's DID. */
  signWith?: 'other-key';
  /** Share only these of the wallet's credentials (by id), where they match the query. */
  only?: string[];
  /** `false`: build the response but do not post it; the caller gets the form body to post (or replay). */
  submit?: false;
  /** As WalletOptions.didWebOrigin, for this request only. */
  didWebOrigin?: string;
  /** Sign for another nonce than the request's (a presentation made for a different request). */
  nonce?: string;
  /** Sign for another audience than the request's client_id. */
  audience?: string;
}

/** The request as the wallet understood it, after checking its signature. */
export interface PresentationRequest {
  clientId: string;
  responseUri: string;
  nonce: string;
  state: string | undefined;
  dcqlQuery: DcqlQuery;
}

export interface PreparedPresentation {
  request: PresentationRequest;
  /** Per credential query id, the wallet's credentials put in (not counting `include`). */
  shared: Array<{ queryId: string; credentials: StoredCredential[] }>;
  /** The `vp_token` value: one VP JWT per credential query id. */
  vpToken: Record<string, string[]>;
  /** The direct_post body (`vp_token` and `state`, form-encoded), exactly as posted. */
  formBody: string;
}

export interface HttpResult {
  status: number;
  /** Parsed JSON when the answer is JSON, otherwise its text. */
  body: unknown;
}

export interface PresentationResult extends PreparedPresentation, HttpResult {}

const OFFER_SCHEME = 'openid-credential-offer:';
const REQUEST_SCHEME = 'openid4vp:';

/** The public JWK inside a did:jwk. */
export function publicJwkOfDid(did: string): JWK {
  if (!did.startsWith('did:jwk:')) throw new WalletError('invalid_did', `${did} is not a did:jwk.`);
  try {
    return JSON.parse(Buffer.from(did.slice('did:jwk:'.length).split('#')[0]!, 'base64url').toString('utf8')) as JWK;
  } catch (error) {
    throw new WalletError('invalid_did', `${did} does not hold a JSON Web Key.`, { cause: error });
  }
}

/** Refuses any URL the wallet should not talk to: only https, or http to localhost / 127.0.0.1. */
export function assertAllowedUrl(value: string | URL, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new WalletError('invalid_url', `${what} is not a URL: ${String(value).slice(0, 200)}`, { cause: error });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))) return url;
  throw new WalletError('insecure_url', `${what} (${url.origin}) is refused: the wallet uses https, or http only to localhost or 127.0.0.1.`);
}

export interface OfferLink {
  credentialOfferUri: URL;
}

/** Reads `openid-credential-offer://?credential_offer_uri=...`, the link in the app's QR code. */
export function parseOfferLink(offerUri: string): OfferLink {
  const url = URL.parse(offerUri.trim());
  if (!url || url.protocol !== OFFER_SCHEME) {
    throw new WalletError('invalid_offer_link', `This is not a credential offer link: it must start with openid-credential-offer:// (got "${offerUri.slice(0, 60)}").`);
  }
  const credentialOfferUri = url.searchParams.get('credential_offer_uri');
  if (!credentialOfferUri) {
    const byValue = url.searchParams.has('credential_offer');
    throw new WalletError('invalid_offer_link', byValue ? 'This offer link carries the offer itself (credential_offer); this wallet only follows a credential_offer_uri.' : 'This offer link has no credential_offer_uri, so there is nothing to collect.');
  }
  return { credentialOfferUri: assertAllowedUrl(credentialOfferUri, 'The offer\u2019s credential_offer_uri') };
}

export interface RequestLink {
  clientId: string;
  requestUri: URL;
}

/** Reads `openid4vp://?client_id=...&request_uri=...`, the link in the app's QR code. */
export function parseRequestLink(requestUri: string): RequestLink {
  const url = URL.parse(requestUri.trim());
  if (!url || url.protocol !== REQUEST_SCHEME) {
    throw new WalletError('invalid_request_link', `This is not a presentation request link: it must start with openid4vp:// (got "${requestUri.slice(0, 60)}").`);
  }
  const clientId = url.searchParams.get('client_id');
  const uri = url.searchParams.get('request_uri');
  if (!clientId) throw new WalletError('invalid_request_link', 'This request link has no client_id, so the wallet cannot tell who is asking.');
  if (!uri) throw new WalletError('invalid_request_link', 'This request link has no request_uri; this wallet only answers signed requests fetched from a request_uri.');
  return { clientId, requestUri: assertAllowedUrl(uri, 'The request_uri') };
}

/**
 * A credential JWT (jwt_vc_json) read into what the wallet keeps, and its subject. Throws a
 * WalletError (`credential_unreadable`) when it is not one.
 */
export function readCredential(jwt: string, receivedAt: string, configurationId?: string): { credential: StoredCredential; subject: string | undefined } {
  let payload: ReturnType<typeof decodeJwt>;
  try {
    decodeProtectedHeader(jwt);
    payload = decodeJwt(jwt);
  } catch (error) {
    throw new WalletError('credential_unreadable', 'The credential received is not a JWT.', { cause: error });
  }
  const vc = payload.vc;
  if (typeof vc !== 'object' || vc === null || Array.isArray(vc)) throw new WalletError('credential_unreadable', 'The credential JWT has no "vc" claim, so it is not a jwt_vc_json credential.');
  const claims = vc as Record<string, unknown>;
  const types = typeof claims.type === 'string' ? [claims.type] : Array.isArray(claims.type) ? claims.type.filter((type): type is string => typeof type === 'string') : [];
  if (!types.includes('VerifiableCredential')) throw new WalletError('credential_unreadable', 'The credential\u2019s types do not include VerifiableCredential.');
  const vcIssuer = typeof claims.issuer === 'string' ? claims.issuer : typeof claims.issuer === 'object' && claims.issuer !== null ? (claims.issuer as { id?: unknown }).id : undefined;
  const issuer = payload.iss ?? (typeof vcIssuer === 'string' ? vcIssuer : undefined);
  if (!issuer) throw new WalletError('credential_unreadable', 'The credential names no issuer.');
  const issuedSeconds = payload.nbf ?? payload.iat;
  const issuedAt = issuedSeconds !== undefined ? new Date(issuedSeconds * 1000).toISOString() : typeof claims.issuanceDate === 'string' ? claims.issuanceDate : typeof claims.validFrom === 'string' ? claims.validFrom : '';
  const id = payload.jti ?? (typeof claims.id === 'string' ? claims.id : `sha256:${createHash('sha256').update(jwt).digest('hex').slice(0, 32)}`);
  const subjectClaim = claims.credentialSubject;
  const subjectId = typeof subjectClaim === 'object' && subjectClaim !== null && !Array.isArray(subjectClaim) ? (subjectClaim as { id?: unknown }).id : undefined;
  const subject = payload.sub ?? (typeof subjectId === 'string' ? subjectId : undefined);
  return { credential: { id, types, issuer, issuedAt, jwt, ...(configurationId ? { configurationId } : {}), receivedAt }, subject };
}

/** The types a JWT claims, or none when it cannot be read (a tampered credential still gets placed). */
function typesOfAnyJwt(jwt: string): string[] {
  try {
    const vc = decodeJwt(jwt).vc as { type?: unknown } | undefined;
    return Array.isArray(vc?.type) ? vc.type.filter((type): type is string => typeof type === 'string') : [];
  } catch {
    return []; // unreadable on purpose (a test's tampering): it goes under the first query
  }
}

async function readHttpResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status, body: text }; // says it is JSON and is not: the test sees the text
    }
  }
  return { status: response.status, body: text };
}

async function step<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toWalletError(error, what);
  }
}

const NOTIFICATION_EVENTS: Record<Exclude<NotifyChoice, false>, NotificationEvent> = {
  accepted: 'credential_accepted',
  deleted: 'credential_deleted',
  failure: 'credential_failure',
};

export class TestWallet {
  /** The wallet file, or undefined for a wallet kept in memory only. */
  readonly file: string | undefined;
  private state: WalletFile;
  private readonly key: HolderKey;
  private readonly options: WalletOptions;
  private saving: Promise<void> = Promise.resolve();

  private constructor(state: WalletFile, key: HolderKey, file: string | undefined, options: WalletOptions) {
    this.state = state;
    this.key = key;
    this.file = file;
    this.options = options;
  }

  /** A new holder key (did:jwk) and an empty wallet, saved to `file` when given (never over an existing one). */
  static async create(file?: string, alg: HolderAlg = 'ES256', options: WalletOptions = {}): Promise<TestWallet> {
    if (alg !== 'ES256' && alg !== 'EdDSA') throw new WalletError('unsupported_alg', `The wallet signs with ES256 or EdDSA, not ${String(alg)}.`);
    if (file !== undefined) {
      const exists = await access(file).then(
        () => true,
        () => false,
      );
      if (exists) throw new WalletError('wallet_exists', `There is already a wallet at ${file}; open it instead of making a new one.`);
    }
    const key = await newWallet(alg);
    const privateJwk = await exportJWK(key.privateKey);
    const state: WalletFile = { version: WALLET_FILE_VERSION, alg, did: key.did, privateJwk: privateJwk as WalletFile['privateJwk'], credentials: [] };
    const wallet = new TestWallet(state, key, file, options);
    if (file !== undefined) await wallet.save();
    return wallet;
  }

  /** The wallet saved in `file`, with its key and credentials. */
  static async open(file: string, options: WalletOptions = {}): Promise<TestWallet> {
    const state = await readWalletFile(file);
    const didKey = publicJwkOfDid(state.did);
    const { d: _d, ...privatePublicPart } = state.privateJwk;
    if (didKey.kty !== privatePublicPart.kty || didKey.crv !== privatePublicPart.crv || didKey.x !== privatePublicPart.x || didKey.y !== privatePublicPart.y) {
      throw new WalletError('wallet_file_invalid', `The wallet at ${file} is damaged: its private key does not belong to its DID.`);
    }
    let privateKey: CryptoKey;
    try {
      privateKey = (await importJWK(state.privateJwk as JWK, state.alg)) as CryptoKey;
    } catch (error) {
      throw new WalletError('wallet_file_invalid', `The wallet at ${file} holds a key that cannot sign ${state.alg}.`, { cause: error });
    }
    return new TestWallet(state, { did: state.did, kid: `${state.did}#0`, privateKey, alg: state.alg }, file, options);
  }

  /** The holder's DID (did:jwk). */
  get did(): string {
    return this.key.did;
  }

  /** The DID URL that signs proofs and presentations (`<did>#0`). */
  get kid(): string {
    return this.key.kid;
  }

  get alg(): HolderAlg {
    return this.key.alg;
  }

  /** The holder's public key, as in the DID. */
  get publicJwk(): JWK {
    return publicJwkOfDid(this.key.did);
  }

  /** The credentials kept, oldest first (copies: changing them changes nothing). */
  list(): StoredCredential[] {
    return this.state.credentials.map((credential) => ({ ...credential, types: [...credential.types] }));
  }

  /**
   * Keeps a credential JWT handed over directly, as if collected (for tests that issue through
   * the app's services rather than an offer). It must be a jwt_vc_json credential for this DID.
   */
  async add(jwt: string, configurationId?: string): Promise<StoredCredential> {
    const credential = this.accept(jwt, configurationId);
    await this.keep([credential]);
    return credential;
  }

  /** A presentation (VP JWT) of the given credential JWTs, signed by this holder for a nonce and audience. */
  async signPresentation(credentials: string[], request: { nonce: string; audience: string }, key: 'holder' | 'other-key' = 'holder'): Promise<string> {
    const signer = key === 'holder' ? this.key : { ...this.key, privateKey: (await generateKeyPair(this.key.alg)).privateKey };
    return signPresentation(signer, credentials, request, this.now());
  }

  /**
   * Collects every credential the offer names: redeems the pre-authorised code (with the
   * transaction code when the offer asks for one), then for each credential configuration gets a
   * fresh nonce, proves possession of the holder key and keeps every credential returned, then
   * sends the notification chosen (default `credential_accepted`). Returns what was received.
   */
  async collect(offerUri: string, options: CollectOptions = {}): Promise<StoredCredential[]> {
    const link = parseOfferLink(offerUri);
    const notify = options.notify ?? 'accepted';
    return withLocalHttp(isLocalHost(link.credentialOfferUri.hostname), async () => {
      const client = new Openid4vciClient({ callbacks: this.issuanceCallbacks() });
      const offer = await step('Reading the credential offer', () => client.resolveCredentialOffer(offerUri));
      const grant = offer.grants?.[preAuthorizedCodeGrantIdentifier];
      if (!grant) throw new WalletError('unsupported_grant', 'The offer has no pre-authorised code; this wallet only collects pre-authorised offers.');
      if (grant.tx_code && options.txCode === undefined) {
        const length = grant.tx_code.length ? `${grant.tx_code.length}-digit ` : '';
        throw new WalletError('tx_code_required', `This offer needs the ${length}code sent to the staff member separately${grant.tx_code.description ? ` (${grant.tx_code.description})` : ''}; give it with --tx-code.`);
      }
      const issuerMetadata = asVersion1(await step('Reading the issuer\u2019s metadata', () => client.resolveIssuerMetadata(offer.credential_issuer)));
      const { accessTokenResponse } = await step('Redeeming the offer', () =>
        client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata, ...(options.txCode !== undefined ? { txCode: options.txCode } : {}) }),
      );
      const accessToken = accessTokenResponse.access_token;
      const received: StoredCredential[] = [];
      for (const configurationId of offer.credential_configuration_ids) {
        const nonce = issuerMetadata.credentialIssuer.nonce_endpoint ? (await step('Getting a nonce', () => client.requestNonce({ issuerMetadata }))).c_nonce : accessTokenResponse.c_nonce;
        const { jwt: proof } = await step('Proving the holder key', () =>
          client.createCredentialRequestJwtProof({
            issuerMetadata,
            credentialConfigurationId: configurationId,
            signer: { method: 'did', didUrl: this.kid, alg: this.alg },
            issuedAt: this.now(),
            ...(nonce !== undefined ? { nonce } : {}),
          }),
        );
        const { credentialResponse } = await step('Requesting the credentials', () =>
          client.retrieveCredentials({ issuerMetadata, accessToken, credentialConfigurationId: configurationId, proof: { proof_type: 'jwt', jwt: proof } }),
        );
        const notificationId = credentialResponse.notification_id;
        const sendNotification = async (event: NotificationEvent, eventDescription?: string) => {
          if (notificationId === undefined || !issuerMetadata.credentialIssuer.notification_endpoint) return;
          await step('Telling the issuer what became of the credentials', () =>
            client.sendNotification({ issuerMetadata, accessToken, notification: { notificationId, event, ...(eventDescription ? { eventDescription } : {}) } }),
          );
        };
        let credentials: StoredCredential[];
        try {
          if (credentialResponse.transaction_id) throw new WalletError('deferred_not_supported', 'The issuer deferred the credentials (transaction_id); this wallet collects only credentials issued at once.');
          // 1.0 sends `credentials: [{ credential }]`; earlier drafts sent the values bare.
          const encoded: unknown[] = credentialResponse.credentials?.map((entry) => (typeof entry === 'object' && 'credential' in entry ? entry.credential : entry)) ?? (credentialResponse.credential !== undefined ? [credentialResponse.credential] : []);
          if (encoded.length === 0) throw new WalletError('invalid_credential_response', `The issuer returned no credentials for ${configurationId}.`);
          credentials = encoded.map((value) => {
            if (typeof value !== 'string') throw new WalletError('credential_unreadable', `The issuer returned a ${configurationId} credential that is not a JWT string.`);
            return this.accept(value, configurationId);
          });
          if (notify === 'accepted' || notify === false) await this.keep(credentials);
        } catch (error) {
          const failure = toWalletError(error, 'Keeping the credentials');
          const notifyFailure = notify === false ? null : await sendNotification('credential_failure', failure.description.slice(0, 300)).then(() => null, (notifyError: unknown) => toWalletError(notifyError, 'Sending credential_failure'));
          if (notifyFailure) throw new WalletError(failure.code, `${failure.description} Telling the issuer failed too: ${notifyFailure.description}`, { ...(failure.status !== undefined ? { status: failure.status } : {}), cause: failure });
          throw failure;
        }
        if (notify !== false) await sendNotification(NOTIFICATION_EVENTS[notify]);
        received.push(...credentials);
      }
      return received;
    });
  }

  /**
   * Answers a presentation request: fetches the signed request object, checks its signature
   * against the verifier's did:web document, picks the credentials the DCQL query asks for
   * (every asked-for type this wallet holds), signs one presentation per query for the request's
   * nonce and client_id, and posts `vp_token` and `state` to the response_uri.
   */
  present(requestUri: string, options: PresentOptions & { submit: false }): Promise<PreparedPresentation>;
  present(requestUri: string, options?: PresentOptions): Promise<PresentationResult>;
  async present(requestUri: string, options: PresentOptions = {}): Promise<PreparedPresentation | PresentationResult> {
    const link = parseRequestLink(requestUri);
    return withLocalHttp(isLocalHost(link.requestUri.hostname), async () => {
      const origin = options.didWebOrigin ?? this.options.didWebOrigin;
      if (origin !== undefined) assertAllowedUrl(origin, 'The did:web origin');
      const client = new Openid4vpClient({ callbacks: this.presentationCallbacks(origin) });
      const resolved = await step('Reading the presentation request', () =>
        client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: { client_id: link.clientId, request_uri: link.requestUri.href } }),
      );
      const payload = resolved.authorizationRequestPayload;
      if (!resolved.jar || resolved.client.prefix !== 'decentralized_identifier') {
        throw new WalletError('invalid_request', `The request is not signed by a DID verifier (client_id ${link.clientId}); this wallet answers only decentralized_identifier: verifiers.`);
      }
      if (payload.response_mode !== 'direct_post' || typeof payload.response_uri !== 'string') {
        throw new WalletError('invalid_request', `The request asks for response_mode ${String(payload.response_mode)}; this wallet answers only direct_post to a response_uri.`);
      }
      const query = dcqlQuerySchema.safeParse(resolved.dcql?.query);
      if (!query.success) throw new WalletError('invalid_request', `The request has no usable DCQL query: ${query.error.issues.map((issue) => issue.message).join('; ')}.`);
      const request: PresentationRequest = {
        clientId: payload.client_id ?? link.clientId,
        responseUri: assertAllowedUrl(payload.response_uri, 'The response_uri').href,
        nonce: payload.nonce,
        state: typeof payload.state === 'string' ? payload.state : undefined,
        dcqlQuery: query.data,
      };

      let held = this.state.credentials;
      if (options.only) {
        const unknown = options.only.filter((id) => !held.some((credential) => credential.id === id));
        if (unknown.length > 0) throw new WalletError('unknown_credential', `This wallet holds no credential with id ${unknown.join(', ')}.`);
        held = held.filter((credential) => options.only!.includes(credential.id));
      }
      const selection = selectForQuery(query.data, held);
      const extras = options.include ?? [];
      if (extras.length === 0 && selection.unmet.length > 0) throw new WalletError('no_matching_credentials', `The verifier requires ${selection.unmet.join('; ')}, which this wallet does not hold.`);
      if (extras.length === 0 && selection.byQuery.size === 0) {
        throw new WalletError('no_matching_credentials', `This wallet holds none of the credentials asked for (${query.data.credentials.map((credentialQuery) => credentialQuery.meta?.type_values?.flat().filter((type) => type !== 'VerifiableCredential').join(', ') ?? credentialQuery.id).join('; ')}).`);
      }

      const jwtsByQuery = new Map<string, string[]>([...selection.byQuery].map(([queryId, credentials]) => [queryId, credentials.map((credential) => credential.jwt)]));
      for (const jwt of extras) {
        const types = typesOfAnyJwt(jwt);
        const queryId =
          [...jwtsByQuery.keys()].find((id) => matchesQuery(query.data.credentials.find((credentialQuery) => credentialQuery.id === id)!, types)) ??
          query.data.credentials.find((credentialQuery) => matchesQuery(credentialQuery, types))?.id ??
          [...jwtsByQuery.keys()][0] ??
          query.data.credentials[0]!.id;
        jwtsByQuery.set(queryId, [...(jwtsByQuery.get(queryId) ?? []), jwt]);
      }

      const signedFor = { nonce: options.nonce ?? request.nonce, audience: options.audience ?? request.clientId };
      const vpToken: Record<string, string[]> = {};
      for (const [queryId, jwts] of jwtsByQuery) vpToken[queryId] = [await this.signPresentation(jwts, signedFor, options.signWith === 'other-key' ? 'other-key' : 'holder')];

      const { authorizationResponsePayload } = await step('Building the response', () => client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: payload, authorizationResponsePayload: { vp_token: vpToken } }));
      const prepared: PreparedPresentation = {
        request,
        shared: [...selection.byQuery].map(([queryId, credentials]) => ({ queryId, credentials: credentials.map((credential) => ({ ...credential })) })),
        vpToken,
        formBody: objectToQueryParams(authorizationResponsePayload).toString(),
      };
      if (options.submit === false) return prepared;
      const { response } = await step('Sending the presentation', () => client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: { response_uri: request.responseUri }, authorizationResponsePayload }));
      return { ...prepared, ...(await readHttpResult(response)) };
    });
  }

  /** Posts a form body (e.g. one from `present(..., { submit: false })`, replayed or altered) to a response_uri. */
  async submitRaw(responseUri: string, formBody: string): Promise<HttpResult> {
    const url = assertAllowedUrl(responseUri, 'The response_uri');
    const response = await step('Sending the presentation', () => this.fetch(url.href, { method: 'POST', body: formBody, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    return readHttpResult(response);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Fetch with the wallet's URL rule and a timeout on every request, including the libraries'. */
  private readonly fetch: typeof fetch = async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    assertAllowedUrl(href, 'A URL the wallet was sent to');
    return (this.options.fetch ?? fetch)(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(this.options.timeoutMs ?? 15_000) });
  };

  private readonly signJwt: SignJwtCallback = async (signer, { header, payload }) => {
    if (signer.method !== 'did' || signer.didUrl !== this.kid) throw new WalletError('wallet_error', `The wallet signs only as ${this.kid}, not as ${signer.method === 'did' ? signer.didUrl : signer.method}.`);
    const jwt = await new SignJWT(payload).setProtectedHeader(header).sign(this.key.privateKey);
    return { jwt, signerJwk: this.publicJwk as Jwk };
  };

  private issuanceCallbacks() {
    return {
      fetch: this.fetch,
      hash: (data: Uint8Array, alg: string) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      generateRandom: (bytes: number) => randomBytes(bytes),
      signJwt: this.signJwt,
      // The app's token endpoint takes no client_id (anonymous access with a pre-authorised code).
      clientAuthentication: clientAuthenticationAnonymous(),
    };
  }

  private presentationCallbacks(didWebOrigin: string | undefined) {
    const verifyJwt: VerifyJwtCallback = async (signer, { compact }) => {
      if (signer.method !== 'did') throw new WalletError('invalid_request_object', `The request is signed with a ${signer.method} key; this wallet checks only did:web signatures.`);
      const jwk = await verifyWithDidWeb(compact, signer.didUrl, signer.alg, this.fetch, didWebOrigin);
      return { verified: true, signerJwk: jwk as Jwk };
    };
    const unsupported = () => {
      throw new WalletError('unsupported_encryption', 'This wallet neither decrypts requests nor encrypts responses.');
    };
    return {
      fetch: this.fetch,
      hash: (data: Uint8Array, alg: string) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      signJwt: this.signJwt,
      verifyJwt,
      decryptJwe: unsupported,
      encryptJwe: unsupported,
    };
  }

  /** A received credential checked for keeping: a readable jwt_vc_json credential bound to this DID. */
  private accept(jwt: string, configurationId?: string): StoredCredential {
    const { credential, subject } = readCredential(jwt, this.now().toISOString(), configurationId);
    if (subject !== this.did) throw new WalletError('credential_not_bound', `The credential (${credential.types.join(', ')}) is for ${subject ?? 'no subject'}, not for this wallet's DID.`);
    return credential;
  }

  /** Adds credentials (ignoring exact copies already held) and saves, one save at a time. */
  private async keep(credentials: StoredCredential[]): Promise<void> {
    const held = new Set(this.state.credentials.map((credential) => credential.jwt));
    const next: WalletFile = { ...this.state, credentials: [...this.state.credentials, ...credentials.filter((credential) => !held.has(credential.jwt))] };
    const previous = this.state;
    this.state = next;
    try {
      await this.save();
    } catch (error) {
      this.state = previous;
      throw error;
    }
  }

  private async save(): Promise<void> {
    if (this.file === undefined) return;
    const file = this.file;
    const write = this.saving.then(() => writeWalletFile(file, this.state));
    this.saving = write.catch(() => undefined); // the next save starts after this one, whatever became of it; the caller gets the error
    await write;
  }
}

/**
 * The app's issuer follows OpenID4VCI 1.0, but the client guesses the version from the metadata's
 * shape and takes jwt_vc_json configurations without `credential_metadata` for draft 14 (which
 * requests by format). The wallet speaks 1.0: it requests by credential_configuration_id.
 */
function asVersion1(metadata: IssuerMetadataResult): IssuerMetadataResult {
  if (metadata.originalDraftVersion === Openid4vciVersion.V1 || metadata.originalDraftVersion === Openid4vciVersion.Draft11) return metadata;
  return { ...metadata, originalDraftVersion: Openid4vciVersion.V1 };
}
