// The trust's W3C Bitstring Status Lists: allocating each credential one random index (the same in
// a revocation list and a suspension list of one generation), revoking, suspending and reinstating
// (list bit and credential record in one transaction), and the signed status-list credential that
// verifiers fetch.
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../errors.ts';
import { IssuedCredentials, type CredentialState, type IssuedCredential } from '../issuing/issued-credentials.ts';
import { VC_CONTEXT_V1, signCredential } from '../issuing/signer.ts';
import { SigningIdentity } from '../identity/signing-identity.ts';
import { Bitstring, MIN_LIST_ENTRIES, randomFreeIndex, type StatusPurpose } from './bitstring.ts';

export const STATUS_LISTS_TABLE = 'status_lists';
export const ALLOCATIONS_TABLE = 'status_list_allocations';
export const STATUS_PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost';

export interface StatusListsDeps {
  knex(): Knex;
  databaseKey(): Buffer;
  now(): Date;
  /** The app's public base URL (the wallet server's); lists are published at `${base}/status/${id}`. */
  publicBaseUrl?(): string;
  /** Entries per list; the specification's minimum unless a test asks for more. */
  entriesPerList?: number;
}

/** One `credentialStatus` entry of an issued credential (Bitstring Status List v1.0). */
export interface StatusEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/** An index chosen for a credential about to be issued, and the entries it will carry. */
export interface StatusReservation {
  generation: number;
  index: number;
  credentialStatus: StatusEntry[];
}

export interface StatusListRow {
  id: string;
  generation: number;
  purpose: StatusPurpose;
  url: string;
  entries: number;
  bits: Buffer;
  allocated: number;
  created_at: string;
  updated_at: string;
}

