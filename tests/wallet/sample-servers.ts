// A small credential issuer (OpenID4VCI 1.0, pre-authorised code) and verifier (OpenID4VP 1.0,
// signed request from a did:web, direct_post) on 127.0.0.1, built to the same contract as the
// app's wallet server, so the test wallet's collect and present are proved end to end without it.
// The issuer uses the OpenWallet Foundation server classes; the verifier is plain jose.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactVerify, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import {
  Oauth2AuthorizationServer,
  Oauth2ResourceServer,
  Oauth2ServerErrorResponseError,
  Oauth2ResourceUnauthorizedError,
  SupportedAuthenticationScheme,
  clientAuthenticationNone,
  preAuthorizedCodeGrantIdentifier,
  type AuthorizationServerMetadata,
  type HttpMethod,
  type Jwk,
  type SignJwtCallback,
  type VerifyJwtCallback,
} from '@openid4vc/oauth2';
import { Openid4vciIssuer, Openid4vciVersion, type CredentialIssuerMetadata, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { withLocalHttp } from './local-http.ts';

export interface SampleCredentialType {
  /** The credential configuration id, e.g. "core-skill". */
  configurationId: string;
  vcType: string;
  /** One subject per credential issued for this configuration (several core skills, say). */
  subjects: Array<Record<string, unknown>>;
  /** Issue to this DID instead of the one the proof names: an issuer's mistake, for the wallet's failure path. */
  wrongHolder?: string;
}

export const SAMPLE_TYPES: SampleCredentialType[] = [
  {
    configurationId: 'core-skill',
    vcType: 'NHSCoreSkillCredential',
    subjects: [
      { competencyName: 'Information Governance and Data Security', subjectLevel: '1' },
      { competencyName: 'Fire Safety', subjectLevel: '1' },
    ],
  },
  { configurationId: 'right-to-work', vcType: 'NHSRightToWorkCredential', subjects: [{ rightToWorkStatus: 'Confirmed' }] },
];

class HttpError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const each of value) headers.append(name, each);
  }
  return headers;
}

