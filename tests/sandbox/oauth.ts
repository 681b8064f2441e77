// The sandbox's OAuth 2.0 side: client credentials with a private-key-JWT client assertion
// (RFC 6749 §4.4, RFC 7521, RFC 7523), the way the DSP standard asks authoritative systems to
// authorise the DSP. Clients are registered with their public JWKS and the operations they are
// enabled for, per system and organisation; issued access tokens are opaque, expire, and are bound
// to the client, whose permissions are read afresh on every call.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JSONWebKeySet, type JWK } from 'jose';
import { z } from 'zod';
import { SANDBOX_SYSTEMS, SANDBOX_ORGANISATIONS, type SandboxSystem } from './model.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Signature algorithms the token endpoint accepts for a client assertion. */
export const ASSERTION_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'RS256', 'RS512', 'PS256'] as const;
/** The longest a client assertion may live: exp at most this far ahead. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/** The operations a client can be enabled for (_status is open to all). */
export const PERMISSION_OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record'] as const;
export type PermissionOperation = (typeof PERMISSION_OPERATIONS)[number];

export interface ClientPermission {
  system: SandboxSystem;
  /** ODS code. */
  organisation: string;
  operations: PermissionOperation[];
}

export interface ClientRegistration {
  clientId: string;
  jwks: JSONWebKeySet;
  permissions: ClientPermission[];
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const jwkSchema = z
  .looseObject({ kty: z.enum(['EC', 'RSA', 'OKP']), kid: z.string().max(200).optional(), alg: z.string().optional(), use: z.string().optional() })
  .refine((key) => !PRIVATE_MEMBERS.some((member) => member in key), { message: 'a key holds private parts (d, p, q...): register the public JWKS only, never the private key' })
  .refine((key) => key.alg === undefined || (ASSERTION_ALGORITHMS as readonly string[]).includes(key.alg), { message: `a key's alg must be one of ${ASSERTION_ALGORITHMS.join(', ')}` })
  .refine((key) => key.use === undefined || key.use === 'sig', { message: 'a key\'s use must be "sig"' });

export const clientRegistrationSchema = z.strictObject({
  clientId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'clientId must be printable ASCII without spaces'),
  jwks: z.looseObject({ keys: z.array(jwkSchema).min(1).max(20) }),
  permissions: z
    .array(
      z.strictObject({
        system: z.enum(SANDBOX_SYSTEMS as [SandboxSystem, ...SandboxSystem[]]),
        organisation: z.string().min(1).max(20).transform((code) => code.toUpperCase()),
        operations: z.array(z.enum(PERMISSION_OPERATIONS)).max(PERMISSION_OPERATIONS.length),
      }),
    )
    .max(100),
});

/** Checks a registration (HTTP body or code); the error names what is wrong. */
export function parseClientRegistration(input: unknown): { ok: true; client: ClientRegistration } | { ok: false; error: string } {
  const parsed = clientRegistrationSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: `The client registration is not valid${where}: ${issue?.message ?? 'unknown problem'}.` };
  }
  return { ok: true, client: parsed.data as unknown as ClientRegistration };
}

interface RegisteredClient {
  registration: ClientRegistration;
  keySet: ReturnType<typeof createLocalJWKSet>;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export type TokenAnswer = { status: 200; body: { access_token: string; token_type: 'Bearer'; expires_in: number } } | { status: 400 | 401; body: { error: OAuthErrorCode; error_description: string } };
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: string };

const oauthError = (status: 400 | 401, error: OAuthErrorCode, description: string): TokenAnswer => ({ status, body: { error, error_description: description } });

export class OAuthServer {
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  /** jti values seen per client, with when they stop mattering (the assertion's exp). */
  private readonly usedAssertionIds = new Map<string, number>();
  private readonly now: () => Date;
  private readonly tokenLifetimeSeconds: number;

  constructor(options: { now: () => Date; tokenLifetimeSeconds?: number }) {
    this.now = options.now;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  }

  /** Registers a client, or replaces its keys and permissions when the clientId is known. Returns whether it was new. */
  register(input: ClientRegistration): boolean {
    const parsed = parseClientRegistration(input);
    if (!parsed.ok) throw new Error(parsed.error);
    const isNew = !this.clients.has(parsed.client.clientId);
    this.clients.set(parsed.client.clientId, { registration: parsed.client, keySet: createLocalJWKSet(parsed.client.jwks) });
    return isNew;
  }

  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  permissionsOf(clientId: string): ClientPermission[] {
    return structuredClone(this.clients.get(clientId)?.registration.permissions ?? []);
  }

