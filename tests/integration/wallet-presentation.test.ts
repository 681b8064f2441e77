// Asking a wallet to share, over real HTTP between two instances (two trusts, each with its own
// store, signing key and public server): the test wallet holds a core skill another trust issued
// and one from an issuer nobody trusts, answers the signed request, and HR reviews each; every bad
// answer the issue names is refused with the standard's error and changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { Clock, call, countRows, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { invite, person } from '../support/staff.ts';
import { CORE_SKILL, PROVENANCE, coreSkillRequest, decodePart, withPart } from '../support/credentials.ts';
import { TestWallet } from '../wallet/wallet.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import type { RequestView } from '../../main/wallet/contract.ts';

const SOUTHAMPTON = { odsCode: 'RHM', trustName: 'University Hospital Southampton NHS Foundation Trust' };

let clock: Clock;
const dirs: string[] = [];
let sheffield: StaffPassportApp;
let southampton: StaffPassportApp;
let origin: string;
let holder: TestWallet;
let passportId: string;
let fromSouthampton: string;
let untrusted: string;

async function trustApp(trust?: typeof SOUTHAMPTON): Promise<{ app: StaffPassportApp; origin: string }> {
  const dir = tempDir('dsp-wallet-share-');
  dirs.push(dir);
  const app = await startApp(dir, { now: clock.now });
  const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  if (trust) {
    await call(app, 'setup.start', { ...trust, adminName: 'Sam Lee', adminEmail: 'sam.lee@nhs.net', password: 'correct horse battery staple', confirmPassword: 'correct horse battery staple' });
    await call(app, 'setup.finish', { recoveryCodeStored: true });
    await call(app, 'session.signIn', { email: 'sam.lee@nhs.net', password: 'correct horse battery staple' });
  } else {
    await setUpTrust(app);
    await signInAdmin(app);
  }
  return { app, origin: `http://127.0.0.1:${bound.port}` };
}

/** A core skill signed by an issuer on nobody's list (a did:jwk made up for the test). */
async function selfIssuedCoreSkill(subject: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const did = `did:jwk:${Buffer.from(JSON.stringify(await exportJWK(publicKey))).toString('base64url')}`;
  const iat = Math.floor(clock.now().getTime() / 1000);
  return new SignJWT({
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'NHSCoreSkillCredential'],
      credentialSubject: { id: subject, ...CORE_SKILL, provenance: PROVENANCE },
    },
  })
    .setProtectedHeader({ alg: 'ES256', kid: `${did}#0`, typ: 'JWT' })
    .setIssuer(did)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .sign(privateKey);
}

beforeEach(async () => {
  clock = new Clock();
  const rhq = await trustApp();
  sheffield = rhq.app;
  origin = rhq.origin;
  southampton = (await trustApp(SOUTHAMPTON)).app;
  const identity = (await southampton.credentials.identity.get())!;
  await call(sheffield, 'trustedIssuers.add', { odsCode: SOUTHAMPTON.odsCode, name: SOUTHAMPTON.trustName, did: identity.did, didDocument: JSON.stringify(await southampton.credentials.didDocument()) });

  holder = await TestWallet.create(undefined, 'ES256', { now: clock.now, didWebOrigin: origin });
  const theirPassport = await invite(southampton, person(1));
  fromSouthampton = (await southampton.credentials.issuer.issue(coreSkillRequest(theirPassport, holder.did))).jwt;
  untrusted = await selfIssuedCoreSkill(holder.did);
  await holder.add(fromSouthampton);
  await holder.add(untrusted);
  passportId = await invite(sheffield, person(1));
});

