// Holder DIDs this trust issues to: did:key and did:jwk, both self-describing, so a credential's
// subject can prove possession of its key without any lookup. Anything else is refused.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { base58 } from '@scure/base';

const MAX_DID_LENGTH = 2048;

/** Multicodec prefixes of the public-key types a wallet signs with, and their key lengths. */
const DID_KEY_CODECS: Array<{ name: string; prefix: [number, number]; length: number }> = [
  { name: 'Ed25519', prefix: [0xed, 0x01], length: 32 },
  { name: 'P-256', prefix: [0x80, 0x24], length: 33 },
  { name: 'P-384', prefix: [0x81, 0x24], length: 49 },
  { name: 'secp256k1', prefix: [0xe7, 0x01], length: 33 },
];

function base58Decode(text: string): Uint8Array | null {
  try {
    return base58.decode(text);
  } catch {
    return null;
  }
}

/** Why the DID cannot hold a credential from us, or null when it can. */
export function holderDidProblem(did: unknown): string | null {
  if (typeof did !== 'string' || did.length === 0) return 'Give the holder\u2019s DID.';
  if (did.length > MAX_DID_LENGTH) return 'The holder\u2019s DID is too long.';
  if (did.startsWith('did:key:')) {
    const id = did.slice('did:key:'.length);
    if (!id.startsWith('z')) return 'The holder\u2019s did:key is not in base58btc form (it must start with "z").';
    const bytes = base58Decode(id.slice(1));
    if (!bytes) return 'The holder\u2019s did:key is not valid base58.';
    const codec = DID_KEY_CODECS.find(({ prefix, length }) => bytes[0] === prefix[0] && bytes[1] === prefix[1] && bytes.length === length + 2);
    if (!codec) return 'The holder\u2019s did:key is not an Ed25519, P-256, P-384 or secp256k1 public key.';
    return null;
  }
  if (did.startsWith('did:jwk:')) {
    const id = did.slice('did:jwk:'.length);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return 'The holder\u2019s did:jwk is not base64url.';
    let jwk: unknown;
    try {
      jwk = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    } catch {
      return 'The holder\u2019s did:jwk does not hold a JSON Web Key.';
    }
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'The holder\u2019s did:jwk does not hold a JSON Web Key.';
    if ('d' in jwk) return 'The holder\u2019s did:jwk holds a private key; it must hold only a public key.';
    try {
      if (createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).type !== 'public') return 'The holder\u2019s did:jwk is not a public key.';
    } catch {
      return 'The holder\u2019s did:jwk does not hold a usable public key.';
    }
    return null;
  }
  return 'The holder\u2019s DID must be a did:key or a did:jwk.';
}
