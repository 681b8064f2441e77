// The OS keystore slot's backend: Electron safeStorage (DPAPI on Windows, Keychain on macOS,
// libsecret or KWallet on Linux). Chromium's 'basic_text' fallback is plaintext with a fixed key,
// so it counts as no keystore at all: never a silent downgrade.
import { safeStorage } from 'electron';
import { AppError } from '../main/errors.ts';
import type { OsKeystore } from '../main/platform/keyslots.ts';

/**
 * The synchronous part of safeStorage. Electron 45 deprecates it in favour of the *Async calls, but
 * OsKeystore (main/platform/keyslots.ts) is synchronous; this names the three calls in one place so
 * moving to encryptStringAsync/decryptStringAsync/isAsyncEncryptionAvailable is one small change
 * once OsKeystore returns promises.
 */
interface SyncSafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}
const syncSafeStorage: SyncSafeStorage = safeStorage;

/** Linux backends that are not a real keystore. 'unknown' means asked before `ready`. */
const NOT_A_KEYSTORE = new Set(['basic_text', 'unknown']);

function backendName(): string {
  switch (process.platform) {
    case 'win32':
      return 'dpapi';
    case 'darwin':
      return 'keychain';
    default:
      return safeStorage.getSelectedStorageBackend();
  }
}

function describe(backend: string): string {
  if (backend === 'dpapi') return 'the Windows key store';
  if (backend === 'keychain') return 'the macOS Keychain';
  return `the system key store (${backend})`;
}

/** Create only after the app is `ready`: before it, Linux reports 'unknown' and encryption is not available. */
export function createSafeStorageKeystore(): OsKeystore {
  const backend = backendName();

  function isAvailable(): boolean {
    return !NOT_A_KEYSTORE.has(backend) && syncSafeStorage.isEncryptionAvailable();
  }

  function requireAvailable(): void {
    if (!isAvailable()) {
      throw new AppError('wrong-key', `${describe(backend)} is not available on this computer. Sign in with a password instead.`, {
        detail: `safeStorage backend ${backend}, encryption available: ${String(syncSafeStorage.isEncryptionAvailable())}`,
      });
    }
  }

  return {
    backend,
    isAvailable,
    encrypt(plain: Buffer): Buffer {
      requireAvailable();
      // safeStorage takes strings; base64 carries arbitrary key bytes through unchanged.
      return syncSafeStorage.encryptString(plain.toString('base64'));
    },
    decrypt(wrapped: Buffer): Buffer {
      requireAvailable();
      let text: string;
      try {
        text = syncSafeStorage.decryptString(wrapped);
      } catch (error) {
        // A new PC, a roaming profile or a VDI session: the keystore's key is not the one that wrapped this.
        throw new AppError('wrong-key', `${describe(backend)} could not unlock the saved key on this computer. Sign in with a password instead.`, {
          cause: error,
          detail: `safeStorage.decryptString failed with backend ${backend}`,
        });
      }
      return Buffer.from(text, 'base64');
    },
  };
}
