// Resolving a signer's DID and checking a compact JWS against it. did:web comes from the
// trusted-issuer list without network (or, when switched on, over HTTPS with a cache and a
// timeout); did:key and did:jwk are self-describing and resolve locally through Veramo's
// resolvers. Signatures are checked with jose; public keys and documents are cached.
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import axios from 'axios';
import { Resolver, type DIDDocument, type DIDResolutionResult, type VerificationMethod } from 'did-resolver';
import { getDidKeyResolver } from '@veramo/did-provider-key';
import { getDidJwkResolver } from '@veramo/did-provider-jwk';
import { compactVerify, decodeProtectedHeader, importJWK, type CryptoKey, type JWK, type ProtectedHeaderParameters } from 'jose';
import { didDocumentSchema, type DidDocument } from '../trusted-issuers.ts';

/** The algorithms the engine accepts; "none" and HMAC never are. */
export const SIGNATURE_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384'] as const;

export type Relationship = 'assertionMethod' | 'authentication';

export interface TrustedDidEntry {
  odsCode: string;
  name: string;
  didDocument: DidDocument;
}

export interface DidWebFetchOptions {
  /** Fetch did:web documents that are not on the trusted-issuer list over HTTPS. Off by default; read at each use, so IT's setting applies at once. */
  enabled: boolean | (() => boolean);
  timeoutMs: number;
  /** PEM bundle of extra certificate authorities (the trust's). */
  ca?: string;
  cacheSeconds: number;
}

export interface Resolved {
  document: DIDDocument;
  /** Where the document came from, for the HR reason text. */
  source: 'trusted-list' | 'self-describing' | 'web';
}

export type Resolution = { ok: true; resolved: Resolved } | { ok: false; reason: string; unknown?: boolean };

export type SignatureCheck =
  | { ok: true; method: VerificationMethod }
  | { ok: false; reason: string };

const MAX_CACHED = 2000;
/** Far longer than any real DID (a did:key is about 60 characters, a did:jwk about 150); a longer one is refused before any decoding. */
export const MAX_DID_LENGTH = 2048;

/** An HTTPS agent trusting the trust's own CAs as well as the usual public ones. */
export function agentWithCa(ca: string | undefined): { httpsAgent: HttpsAgent } | Record<string, never> {
  return ca ? { httpsAgent: new HttpsAgent({ ca: [...rootCertificates, ca] }) } : {};
}

