// Access tokens by OAuth 2.0 private key JWT (RFC 7523): a short-lived client assertion signed with
// the connection's ES256 key, exchanged at the system's token endpoint. A token is kept until
// shortly before it expires, and one fetch at a time is in flight: callers that arrive meanwhile
// share it. The token, the assertion and the key never reach a log.
import { KeyObject, randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AppError } from '../../errors.ts';

export interface ClientSigningKey {
  kid: string;
  privateKey: CryptoKey | KeyObject | JWK;
  alg: 'ES256';
}

/** What a token endpoint granted, once its answer has been checked. */
export interface Grant {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  signingKey: ClientSigningKey;
  now: () => Date;
  /** Posts the assertion to the token endpoint and checks the answer; throws a SystemError when it cannot. */
  exchange: (assertion: string) => Promise<Grant>;
}

/** How long an assertion is good for: long enough for clock skew, short enough not to matter if seen. */
export const ASSERTION_LIFETIME_SECONDS = 120;
/** A token is not used in its last 30 seconds (or last half, for one that lives under a minute). */
export const EXPIRY_MARGIN_MS = 30_000;
/** However long a system says a token lasts, a new one is fetched after a day. */
const LONGEST_TOKEN_MS = 24 * 60 * 60 * 1000;

const configInvalid = (message: string, detail: string) => new AppError('config-invalid', message, { detail });

async function signingKeyOf(key: ClientSigningKey): Promise<CryptoKey | KeyObject> {
  if (key.alg !== 'ES256') throw configInvalid('A connection key must be an ES256 key.', `alg ${String(key.alg)}`);
  if (typeof key.kid !== 'string' || key.kid === '') throw configInvalid('A connection key needs its key id.', 'kid missing');
  const privateKey = key.privateKey;
  if (privateKey instanceof KeyObject) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw configInvalid('A connection key must be a private EC P-256 key.', `KeyObject ${privateKey.type} ${privateKey.asymmetricKeyType ?? ''}`);
    }
    return privateKey;
  }
  if (typeof globalThis.CryptoKey === 'function' && privateKey instanceof globalThis.CryptoKey) {
    if (privateKey.type !== 'private') throw configInvalid('A connection key must be a private key.', `CryptoKey ${privateKey.type}`);
    return privateKey;
  }
  const jwk = privateKey as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw configInvalid('A connection key must be a private EC P-256 key.', `JWK ${String(jwk.kty)} ${String(jwk.crv)}`);
  return (await importJWK(jwk, 'ES256')) as CryptoKey;
}

interface CachedToken {
  value: string;
  /** Epoch ms by the injected clock. */
  usableUntil: number;
}

export class TokenSource {
  private readonly options: TokenSourceOptions;
  private key: Promise<CryptoKey | KeyObject> | null = null;
  private cached: CachedToken | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(options: TokenSourceOptions) {
    this.options = options;
  }

  /** A usable token: the kept one, the one being fetched, or a new one. */
  get(): Promise<string> {
    const cached = this.cached;
    if (cached && this.options.now().getTime() < cached.usableUntil) return Promise.resolve(cached.value);
    this.cached = null;
    if (!this.inFlight) {
      const fetching = this.fetch();
      this.inFlight = fetching;
      const settle = () => {
        if (this.inFlight === fetching) this.inFlight = null;
      };
      fetching.then(settle, settle);
    }
    return this.inFlight;
  }

  /** Forgets a token the system refused (unless a newer one has replaced it already). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = null;
  }

  /** A token fetched now, not the kept one ("Test connection"). */
  fresh(): Promise<string> {
    this.cached = null;
    return this.get();
  }

  /** The client assertion: iss = sub = client id, aud = token endpoint, a random jti, a short life. */
  async assertion(): Promise<string> {
    this.key ??= signingKeyOf(this.options.signingKey);
    const key = await this.key.catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    const issuedAt = Math.floor(this.options.now().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.options.signingKey.kid, typ: 'JWT' })
      .setIssuer(this.options.clientId)
      .setSubject(this.options.clientId)
      .setAudience(this.options.tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ASSERTION_LIFETIME_SECONDS)
      .sign(key);
  }

  private async fetch(): Promise<string> {
    const grant = await this.options.exchange(await this.assertion());
    const lifetime = Math.min(grant.expiresInSeconds * 1000, LONGEST_TOKEN_MS);
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetime / 2);
    this.cached = { value: grant.accessToken, usableUntil: this.options.now().getTime() + lifetime - margin };
    return grant.accessToken;
  }
}
