// did:web identifiers and documents (W3C did:web method; DID Core 1.0): pure functions, no I/O.
import { ECDH } from 'node:crypto';
import { AppError } from '../../errors.ts';

export type SigningKeyType = 'Ed25519' | 'Secp256r1';
export const SIGNING_KEY_TYPES: readonly SigningKeyType[] = ['Ed25519', 'Secp256r1'];

/** The JWS algorithm each key type signs with. */
export const ALGORITHM_OF: Record<SigningKeyType, 'EdDSA' | 'ES256'> = { Ed25519: 'EdDSA', Secp256r1: 'ES256' };

export interface DidWebLocation {
  /** The host name, with a port if it is not 443: "passport.sth.nhs.uk" or "localhost:8443". */
  host: string;
  /** Optional path below the host, e.g. "issuers/rhq". */
  path?: string | null | undefined;
}

export interface DidWebAddress {
  did: string;
  /** Lower-cased host, port included. */
  host: string;
  /** The path segments joined with '/', or null. */
  path: string | null;
  /** Where IT publishes the document (did:web section "Read (Resolve)"). */
  documentUrl: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

const invalidLocation = (field: 'host' | 'path', message: string, detail: string) =>
  new AppError('invalid-input', 'The address for the trust\u2019s DID needs correcting.', { fields: [{ field, message }], detail });

/** did:web:<host>[:<path segments>], the host's port colon percent-encoded as %3A. */
export function didWebAddress(location: DidWebLocation): DidWebAddress {
  const host = location.host.trim().toLowerCase();
  if (host.includes('://') || host.includes('/')) {
    throw invalidLocation('host', 'Enter the host name only, without https:// or a path, like passport.sth.nhs.uk', host);
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(host);
  const name = match?.[1] ?? '';
  const port = match?.[2];
  const labels = name.split('.');
  if (!match || name.length > 253 || labels.some((label) => !LABEL.test(label))) {
    throw invalidLocation('host', 'Enter a host name like passport.sth.nhs.uk, with a port only if it is not 443, like localhost:8443', host);
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) {
    throw invalidLocation('host', 'Enter a port number from 1 to 65535', host);
  }

  const rawPath = (location.path ?? '').trim().replace(/^\/+|\/+$/g, '');
  const segments = rawPath === '' ? [] : rawPath.split('/');
  if (segments.some((segment) => !SEGMENT.test(segment) || segment === '.' || segment === '..')) {
    throw invalidLocation('path', 'Enter a path of letters, numbers, dots, dashes and underscores separated by /, like issuers/rhq', rawPath);
  }

  const methodSpecificId = [host.replace(':', '%3A'), ...segments].join(':');
  return {
    did: `did:web:${methodSpecificId}`,
    host,
    path: segments.length > 0 ? segments.join('/') : null,
    documentUrl: segments.length > 0 ? `https://${host}/${segments.join('/')}/did.json` : `https://${host}/.well-known/did.json`,
  };
}

/** The part of the DID after "did:web:", which Veramo's did:web provider takes as its alias. */
export function methodSpecificId(did: string): string {
  return did.slice('did:web:'.length);
}

export type PublicJwk =
  | { kty: 'OKP'; crv: 'Ed25519'; x: string }
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string };

/** The public JWK (RFC 7517/8037) of a key as Veramo holds it: publicKeyHex, compressed for P-256. */
export function publicKeyJwk(type: string, publicKeyHex: string): PublicJwk {
  const bytes = Buffer.from(publicKeyHex, 'hex');
  if (type === 'Ed25519' && bytes.length === 32) {
    return { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') };
  }
  if (type === 'Secp256r1' && (bytes.length === 33 || bytes.length === 65)) {
    const point = bytes.length === 65 ? bytes : (ECDH.convertKey(bytes, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer);
    return { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
  }
  throw new AppError('internal', 'A signing key has a type or length Staff Passport does not publish.', { detail: `type ${type}, ${bytes.length} bytes` });
}

export interface VerificationMethod {
  id: string;
  type: 'JsonWebKey2020';
  controller: string;
  publicKeyJwk: PublicJwk;
}

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: VerificationMethod[];
  authentication: string[];
  assertionMethod: string[];
}

export interface PublishedKey {
  kid: string;
  type: string;
  publicKeyHex: string;
}

export const DID_CONTEXTS = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'];

/** A DID URL for a key: its kid when that already is one of this DID's, else did#kid. */
export function verificationMethodId(did: string, kid: string): string {
  return kid.startsWith(`${did}#`) ? kid : `${did}#${kid}`;
}

/**
 * The document to publish. The current key comes first. Every key, current or retired, stays an
 * assertion method so that credentials it signed still verify; only the current key may
 * authenticate, so a retired key cannot speak for the trust in new exchanges.
 */
export function didWebDocument(did: string, keys: PublishedKey[], currentKid: string): DidDocument {
  const current = keys.find((key) => key.kid === currentKid);
  if (!current) throw new AppError('internal', 'The current signing key is missing from the trust\u2019s DID.', { detail: `${did}: ${currentKid}` });
  const ordered = [current, ...keys.filter((key) => key.kid !== currentKid).reverse()];
  const methods = ordered.map(
    (key): VerificationMethod => ({
      id: verificationMethodId(did, key.kid),
      type: 'JsonWebKey2020',
      controller: did,
      publicKeyJwk: publicKeyJwk(key.type, key.publicKeyHex),
    }),
  );
  return {
    '@context': [...DID_CONTEXTS],
    id: did,
    verificationMethod: methods,
    authentication: [verificationMethodId(did, currentKid)],
    assertionMethod: methods.map((method) => method.id),
  };
}