/** Remembers up to MAX_CACHED values, dropping the oldest; enough for a day's verifications. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as K);
  map.set(key, value);
  return value;
}

export class Signatures {
  private readonly trustedDid: (did: string) => Promise<TrustedDidEntry | undefined>;
  private readonly web: DidWebFetchOptions;
  private readonly now: () => Date;
  private readonly local = new Resolver({ ...getDidKeyResolver(), ...getDidJwkResolver() });
  private readonly trusted = new Map<string, Promise<TrustedDidEntry | undefined>>();
  private readonly selfDescribing = new Map<string, Promise<DIDResolutionResult>>();
  private readonly fetched = new Map<string, { at: number; result: Promise<Resolution> }>();
  private readonly keys = new Map<string, Promise<CryptoKey | Uint8Array>>();

  constructor(options: { trustedDid(did: string): Promise<TrustedDidEntry | undefined>; web: DidWebFetchOptions; now(): Date }) {
    this.trustedDid = options.trustedDid;
    this.web = options.web;
    this.now = options.now;
  }

  /** After the trusted-issuer list changes (an organisation added or removed, a key rotated). */
  forgetTrusted(): void {
    this.trusted.clear();
    this.fetched.clear();
  }

  /** The organisation on the trusted-issuer list that holds this DID, if any. */
  trustedEntry(did: string): Promise<TrustedDidEntry | undefined> {
    if (did.length > MAX_DID_LENGTH) return Promise.resolve(undefined);
    const cached = this.trusted.get(did);
    if (cached) return cached;
    const lookup = this.trustedDid(did);
    // A failed lookup (the store closing) must not be remembered.
    lookup.catch(() => this.trusted.delete(did));
    return remember(this.trusted, did, lookup);
  }

  async resolve(did: string): Promise<Resolution> {
    if (did.length > MAX_DID_LENGTH) return { ok: false, reason: 'Its DID is far too long to be real.' };
    if (did.startsWith('did:key:') || did.startsWith('did:jwk:')) {
      let pending = this.selfDescribing.get(did);
      if (!pending) pending = remember(this.selfDescribing, did, this.local.resolve(did));
      const result = await pending;
      if (!result.didDocument) return { ok: false, reason: `Its DID could not be read (${result.didResolutionMetadata.error ?? 'not a valid DID'}).` };
      return { ok: true, resolved: { document: result.didDocument, source: 'self-describing' } };
    }
    if (did.startsWith('did:web:')) {
      const entry = await this.trustedEntry(did);
      if (entry) return { ok: true, resolved: { document: entry.didDocument as unknown as DIDDocument, source: 'trusted-list' } };
      const enabled = typeof this.web.enabled === 'function' ? this.web.enabled() : this.web.enabled;
      if (!enabled) return { ok: false, reason: 'Its DID is not on your list of trusted issuers, and looking DIDs up online is switched off.' };
      return this.fetchDidWeb(did);
    }
    return { ok: false, reason: 'Its DID uses a method this service does not resolve (only did:web, did:key and did:jwk).' };
  }

  /**
   * Checks a compact JWS against the signer's DID: the header's algorithm is one we accept, its
   * key (the header's kid, or each key of the DID) is in the DID document for the purpose, and
   * the signature verifies.
   */
  async check(jws: string, signerDid: string, purpose: Relationship, resolved: Resolved): Promise<SignatureCheck> {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(jws);
    } catch {
      return { ok: false, reason: 'Its header could not be read.' };
    }
    const alg = header.alg;
    if (alg === 'none') return { ok: false, reason: 'It is not signed (its algorithm is "none").' };
    if (!SIGNATURE_ALGORITHMS.includes(alg as (typeof SIGNATURE_ALGORITHMS)[number])) return { ok: false, reason: `It is signed with an algorithm this service does not accept (${String(alg).slice(0, 20)}).` };
    if (header.crit !== undefined) return { ok: false, reason: 'Its header has critical extensions this service does not understand.' };

    const methods = usableMethods(resolved.document, signerDid, purpose, resolved.source === 'self-describing');
    let candidates = methods;
    if (typeof header.kid === 'string') {
      const kid = header.kid.startsWith('#') ? `${signerDid}${header.kid}` : header.kid;
      // A did:key/did:jwk header may name the DID alone.
      const named = methods.filter((method) => method.id === kid || (kid === signerDid && resolved.source === 'self-describing'));
      if (named.length === 0) return { ok: false, reason: kid.startsWith(`${signerDid}#`) || kid === signerDid ? 'It names a key that is not in its issuer\u2019s DID document.' : 'It was signed with a key that does not belong to the DID it claims.' };
      candidates = named;
    }
    if (candidates.length === 0) return { ok: false, reason: 'Its DID document has no key for signing.' };
    for (const method of candidates) {
      const key = await this.importKey(method, alg!).catch(() => null);
      if (!key) continue;
      try {
        await compactVerify(jws, key, { algorithms: [alg!] });
        return { ok: true, method };
      } catch {
        // The next key may be the one.
      }
    }
    return { ok: false, reason: 'The signature does not match: it has been changed since it was signed, or was signed by someone else.' };
  }

  private importKey(method: VerificationMethod, alg: string): Promise<CryptoKey | Uint8Array> {
    const jwk = method.publicKeyJwk as JWK;
    const cacheKey = `${alg}|${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}`;
    const cached = this.keys.get(cacheKey);
    if (cached) return cached;
    const { kty, crv, x, y } = jwk;
    const imported = importJWK({ kty, crv, x, ...(y ? { y } : {}) } as JWK, alg);
    imported.catch(() => this.keys.delete(cacheKey));
    return remember(this.keys, cacheKey, imported);
  }

  private fetchDidWeb(did: string): Promise<Resolution> {
    const cached = this.fetched.get(did);
    if (cached && this.now().getTime() - cached.at < this.web.cacheSeconds * 1000) return cached.result;
    const result = this.download(did);
    remember(this.fetched, did, { at: this.now().getTime(), result });
    // A failure is not kept: the next verification tries again.
    void result.then(
      (resolution) => {
        if (!resolution.ok) this.fetched.delete(did);
      },
      () => this.fetched.delete(did),
    );
    return result;
  }

  private async download(did: string): Promise<Resolution> {
    const url = didWebUrl(did);
    if (!url) return { ok: false, reason: 'Its did:web identifier is not valid.' };
    try {
      const response = await axios.get<string>(url, {
        timeout: this.web.timeoutMs,
        // axios's timeout restarts with every byte; the signal bounds the whole download.
        signal: AbortSignal.timeout(this.web.timeoutMs),
        maxContentLength: 256 * 1024,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: (body: unknown) => body,
        headers: { Accept: 'application/did+json, application/json' },
        ...agentWithCa(this.web.ca),
      });
      const parsed = didDocumentSchema.safeParse(JSON.parse(response.data));
      if (!parsed.success || parsed.data.id !== did) return { ok: false, reason: `The DID document published at ${url} is not a valid document for this DID.` };
      return { ok: true, resolved: { document: parsed.data as unknown as DIDDocument, source: 'web' } };
    } catch (error) {
      return { ok: false, reason: `Its DID document could not be fetched from ${url}: ${fetchProblem(error)}.`, unknown: true };
    }
  }
}

