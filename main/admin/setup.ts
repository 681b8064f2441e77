// First run: the trust's details and its first Senior Portal Administrator. Nothing is written until
// the administrator confirms they have stored the recovery code; then the store, its key slots, the
// organisation and the administrator are created in a staging folder and moved into place.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import type { Knex } from 'knex';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import type { ParsedInputOf } from '../api/contract.ts';
import { DATABASE_FILE, KEY_SLOTS_FILE } from '../platform/data-folder.ts';
import { KeySlots, newDatabaseKey, newRecoveryCode } from '../platform/keyslots.ts';
import { openStore } from '../platform/store.ts';
import type { Vault } from '../platform/vault.ts';
import { UsersRepository } from './users.ts';
import { SigningIdentity } from '../credentials/identity/signing-identity.ts';
import { TrustedIssuers, didDocumentSchema } from '../credentials/trusted-issuers.ts';

/** Where the trust's issuer DID goes, from configuration (issuerHost, issuerPath, issuerKeyType). */
export interface IssuerLocation {
  host: string;
  /** May hold "{ods}", replaced by the ODS code in lower case; empty for none. */
  path: string;
  keyType: 'Ed25519' | 'P-256';
}

type SetupAnswers = ParsedInputOf<'setup.start'>;

export class Setup {
  private readonly vault: Vault;
  private readonly now: () => Date;
  private readonly issuer: () => IssuerLocation;
  private pending: { answers: SetupAnswers; recoveryCode: string } | null = null;

  constructor(vault: Vault, now: () => Date, issuer: () => IssuerLocation) {
    this.vault = vault;
    this.now = now;
    this.issuer = issuer;
  }

  private refuseUnlessEmpty(): void {
    if (this.vault.folder.state().kind !== 'empty') {
      throw new AppError('already-set-up', 'Staff Passport is already set up on this computer.');
    }
  }

  /** Checks the answers and makes the recovery code; it is shown once, here. */
  start(answers: SetupAnswers): { recoveryCode: string } {
    this.refuseUnlessEmpty();
    const recoveryCode = newRecoveryCode();
    this.pending = { answers, recoveryCode };
    return { recoveryCode };
  }

  async finish(): Promise<{ adminUserId: string }> {
    this.refuseUnlessEmpty();
    const pending = this.pending;
    if (!pending) throw new AppError('not-set-up', 'Set-up has not been started, or it was interrupted. Start again.');
    const { answers, recoveryCode } = pending;
    const folder = this.vault.folder;
    await folder.ensure();
    const staging = await mkdtemp(join(folder.dir, '.setup-'));
    const key = newDatabaseKey();
    const now = this.now().toISOString();
    let adminUserId: string;
    try {
      const slots = await KeySlots.create(join(staging, KEY_SLOTS_FILE), key, recoveryCode, this.vault.scrypt);
      const store = await openStore({ filename: join(staging, DATABASE_FILE), key, mustExist: false });
      try {
        adminUserId = await store.knex.transaction(async (trx) => {
          await trx('organisation').insert({ id: 1, ods_code: answers.odsCode, name: answers.trustName, created_at: now });
          await this.createSigningIdentity(trx, key, answers);
          return new UsersRepository(trx).insert({ name: answers.adminName, email: answers.adminEmail, role: 'administrator', mustChangePassword: false }, now, trx);
        });
        await slots.setUserSlot(adminUserId, answers.adminEmail, answers.password, key, this.vault.scrypt);
      } finally {
        await store.close();
      }
      // The database goes first: a key file alone never appears without its database.
      await rename(join(staging, DATABASE_FILE), folder.databasePath);
      await rename(join(staging, KEY_SLOTS_FILE), folder.keySlotsPath);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    this.pending = null;
    await this.vault.unlock(key);
    return { adminUserId };
  }

  /** The trust's issuer DID and first key, and the trust itself first on its trusted-issuer list. */
  private async createSigningIdentity(trx: Knex.Transaction, key: Buffer, answers: SetupAnswers): Promise<void> {
    const location = this.issuer();
    const path = location.path.replaceAll('{ods}', answers.odsCode.toLowerCase());
    const identity = new SigningIdentity({ knex: () => trx, databaseKey: () => key, now: this.now });
    let did: string;
    try {
      ({ did } = await identity.create({ host: location.host, path: path || null, keyType: location.keyType === 'P-256' ? 'Secp256r1' : 'Ed25519' }));
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid-input') {
        throw new AppError('config-invalid', `The address for the trust's issuer DID, set by your IT team, cannot be used: ${error.fields[0]?.message ?? error.message}.`, { cause: error });
      }
      throw error;
    }
    const didDocument = didDocumentSchema.parse(await identity.didDocument());
    await new TrustedIssuers(trx).add({ odsCode: answers.odsCode, name: answers.trustName, dids: [{ did, didDocument }] }, this.now().toISOString(), null, { isThisTrust: true });
  }
}
