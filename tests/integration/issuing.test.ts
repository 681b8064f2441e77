// Issuing credentials and their status: W3C VC 1.1 JWTs signed with the trust's current key, a
// random index in a revocation and a suspension list, revoking, suspending and reinstating in one
// transaction, the signed status-list credential, and every refusal leaving nothing behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { countRows, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { invite, person } from '../support/staff.ts';
import { CORE_SKILL as SAMPLE_CORE_SKILL, PROVENANCE as SAMPLE_PROVENANCE } from '../support/credentials.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { SigningIdentity, type DidDocument } from '../../main/credentials/identity/signing-identity.ts';
import { Issuer, type IssueRequest } from '../../main/credentials/issuing/issuer.ts';
import { StatusLists } from '../../main/credentials/status/status-lists.ts';
import { Bitstring, MIN_LIST_ENTRIES } from '../../main/credentials/status/bitstring.ts';
import { AppError } from '../../main/errors.ts';

const NOW = Date.parse('2025-06-01T10:00:00Z');
const now = () => new Date(NOW);
const BASE = 'https://passport.sth.nhs.uk';

// The shared samples, moved back in time: awarded 2023-11-01 for two years, seen from June 2025.
const CORE_SKILL = { ...SAMPLE_CORE_SKILL, dateLastAwarded: '2023-11-01' };
const PROVENANCE = { ...SAMPLE_PROVENANCE, lastRefresh: '2025-05-30T12:00:00Z' };

function didJwk(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
}

interface Decoded {
  header: Record<string, unknown>;
  payload: Record<string, unknown> & { vc: Record<string, unknown> & { credentialSubject: Record<string, unknown>; credentialStatus: Array<Record<string, string>> } };
}

function decode(jwt: string): Decoded {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown) as [Decoded['header'], Decoded['payload']];
  return { header, payload };
}

/** Verifies a compact JWS against the method its header names in the DID document, as a verifier would. */
function verifiesAgainst(document: DidDocument, jwt: string): boolean {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const { kid, alg } = decode(jwt).header as { kid: string; alg: string };
  const method = document.verificationMethod.find((candidate) => candidate.id === kid);
  if (!method) return false;
  const key = createPublicKey({ key: method.publicKeyJwk, format: 'jwk' });
  const data = Buffer.from(`${header}.${payload}`);
  const bytes = Buffer.from(signature, 'base64url');
  return alg === 'EdDSA' ? verifySignature(null, data, key, bytes) : verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, bytes);
}

let dir: string;
let app: StaffPassportApp;
let identity: SigningIdentity;
let statusLists: StatusLists;
let issuer: Issuer;
let passportId: string;
let holder: string;

