// What the OpenWallet Foundation libraries need from us (hashing, randomness, signing with the
// trust's key, checking a wallet's signature) and what wallets read about us: the credential
// issuer's metadata built from the catalogue, and the authorisation server's metadata.
import { createHash, randomBytes } from 'node:crypto';
import { compactVerify, importJWK, type JWK } from 'jose';
import { Oauth2AuthorizationServer, Oauth2ServerErrorResponseError, clientAuthenticationAnonymous, type CallbackContext, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciIssuer, Openid4vciVersion, type CredentialConfigurationsSupportedWithFormats, type CredentialIssuerMetadata, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { getGlobalConfig, setGlobalConfig } from '@openid4vc/utils';
import { CATALOGUE, type CredentialDefinition } from '../credentials/catalogue/index.ts';
import type { Knex } from 'knex';
import type { Credentials } from '../credentials/service.ts';
import type { Logger } from '../platform/log.ts';
import type { Actor } from '../staff/passports.ts';
import { jsonResponse, type PublicRequest, type PublicResponse } from '../platform/public-server.ts';

/** Adds an entry to a passport's history inside the caller's transaction. */
export type RecordHistory = (trx: Knex, passportId: string, event: { kind: string; summary: string }, actor: Actor | null, at: string) => Promise<void>;

/** What both protocols need from the app. */
export interface ProtocolDeps {
  knex(): Knex;
  now(): Date;
  log: Logger;
  credentials: Credentials;
  publicBaseUrl(): string;
  trustName(): string;
  history: RecordHistory;
}

/** The proof and signing algorithms wallets may use with us (the verifier accepts these). */
export const WALLET_ALGORITHMS = ['ES256', 'EdDSA'] as const;

export const PATHS = {
  issuerMetadata: '/.well-known/openid-credential-issuer',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  notification: '/oid4vci/notification',
  offer: '/oid4vci/offers/',
  request: '/oid4vp/requests/',
  response: '/oid4vp/responses/',
} as const;

/** The wallet scheme links in the QR codes. */
export const OFFER_SCHEME = 'openid-credential-offer://';
export const REQUEST_SCHEME = 'openid4vp://';

/**
 * The libraries refuse http addresses unless told otherwise. A trust serves wallets over HTTPS;
 * plain http is allowed only when the public base URL itself is http (the demo and tests, on
 * this computer).
 */
export function allowHttpFor(baseUrl: string): void {
  if (baseUrl.startsWith('http://') && !getGlobalConfig().allowInsecureUrls) setGlobalConfig({ allowInsecureUrls: true });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A random value for codes, nonces and states: 32 bytes, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Digits for a transaction code, without modulo bias. */
export function randomDigits(length: number): string {
  let digits = '';
  while (digits.length < length) {
    for (const byte of randomBytes(length)) if (byte < 250 && digits.length < length) digits += String(byte % 10);
  }
  return digits;
}

/** A JWK reduced to its public members, so a did:jwk is the same whoever builds it. */
export function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, ...(y === undefined ? {} : { y }) };
}

export function didJwkOf(jwk: Record<string, unknown>): string {
  return `did:jwk:${Buffer.from(JSON.stringify(publicJwk(jwk))).toString('base64url')}`;
}

/**
 * The callbacks the libraries call. Signing is only ever with the trust's current key (request
 * objects); a wallet's signature (a proof) is checked against its own did:jwk / did:key or the
 * JWK in its header, through the credentials engine's resolver.
 */
export function walletCallbacks(credentials: Credentials): Omit<CallbackContext, 'encryptJwe' | 'decryptJwe'> & Pick<CallbackContext, 'encryptJwe' | 'decryptJwe'> {
  return {
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (bytes) => randomBytes(bytes),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer: JwtSigner, { header, payload }) => {
      if (signer.method !== 'did') throw new Error(`only the trust's DID signs (asked for ${signer.method})`);
      const signed = await credentials.signJwt({ ...header }, { ...payload }, signer.didUrl);
      return { jwt: signed.jwt, signerJwk: signed.publicJwk as Jwk };
    },
    verifyJwt: async (signer, { compact }) => {
      if (signer.method === 'jwk') {
        if ('d' in signer.publicJwk) return { verified: false };
        try {
          await compactVerify(compact, await importJWK(publicJwk(signer.publicJwk) as JWK, signer.alg), { algorithms: [...WALLET_ALGORITHMS] });
          return { verified: true, signerJwk: signer.publicJwk };
        } catch {
          return { verified: false };
        }
      }
      if (signer.method === 'did') {
        const checked = await credentials.verifier.checkHolderSignature(compact, signer.didUrl);
        return checked.ok ? { verified: true, signerJwk: checked.publicJwk as Jwk } : { verified: false };
      }
      return { verified: false };
    },
    encryptJwe: () => {
      throw new Error('encrypted responses are not offered');
    },
    decryptJwe: () => {
      throw new Error('encrypted responses are not offered');
    },
  };
}