  /** Whether the client may run this operation at this organisation in this system. */
  isEnabled(clientId: string, system: SandboxSystem, organisation: string, operation: string): boolean {
    const client = this.clients.get(clientId);
    if (!client) return false;
    return client.registration.permissions.some((permission) => permission.system === system && permission.organisation === organisation && (permission.operations as string[]).includes(operation));
  }

  /**
   * The token endpoint: a form-encoded body, checked per RFC 6749 §4.4 and RFC 7523 §3.
   * `audiences` are the token endpoint's URLs the assertion's aud may name.
   */
  async token(form: URLSearchParams, audiences: string[]): Promise<TokenAnswer> {
    for (const name of new Set(form.keys())) {
      if (form.getAll(name).length > 1) return oauthError(400, 'invalid_request', `The parameter ${name} is given more than once.`);
    }
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is missing: send grant_type=client_credentials.');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType.slice(0, 100)} is not supported: only client_credentials.`);
    const assertionType = form.get('client_assertion_type');
    const assertion = form.get('client_assertion');
    if (!assertion || !assertionType) return oauthError(401, 'invalid_client', `Client authentication is missing: send client_assertion_type=${CLIENT_ASSERTION_TYPE} and a client_assertion signed with a registered key.`);
    if (assertionType !== CLIENT_ASSERTION_TYPE) return oauthError(401, 'invalid_client', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}.`);
    if (assertion.length > 16_384) return oauthError(401, 'invalid_client', 'The client assertion is too long.');

    let claims: ReturnType<typeof decodeJwt>;
    let algorithm: string | undefined;
    try {
      claims = decodeJwt(assertion);
      algorithm = decodeProtectedHeader(assertion).alg;
    } catch {
      return oauthError(401, 'invalid_client', 'The client assertion is not a signed JWT.');
    }
    const clientId = claims.iss;
    if (typeof clientId !== 'string' || clientId.length === 0) return oauthError(401, 'invalid_client', 'The client assertion has no iss: it must be the client_id.');
    const formClientId = form.get('client_id');
    if (formClientId !== null && formClientId !== clientId) return oauthError(401, 'invalid_client', 'client_id does not match the client assertion\'s iss.');
    const client = this.clients.get(clientId);
    if (!client) return oauthError(401, 'invalid_client', `No client is registered with the id ${clientId.slice(0, 200)}.`);
    if (!algorithm || !(ASSERTION_ALGORITHMS as readonly string[]).includes(algorithm)) return oauthError(401, 'invalid_client', `The client assertion's alg must be one of ${ASSERTION_ALGORITHMS.join(', ')}.`);

    const now = this.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await jwtVerify(assertion, client.keySet, {
        algorithms: [...ASSERTION_ALGORITHMS],
        issuer: clientId,
        subject: clientId,
        audience: audiences,
        requiredClaims: ['exp', 'jti'],
        currentDate: now,
      });
    } catch (error) {
      return oauthError(401, 'invalid_client', assertionProblem(error));
    }
    const exp = claims.exp as number;
    if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS) return oauthError(401, 'invalid_client', `The client assertion's exp is more than ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes ahead.`);
    const jti = claims.jti;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 512) return oauthError(401, 'invalid_client', 'The client assertion\'s jti must be a non-empty string.');
    this.forgetOldAssertions(nowSeconds);
    const replayKey = `${clientId}\u0000${jti}`;
    if (this.usedAssertionIds.has(replayKey)) return oauthError(401, 'invalid_client', 'The client assertion\'s jti has been used already: make a new assertion for each token request.');
    this.usedAssertionIds.set(replayKey, exp);

    this.forgetExpiredTokens(now.getTime());
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { clientId, expiresAt: now.getTime() + this.tokenLifetimeSeconds * 1000 });
    return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds } };
  }

  /** Checks an Authorization header value: a live bearer token this sandbox issued. */
  checkBearer(header: string | undefined): TokenCheck {
    if (header === undefined || header === '') return { ok: false, reason: 'The Authorization header is missing: send "Authorization: Bearer <access token>".' };
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
    if (!match) return { ok: false, reason: 'The Authorization header is malformed: it must be "Bearer <access token>".' };
    const issued = this.tokens.get(match[1]!);
    if (!issued) return { ok: false, reason: 'The access token is not one this system issued.' };
    if (issued.expiresAt <= this.now().getTime()) return { ok: false, reason: 'The access token has expired: get a new one from the token endpoint.' };
    if (!this.clients.has(issued.clientId)) return { ok: false, reason: 'The access token belongs to a client that is no longer registered.' };
    return { ok: true, clientId: issued.clientId };
  }

  private forgetOldAssertions(nowSeconds: number): void {
    if (this.usedAssertionIds.size < 1000) return;
    for (const [key, exp] of this.usedAssertionIds) if (exp < nowSeconds) this.usedAssertionIds.delete(key);
  }

  private forgetExpiredTokens(nowMs: number): void {
    if (this.tokens.size < 1000) return;
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= nowMs) this.tokens.delete(token);
  }
}

function assertionProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The client assertion has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'aud') return 'The client assertion\'s aud must be the token endpoint\'s URL.';
    if (claim === 'sub') return 'The client assertion\'s sub must be the client_id (the same as iss).';
    if (claim === 'iss') return 'The client assertion\'s iss must be the client_id.';
    return `The client assertion's ${claim} claim is not valid (${error.reason}).`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'None of the client\'s registered keys matches the client assertion (check kid and alg).';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The client assertion\'s signature does not verify with the client\'s registered key.';
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return 'Several of the client\'s registered keys match: give the assertion a kid.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The client assertion\'s alg is not allowed.';
  if (error instanceof joseErrors.JOSEError) return `The client assertion is not valid (${error.code}).`;
  return 'The client assertion could not be checked.';
}

// ---- The client's side: what anyone calling the sandbox needs (tests, the CLI, people with curl).

/** The documented test client: a fixed ES256 key pair, enabled for every operation at RHQ in all four systems. */
export const TEST_CLIENT_ID = 'sandbox-test-client';
export const TEST_CLIENT_KEY_FILE = fileURLToPath(new URL('./fixtures/test-client.private.jwk.json', import.meta.url));
export const TEST_CLIENT_JWKS_FILE = fileURLToPath(new URL('./fixtures/test-client.public.jwks.json', import.meta.url));

export function testClientPrivateJwk(): JWK {
  return JSON.parse(readFileSync(TEST_CLIENT_KEY_FILE, 'utf8')) as JWK;
}

export function testClientRegistration(): ClientRegistration {
  const jwks = JSON.parse(readFileSync(TEST_CLIENT_JWKS_FILE, 'utf8')) as JSONWebKeySet;
  const home = SANDBOX_ORGANISATIONS[0].odsCode;
  return { clientId: TEST_CLIENT_ID, jwks, permissions: SANDBOX_SYSTEMS.map((system) => ({ system, organisation: home, operations: [...PERMISSION_OPERATIONS] })) };
}

export interface AssertionOptions {
  clientId: string;
  tokenUrl: string;
  privateJwk: JWK;
  /** Defaults to the key's alg, else ES256. */
  alg?: string;
  lifetimeSeconds?: number;
  now?: Date;
  jti?: string;
}

/** A client assertion (RFC 7523 §3): iss = sub = client id, aud = the token URL, a fresh jti, exp a minute ahead. */
export async function createClientAssertion(options: AssertionOptions): Promise<string> {
  const alg = options.alg ?? options.privateJwk.alg ?? 'ES256';
  const key = await importJWK(options.privateJwk, alg);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(options.privateJwk.kid ? { kid: options.privateJwk.kid } : {}) })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.tokenUrl)
    .setJti(options.jti ?? randomBytes(16).toString('hex'))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetimeSeconds ?? 60))
    .sign(key);
}

/** Asks the token endpoint for an access token with a fresh client assertion. Throws with the endpoint's answer when refused. */
export async function requestAccessToken(options: AssertionOptions): Promise<{ access_token: string; token_type: string; expires_in: number }> {
  const assertion = await createClientAssertion(options);
  const response = await fetch(options.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`The token endpoint answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as { access_token: string; token_type: string; expires_in: number };
}
