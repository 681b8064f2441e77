// Key slots: the random database key, wrapped once per HR user (scrypt of their password), once
// for the recovery code, and optionally once by the OS keystore. The file sits beside the database
// and holds no personal data: user slots are found by a hash of the normalised email.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { writeFileAtomic } from './files.ts';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt parameters (N=2^17, r=8, p=1): 128 MiB and a few hundred milliseconds. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** The OS keystore (Electron safeStorage / DPAPI), injected by the Electron shell. */
export interface OsKeystore {
  readonly backend: string;
  isAvailable(): boolean;
  encrypt(plain: Buffer): Buffer;
  decrypt(wrapped: Buffer): Buffer;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const wrapped = z.object({ iv: base64, tag: base64, data: base64 });
const scryptKdf = z.object({
  name: z.literal('scrypt'),
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: base64,
});
const slotSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.string().min(1), userId: z.string().min(1), lookup: z.string(), kdf: scryptKdf, key: wrapped }),
  z.object({ kind: z.literal('recovery'), id: z.literal('recovery'), kdf: scryptKdf, key: wrapped }),
  z.object({ kind: z.literal('os-keystore'), id: z.literal('os-keystore'), backend: z.string(), data: base64 }),
]);
const slotFileSchema = z.object({
  format: z.literal(1),
  storeId: z.string().uuid(),
  slots: z.array(slotSchema),
});

export type KeySlot = z.infer<typeof slotSchema>;
export type KeySlotFile = z.infer<typeof slotFileSchema>;

export function newDatabaseKey(): Buffer {
  return randomBytes(32);
}

/** Sign-in names are compared case-insensitively; the slot file only holds this hash of one. */
export function emailLookup(email: string): string {
  return createHash('sha256').update(`dsp-slot:${email.trim().toLowerCase()}`).digest('hex');
}

function deriveKey(secret: string, kdf: z.infer<typeof scryptKdf>): Promise<Buffer> {
  const salt = Buffer.from(kdf.salt, 'base64');
  const maxmem = 256 * kdf.N * kdf.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
}

function seal(kek: Buffer, plain: Buffer, aad: string): z.infer<typeof wrapped> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Returns null when the secret is wrong (the authentication tag does not match). */
function open(kek: Buffer, box: z.infer<typeof wrapped>, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(box.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]);
  } catch {
    // GCM authentication failure is the expected signal of a wrong password; it carries nothing else.
    return null;
  }
}

async function wrapWithSecret(storeId: string, slotId: string, secret: string, dbKey: Buffer, params: ScryptParams) {
  const kdf = { name: 'scrypt' as const, ...params, salt: randomBytes(16).toString('base64') };
  const kek = await deriveKey(secret, kdf);
  return { kdf, key: seal(kek, dbKey, `${storeId}/${slotId}`) };
}

async function unwrapWithSecret(storeId: string, slot: Extract<KeySlot, { kdf: unknown }>, secret: string) {
  const kek = await deriveKey(secret, slot.kdf);
  return open(kek, slot.key, `${storeId}/${slot.id}`);
}

/** The key-slot file of one store, kept in memory and written atomically on every change. */
export class KeySlots {
  readonly path: string;
  private file: KeySlotFile;

  private constructor(path: string, file: KeySlotFile) {
    this.path = path;
    this.file = file;
  }

  get storeId(): string {
    return this.file.storeId;
  }

  static exists(path: string): boolean {
    return existsSync(path);
  }

