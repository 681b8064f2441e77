// did:web for the verifier's signed request: where the DID document lives (did:web rules, http for
// localhost, or a test's own origin), and checking a JWS with the verification method its kid names.
import { compactVerify, importJWK, type JWK } from 'jose';
import { WalletError } from './errors.ts';

export function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1';
}

/**
 * The URL of a did:web DID document: `did:web:host%3Aport:a:b` is `https://host:port/a/b/did.json`,
 * and a DID without a path is `https://host/.well-known/did.json`. Localhost and 127.0.0.1 are
 * fetched over http; `origin` (e.g. "http://127.0.0.1:51234") replaces scheme, host and port.
 */
export function didWebDocumentUrl(did: string, origin?: string): string {
  if (!did.startsWith('did:web:')) throw new WalletError('unsupported_did', `The verifier's DID ${did} is not a did:web.`);
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  if (!host) throw new WalletError('invalid_did', `The DID ${did} names no host.`);
  let decodedHost: string;
  let decodedPath: string[];
  try {
    decodedHost = decodeURIComponent(host);
    decodedPath = path.map((segment) => decodeURIComponent(segment));
  } catch (error) {
    throw new WalletError('invalid_did', `The DID ${did} is not validly percent-encoded.`, { cause: error });
  }
  if (decodedPath.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('/'))) {
    throw new WalletError('invalid_did', `The DID ${did} has an empty or unsafe path segment.`);
  }
  let base: string;
  if (origin) {
    base = origin.replace(/\/+$/, '');
  } else {
    const hostAndPort = /^([A-Za-z0-9.-]+)(:\d{1,5})?$/.exec(decodedHost);
    if (!hostAndPort) throw new WalletError('invalid_did', `The DID ${did} does not name a host (and port).`);
    base = `${isLocalHost(hostAndPort[1]!) ? 'http' : 'https'}://${decodedHost}`;
  }
  const pathPart = decodedPath.length > 0 ? decodedPath.map(encodeURIComponent).join('/') : '.well-known';
  return `${base}/${pathPart}/did.json`;
}

interface VerificationMethod {
  id: string;
  publicKeyJwk?: Record<string, unknown>;
}

function methodsOf(document: Record<string, unknown>, did: string): VerificationMethod[] {
  const methods = Array.isArray(document.verificationMethod) ? document.verificationMethod : [];
  return methods
    .filter((method): method is Record<string, unknown> => typeof method === 'object' && method !== null && typeof (method as { id?: unknown }).id === 'string')
    .map((method) => ({
      id: (method.id as string).startsWith('#') ? `${did}${method.id as string}` : (method.id as string),
      ...(typeof method.publicKeyJwk === 'object' && method.publicKeyJwk !== null ? { publicKeyJwk: method.publicKeyJwk as Record<string, unknown> } : {}),
    }));
}

/** Fetches the DID document for `didUrl` and returns the public JWK of the method it names. */
export async function resolveDidWebKey(didUrl: string, fetcher: typeof fetch, origin?: string): Promise<JWK> {
  const [did, fragment] = didUrl.split('#');
  if (!did || !fragment) throw new WalletError('invalid_request_object', `The request is signed with kid "${didUrl}", which names no key of a DID (no #fragment).`);
  const url = didWebDocumentUrl(did, origin);
  const response = await fetcher(url, { headers: { accept: 'application/did+json, application/json' } });
  if (!response.ok) throw new WalletError('did_not_resolved', `The verifier's DID document at ${url} could not be fetched (status ${response.status}).`, { status: response.status });
  let document: unknown;
  try {
    document = await response.json();
  } catch (error) {
    throw new WalletError('did_not_resolved', `The verifier's DID document at ${url} is not JSON.`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || (document as { id?: unknown }).id !== did) {
    throw new WalletError('did_not_resolved', `The document at ${url} is not the DID document of ${did}.`);
  }
  const method = methodsOf(document as Record<string, unknown>, did).find((candidate) => candidate.id === didUrl);
  if (!method) throw new WalletError('invalid_request_object', `The verifier's DID document has no verification method ${didUrl}.`);
  if (!method.publicKeyJwk) throw new WalletError('invalid_request_object', `The verification method ${didUrl} has no publicKeyJwk.`);
  if ('d' in method.publicKeyJwk) throw new WalletError('invalid_request_object', `The verification method ${didUrl} publishes a private key.`);
  return method.publicKeyJwk as JWK;
}

/** Checks the compact JWS signature with the key `didUrl` names; returns that key, or throws. */
export async function verifyWithDidWeb(compact: string, didUrl: string, alg: string, fetcher: typeof fetch, origin?: string): Promise<JWK> {
  const jwk = await resolveDidWebKey(didUrl, fetcher, origin);
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk, alg);
  } catch (error) {
    throw new WalletError('invalid_request_object', `The verification method ${didUrl} cannot check an ${alg} signature.`, { cause: error });
  }
  try {
    await compactVerify(compact, key, { algorithms: [alg] });
  } catch (error) {
    throw new WalletError('invalid_request_object', `The request's signature does not verify with ${didUrl} from the verifier's DID document.`, { cause: error });
  }
  return jwk;
}