/** Our id for a type in the issuer metadata: its verifiable-credential type. */
export function configurationIdOf(definition: CredentialDefinition): string {
  return definition.vcType;
}

const CATEGORY_COLOURS: Record<string, string> = {
  identity: '#005eb8',
  employment: '#330072',
  assignment: '#007f3b',
  'core-skills': '#00403a',
  health: '#7c2855',
};

function credentialConfigurations(): CredentialConfigurationsSupportedWithFormats {
  const configurations: CredentialConfigurationsSupportedWithFormats = {};
  for (const definition of CATALOGUE) {
    configurations[configurationIdOf(definition)] = {
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential', definition.vcType] },
      cryptographic_binding_methods_supported: ['did:jwk', 'did:key', 'jwk'],
      credential_signing_alg_values_supported: [...WALLET_ALGORITHMS],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...WALLET_ALGORITHMS] } },
      credential_metadata: {
        display: [{ name: definition.displayName, locale: 'en-GB', background_color: CATEGORY_COLOURS[definition.category] ?? '#005eb8', text_color: '#ffffff' }],
        claims: Object.entries(definition.labels as Record<string, string>).map(([claim, label]) => ({
          path: ['credentialSubject', claim],
          display: [{ name: label, locale: 'en-GB' }],
        })),
      },
    } as CredentialConfigurationsSupportedWithFormats[string];
  }
  return configurations;
}

/**
 * The issuer's metadata and the authorisation server's (the same base address), checked by the
 * library's own schemas. Built per base URL: the public base URL is IT's setting and may change.
 */
export function issuerMetadata(baseUrl: string, trustName: string, callbacks: ReturnType<typeof walletCallbacks>): IssuerMetadataResult {
  allowHttpFor(baseUrl);
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const authorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: baseUrl,
    token_endpoint: `${baseUrl}${PATHS.token}`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    'pre-authorized_grant_anonymous_access_supported': true,
  });
  const issuer = new Openid4vciIssuer({ callbacks });
  const credentialIssuer: CredentialIssuerMetadata = issuer.createCredentialIssuerMetadata({
    credential_issuer: baseUrl,
    credential_endpoint: `${baseUrl}${PATHS.credential}`,
    nonce_endpoint: `${baseUrl}${PATHS.nonce}`,
    notification_endpoint: `${baseUrl}${PATHS.notification}`,
    authorization_servers: [baseUrl],
    display: [{ name: trustName, locale: 'en-GB' }],
    credential_configurations_supported: credentialConfigurations(),
  });
  return {
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata],
    originalDraftVersion: Openid4vciVersion.V1,
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };
}

// ---- Answering wallets ---------------------------------------------------------------------

/** A refusal in the standard's shape: an OAuth error code and a description a person can read. */
class ProtocolError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, error: string, description: string, headers?: Record<string, string>) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

export function protocolError(status: number, error: string, description: string, headers?: Record<string, string>): ProtocolError {
  return new ProtocolError(status, error, description, headers);
}

/** Runs an endpoint, answering its refusals in the standard's shape; anything else goes to the server's own handling. */
export async function answering(work: () => Promise<PublicResponse>): Promise<PublicResponse> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProtocolError) return jsonResponse(error.status, { error: error.error, error_description: error.message }, error.headers);
    if (error instanceof Oauth2ServerErrorResponseError) {
      const response = error.errorResponse as { error: string; error_description?: string };
      return jsonResponse(error.status ?? 400, { error: response.error, ...(response.error_description ? { error_description: response.error_description } : {}) });
    }
    throw error;
  }
}

export function parseJsonBody(body: Buffer, error: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw protocolError(400, error, 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw protocolError(400, error, 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

export function parseFormBody(request: PublicRequest): Record<string, string> {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw protocolError(400, 'invalid_request', 'Send the request as application/x-www-form-urlencoded.');
  const text = request.body.toString('utf8');
  if (!/^[\x20-\x7e]*$/.test(text)) throw protocolError(400, 'invalid_request', 'The request body is not valid form data.');
  return Object.fromEntries(new URLSearchParams(text));
}