  static load(path: string): KeySlots {
    if (!existsSync(path)) {
      throw new AppError('store-key-missing', `The key file ${path} is missing, so the database cannot be opened. Restore it from a backup.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new AppError('store-key-missing', `The key file ${path} is damaged and cannot be read. Restore it from a backup.`, { cause: error });
    }
    const result = slotFileSchema.safeParse(parsed);
    if (!result.success) {
      throw new AppError('store-key-missing', `The key file ${path} is damaged and cannot be read. Restore it from a backup.`, {
        detail: result.error.message,
      });
    }
    return new KeySlots(path, result.data);
  }

  /** A new slot file for a new store. Refuses to replace an existing one. */
  static async create(path: string, dbKey: Buffer, recoveryCode: string, params: ScryptParams): Promise<KeySlots> {
    if (existsSync(path)) {
      throw new AppError('conflict', `The key file ${path} already exists and will not be overwritten.`);
    }
    const storeId = randomUUID();
    const recovery = await wrapWithSecret(storeId, 'recovery', normaliseRecoveryCode(recoveryCode), dbKey, params);
    const slots = new KeySlots(path, { format: 1, storeId, slots: [{ kind: 'recovery', id: 'recovery', ...recovery }] });
    await slots.save();
    return slots;
  }

  snapshot(): KeySlotFile {
    return structuredClone(this.file);
  }

  hasOsKeystoreSlot(): boolean {
    return this.file.slots.some((s) => s.kind === 'os-keystore');
  }

  hasUserSlot(userId: string): boolean {
    return this.file.slots.some((s) => s.kind === 'user' && s.userId === userId);
  }

  /** The database key, or null when the email has no slot or the password is wrong. */
  async unlockWithPassword(email: string, password: string): Promise<{ key: Buffer; userId: string } | null> {
    const lookup = emailLookup(email);
    const slot = this.file.slots.find((s) => s.kind === 'user' && s.lookup === lookup);
    if (!slot || slot.kind !== 'user') return null;
    const key = await unwrapWithSecret(this.storeId, slot, password);
    return key ? { key, userId: slot.userId } : null;
  }

  async unlockWithRecoveryCode(code: string): Promise<Buffer | null> {
    const slot = this.file.slots.find((s) => s.kind === 'recovery');
    if (!slot || slot.kind !== 'recovery') return null;
    return unwrapWithSecret(this.storeId, slot, normaliseRecoveryCode(code));
  }

  unlockWithOsKeystore(keystore: OsKeystore): Buffer | null {
    const slot = this.file.slots.find((s) => s.kind === 'os-keystore');
    if (!slot || slot.kind !== 'os-keystore' || !keystore.isAvailable()) return null;
    if (slot.backend !== keystore.backend) {
      throw new AppError('wrong-key', `The saved key was protected by ${slot.backend}, but this computer offers ${keystore.backend}. Sign in with a password instead.`);
    }
    return keystore.decrypt(Buffer.from(slot.data, 'base64'));
  }

  /** Adds or replaces the one slot of this user: only that slot changes. */
  async setUserSlot(userId: string, email: string, password: string, dbKey: Buffer, params: ScryptParams): Promise<void> {
    const id = `user:${userId}`;
    const wrappedKey = await wrapWithSecret(this.storeId, id, password, dbKey, params);
    const slot: KeySlot = { kind: 'user', id, userId, lookup: emailLookup(email), ...wrappedKey };
    const others = this.file.slots.filter((s) => !(s.kind === 'user' && s.userId === userId));
    await this.replaceSlots([...others, slot]);
  }

  async removeUserSlot(userId: string): Promise<void> {
    await this.replaceSlots(this.file.slots.filter((s) => !(s.kind === 'user' && s.userId === userId)));
  }

  async setOsKeystoreSlot(keystore: OsKeystore, dbKey: Buffer): Promise<void> {
    const data = keystore.encrypt(dbKey);
    // Round-trip before trusting the keystore with the only copy we will use at start-up.
    if (!timingSafeEqual(keystore.decrypt(data), dbKey)) {
      throw new AppError('internal', 'The Windows key store did not give back the key it was given.');
    }
    const slot: KeySlot = { kind: 'os-keystore', id: 'os-keystore', backend: keystore.backend, data: data.toString('base64') };
    await this.replaceSlots([...this.file.slots.filter((s) => s.kind !== 'os-keystore'), slot]);
  }

  async removeOsKeystoreSlot(): Promise<void> {
    await this.replaceSlots(this.file.slots.filter((s) => s.kind !== 'os-keystore'));
  }

  /** A copy for a backup: the OS keystore slot is left out because it never travels to another machine. */
  portableCopy(): KeySlotFile {
    const copy = this.snapshot();
    copy.slots = copy.slots.filter((s) => s.kind !== 'os-keystore');
    return copy;
  }

  private async replaceSlots(slots: KeySlot[]): Promise<void> {
    const previous = this.file;
    this.file = { ...this.file, slots };
    try {
      await this.save();
    } catch (error) {
      this.file = previous;
      throw error;
    }
  }

  private async save(): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(this.file, null, 2)}\n`);
  }
}

// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 160 random bits as 32 characters in groups of four. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += RECOVERY_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}