/** Seconds precision, as JWT times have. */
export function vcDateTime(date: Date | string): string {
  return new Date(Math.floor(new Date(date).getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function statusEntry(list: Pick<StatusListRow, 'purpose' | 'url'>, index: number): StatusEntry {
  return { id: `${list.url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: list.purpose, statusListIndex: String(index), statusListCredential: list.url };
}

const notIssuedHere = (credentialId: string) =>
  new AppError('not-found', 'This trust has no record of issuing that credential.', { detail: `issued credential ${credentialId.slice(0, 100)}` });

export class StatusLists {
  private readonly deps: StatusListsDeps;
  /** Indexes taken per generation; checked against the stored count before each use. */
  private taken = new Map<number, Set<number>>();
  private signed = new Map<string, { version: string; kid: string; jwt: string }>();

  constructor(deps: StatusListsDeps) {
    this.deps = deps;
  }

  private get entriesPerList(): number {
    return this.deps.entriesPerList ?? MIN_LIST_ENTRIES;
  }

  private baseUrl(): string {
    const base = this.deps.publicBaseUrl?.() ?? DEFAULT_PUBLIC_BASE_URL;
    return base.replace(/\/+$/, '');
  }

  /**
   * Chooses a random free index for each of `count` credentials in the current generation
   * (starting the next one when the current lists are too full to find one quickly). Call inside
   * the issuing transaction, then assign().
   */
  async reserve(trx: Knex.Transaction, count = 1): Promise<StatusReservation[]> {
    const reservations: StatusReservation[] = [];
    let lists = await this.currentGeneration(trx);
    let taken = lists ? await this.takenIn(trx, lists.revocation) : new Set<number>();
    // Chosen in this call but not yet assigned, so a batch never gets one index twice.
    const chosen = new Set<number>();
    while (reservations.length < count) {
      const index = lists ? randomFreeIndex(lists.revocation.entries, (candidate) => taken.has(candidate) || chosen.has(candidate)) : null;
      if (!lists || index === null) {
        lists = await this.startGeneration(trx, (lists?.revocation.generation ?? 0) + 1);
        taken = new Set();
        chosen.clear();
        continue;
      }
      chosen.add(index);
      reservations.push({ generation: lists.revocation.generation, index, credentialStatus: [statusEntry(lists.revocation, index), statusEntry(lists.suspension, index)] });
    }
    return reservations;
  }

  /** Records that each credential (already inserted in the same transaction) holds its index. */
  async assign(trx: Knex.Transaction, assignments: Array<{ reservation: StatusReservation; credentialId: string }>): Promise<void> {
    const rows = assignments.map(({ reservation, credentialId }) => ({ generation: reservation.generation, status_index: reservation.index, credential_id: credentialId }));
    for (let at = 0; at < rows.length; at += 300) await trx(ALLOCATIONS_TABLE).insert(rows.slice(at, at + 300));
    const perGeneration = new Map<number, number>();
    for (const { reservation } of assignments) perGeneration.set(reservation.generation, (perGeneration.get(reservation.generation) ?? 0) + 1);
    for (const [generation, added] of perGeneration) await trx(STATUS_LISTS_TABLE).where({ generation }).increment('allocated', added);
    for (const { reservation } of assignments) this.taken.get(reservation.generation)?.add(reservation.index);
  }

  /** After a failed issuing transaction: what was added to the cache may not be in the store. */
  forgetAllocations(): void {
    this.taken.clear();
  }

  /** Revocation is final: the credential never verifies again. */
  async revoke(credentialId: string, reason: string): Promise<IssuedCredential> {
    return this.change(credentialId, reason, (state) => {
      if (state === 'revoked') return 'This credential has already been revoked.';
      return null;
    }, { purpose: 'revocation', value: true, state: 'revoked' });
  }

  /** Suspended credentials fail verification until they are reinstated. */
  async suspend(credentialId: string, reason: string): Promise<IssuedCredential> {
    return this.change(credentialId, reason, (state) => {
      if (state === 'revoked') return 'This credential has been revoked, so it cannot be suspended.';
      if (state === 'suspended') return 'This credential is already suspended.';
      return null;
    }, { purpose: 'suspension', value: true, state: 'suspended' });
  }

  /** Lifts a suspension; a revoked credential stays revoked. */
  async reinstate(credentialId: string, reason: string | null = null): Promise<IssuedCredential> {
    return this.change(credentialId, reason, (state) => {
      if (state === 'revoked') return 'This credential has been revoked. Revocation is final, so it cannot be reinstated.';
      if (state !== 'suspended') return 'This credential is not suspended, so there is nothing to reinstate.';
      return null;
    }, { purpose: 'suspension', value: false, state: 'issued' });
  }

  private async change(
    credentialId: string,
    reason: string | null,
    refusal: (state: CredentialState) => string | null,
    to: { purpose: StatusPurpose; value: boolean; state: CredentialState },
  ): Promise<IssuedCredential> {
    if (typeof credentialId !== 'string' || credentialId.length > 200) throw notIssuedHere(String(credentialId));
    if (reason !== null && (typeof reason !== 'string' || reason.length > 1000)) {
      throw new AppError('invalid-input', 'Give a reason of up to 1,000 characters.', { fields: [{ field: 'reason', message: 'Give a reason of up to 1,000 characters' }] });
    }
    const at = this.deps.now().toISOString();
    return this.deps.knex().transaction(async (trx) => {
      const records = new IssuedCredentials(trx);
      const record = await records.get(credentialId);
      if (!record) throw notIssuedHere(credentialId);
      const refused = refusal(record.state);
      if (refused) throw new AppError('conflict', refused, { detail: `${record.id} is ${record.state}` });
      const list = (await trx(STATUS_LISTS_TABLE).where({ generation: record.statusGeneration, purpose: to.purpose }).first()) as StatusListRow | undefined;
      if (!list) throw new AppError('internal', 'The credential\u2019s status list is missing.', { detail: `generation ${record.statusGeneration} ${to.purpose}` });
      const bits = new Bitstring(list.entries, list.bits);
      bits.set(record.statusIndex, to.value);
      await trx(STATUS_LISTS_TABLE).where({ id: list.id }).update({ bits: Buffer.from(bits.bytes), updated_at: at });
      await records.setState(record.id, to.state, at, reason);
      return { ...record, state: to.state, stateChangedAt: at, stateReason: reason };
    });
  }

  /** A list as stored, or null. */
  async list(listId: string): Promise<{ id: string; purpose: StatusPurpose; url: string; bits: Bitstring; updatedAt: string } | null> {
    if (typeof listId !== 'string' || listId.length > 100) return null;
    const row = (await this.deps.knex()(STATUS_LISTS_TABLE).where({ id: listId }).first()) as StatusListRow | undefined;
    return row ? { id: row.id, purpose: row.purpose, url: row.url, bits: new Bitstring(row.entries, row.bits), updatedAt: row.updated_at } : null;
  }

  /** Every list, oldest generation first, for publishing. */
  async lists(): Promise<Array<{ id: string; generation: number; purpose: StatusPurpose; url: string; allocated: number; updatedAt: string }>> {
    const rows = (await this.deps.knex()(STATUS_LISTS_TABLE).select('id', 'generation', 'purpose', 'url', 'allocated', 'updated_at').orderBy('generation').orderBy('purpose')) as StatusListRow[];
    return rows.map((row) => ({ id: row.id, generation: Number(row.generation), purpose: row.purpose, url: row.url, allocated: Number(row.allocated), updatedAt: row.updated_at }));
  }

  /**
   * The list as a BitstringStatusListCredential (VC data model 1.1), a JWT signed by the trust's
   * current key. Its issuance date is when the list last changed; the same list signed by the same
   * key is served from memory.
   */
  async statusListCredential(listId: string): Promise<string> {
    const knex = this.deps.knex();
    if (typeof listId !== 'string' || listId.length > 100) throw new AppError('not-found', 'There is no such status list.');
    const row = (await knex(STATUS_LISTS_TABLE).where({ id: listId }).first()) as StatusListRow | undefined;
    if (!row) throw new AppError('not-found', 'There is no such status list.', { detail: `status list ${listId}` });
    const cached = this.signed.get(row.id);
    const currentKid = await new SigningIdentity({ knex: () => knex, databaseKey: this.deps.databaseKey, now: this.deps.now }).currentKid();
    // Two changes can share a timestamp, so the bits themselves say whether the list changed.
    const version = `${row.updated_at}/${createHash('sha256').update(row.bits).digest('base64url')}`;
    if (cached && cached.version === version && cached.kid === currentKid) return cached.jwt;
    const { jwt, key } = await signCredential(knex, this.deps, (signer) => ({
      '@context': [VC_CONTEXT_V1],
      id: row.url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: signer.did,
      issuanceDate: vcDateTime(row.updated_at),
      credentialSubject: {
        id: `${row.url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: row.purpose,
        encodedList: new Bitstring(row.entries, row.bits).encode(),
      },
    }));
    this.signed.set(row.id, { version, kid: key.kid, jwt });
    return jwt;
  }

  private async currentGeneration(trx: Knex.Transaction): Promise<{ revocation: StatusListRow; suspension: StatusListRow } | null> {
    const latest = (await trx(STATUS_LISTS_TABLE).max({ generation: 'generation' }).first()) as { generation: number | null } | undefined;
    if (latest?.generation === null || latest?.generation === undefined) return null;
    const rows = (await trx(STATUS_LISTS_TABLE).where({ generation: latest.generation }).select('id', 'generation', 'purpose', 'url', 'entries', 'allocated')) as StatusListRow[];
    const revocation = rows.find((row) => row.purpose === 'revocation');
    const suspension = rows.find((row) => row.purpose === 'suspension');
    if (!revocation || !suspension) throw new AppError('internal', 'A status list pair is incomplete.', { detail: `generation ${latest.generation}` });
    return { revocation, suspension };
  }

  private async startGeneration(trx: Knex.Transaction, generation: number): Promise<{ revocation: StatusListRow; suspension: StatusListRow }> {
    const at = this.deps.now().toISOString();
    const base = this.baseUrl();
    const [revocation, suspension] = STATUS_PURPOSES.map((purpose): StatusListRow => {
      const id = randomUUID();
      const bits = new Bitstring(this.entriesPerList);
      return { id, generation, purpose, url: `${base}/status/${id}`, entries: bits.entries, bits: Buffer.from(bits.bytes), allocated: 0, created_at: at, updated_at: at };
    }) as [StatusListRow, StatusListRow];
    await trx(STATUS_LISTS_TABLE).insert([revocation, suspension]);
    this.taken.set(generation, new Set());
    return { revocation, suspension };
  }

  private async takenIn(trx: Knex.Transaction, list: StatusListRow): Promise<Set<number>> {
    const generation = Number(list.generation);
    let taken = this.taken.get(generation);
    if (!taken || taken.size !== Number(list.allocated)) {
      const indexes = (await trx(ALLOCATIONS_TABLE).where({ generation }).pluck('status_index')) as number[];
      taken = new Set(indexes.map(Number));
      this.taken.set(generation, taken);
    }
    return taken;
  }
}
