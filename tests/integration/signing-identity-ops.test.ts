// The signing identity and the status of issued credentials through the door: what an
// administrator sees, the DID document and status lists as files for IT to publish, key rotation,
// and revoking, suspending and reinstating a credential (HR users too), each audited by its id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Clock, call, refused, removeDir, setUpTrust, signInAdmin, signInHrUser, startApp, tempDir } from '../support/app.ts';
import { invite, person } from '../support/staff.ts';
import { coreSkillRequest, newWallet } from '../support/credentials.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import type { DidDocument } from '../../main/credentials/identity/signing-identity.ts';
import { Bitstring } from '../../main/credentials/status/bitstring.ts';

function payloadOf(jwt: string): { iss: string; vc: { credentialSubject: { statusPurpose: string; encodedList: string } } } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as ReturnType<typeof payloadOf>;
}

let dir: string;
let app: StaffPassportApp;
let clock: Clock;

beforeEach(async () => {
  dir = tempDir('dsp-signing-ops-');
  clock = new Clock();
  app = await startApp(dir, { now: clock.now });
  await setUpTrust(app);
  await signInAdmin(app);
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

async function issueCoreSkill(): Promise<{ id: string; statusIndex: number }> {
  const passportId = await invite(app, person(1));
  const issued = await app.credentials.issuer.issue(coreSkillRequest(passportId, (await newWallet()).did));
  return { id: issued.id, statusIndex: issued.statusIndex };
}

/** The bit for a credential in the list of that purpose, read from the exported, signed list. */
async function exportedBit(purpose: 'revocation' | 'suspension', index: number): Promise<boolean> {
  const { statusLists } = await call(app, 'signingIdentity.get', {});
  const list = statusLists.find((candidate) => candidate.purpose === purpose)!;
  const { fileName, content } = await call(app, 'statusLists.export', { listId: list.id });
  expect(fileName).toBe(`${list.id}.jwt`);
  const payload = payloadOf(content);
  expect(payload.vc.credentialSubject.statusPurpose).toBe(purpose);
  return Bitstring.decode(payload.vc.credentialSubject.encodedList).get(index);
}

async function auditEntries(operation: string) {
  const { entries } = await call(app, 'audit.list', { limit: 500 });
  return entries.filter((entry) => entry.operation === operation);
}

describe('the signing identity', () => {
  it('shows the DID, where to publish its document, and one current key', async () => {
    const identity = await call(app, 'signingIdentity.get', {});
    expect(identity.did).toBe('did:web:localhost:trusts:rhq');
    expect(identity.documentUrl).toBe('https://localhost/trusts/rhq/did.json');
    expect(identity.keys).toHaveLength(1);
    expect(identity.keys[0]).toMatchObject({ kid: `${identity.did}#key-1`, keyType: 'Ed25519', algorithm: 'EdDSA', current: true, createdAt: clock.now().toISOString() });
    expect(JSON.parse(identity.keys[0]!.publicKeyJwk)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(identity.rotatedAt).toBeNull();
    // No credential has been issued, so no list has been started.
    expect(identity.statusLists).toEqual([]);
  });

  it('exports the DID document as did.json, audited', async () => {
    const { fileName, content } = await call(app, 'signingIdentity.exportDidDocument', {});
    expect(fileName).toBe('did.json');
    const document = JSON.parse(content) as DidDocument;
    expect(document.id).toBe('did:web:localhost:trusts:rhq');
    expect(document.verificationMethod.map((method) => method.id)).toEqual(['did:web:localhost:trusts:rhq#key-1']);
    expect(content).toContain('\n  '); // pretty, for IT to read
    expect(await auditEntries('signingIdentity.exportDidDocument')).toEqual([expect.objectContaining({ outcome: 'ok' })]);
  });

  it('rotates to a new current key, keeping the old one in the DID document and on the trusted-issuer list', async () => {
    clock.advanceMinutes(10);
    const { currentKid } = await call(app, 'signingIdentity.rotate', { confirm: true });
    expect(currentKid).toBe('did:web:localhost:trusts:rhq#key-2');

    const identity = await call(app, 'signingIdentity.get', {});
    expect(identity.keys.map((key) => [key.kid.split('#')[1], key.keyType, key.current])).toEqual([
      ['key-1', 'Ed25519', false],
      ['key-2', 'Ed25519', true],
    ]);
    expect(identity.rotatedAt).toBe(clock.now().toISOString());

    const document = JSON.parse((await call(app, 'signingIdentity.exportDidDocument', {})).content) as DidDocument;
    expect(document.verificationMethod).toHaveLength(2);

    const { issuers } = await call(app, 'trustedIssuers.list', {});
    const own = issuers.find((issuer) => issuer.isThisTrust)!;
    expect(own.dids[0]).toEqual({ did: identity.did, keys: 2 });

    const audited = await auditEntries('signingIdentity.rotate');
    expect(audited).toEqual([expect.objectContaining({ outcome: 'ok', recordIds: [currentKid] })]);
  });

  it('rotates to a P-256 key when asked', async () => {
    const { currentKid } = await call(app, 'signingIdentity.rotate', { keyType: 'P-256', confirm: true });
    const identity = await call(app, 'signingIdentity.get', {});
    expect(identity.keys.find((key) => key.kid === currentKid)).toMatchObject({ keyType: 'P-256', algorithm: 'ES256', current: true });
    expect(JSON.parse(identity.keys[1]!.publicKeyJwk)).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('refuses a rotation that is not confirmed, or of an unknown key type, changing nothing', async () => {
    const noConfirm = await refused(app, 'signingIdentity.rotate', {});
    expect(noConfirm).toMatchObject({ code: 'invalid-input', fields: [{ field: 'confirm', message: 'Confirm that you want to rotate the signing key' }] });
    expect(await refused(app, 'signingIdentity.rotate', { confirm: false })).toMatchObject({ code: 'invalid-input' });
    expect(await refused(app, 'signingIdentity.rotate', { keyType: 'Secp256k1', confirm: true })).toMatchObject({ code: 'invalid-input', fields: [{ field: 'keyType' }] });
    expect((await call(app, 'signingIdentity.get', {})).keys).toHaveLength(1);
    expect((await auditEntries('signingIdentity.rotate')).map((entry) => entry.outcome)).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('refuses an HR user: no identity, no rotation, no files', async () => {
    await issueCoreSkill();
    const listId = (await call(app, 'signingIdentity.get', {})).statusLists[0]!.id;
    await signInHrUser(app);
    for (const [op, input] of [
      ['signingIdentity.get', {}],
      ['signingIdentity.exportDidDocument', {}],
      ['signingIdentity.rotate', { confirm: true }],
      ['statusLists.export', { listId }],
    ] as const) {
      expect(await refused(app, op, input)).toMatchObject({ code: 'forbidden', message: 'Only a Senior Portal Administrator can do this.' });
    }
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
    expect((await call(app, 'signingIdentity.get', {})).keys).toHaveLength(1);
    expect((await auditEntries('signingIdentity.rotate')).map((entry) => [entry.outcome, entry.errorCode])).toEqual([['refused', 'forbidden']]);
  });

  it('refuses to export a list that does not exist', async () => {
    expect(await refused(app, 'statusLists.export', { listId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'not-found' });
    expect(await refused(app, 'statusLists.export', { listId: 'not-a-list' })).toMatchObject({ code: 'invalid-input', fields: [{ field: 'listId' }] });
  });
});

describe('revoking, suspending and reinstating a credential', () => {
  it('lists the pair of status lists once a credential is issued', async () => {
    await issueCoreSkill();
    const { statusLists } = await call(app, 'signingIdentity.get', {});
    expect(statusLists.map((list) => [list.purpose, list.generation, list.allocated])).toEqual([
      ['revocation', 1, 1],
      ['suspension', 1, 1],
    ]);
    for (const list of statusLists) expect(list.url).toMatch(new RegExp(`/status/${list.id}$`));
  });

  it('suspends, reinstates and revokes as an HR user, each audited with the credential id and shown in the exported lists', async () => {
    const credential = await issueCoreSkill();
    await signInHrUser(app);

    clock.advanceMinutes(5);
    const suspended = await call(app, 'credentials.suspend', { credentialId: credential.id, reason: 'Investigation into the training record' });
    expect(suspended).toEqual({ id: credential.id, state: 'suspended', stateChangedAt: clock.now().toISOString() });
    expect((await app.credentials.issuedCredential(credential.id))?.stateReason).toBe('Investigation into the training record');

    clock.advanceMinutes(5);
    const reinstated = await call(app, 'credentials.reinstate', { credentialId: credential.id });
    expect(reinstated).toEqual({ id: credential.id, state: 'issued', stateChangedAt: clock.now().toISOString() });

    clock.advanceMinutes(5);
    const revoked = await call(app, 'credentials.revoke', { credentialId: credential.id, reason: 'left-organisation' });
    expect(revoked).toEqual({ id: credential.id, state: 'revoked', stateChangedAt: clock.now().toISOString() });
    expect(await app.credentials.issuedCredential(credential.id)).toMatchObject({ state: 'revoked', stateReason: 'left-organisation' });

    for (const op of ['credentials.suspend', 'credentials.reinstate', 'credentials.revoke']) {
      await call(app, 'session.signOut', {});
      await signInAdmin(app);
      expect(await auditEntries(op)).toEqual([expect.objectContaining({ outcome: 'ok', recordIds: [credential.id] })]);
    }
    // What a verifier would fetch: revoked, and no longer suspended.
    expect(await exportedBit('revocation', credential.statusIndex)).toBe(true);
    expect(await exportedBit('suspension', credential.statusIndex)).toBe(false);
    expect((await auditEntries('statusLists.export')).every((entry) => entry.outcome === 'ok' && entry.recordIds.length === 1)).toBe(true);
  });

  it('shows a suspension in the exported suspension list', async () => {
    const credential = await issueCoreSkill();
    expect(await exportedBit('suspension', credential.statusIndex)).toBe(false);
    await call(app, 'credentials.suspend', { credentialId: credential.id, reason: 'Awaiting a fitness-to-practise decision' });
    expect(await exportedBit('suspension', credential.statusIndex)).toBe(true);
    expect(await exportedBit('revocation', credential.statusIndex)).toBe(false);
  });

  it('refuses a reason that is not on the list, or no reason, changing nothing', async () => {
    const credential = await issueCoreSkill();
    const badReason = await refused(app, 'credentials.revoke', { credentialId: credential.id, reason: 'felt like it' });
    expect(badReason).toMatchObject({ code: 'invalid-input', fields: [{ field: 'reason', message: 'Select why the credential is being revoked' }] });
    expect(await refused(app, 'credentials.suspend', { credentialId: credential.id, reason: '   ' })).toMatchObject({
      code: 'invalid-input',
      fields: [{ field: 'reason', message: 'Enter why the credential is being suspended' }],
    });
    expect(await refused(app, 'credentials.suspend', { credentialId: credential.id, reason: 'x'.repeat(501) })).toMatchObject({ code: 'invalid-input', fields: [{ field: 'reason' }] });

    expect(await app.credentials.issuedCredential(credential.id)).toMatchObject({ state: 'issued', stateChangedAt: null, stateReason: null });
    expect(await exportedBit('revocation', credential.statusIndex)).toBe(false);
    expect(await exportedBit('suspension', credential.statusIndex)).toBe(false);
    expect((await auditEntries('credentials.revoke')).map((entry) => entry.outcome)).toEqual(['invalid']);
  });

  it('refuses to revoke twice, to reinstate a revoked credential, or to change one this trust never issued', async () => {
    const credential = await issueCoreSkill();
    await call(app, 'credentials.revoke', { credentialId: credential.id, reason: 'provided-in-error' });
    const before = await app.credentials.issuedCredential(credential.id);

    clock.advanceMinutes(1);
    expect(await refused(app, 'credentials.revoke', { credentialId: credential.id, reason: 'lost-phone' })).toMatchObject({ code: 'conflict', message: 'This credential has already been revoked.' });
    expect(await refused(app, 'credentials.reinstate', { credentialId: credential.id, reason: 'Revoked by mistake' })).toMatchObject({ code: 'conflict', message: expect.stringContaining('Revocation is final') });
    expect(await refused(app, 'credentials.suspend', { credentialId: credential.id, reason: 'Investigation' })).toMatchObject({ code: 'conflict' });
    expect(await app.credentials.issuedCredential(credential.id)).toEqual(before);

    expect(await refused(app, 'credentials.revoke', { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000', reason: 'lost-phone' })).toMatchObject({
      code: 'not-found',
      message: 'This trust has no record of issuing that credential.',
    });
    expect((await auditEntries('credentials.revoke')).map((entry) => entry.outcome)).toEqual(['failed', 'failed', 'ok']); // newest first
  });

  it('refuses to reinstate a credential that is not suspended', async () => {
    const credential = await issueCoreSkill();
    expect(await refused(app, 'credentials.reinstate', { credentialId: credential.id })).toMatchObject({ code: 'conflict', message: 'This credential is not suspended, so there is nothing to reinstate.' });
  });
});