afterEach(async () => {
  await sheffield.close();
  await southampton.close();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function ask(typeIds = ['core-skill']): Promise<RequestView> {
  return call(sheffield, 'wallet.requestCredentials', { passportId, typeIds });
}

describe('review shared credentials', () => {
  it('stores each shared credential with its verification result; HR accepts the genuine one and rejects the untrusted one', async () => {
    const request = await ask(['core-skill', 'identity']);
    expect(request).toMatchObject({ state: 'waiting', asked: [{ typeId: 'core-skill' }, { typeId: 'identity' }] });
    expect(request.requestUri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aweb%3A/);
    const answer = await holder.present(request.requestUri!);
    expect(answer.status).toBe(200);
    expect(answer.request.clientId).toBe(`decentralized_identifier:${(await sheffield.credentials.identity.get())!.did}`);

    expect(await call(sheffield, 'wallet.presentationRequest', { requestId: request.id })).toMatchObject({ state: 'shared', sharedCount: 2, requestUri: null });
    const { credentials } = await call(sheffield, 'wallet.sharedCredentials', { passportId });
    const genuine = credentials.find((credential) => credential.issuer.odsCode === 'RHM')!;
    const stranger = credentials.find((credential) => credential.issuer.odsCode === null)!;
    expect(genuine).toMatchObject({ outcome: 'pass', typeId: 'core-skill', displayName: 'Core skill', about: 'Information Governance and Data Security \u2013 level 1', category: 'Core skills training information', acceptable: true, decision: 'pending' });
    expect(stranger).toMatchObject({ outcome: 'fail', acceptable: false });
    expect(stranger.checks.find((check) => check.name === 'issuerTrusted')).toMatchObject({ outcome: 'fail' });

    expect((await refused(sheffield, 'wallet.decideShared', { passportId, decisions: [{ sharedCredentialId: stranger.id, decision: 'accepted' }] })).code).toBe('invalid-input');
    const decided = await call(sheffield, 'wallet.decideShared', {
      passportId,
      decisions: [
        { sharedCredentialId: genuine.id, decision: 'accepted' },
        { sharedCredentialId: stranger.id, decision: 'rejected' },
      ],
    });
    expect(Object.fromEntries(decided.credentials.map((credential) => [credential.id, credential.decision]))).toEqual({ [genuine.id]: 'accepted', [stranger.id]: 'rejected' });
    expect((await call(sheffield, 'staff.get', { passportId })).history.map((event) => event.kind)).toEqual(expect.arrayContaining(['credentials-requested', 'credentials-shared', 'shared-credentials-decided']));
  });

  it('refuses a replayed answer (the same state again) and keeps only the first', async () => {
    const request = await ask();
    const prepared = await holder.present(request.requestUri!, { submit: false });
    expect((await holder.submitRaw(prepared.request.responseUri, prepared.formBody)).status).toBe(200);
    const replay = await holder.submitRaw(prepared.request.responseUri, prepared.formBody);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_request' });
    expect(await countRows(sheffield, 'shared_credentials')).toBe(2);
  });

  describe('forged answers change nothing', () => {
    async function refusedAnswer(options: Parameters<TestWallet['present']>[1]): Promise<void> {
      const request = await ask();
      const answer = await holder.present(request.requestUri!, options);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
      expect(await countRows(sheffield, 'shared_credentials')).toBe(0);
      expect((await call(sheffield, 'wallet.presentationRequest', { requestId: request.id })).state).toBe('scanned');
    }

    it('a presentation signed by a key other than the subject\u2019s', () => refusedAnswer({ signWith: 'other-key' }));

    it('a tampered credential inside', async () => {
      const payload = decodePart(fromSouthampton, 1) as { vc: { credentialSubject: Record<string, unknown> } };
      payload.vc.credentialSubject.competencyName = 'Resuscitation Level 3';
      await refusedAnswer({ only: [], include: [withPart(fromSouthampton, 1, payload)] });
    });

    it('another request\u2019s nonce', () => refusedAnswer({ nonce: 'a-nonce-from-another-request' }));
  });

  it('answers malformed and oversized bodies with the standard error and changes nothing', async () => {
    const request = await ask();
    const prepared = await holder.present(request.requestUri!, { submit: false });
    const post = (body: string, type = 'application/x-www-form-urlencoded') => fetch(prepared.request.responseUri, { method: 'POST', headers: { 'content-type': type }, body });
    const json = await post('{"vp_token":', 'application/json');
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const broken = await post(`vp_token=${encodeURIComponent('{"core-skill": [')}&state=${encodeURIComponent(prepared.request.state!)}`);
    expect(broken.status).toBe(400);
    const wrongState = await post(prepared.formBody.replace(/state=[^&]+/, 'state=somebody-else'));
    expect(wrongState.status).toBe(400);
    const huge = await post(`vp_token=${'x'.repeat(13 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    expect(await countRows(sheffield, 'shared_credentials')).toBe(0);
    expect((await holder.submitRaw(prepared.request.responseUri, prepared.formBody)).status).toBe(200);
  });

  it('expires a request nobody answered', async () => {
    const request = await ask();
    clock.advanceMinutes(11);
    expect(await call(sheffield, 'wallet.presentationRequest', { requestId: request.id })).toMatchObject({ state: 'expired', requestUri: null });
    await expect(holder.present(request.requestUri!)).rejects.toThrow();
    const history = (await call(sheffield, 'staff.get', { passportId })).history;
    expect(history.filter((event) => event.kind === 'request-expired').map((event) => event.summary)).toEqual(['Request to share credentials expired: nothing was shared in time']);
  });
});
