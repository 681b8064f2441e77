// Seals the trust's private keys before they reach the store: AES-256-GCM under a key derived
// from the database key, so a copied table (or a database re-keyed by hand) yields nothing usable.
//
// The sealing key is HKDF-SHA256(ikm = database key, salt = none, info = PRIVATE_KEY_HKDF_INFO,
// 32 bytes). No salt is needed: the database key is already 32 uniformly random bytes (RFC 5869
// section 3.1), and the info string keeps this key apart from anything else derived from it.
// Each seal uses a fresh random 96-bit nonce; the key's alias and type are bound in as associated
// data, so a sealed key moved to another row does not open either.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';

/** Fixed and versioned: changing it would make every sealed key unreadable. */
export const PRIVATE_KEY_HKDF_INFO = 'staff-passport/private-keys/v1';
/** Recorded with every row, so a later scheme can be told apart and migrated. */
export const PRIVATE_KEY_CIPHER = 'A256GCM/HKDF-SHA256/staff-passport/private-keys/v1';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedPrivateKey {
  cipher: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export class PrivateKeyCipher {
  private readonly key: Buffer;

  constructor(databaseKey: Buffer) {
    if (databaseKey.length !== 32) throw new AppError('internal', 'The database key has the wrong length.');
    this.key = Buffer.from(hkdfSync('sha256', databaseKey, Buffer.alloc(0), PRIVATE_KEY_HKDF_INFO, 32));
  }

  seal(alias: string, type: string, privateKey: Buffer): SealedPrivateKey {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(alias, type));
    const ciphertext = Buffer.concat([cipher.update(privateKey), cipher.final()]);
    return { cipher: PRIVATE_KEY_CIPHER, nonce, ciphertext, tag: cipher.getAuthTag() };
  }

  /** The private key, or a 'wrong-key' AppError: never bytes that merely look like a key. */
  open(alias: string, type: string, sealed: SealedPrivateKey): Buffer {
    if (sealed.cipher !== PRIVATE_KEY_CIPHER) {
      throw new AppError('internal', "The trust's signing key is stored in a form this version of Staff Passport cannot read.", {
        detail: `private key ${alias}: unknown cipher ${sealed.cipher}`,
      });
    }
    try {
      if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) throw new Error('bad nonce or tag length');
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(alias, type));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    } catch (error) {
      throw new AppError(
        'wrong-key',
        "The trust's signing key cannot be unlocked on this installation: it was locked with a different database key, or it has been altered. Restore the database from a backup of this installation, or ask your IT team.",
        { cause: error, detail: `private key ${alias}: ${String(error)}` },
      );
    }
  }
}

function associatedData(alias: string, type: string): Buffer {
  return Buffer.from(JSON.stringify([PRIVATE_KEY_CIPHER, alias, type]), 'utf8');
}
