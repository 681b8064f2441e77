// The wallet file: the holder's key (private JWK) and the credentials kept, as one JSON file that
// is replaced whole (temp file, then rename), so a crash or a reader never sees half a wallet.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { WalletError } from './errors.ts';

export const WALLET_FILE_VERSION = 1;

const jwkSchema = z.object({ kty: z.string(), crv: z.string(), x: z.string(), d: z.string() }).loose();

export const storedCredentialSchema = z.object({
  /** The credential's own id (`jti`, or `vc.id`), or a hash of the JWT when it has none. */
  id: z.string().min(1),
  /** `vc.type`, e.g. ["VerifiableCredential", "NHSCoreSkillCredential"]. */
  types: z.array(z.string()),
  /** The issuer's DID (`iss`). */
  issuer: z.string(),
  /** When the credential says it was issued (ISO 8601). */
  issuedAt: z.string(),
  /** The credential exactly as received (compact JWS, jwt_vc_json). */
  jwt: z.string().min(1),
  /** The issuer's credential configuration it came from, when collected from an offer. */
  configurationId: z.string().optional(),
  /** When this wallet kept it (ISO 8601). */
  receivedAt: z.string(),
});

export type StoredCredential = z.infer<typeof storedCredentialSchema>;

export const walletFileSchema = z.object({
  version: z.literal(WALLET_FILE_VERSION),
  alg: z.enum(['ES256', 'EdDSA']),
  did: z.string().startsWith('did:jwk:'),
  privateJwk: jwkSchema,
  credentials: z.array(storedCredentialSchema),
});

export type WalletFile = z.infer<typeof walletFileSchema>;

/** Reads and checks a wallet file; a missing, unreadable or malformed file is a WalletError. */
export async function readWalletFile(file: string): Promise<WalletFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WalletError('wallet_not_found', `There is no wallet at ${file}.`, { cause: error });
    throw new WalletError('wallet_file_unreadable', `The wallet at ${file} could not be read (${code ?? 'unknown error'}).`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WalletError('wallet_file_invalid', `The wallet at ${file} is not JSON.`, { cause: error });
  }
  const parsed = walletFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ');
    throw new WalletError('wallet_file_invalid', `The wallet at ${file} is not a test wallet file: ${issues}.`);
  }
  return parsed.data;
}

/**
 * Writes the wallet file atomically: a temp file beside it (same folder, so the rename stays on
 * one file system), flushed to disk, then renamed over the old one. Owner-only, as it holds a key.
 */
export async function writeWalletFile(file: string, wallet: WalletFile): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(wallet, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new WalletError('wallet_file_unwritable', `The wallet at ${file} could not be saved (${code ?? (error as Error).message}).`, { cause: error });
  }
}