beforeEach(async () => {
  dir = tempDir('dsp-issuing-');
  app = await startApp(dir, { now });
  await setUpTrust(app);
  await signInAdmin(app);
  passportId = await invite(app, person(1));
  const deps = { knex: () => app.vault.open.store.knex, databaseKey: () => app.vault.open.key, now };
  identity = new SigningIdentity(deps);
  statusLists = new StatusLists({ ...deps, publicBaseUrl: () => `${BASE}/` });
  issuer = new Issuer({ ...deps, statusLists });
  holder = didJwk();
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

const coreSkill = (overrides: Partial<IssueRequest> = {}): IssueRequest => ({ typeId: 'core-skill', claims: CORE_SKILL, provenance: PROVENANCE, holderDid: holder, passportId, ...overrides });

/** The bit for a credential's entry, read from the signed status-list credential a verifier fetches. */
async function statusBit(entry: Record<string, string>): Promise<boolean> {
  const listId = entry.statusListCredential!.split('/').pop()!;
  const jwt = await statusLists.statusListCredential(listId);
  expect(verifiesAgainst(await identity.didDocument(), jwt)).toBe(true);
  const { payload } = decode(jwt);
  expect(payload.vc.credentialSubject.statusPurpose).toBe(entry.statusPurpose);
  return Bitstring.decode(payload.vc.credentialSubject.encodedList as string).get(Number(entry.statusListIndex));
}

describe('issuing a credential', () => {
  it('signs a core skill as a W3C VC 1.1 JWT for the holder, with two status entries and its expiry', async () => {
    const trust = await identity.signingKey();
    const issued = await issuer.issue(coreSkill());
    const { header, payload } = decode(issued.jwt);

    expect(header).toMatchObject({ alg: 'EdDSA', kid: trust.kid, typ: 'JWT' });
    expect(trust.kid).toMatch(/^did:web:.+#key-1$/);
    expect(payload.iss).toBe(trust.did);
    expect(payload.sub).toBe(holder);
    expect(payload.jti).toBe(issued.id);
    expect(issued.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(payload.nbf).toBe(NOW / 1000);
    // 2023-11-01 plus 2 years ends on 2025-10-31, valid to the end of that day.
    expect(payload.exp).toBe(Date.parse('2025-10-31T23:59:59Z') / 1000);
    expect(payload.vc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1']);
    expect(payload.vc.type).toEqual(['VerifiableCredential', 'NHSCoreSkillCredential']);
    expect(payload.vc.credentialSubject).toEqual({ ...CORE_SKILL, provenance: PROVENANCE });

    const [revocation, suspension] = payload.vc.credentialStatus as [Record<string, string>, Record<string, string>];
    expect(payload.vc.credentialStatus).toHaveLength(2);
    expect(revocation).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(issued.statusIndex) });
    expect(suspension).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'suspension', statusListIndex: String(issued.statusIndex) });
    expect(revocation.statusListCredential).toMatch(new RegExp(`^${BASE}/status/[0-9a-f-]{36}$`));
    expect(revocation.statusListCredential).not.toBe(suspension.statusListCredential);
    for (const entry of [revocation, suspension]) expect(entry.id).toBe(`${entry.statusListCredential}#${entry.statusListIndex}`);

    expect(verifiesAgainst(await identity.didDocument(), issued.jwt)).toBe(true);
    // A changed payload does not verify: the check above is a real one.
    const [h, , s] = issued.jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: didJwk() })).toString('base64url');
    expect(verifiesAgainst(await identity.didDocument(), `${h}.${forged}.${s}`)).toBe(false);

    expect(await issuer.record(issued.id)).toMatchObject({
      id: issued.id,
      typeId: 'core-skill',
      vcType: 'NHSCoreSkillCredential',
      passportId,
      holderDid: holder,
      kid: trust.kid,
      statusIndex: issued.statusIndex,
      issuedAt: '2025-06-01T10:00:00Z',
      expiresAt: '2025-10-31T23:59:59Z',
      state: 'issued',
    });
    expect(await statusBit(revocation)).toBe(false);
    expect(await statusBit(suspension)).toBe(false);
  });

  it('takes a did:key holder, and a credential without renewal period has no expiry', async () => {
    const { renewalPeriodNumber: _n, renewalPeriodUnits: _u, ...claims } = CORE_SKILL;
    const issued = await issuer.issue(coreSkill({ holderDid: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', claims }));
    const { payload } = decode(issued.jwt);
    expect(payload.sub).toBe('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
    expect(payload.exp).toBeUndefined();
    expect(issued.expiresAt).toBeNull();
  });

  it('gives 200 credentials 200 different indexes, not in the order of issue, in one list pair', async () => {
    const indexes: number[] = [];
    for (let i = 0; i < 200; i++) indexes.push((await issuer.issue(coreSkill())).statusIndex);
    expect(new Set(indexes).size).toBe(200);
    for (const index of indexes) expect(index >= 0 && index < MIN_LIST_ENTRIES).toBe(true);
    const ascending = [...indexes].sort((a, b) => a - b);
    expect(indexes).not.toEqual(ascending);
    expect(indexes).not.toEqual([...ascending].reverse());
    const lists = await statusLists.lists();
    expect(lists.map((list) => [list.purpose, list.allocated])).toEqual([['revocation', 200], ['suspension', 200]]);
    expect(await countRows(app, 'issued_credentials')).toBe(200);
    expect(await countRows(app, 'status_list_allocations')).toBe(200);
  }, 60_000);
});

describe('revocation and suspension', () => {
  it('revokes: the bit is set in the signed revocation list and the record says revoked; it is final', async () => {
    const kept = await issuer.issue(coreSkill());
    const revoked = await issuer.issue(coreSkill());
    const [revocation, suspension] = revoked.credentialStatus as unknown as [Record<string, string>, Record<string, string>];
    expect(await statusBit(revocation)).toBe(false);

    await statusLists.revoke(revoked.id, 'Issued to the wrong person');
    expect(await statusBit(revocation)).toBe(true);
    expect(await statusBit(suspension)).toBe(false);
    expect(await statusBit(kept.credentialStatus[0] as unknown as Record<string, string>)).toBe(false);
    expect(await issuer.record(revoked.id)).toMatchObject({ state: 'revoked', stateReason: 'Issued to the wrong person', stateChangedAt: '2025-06-01T10:00:00.000Z' });
    expect(await issuer.record(kept.id)).toMatchObject({ state: 'issued' });

    await expect(statusLists.revoke(revoked.id, 'again')).rejects.toMatchObject({ code: 'conflict' });
    await expect(statusLists.suspend(revoked.id, 'x')).rejects.toMatchObject({ code: 'conflict' });
    await expect(statusLists.reinstate(revoked.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(statusLists.revoke('urn:uuid:00000000-0000-4000-8000-000000000000', 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('changes the list and the record in one transaction: a failure between them changes neither', async () => {
    const issued = await issuer.issue(coreSkill());
    const revocation = issued.credentialStatus[0] as unknown as Record<string, string>;
    const knex = app.vault.open.store.knex;
    const listBefore = (await knex('status_lists').where({ purpose: 'revocation' }).first()) as { bits: Buffer; updated_at: string };
    // The list is written first; the record update after it fails.
    await knex.raw("CREATE TRIGGER fail_state BEFORE UPDATE ON issued_credentials BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
    await expect(statusLists.revoke(issued.id, 'Left the trust')).rejects.toThrow(/simulated failure/);
    await knex.raw('DROP TRIGGER fail_state');

    const listAfter = (await knex('status_lists').where({ purpose: 'revocation' }).first()) as { bits: Buffer; updated_at: string };
    expect(Buffer.compare(listAfter.bits, listBefore.bits)).toBe(0);
    expect(listAfter.updated_at).toBe(listBefore.updated_at);
    expect(await statusBit(revocation)).toBe(false);
    expect(await issuer.record(issued.id)).toMatchObject({ state: 'issued', stateReason: null });

    // And without the fault, the same call goes through.
    await statusLists.revoke(issued.id, 'Left the trust');
    expect(await statusBit(revocation)).toBe(true);
  });

  it('suspends and reinstates, touching only the suspension list', async () => {
    const issued = await issuer.issue(coreSkill());
    const [revocation, suspension] = issued.credentialStatus as unknown as [Record<string, string>, Record<string, string>];
    await expect(statusLists.reinstate(issued.id)).rejects.toMatchObject({ code: 'conflict' });

    await statusLists.suspend(issued.id, 'Under investigation');
    expect(await statusBit(suspension)).toBe(true);
    expect(await statusBit(revocation)).toBe(false);
    expect(await issuer.record(issued.id)).toMatchObject({ state: 'suspended', stateReason: 'Under investigation' });
    await expect(statusLists.suspend(issued.id, 'again')).rejects.toMatchObject({ code: 'conflict' });

    await statusLists.reinstate(issued.id, 'Investigation closed');
    expect(await statusBit(suspension)).toBe(false);
    expect(await statusBit(revocation)).toBe(false);
    expect(await issuer.record(issued.id)).toMatchObject({ state: 'issued', stateReason: 'Investigation closed' });
  });

  it('signs the status-list credential as a BitstringStatusListCredential from the trust', async () => {
    const issued = await issuer.issue(coreSkill());
    const url = (issued.credentialStatus[0] as unknown as Record<string, string>).statusListCredential!;
    const jwt = await statusLists.statusListCredential(url.split('/').pop()!);
    const { header, payload } = decode(jwt);
    const trust = await identity.signingKey();
    expect(header).toMatchObject({ alg: 'EdDSA', kid: trust.kid });
    expect(payload).toMatchObject({ iss: trust.did, jti: url, sub: `${url}#list` });
    expect(payload.vc.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(payload.vc.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
    expect(Bitstring.decode(payload.vc.credentialSubject.encodedList as string).entries).toBe(MIN_LIST_ENTRIES);
    await expect(statusLists.statusListCredential('no-such-list')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('refusals change nothing', () => {
  const RIGHT_TO_WORK = {
    legalFirstName: 'Zoe',
    legalSurname: 'Okafor',
    birthDate: '1990-02-03',
    biometricPageImage: 'iVBORw0KGgo=',
    photograph: 'iVBORw0KGgo=',
    identityDocumentExpiryDate: '2030-01-01',
    identityVerified: true,
    evidenceCheckedBy: 'Yoti Ltd',
    dateOfIdCheck: '2025-05-01',
    GPG45profile: 'M1B',
  };

  async function expectRefused(request: IssueRequest, code: string, message: RegExp): Promise<AppError> {
    const before = await Promise.all(['issued_credentials', 'status_list_allocations'].map((table) => countRows(app, table)));
    const error = (await issuer.issue(request).then(
      () => null,
      (caught: unknown) => caught,
    )) as AppError | null;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code });
    expect(error!.message).toMatch(message);
    expect(error!.message.length).toBeLessThan(1000);
    expect(await Promise.all(['issued_credentials', 'status_list_allocations'].map((table) => countRows(app, table)))).toEqual(before);
    return error!;
  }

  it('issues several credentials at once, all or nothing, each with its own index and record', async () => {
    const other = await invite(app, person(2));
    const batch = [coreSkill(), coreSkill({ passportId: other }), { typeId: 'right-to-work', claims: RIGHT_TO_WORK, provenance: PROVENANCE, holderDid: holder, passportId }];
    const issued = await issuer.issueAll(batch);
    expect(issued.map((credential) => credential.typeId)).toEqual(['core-skill', 'core-skill', 'right-to-work']);
    expect(new Set(issued.map((credential) => credential.id)).size).toBe(3);
    expect(new Set(issued.map((credential) => credential.statusIndex)).size).toBe(3);
    expect(issued[1]!.passportId).toBe(other);
    const document = await identity.didDocument();
    for (const credential of issued) {
      expect(verifiesAgainst(document, credential.jwt)).toBe(true);
      expect(await issuer.record(credential.id)).toMatchObject({ state: 'issued', statusIndex: credential.statusIndex, passportId: credential.passportId });
    }
    expect(await countRows(app, 'status_list_allocations')).toBe(3);
    expect((await statusLists.lists())[0]!.allocated).toBe(3);

    // One bad request in a batch: nothing of the batch is issued, and the message says which.
    const before = await Promise.all(['issued_credentials', 'status_list_allocations'].map((table) => countRows(app, table)));
    const refusedBatch = await issuer.issueAll([coreSkill(), coreSkill({ claims: { ...CORE_SKILL, subjectLevel: 'one' } }), coreSkill()]).catch((error: unknown) => error as AppError);
    expect(refusedBatch).toMatchObject({ code: 'invalid-input' });
    expect((refusedBatch as AppError).message).toMatch(/^Credential 2 of 3: The core skill claims are not valid: Level \(subjectLevel\)/);
    expect((refusedBatch as AppError).fields[0]).toMatchObject({ field: 'requests.1.claims.subjectLevel' });
    const missingPassport = await issuer.issueAll([coreSkill(), coreSkill({ passportId: '00000000-0000-4000-8000-000000000000' })]).catch((error: unknown) => error as AppError);
    expect(missingPassport).toMatchObject({ code: 'not-found' });
    for (const size of [0, 501]) {
      await expect(issuer.issueAll(Array.from({ length: size }, () => coreSkill()))).rejects.toMatchObject({ code: 'invalid-input', message: 'Give between 1 and 500 credentials to issue at once.' });
    }
    expect(await Promise.all(['issued_credentials', 'status_list_allocations'].map((table) => countRows(app, table)))).toEqual(before);
    // The indexes the refused batches chose are free again.
    const after = await issuer.issueAll([coreSkill(), coreSkill()]);
    expect(after).toHaveLength(2);
  });

  it('refuses bad requests with a clear error, recording nothing', async () => {
    await issuer.issue(coreSkill()); // so that there are lists and a count to keep
    await expectRefused(coreSkill({ typeId: 'driving-licence' }), 'invalid-input', /not one this service issues/);
    const named = await expectRefused(coreSkill({ claims: { ...CORE_SKILL, subjectLevel: 'one' } }), 'invalid-input', /Level \(subjectLevel\)/);
    expect(named.fields[0]).toMatchObject({ field: 'claims.subjectLevel' });
    await expectRefused(coreSkill({ claims: { ...CORE_SKILL, shoeSize: '9' } }), 'invalid-input', /shoeSize: not a claim of this type/);
    await expectRefused(coreSkill({ provenance: { ...PROVENANCE, pedigree: 'Rumour' } }), 'invalid-input', /provenance pedigree/);
    await expectRefused(coreSkill({ claims: { ...CORE_SKILL, subjectName: 'x'.repeat(1024 * 1024) } }), 'invalid-input', /Subject \(subjectName\)/);
    await expectRefused(coreSkill({ claims: 'junk' }), 'invalid-input', /claims must be a set/);
    await expectRefused(coreSkill({ claims: { ...CORE_SKILL, dateLastAwarded: '2020-01-01' } }), 'invalid-input', /ran out on 2021-12-31/);
    await expectRefused(
      { typeId: 'right-to-work', claims: { ...RIGHT_TO_WORK, identityDocumentExpiryDate: '2025-05-31' }, provenance: PROVENANCE, holderDid: holder, passportId },
      'invalid-input',
      /identity document has expired/,
    );
    for (const holderDid of ['did:web:example.com', 'did:example:123', 'not a did', '', 'did:key:zNotBase58!!', 'did:key:z6Mk', `did:jwk:${Buffer.from('{"kty":"OKP"}').toString('base64url')}`, `did:jwk:${'A'.repeat(1024 * 1024)}`]) {
      await expectRefused(coreSkill({ holderDid }), 'invalid-input', /holder/);
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    await expectRefused(coreSkill({ holderDid: `did:jwk:${Buffer.from(JSON.stringify(privateKey.export({ format: 'jwk' }))).toString('base64url')}` }), 'invalid-input', /private key/);
    await expectRefused(coreSkill({ passportId: '00000000-0000-4000-8000-000000000000' }), 'not-found', /no staff passport/);
    // The same right to work with a document still in date is issued.
    const rightToWork = await issuer.issue({ typeId: 'right-to-work', claims: RIGHT_TO_WORK, provenance: PROVENANCE, holderDid: holder, passportId });
    expect(decode(rightToWork.jwt).payload.exp).toBeUndefined();
  });
});

describe('key rotation', () => {
  it('signs new credentials with the new key; those signed before still verify against the document', async () => {
    const before = await issuer.issue(coreSkill());
    const listId = (before.credentialStatus[0] as unknown as Record<string, string>).statusListCredential!.split('/').pop()!;
    const oldList = await statusLists.statusListCredential(listId);
    await identity.rotate();
    const after = await issuer.issue(coreSkill());
    const current = await identity.signingKey();

    expect(current.kid).toMatch(/#key-2$/);
    expect(decode(before.jwt).header.kid).toMatch(/#key-1$/);
    expect(decode(after.jwt).header.kid).toBe(current.kid);
    expect((await issuer.record(after.id))?.kid).toBe(current.kid);
    const document = await identity.didDocument();
    expect(verifiesAgainst(document, before.jwt)).toBe(true);
    expect(verifiesAgainst(document, after.jwt)).toBe(true);
    // The status list is signed again with the key that signs now.
    const newList = await statusLists.statusListCredential(listId);
    expect(decode(oldList).header.kid).toMatch(/#key-1$/);
    expect(decode(newList).header.kid).toBe(current.kid);
    expect(verifiesAgainst(document, newList)).toBe(true);
  });
});