async function listen(handler: (request: IncomingMessage, response: ServerResponse, origin: string) => Promise<void>): Promise<{ server: Server; origin: string }> {
  let origin = '';
  const server = createServer((request, response) => {
    withLocalHttp(true, () => handler(request, response, origin)).catch((error: unknown) => {
      if (error instanceof HttpError) sendJson(response, error.status, { error: error.error, error_description: error.message });
      else if (error instanceof Oauth2ServerErrorResponseError) sendJson(response, error.status, error.errorResponse);
      else if (error instanceof Oauth2ResourceUnauthorizedError) sendJson(response, 401, { error: 'invalid_token', error_description: error.message });
      else sendJson(response, 500, { error: 'server_error', error_description: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function didJwkKey(didUrl: string): JWK {
  return JSON.parse(Buffer.from(didUrl.slice('did:jwk:'.length).split('#')[0]!, 'base64url').toString('utf8')) as JWK;
}

const verifyJwtWithJose: VerifyJwtCallback = async (signer, { compact }) => {
  let jwk: JWK;
  if (signer.method === 'jwk') jwk = signer.publicJwk as JWK;
  else if (signer.method === 'did' && signer.didUrl.startsWith('did:jwk:')) jwk = didJwkKey(signer.didUrl);
  else return { verified: false };
  try {
    await compactVerify(compact, await importJWK(jwk, signer.alg), { algorithms: [signer.alg] });
    return { verified: true, signerJwk: jwk as Jwk };
  } catch {
    return { verified: false }; // the library reports the failure as invalid_proof / invalid_token
  }
};

export interface IssuedOffer {
  link: string;
  preAuthorizedCode: string;
}

export interface SampleIssuer {
  /** The credential issuer identifier (`<origin>/wallet`). */
  issuer: string;
  /** The DID its credentials name as issuer (not resolvable; the sample verifier trusts its key directly). */
  did: string;
  publicJwk: JWK;
  offer(options?: { configurationIds?: string[]; txCode?: string }): IssuedOffer;
  /** Every notification received, in order. */
  notifications: Array<{ notification_id: string; event: string; event_description?: string }>;
  /** Every credential request body received, in order. */
  credentialRequests: Array<Record<string, unknown>>;
  /** Every token request (form fields) received, in order. */
  tokenRequests: Array<Record<string, string>>;
  close(): Promise<void>;
}

export async function startSampleIssuer(types: SampleCredentialType[] = SAMPLE_TYPES): Promise<SampleIssuer> {
  const signingKeys = await generateKeyPair('ES256', { extractable: true });
  const signingJwk = { ...(await exportJWK(signingKeys.publicKey)), kid: 'key-1', use: 'sig', alg: 'ES256' };
  const credentialKeys = await generateKeyPair('ES256', { extractable: true });
  const credentialJwk = await exportJWK(credentialKeys.publicKey);

  const offers = new Map<string, { configurationIds: string[]; txCode: string | undefined; redeemed: boolean }>();
  const accessTokens = new Map<string, string>(); // jti -> pre-authorised code
  const nonces = new Set<string>();
  const notificationIds = new Set<string>();
  const notifications: SampleIssuer['notifications'] = [];
  const credentialRequests: SampleIssuer['credentialRequests'] = [];
  const tokenRequests: SampleIssuer['tokenRequests'] = [];


  const signJwt: SignJwtCallback = async (signer, { header, payload }) => {
    if (signer.method !== 'jwk') throw new Error('The sample issuer signs only access tokens, with its own key.');
    return { jwt: await new SignJWT(payload).setProtectedHeader(header).sign(signingKeys.privateKey), signerJwk: signingJwk as Jwk };
  };
  const callbacks = {
    hash: (data: Uint8Array, alg: string) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (bytes: number) => randomBytes(bytes),
    signJwt,
    verifyJwt: verifyJwtWithJose,
    clientAuthentication: clientAuthenticationNone({ clientId: 'unused' }),
    // The resource server reads the access-token keys from jwks_uri: answered from memory.
    fetch: async (input: string | URL | Request) => {
      const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (href !== authorizationServerMetadata.jwks_uri) throw new Error(`The sample issuer fetches nothing but its own keys (${href}).`);
      return new Response(JSON.stringify({ keys: [signingJwk] }), { headers: { 'content-type': 'application/jwk-set+json' } });
    },
  };
  const vciIssuer = new Openid4vciIssuer({ callbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const resourceServer = new Oauth2ResourceServer({ callbacks });

  const requestLike = (request: IncomingMessage, origin: string) => ({ headers: headersOf(request), method: request.method as HttpMethod, url: `${origin}${request.url}` });

  async function authorise(request: IncomingMessage, origin: string): Promise<string> {
    const { tokenPayload } = await resourceServer.verifyResourceRequest({
      authorizationServers: [authorizationServerMetadata],
      request: requestLike(request, origin),
      resourceServer: issuerUrl,
      allowedAuthenticationSchemes: [SupportedAuthenticationScheme.Bearer],
    });
    const code = typeof tokenPayload.jti === 'string' ? accessTokens.get(tokenPayload.jti) : undefined;
    if (!code) throw new HttpError(401, 'invalid_token', 'The access token is not one this issuer gave.');
    return code;
  }

  async function issue(configurationId: string, holderDid: string): Promise<string[]> {
    const type = types.find((candidate) => candidate.configurationId === configurationId)!;
    const now = Math.floor(Date.now() / 1000);
    return Promise.all(
      type.subjects.map((subject) =>
        new SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', type.vcType], credentialSubject: subject } })
          .setProtectedHeader({ alg: 'ES256', kid: `${issuerDid}#key-1`, typ: 'JWT' })
          .setIssuer(issuerDid)
          .setSubject(type.wrongHolder ?? holderDid)
          .setJti(`urn:uuid:${randomUUID()}`)
          .setNotBefore(now)
          .setIssuedAt(now)
          .sign(credentialKeys.privateKey),
      ),
    );
  }

  const { server, origin } = await listen(async (request, response, origin) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    const offerMatch = /^\/wallet\/offers\/([\w-]+)$/.exec(path);
    if (request.method === 'GET' && offerMatch) {
      const entry = [...offers.entries()].find(([code]) => createHash('sha256').update(code).digest('hex').slice(0, 32) === offerMatch[1]);
      if (!entry) throw new HttpError(404, 'not_found', 'There is no such offer.');
      const [code, offer] = entry;
      const grant = { 'pre-authorized_code': code, ...(offer.txCode ? { tx_code: { input_mode: 'numeric', length: offer.txCode.length, description: 'The code HR sent you' } } : {}) };
      sendJson(response, 200, { credential_issuer: issuerUrl, credential_configuration_ids: offer.configurationIds, grants: { [preAuthorizedCodeGrantIdentifier]: grant } });
      return;
    }
    if (request.method === 'GET' && path === '/wallet/.well-known/openid-credential-issuer') return sendJson(response, 200, issuerMetadata.credentialIssuer);
    if (request.method === 'GET' && path === '/wallet/.well-known/oauth-authorization-server') return sendJson(response, 200, authorizationServerMetadata);
    if (request.method === 'POST' && path === '/wallet/token') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(request)));
      tokenRequests.push(form);
      const parsed = authorizationServer.parseAccessTokenRequest({ accessTokenRequest: form, request: requestLike(request, origin) });
      if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) throw new HttpError(400, 'unsupported_grant_type', 'Only the pre-authorised code grant.');
      const code = parsed.grant.preAuthorizedCode;
      const offer = offers.get(code);
      if (!offer || offer.redeemed) throw new HttpError(400, 'invalid_grant', 'The offer is unknown or has been collected already.');
      await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
        authorizationServerMetadata,
        grant: parsed.grant,
        accessTokenRequest: parsed.accessTokenRequest,
        request: requestLike(request, origin),
        expectedPreAuthorizedCode: code,
        ...(offer.txCode ? { expectedTxCode: offer.txCode } : {}),
      });
      offer.redeemed = true;
      const accessTokenResponse = await authorizationServer.createAccessTokenResponse({
        audience: issuerUrl,
        authorizationServer: issuerUrl,
        expiresInSeconds: 300,
        signer: { method: 'jwk', alg: 'ES256', publicJwk: signingJwk as Jwk, kid: 'key-1' },
        subject: code,
      });
      accessTokens.set((decodeJwt(accessTokenResponse.access_token).jti as string | undefined) ?? '', code);
      return sendJson(response, 200, accessTokenResponse);
    }
    if (request.method === 'POST' && path === '/wallet/nonce') {
      const nonce = randomBytes(16).toString('base64url');
      nonces.add(nonce);
      return sendJson(response, 200, { c_nonce: nonce });
    }
    if (request.method === 'POST' && path === '/wallet/credential') {
      const code = await authorise(request, origin);
      const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      credentialRequests.push(body);
      const parsed = vciIssuer.parseCredentialRequest({ issuerMetadata, credentialRequest: body });
      const configurationId = parsed.credentialConfigurationId;
      if (!configurationId || !offers.get(code)!.configurationIds.includes(configurationId)) throw new HttpError(400, 'unknown_credential_configuration', 'That credential was not offered.');
      const proof = parsed.proofs?.jwt?.[0];
      if (!proof) throw new HttpError(400, 'invalid_proof', 'A jwt proof is needed.');
      const nonce = decodeJwt(proof).nonce;
      if (typeof nonce !== 'string' || !nonces.delete(nonce)) throw new HttpError(400, 'invalid_nonce', 'The proof\u2019s nonce is not one this issuer gave, or was used already.');
      const { signer } = await vciIssuer.verifyCredentialRequestJwtProof({ issuerMetadata, jwt: proof, expectedNonce: nonce });
      if (signer.method !== 'did') throw new HttpError(400, 'invalid_proof', 'The proof must name the holder\u2019s DID in kid.');
      const holderDid = signer.didUrl.split('#')[0]!;
      const notificationId = randomUUID();
      notificationIds.add(notificationId);
      const credentials = await issue(configurationId, holderDid);
      return sendJson(response, 200, vciIssuer.createCredentialResponse({ credentialRequest: parsed, credentials: credentials.map((credential) => ({ credential })), notificationId }));
    }
    if (request.method === 'POST' && path === '/wallet/notification') {
      await authorise(request, origin);
      const body = JSON.parse(await readBody(request)) as SampleIssuer['notifications'][number];
      if (!notificationIds.delete(body.notification_id)) throw new HttpError(400, 'invalid_notification_id', 'Unknown notification id.');
      notifications.push(body);
      response.writeHead(204).end();
      return;
    }
    throw new HttpError(404, 'not_found', `Nothing at ${request.method} ${path}.`);
  });

  // What depends on the port. The handlers above read it only when a request comes, which is after
  // this has run (requests wait for the event loop; this runs straight after listening).
  const issuerUrl = `${origin}/wallet`;
  const issuerDid = `did:web:127.0.0.1%3A${new URL(origin).port}:issuer`;
  const authorizationServerMetadata: AuthorizationServerMetadata = {
    issuer: issuerUrl,
    token_endpoint: `${issuerUrl}/token`,
    jwks_uri: `${issuerUrl}/jwks.json`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
  const credentialIssuer: CredentialIssuerMetadata = {
    credential_issuer: issuerUrl,
    credential_endpoint: `${issuerUrl}/credential`,
    nonce_endpoint: `${issuerUrl}/nonce`,
    notification_endpoint: `${issuerUrl}/notification`,
    credential_configurations_supported: Object.fromEntries(
      types.map((type) => [
        type.configurationId,
        {
          format: 'jwt_vc_json',
          credential_definition: { type: ['VerifiableCredential', type.vcType] },
          cryptographic_binding_methods_supported: ['did:jwk'],
          credential_signing_alg_values_supported: ['ES256'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
        },
      ]),
    ),
  };
  const issuerMetadata: IssuerMetadataResult = {
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata],
    originalDraftVersion: Openid4vciVersion.V1,
    knownCredentialConfigurations: vciIssuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };

  return {
    issuer: issuerUrl,
    did: issuerDid,
    publicJwk: credentialJwk,
    notifications,
    credentialRequests,
    tokenRequests,
    offer({ configurationIds = types.map((type) => type.configurationId), txCode } = {}) {
      const code = randomBytes(24).toString('base64url');
      offers.set(code, { configurationIds, txCode, redeemed: false });
      const offerUri = `${origin}/wallet/offers/${createHash('sha256').update(code).digest('hex').slice(0, 32)}`;
      return { link: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUri)}`, preAuthorizedCode: code };
    },
    close: () => close(server),
  };
}

export interface SampleRequest {
  link: string;
  nonce: string;
  state: string;
  clientId: string;
}

export interface ReceivedPresentation {
  state: string;
  /** Per query id, the credential JWTs inside the verified presentation. */
  credentials: Record<string, string[]>;
}

export interface SampleVerifier {
  did: string;
  clientId: string;
  /** The verifier's origin: what the wallet's didWebOrigin would be if the DID named another host. */
  origin: string;
  /** A request asking, optionally, for each of the given VC types. */
  request(vcTypes: string[], options?: { required?: boolean; signWithUnpublishedKey?: boolean }): Promise<SampleRequest>;
  received: ReceivedPresentation[];
  close(): Promise<void>;
}

/** A verifier whose DID is `did:web:127.0.0.1%3A<port>:verifier`; it trusts the given issuers' keys. */
export async function startSampleVerifier(trustedIssuers: Array<{ did: string; publicJwk: JWK }>): Promise<SampleVerifier> {
  const keys = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(keys.publicKey);
  const unpublished = await generateKeyPair('ES256');
  const requests = new Map<string, { jar: string; nonce: string; state: string; used: boolean }>();
  const received: ReceivedPresentation[] = [];

  async function verifyPresentation(vpJwt: string, nonce: string): Promise<string[]> {
    const header = decodeProtectedHeader(vpJwt);
    if (typeof header.kid !== 'string' || !header.kid.startsWith('did:jwk:')) throw new HttpError(400, 'invalid_presentation', 'The presentation must be signed by a did:jwk.');
    const holderDid = header.kid.split('#')[0]!;
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(vpJwt, await importJWK(didJwkKey(header.kid), header.alg), { audience: clientId, issuer: holderDid }));
    } catch (error) {
      throw new HttpError(400, 'invalid_presentation', `The presentation does not verify: ${(error as Error).message}`);
    }
    if (payload.nonce !== nonce) throw new HttpError(400, 'invalid_presentation', 'The presentation was made for another request (nonce).');
    const credentials = ((payload.vp as { verifiableCredential?: unknown } | undefined)?.verifiableCredential ?? []) as unknown[];
    for (const credential of credentials) {
      if (typeof credential !== 'string') throw new HttpError(400, 'invalid_presentation', 'Only JWT credentials.');
      const claims = decodeJwt(credential);
      const issuer = trustedIssuers.find((trusted) => trusted.did === claims.iss);
      if (!issuer) throw new HttpError(400, 'invalid_presentation', `The issuer ${String(claims.iss)} is not trusted.`);
      try {
        await compactVerify(credential, await importJWK(issuer.publicJwk, 'ES256'));
      } catch (error) {
        throw new HttpError(400, 'invalid_presentation', `A credential's signature does not verify: ${(error as Error).message}`);
      }
      if (claims.sub !== holderDid) throw new HttpError(400, 'invalid_presentation', 'A credential belongs to someone else.');
    }
    return credentials as string[];
  }

  const { server, origin } = await listen(async (request, response, origin) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (request.method === 'GET' && path === '/verifier/did.json') {
      return sendJson(response, 200, { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwk }], assertionMethod: [`${did}#key-1`], authentication: [`${did}#key-1`] }, 'application/did+json');
    }
    const requestMatch = /^\/verifier\/requests\/([\w-]+)$/.exec(path);
    if (request.method === 'GET' && requestMatch) {
      const entry = requests.get(requestMatch[1]!);
      if (!entry) throw new HttpError(404, 'not_found', 'No such request.');
      response.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' });
      response.end(entry.jar);
      return;
    }
    if (request.method === 'POST' && path === '/verifier/response') {
      const form = new URLSearchParams(await readBody(request));
      const state = form.get('state') ?? '';
      const entry = [...requests.values()].find((candidate) => candidate.state === state);
      if (!entry) throw new HttpError(400, 'invalid_request', 'Unknown state.');
      if (entry.used) throw new HttpError(400, 'invalid_request', 'This request has been answered already.');
      entry.used = true;
      let vpToken: Record<string, unknown>;
      try {
        vpToken = JSON.parse(form.get('vp_token') ?? '') as Record<string, unknown>;
      } catch {
        throw new HttpError(400, 'invalid_request', 'vp_token is not JSON.');
      }
      const credentials: Record<string, string[]> = {};
      for (const [queryId, presentations] of Object.entries(vpToken)) {
        if (!Array.isArray(presentations) || presentations.length !== 1 || typeof presentations[0] !== 'string') throw new HttpError(400, 'invalid_request', 'One VP JWT per query.');
        credentials[queryId] = await verifyPresentation(presentations[0], entry.nonce);
      }
      received.push({ state, credentials });
      return sendJson(response, 200, {});
    }
    throw new HttpError(404, 'not_found', `Nothing at ${request.method} ${path}.`);
  });

  // Read by the handlers only when requests come, after this has run (as for the issuer).
  const did = `did:web:127.0.0.1%3A${new URL(origin).port}:verifier`;
  const clientId = `decentralized_identifier:${did}`;

  return {
    did,
    clientId,
    origin,
    received,
    async request(vcTypes, { required = false, signWithUnpublishedKey = false } = {}) {
      const id = randomUUID();
      const nonce = randomBytes(16).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const queries = vcTypes.map((vcType, n) => ({ id: `q${n}`, format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', vcType]] }, multiple: true }));
      const payload = {
        client_id: clientId,
        response_type: 'vp_token',
        response_mode: 'direct_post',
        response_uri: `${origin}/verifier/response`,
        nonce,
        state,
        dcql_query: { credentials: queries, credential_sets: queries.map((query) => ({ options: [[query.id]], required })) },
      };
      const signingKey: CryptoKey = signWithUnpublishedKey ? unpublished.privateKey : keys.privateKey;
      const jar = await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: `${did}#key-1`, typ: 'oauth-authz-req+jwt' }).setIssuedAt().setExpirationTime('5m').sign(signingKey);
      requests.set(id, { jar, nonce, state, used: false });
      const requestUri = `${origin}/verifier/requests/${id}`;
      return { link: `openid4vp://?client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(requestUri)}`, nonce, state, clientId };
    },
    close: () => close(server),
  };
}