/** Why a download failed, in words. */
export function fetchProblem(error: unknown): string {
  if (!axios.isAxiosError(error)) return 'it could not be read';
  if (error.code === 'ECONNABORTED' || error.code === 'ERR_CANCELED' || error.code === 'ETIMEDOUT') return 'it took too long';
  return error.response ? `the server answered ${error.response.status}` : 'it could not be reached';
}

/**
 * did:web resolution: https://host[:port]/.well-known/did.json, or https://host/path/did.json.
 * Only the port's colon may be percent-encoded; anything else that would decode into URL syntax
 * (a slash, a ? or #) is refused, so a DID cannot point at any path it likes.
 */
export function didWebUrl(did: string): string | null {
  const parts = did.slice('did:web:'.length).split(':');
  const host = (parts[0] ?? '').replace(/%3A/i, ':');
  if (!/^[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(host) || parts.slice(1).some((part) => !/^[A-Za-z0-9._~-]+$/.test(part))) return null;
  const path = parts.slice(1).join('/');
  return `https://${host}/${path ? path : '.well-known'}/did.json`;
}

/** The DID's verification methods with a public JWK that the document allows for the purpose. */
function usableMethods(document: DIDDocument, did: string, purpose: Relationship, selfDescribing: boolean): VerificationMethod[] {
  if (document.id !== did) return [];
  const absolute = (id: string) => (id.startsWith('#') ? `${did}${id}` : id);
  const methods = (document.verificationMethod ?? []).filter((method) => method.publicKeyJwk && absolute(method.id).startsWith(`${did}#`)).map((method) => ({ ...method, id: absolute(method.id) }));
  const listed = document[purpose] as Array<string | VerificationMethod> | undefined;
  // A did:jwk document names no keys for a purpose: its one key serves them all, unless the key
  // itself says it is for encryption. A published document that names none has none.
  if (!listed) return selfDescribing ? methods.filter((method) => method.publicKeyJwk?.use !== 'enc') : [];
  const allowed = new Set(listed.map((entry) => absolute(typeof entry === 'string' ? entry : entry.id)));
  const embedded = listed.filter((entry): entry is VerificationMethod => typeof entry !== 'string' && !!entry.publicKeyJwk).map((method) => ({ ...method, id: absolute(method.id) }));
  return [...methods.filter((method) => allowed.has(method.id)), ...embedded];
}

