// The verifier against real credentials from two instances (two trusts, each with its own store,
// signing key and public server on 127.0.0.1), real wallets' keys, and every bad input the issue
// names. Status lists are fetched over real HTTP from the issuing trust's server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { ADMIN, Clock, call, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { invite, person } from '../support/staff.ts';
import { coreSkillRequest, decodePart, newWallet, present, withPart, type Wallet } from '../support/credentials.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { Verifier, type CredentialVerification, type PresentationVerification, type Verification } from '../../main/credentials/verifying/verifier.ts';
import { Bitstring } from '../../main/credentials/status/bitstring.ts';
import { silentLogger } from '../../main/platform/log.ts';

const SOUTHAMPTON = { odsCode: 'RHM', trustName: 'University Hospital Southampton NHS Foundation Trust' };
const AUDIENCE = 'decentralized_identifier:did:web:localhost:trusts:rhq';

let clock: Clock;
const dirs: string[] = [];
const apps: StaffPassportApp[] = [];
const servers: Server[] = [];

async function startTrust(trust?: typeof SOUTHAMPTON, policy?: Record<string, unknown>): Promise<StaffPassportApp> {
  const dir = tempDir('dsp-verify-');
  dirs.push(dir);
  const app = await startApp(dir, { now: clock.now, ...(policy ? { configSources: { machineFilePath: null, readPolicy: async () => JSON.stringify(policy) } } : {}) });
  apps.push(app);
  await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  if (trust) {
    await call(app, 'setup.start', { ...trust, ...ADMIN, confirmPassword: ADMIN.password });
    await call(app, 'setup.finish', { recoveryCodeStored: true });
  } else {
    await setUpTrust(app);
  }
  await signInAdmin(app);
  return app;
}

async function trustEachOther(verifying: StaffPassportApp, issuing: StaffPassportApp, organisation: { odsCode: string; name: string }): Promise<void> {
  const identity = (await issuing.credentials.identity.get())!;
  await call(verifying, 'trustedIssuers.add', { odsCode: organisation.odsCode, name: organisation.name, did: identity.did, didDocument: JSON.stringify(await issuing.credentials.didDocument()) });
}

async function issueCoreSkill(app: StaffPassportApp, wallet: Wallet, n = 1): Promise<{ id: string; jwt: string }> {
  const passportId = await invite(app, person(n));
  return app.credentials.issuer.issue(coreSkillRequest(passportId, wallet.did));
}

const credentialResult = (result: Verification): CredentialVerification => {
  expect(result.kind).toBe('credential');
  return result as CredentialVerification;
};

const outcomes = (result: CredentialVerification) => Object.fromEntries(Object.entries(result.checks).map(([name, check]) => [name, check.outcome]));

/** A test server answering every request with the given status and body; counts requests. */
async function serve(handler: (path: string) => { status: number; body: string }): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createHttpServer((request, response) => {
    count++;
    const answer = handler(request.url ?? '/');
    response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

/** A credential from a self-describing did:key/did:jwk issuer, signed with jose, with whatever status it says. */
async function selfIssued(subject: string, credentialStatus: unknown, at: Date): Promise<{ jwt: string; issuer: Wallet }> {
  const issuer = await newWallet('ES256');
  const jwt = await new SignJWT({
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'NHSCoreSkillCredential'],
      credentialSubject: { id: subject, ...coreSkillRequest('x', subject).claims as object, provenance: coreSkillRequest('x', subject).provenance },
      ...(credentialStatus ? { credentialStatus } : {}),
    },
  })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
    .setIssuer(issuer.did)
    .setSubject(subject)
    .setNotBefore(Math.floor(at.getTime() / 1000))
    .sign(issuer.privateKey);
  return { jwt, issuer };
}

beforeEach(() => {
  clock = new Clock();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('verifying credentials this trust issued', () => {
  let app: StaffPassportApp;
  let wallet: Wallet;
  beforeEach(async () => {
    app = await startTrust();
    wallet = await newWallet();
  });

  it('passes every check for a genuine, current credential, and names its issuer and type', async () => {
    const issued = await issueCoreSkill(app, wallet);
    const result = credentialResult(await app.credentials.verifier.verify(issued.jwt));
    expect(outcomes(result)).toEqual({ format: 'pass', signature: 'pass', issuerResolved: 'pass', issuerTrusted: 'pass', validity: 'pass', status: 'pass', claims: 'pass' });
    expect(result.outcome).toBe('pass');
    expect(result.summary).toBe('This credential is genuine and current: every check passed.');
    expect(result.checks.issuerTrusted.reason).toBe('Issued by Sheffield Teaching Hospitals NHS Foundation Trust (RHQ), which is on your list of trusted issuers.');
    expect(result.checks.validity.reason).toBe('It is valid until 31 October 2027.');
    expect(result.credential).toMatchObject({ id: issued.id, typeId: 'core-skill', displayName: 'Core skill', subjectDid: wallet.did, issuer: { odsCode: 'RHQ' } });
    expect(result.credential!.claims.competencyName).toBe('Information Governance and Data Security');
  });

  it('fails a credential whose payload was changed after signing', async () => {
    const { jwt } = await issueCoreSkill(app, wallet);
    const payload = decodePart(jwt, 1) as { vc: { credentialSubject: Record<string, unknown> } };
    payload.vc.credentialSubject.attainmentStatus = 'ACHIEVED WITH DISTINCTION';
    const result = credentialResult(await app.credentials.verifier.verify(withPart(jwt, 1, payload)));
    expect(result.checks.signature).toEqual({ outcome: 'fail', reason: 'The signature does not match: it has been changed since it was signed, or was signed by someone else.' });
    expect(result.outcome).toBe('fail');
    expect(result.summary).toMatch(/^This credential cannot be trusted\. The signature does not match/);
    // A failed signature is never followed by a status fetch.
    expect(result.checks.status.outcome).toBe('unknown');
  });

  it('fails a credential whose header was changed: another key named, another algorithm, none, or HMAC', async () => {
    const { jwt } = await issueCoreSkill(app, wallet);
    const header = decodePart(jwt, 0);
    const did = String(decodePart(jwt, 1).iss);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...header, kid: `${did}#key-9` }, /names a key that is not in its issuer’s DID document/],
      [{ ...header, kid: `did:web:elsewhere.nhs.uk#key-1` }, /key that does not belong to the DID it claims/],
      [{ ...header, alg: 'ES256' }, /signature does not match/],
      [{ ...header, alg: 'none' }, /not signed \(its algorithm is "none"\)/],
      [{ ...header, alg: 'HS256' }, /algorithm this service does not accept \(HS256\)/],
      [{ ...header, alg: 'RS256' }, /algorithm this service does not accept \(RS256\)/],
      [{ ...header, crit: ['b64'], b64: false }, /critical extensions/],
    ];
    for (const [changed, reason] of cases) {
      const result = credentialResult(await app.credentials.verifier.verify(withPart(jwt, 0, changed)));
      expect(result.checks.signature.outcome, JSON.stringify(changed)).toBe('fail');
      expect(result.checks.signature.reason).toMatch(reason);
      expect(result.outcome).toBe('fail');
    }
    // An unsigned JWT, signature part empty, as "alg: none" tokens are sent.
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${jwt.split('.')[1]}.`;
    expect(credentialResult(await app.credentials.verifier.verify(unsigned)).checks.signature.reason).toMatch(/"none"/);
  });

  it('fails an expired credential and one not valid yet, within a minute of clock skew', async () => {
    const { jwt } = await issueCoreSkill(app, wallet);
    const exp = Number(decodePart(jwt, 1).exp) * 1000;
    const issuedAt = clock.time;
    clock.time = exp + 30_000;
    expect(credentialResult(await app.credentials.verifier.verify(jwt)).checks.validity.outcome).toBe('pass');
    clock.time = exp + 90_000;
    const expired = credentialResult(await app.credentials.verifier.verify(jwt));
    expect(expired.checks.validity).toEqual({ outcome: 'fail', reason: 'It expired on 31 October 2027.' });
    expect(expired.outcome).toBe('fail');

    clock.time = issuedAt - 30_000;
    expect(credentialResult(await app.credentials.verifier.verify(jwt)).checks.validity.outcome).toBe('pass');
    clock.time = issuedAt - 2 * 3600_000;
    const early = credentialResult(await app.credentials.verifier.verify(jwt));
    expect(early.checks.validity).toEqual({ outcome: 'fail', reason: 'It is not valid until 22 November 2026.' });
  });

  it('fails a revoked credential, and a suspended one until it is reinstated, from the list its server publishes', async () => {
    const revoked = await issueCoreSkill(app, wallet, 1);
    const suspended = await issueCoreSkill(app, wallet, 2);
    const verify = async (jwt: string) => credentialResult(await app.credentials.verifier.verify(jwt)).checks.status;
    expect((await verify(revoked.jwt)).outcome).toBe('pass');

    await app.credentials.revoke(revoked.id, 'provided-in-error');
    expect(await verify(revoked.jwt)).toEqual({ outcome: 'fail', reason: 'Its issuer has revoked it.' });
    expect((await verify(suspended.jwt)).outcome).toBe('pass');

    await app.credentials.suspend(suspended.id, 'Checking a DBS result');
    expect(await verify(suspended.jwt)).toEqual({ outcome: 'fail', reason: 'Its issuer has suspended it.' });
    await app.credentials.reinstate(suspended.id, null);
    expect(await verify(suspended.jwt)).toEqual({ outcome: 'pass', reason: 'Its issuer has not revoked or suspended it.' });
    expect(await verify(revoked.jwt)).toEqual({ outcome: 'fail', reason: 'Its issuer has revoked it.' });
  });

  it('still verifies credentials signed before a key rotation, and those signed after', async () => {
    const before = await issueCoreSkill(app, wallet, 1);
    await app.credentials.rotateKey({}, null);
    const after = await issueCoreSkill(app, wallet, 2);
    expect(decodePart(before.jwt, 0).kid).toMatch(/#key-1$/);
    expect(decodePart(after.jwt, 0).kid).toMatch(/#key-2$/);
    for (const { jwt } of [before, after]) expect(credentialResult(await app.credentials.verifier.verify(jwt)).outcome).toBe('pass');
  });

  it('fails a credential from an unknown DID and from a DID method it does not resolve', async () => {
    const { jwt } = await issueCoreSkill(app, wallet);
    const payload = decodePart(jwt, 1) as { iss: string; vc: Record<string, unknown> };
    for (const [did, reason] of [
      ['did:web:nowhere.example.nhs.uk', /not on your list of trusted issuers, and looking DIDs up online is switched off/],
      ['did:example:123456', /a method this service does not resolve/],
      ['did:key:zNotAKey', /could not be read/],
    ] as const) {
      const forged = withPart(jwt, 1, { ...payload, iss: did, vc: { ...payload.vc, issuer: did } });
      const result = credentialResult(await app.credentials.verifier.verify(forged));
      expect(result.checks.issuerResolved.outcome, did).toBe('fail');
      expect(result.checks.issuerResolved.reason).toMatch(reason);
      expect(result.checks.issuerTrusted.outcome).toBe('fail');
      expect(result.outcome).toBe('fail');
    }
  });

  it('reads claims that break the catalogue as failing, and an unknown type as unknown', async () => {
    const wrongClaims = await selfIssued(wallet.did, undefined, clock.now());
    const payload = decodePart(wrongClaims.jwt, 1) as { vc: { credentialSubject: Record<string, unknown>; type: string[] } };
    const self = credentialResult(await app.credentials.verifier.verify(wrongClaims.jwt));
    expect(outcomes(self)).toEqual({ format: 'pass', signature: 'pass', issuerResolved: 'pass', issuerTrusted: 'fail', validity: 'pass', status: 'unknown', claims: 'pass' });
    expect(self.checks.issuerResolved.reason).toBe('Its issuer’s DID holds its own public key.');

    const broken = { ...payload, vc: { ...payload.vc, credentialSubject: { ...payload.vc.credentialSubject, renewalPeriodUnits: 'Fortnights' } } };
    const reSigned = await new SignJWT(broken as never).setProtectedHeader({ alg: 'ES256', kid: wrongClaims.issuer.kid }).sign(wrongClaims.issuer.privateKey);
    const invalid = credentialResult(await app.credentials.verifier.verify(reSigned));
    expect(invalid.checks.signature.outcome).toBe('pass');
    expect(invalid.checks.claims.outcome).toBe('fail');
    expect(invalid.checks.claims.reason).toMatch(/^Its claims are not valid for a core skill credential: renewalPeriodUnits/);

    const unknownType = { ...payload, vc: { ...payload.vc, type: ['VerifiableCredential', 'GymMembershipCredential'] } };
    const other = credentialResult(await app.credentials.verifier.verify(await new SignJWT(unknownType as never).setProtectedHeader({ alg: 'ES256', kid: wrongClaims.issuer.kid }).sign(wrongClaims.issuer.privateKey)));
    expect(other.checks.claims).toEqual({ outcome: 'unknown', reason: 'It is a type of credential this service does not know (GymMembershipCredential), so its claims were not checked.' });
  });

  it('never throws on junk, and answers a 1 MB string quickly', async () => {
    const { jwt } = await issueCoreSkill(app, wallet);
    const junk: unknown[] = [
      '', 'hello', 'a.b.c', '..', '...', 'eyJ.eyJ.x', `${jwt}x.y`, jwt.split('.').slice(0, 2).join('.'), ` ${jwt}`, jwt.replace(/\./g, '_'),
      'x'.repeat(1024 * 1024), `${'eyJ'.repeat(350_000)}.${'eyJ'.repeat(350_000)}.${'A'.repeat(1000)}`, `e30.${Buffer.from('[1,2,3]').toString('base64url')}.AAAA`,
      `e30.${Buffer.from('{"vc": "not an object"}').toString('base64url')}.AAAA`, `e30.${Buffer.from('{"vc": {"type": 7, "credentialSubject": []}}').toString('base64url')}.AAAA`,
      null, undefined, 42, {}, [], { jwt }, Symbol('x'),
    ];
    for (const input of junk) {
      const started = performance.now();
      const result = await app.credentials.verifier.verify(input);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(result.outcome, String(typeof input === 'string' ? input.slice(0, 40) : typeof input)).toBe('fail');
      expect(result.summary).toMatch(/^This (credential|presentation) cannot be trusted\./);
    }
    const huge = credentialResult(await app.credentials.verifier.verify(`${'a'.repeat(4 * 1024 * 1024)}.b.c`));
    expect(huge.checks.format.reason).toBe('It is far too large to be a credential.');
  });
});

describe('verifying presentations from a wallet', () => {
  let app: StaffPassportApp;
  let wallet: Wallet;
  let issued: { id: string; jwt: string };
  beforeEach(async () => {
    app = await startTrust();
    wallet = await newWallet('ES256');
    issued = await issueCoreSkill(app, wallet);
  });

  it('passes a presentation signed by the holder for this request, with each credential checked', async () => {
    const vp = await present(wallet, [issued.jwt], { nonce: 'n-1', audience: AUDIENCE }, clock.now());
    const result = (await app.credentials.verifier.verify(vp, { nonce: 'n-1', audience: AUDIENCE })) as PresentationVerification;
    expect(result.kind).toBe('presentation');
    expect(result.checks).toEqual({
      format: { outcome: 'pass', reason: expect.any(String) },
      signature: { outcome: 'pass', reason: 'It is signed by the wallet that holds the credentials.' },
      validity: { outcome: 'pass', reason: 'It is current.' },
      holderBinding: { outcome: 'pass', reason: 'It answers this request and was signed by the wallet, with the right nonce and audience.' },
    });
    expect(result.holderDid).toBe(wallet.did);
    expect(result.credentials).toHaveLength(1);
    expect(result.credentials[0]!.checks.holder).toEqual({ outcome: 'pass', reason: 'It was issued to the person who shared it.' });
    expect(result.outcome).toBe('pass');
  });

  it('fails a presentation signed by a key other than the subject’s', async () => {
    const thief = await newWallet();
    const vp = await present(thief, [issued.jwt], { nonce: 'n-1', audience: AUDIENCE }, clock.now());
    const result = (await app.credentials.verifier.verify(vp, { nonce: 'n-1', audience: AUDIENCE })) as PresentationVerification;
    expect(result.checks.signature.outcome).toBe('pass');
    expect(result.credentials[0]!.checks.holder).toEqual({ outcome: 'fail', reason: 'It was issued to someone else: the wallet that shared it does not hold its key.' });
    expect(result.credentials[0]!.outcome).toBe('fail');
    expect(result.outcome).toBe('fail');

    // A presentation claiming to be the holder but signed by another key fails its own signature.
    const forged = withPart(vp, 1, { ...decodePart(vp, 1), iss: wallet.did });
    const forgedResult = (await app.credentials.verifier.verify(withPart(forged, 0, { alg: 'ES256', kid: `${wallet.did}#0` }), { nonce: 'n-1', audience: AUDIENCE })) as PresentationVerification;
    expect(forgedResult.checks.signature.outcome).toBe('fail');
    expect(forgedResult.checks.holderBinding.outcome).not.toBe('pass');
    expect(forgedResult.outcome).toBe('fail');
  });

  it('fails a replayed presentation (an old nonce), one for another audience, an expired one, and one with a tampered credential', async () => {
    const vp = await present(wallet, [issued.jwt], { nonce: 'n-1', audience: AUDIENCE }, clock.now());
    const replayed = (await app.credentials.verifier.verify(vp, { nonce: 'n-2', audience: AUDIENCE })) as PresentationVerification;
    expect(replayed.checks.holderBinding).toEqual({ outcome: 'fail', reason: 'It does not answer this request (its nonce is different): it may be a replay of an earlier answer.' });
    expect(replayed.outcome).toBe('fail');

    const elsewhere = (await app.credentials.verifier.verify(vp, { nonce: 'n-1', audience: 'decentralized_identifier:did:web:other.nhs.uk' })) as PresentationVerification;
    expect(elsewhere.checks.holderBinding.reason).toBe('It was made for someone else (its audience is not this trust).');

    const unchecked = (await app.credentials.verifier.verify(vp)) as PresentationVerification;
    expect(unchecked.checks.holderBinding.outcome).toBe('unknown');

    clock.advanceMinutes(10);
    const late = (await app.credentials.verifier.verify(vp, { nonce: 'n-1', audience: AUDIENCE })) as PresentationVerification;
    expect(late.checks.validity).toEqual({ outcome: 'fail', reason: 'It has expired.' });

    const payload = decodePart(issued.jwt, 1) as { vc: { credentialSubject: Record<string, unknown> } };
    payload.vc.credentialSubject.subjectLevel = '3';
    const tampered = await present(wallet, [withPart(issued.jwt, 1, payload)], { nonce: 'n-3', audience: AUDIENCE }, clock.now());
    const result = (await app.credentials.verifier.verify(tampered, { nonce: 'n-3', audience: AUDIENCE })) as PresentationVerification;
    expect(result.checks.signature.outcome).toBe('pass');
    expect(result.credentials[0]!.checks.signature.outcome).toBe('fail');
    expect(result.outcome).toBe('fail');
    expect(result.summary).toBe('The wallet shared these credentials for this request, but not every one of them could be trusted: see each credential.');
  });
});

describe('two trusts', () => {
  it('verifies another trust’s credentials when it is on the trusted-issuer list, and says “not trusted” when it is not', async () => {
    const sheffield = await startTrust();
    const southampton = await startTrust(SOUTHAMPTON);
    const wallet = await newWallet();
    const fromSouthampton = await issueCoreSkill(southampton, wallet);

    const untrusted = credentialResult(await sheffield.credentials.verifier.verify(fromSouthampton.jwt));
    expect(untrusted.checks.issuerTrusted).toEqual({ outcome: 'fail', reason: 'Its issuer is not on your list of trusted issuers.' });
    expect(untrusted.checks.issuerResolved.outcome).toBe('fail');
    expect(untrusted.outcome).toBe('fail');
    expect(untrusted.summary).toBe('This credential cannot be trusted. Its issuer is not on your list of trusted issuers.');

    await trustEachOther(sheffield, southampton, { odsCode: 'RHM', name: SOUTHAMPTON.trustName });
    const trusted = credentialResult(await sheffield.credentials.verifier.verify(fromSouthampton.jwt));
    expect(outcomes(trusted)).toEqual({ format: 'pass', signature: 'pass', issuerResolved: 'pass', issuerTrusted: 'pass', validity: 'pass', status: 'pass', claims: 'pass' });
    expect(trusted.checks.issuerTrusted.reason).toBe('Issued by University Hospital Southampton NHS Foundation Trust (RHM), which is on your list of trusted issuers.');

    // Southampton revokes it; Sheffield sees it once its cached copy of the list is five minutes old.
    await southampton.credentials.revoke(fromSouthampton.id, 'leaving-organisation');
    expect(credentialResult(await sheffield.credentials.verifier.verify(fromSouthampton.jwt)).checks.status.outcome).toBe('pass');
    clock.advanceMinutes(6);
    expect(credentialResult(await sheffield.credentials.verifier.verify(fromSouthampton.jwt)).checks.status).toEqual({ outcome: 'fail', reason: 'Its issuer has revoked it.' });

    // Southampton rotates its key; until Sheffield takes the new document, the new credentials do not verify.
    await southampton.credentials.rotateKey({}, null);
    const afterRotation = await issueCoreSkill(southampton, wallet, 2);
    expect(credentialResult(await sheffield.credentials.verifier.verify(afterRotation.jwt)).checks.signature.reason).toBe('It names a key that is not in its issuer’s DID document.');
    await trustEachOther(sheffield, southampton, { odsCode: 'RHM', name: SOUTHAMPTON.trustName });
    expect(credentialResult(await sheffield.credentials.verifier.verify(afterRotation.jwt)).outcome).toBe('pass');

    // Removed from the list: not trusted again.
    await call(sheffield, 'trustedIssuers.remove', { odsCode: 'RHM' });
    expect(credentialResult(await sheffield.credentials.verifier.verify(afterRotation.jwt)).checks.issuerTrusted.outcome).toBe('fail');
  });
});

describe('hostile input found in review', () => {
  it('refuses odd did:web encodings and absurdly long DIDs without crashing or stalling', async () => {
    const online = new Verifier({ trustedIssuer: async () => undefined, now: clock.now, log: silentLogger, didWeb: { enabled: true, timeoutMs: 300, cacheSeconds: 60 } });
    const wallet = await newWallet();
    const signedBy = async (iss: string) => new SignJWT({ vc: { type: ['VerifiableCredential'], credentialSubject: { id: wallet.did } } }).setProtectedHeader({ alg: 'EdDSA', kid: `${iss}#0` }).setIssuer(iss).sign(wallet.privateKey);
    for (const iss of ['did:web:example.com:a%ZZ', 'did:web:%E0%A4%A', 'did:web:example.com:a%2Fb', 'did:web:example.com%2Fx', `did:key:z6Mk${'2'.repeat(100_000)}`, `did:web:${'a'.repeat(5000)}.nhs.uk`]) {
      const started = performance.now();
      const result = credentialResult(await online.verify(await signedBy(iss)));
      expect(performance.now() - started, iss.slice(0, 40)).toBeLessThan(1000);
      expect(result.checks.issuerResolved.outcome).toBe('fail');
      expect(result.outcome).toBe('fail');
    }
    const holderTooLong = await present({ ...wallet, did: `did:key:z6Mk${'2'.repeat(100_000)}` }, [], { nonce: 'n', audience: AUDIENCE }, clock.now());
    const started = performance.now();
    expect((await online.verify(holderTooLong, { nonce: 'n', audience: AUDIENCE })).outcome).toBe('fail');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('bounds a status-list download that trickles one byte at a time by its timeout', async () => {
    const app = await startTrust();
    const wallet = await newWallet();
    const trickle = createHttpServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/vc+jwt' });
      const timer = setInterval(() => response.write('e'), 100);
      response.on('close', () => clearInterval(timer));
    });
    servers.push(trickle);
    await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/list`;
    const { jwt } = await selfIssued(wallet.did, { id: `${url}#1`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: url }, clock.now());
    const credentialIssuer = String(decodePart(jwt, 1).iss);
    const document = { id: credentialIssuer, verificationMethod: [{ id: `${credentialIssuer}#0`, type: 'JsonWebKey2020', controller: credentialIssuer, publicKeyJwk: JSON.parse(Buffer.from(credentialIssuer.slice(8), 'base64url').toString()) }] };
    await call(app, 'trustedIssuers.add', { odsCode: 'RTH', name: 'Oxford University Hospitals NHS Foundation Trust', did: credentialIssuer, didDocument: JSON.stringify(document) });
    const quick = new Verifier({ trustedIssuer: (did) => app.credentials.trustedIssuers().byDid(did), now: clock.now, log: silentLogger, statusTimeoutMs: 400 });
    const started = performance.now();
    const result = credentialResult(await quick.verify(jwt));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.checks.status).toEqual({ outcome: 'unknown', reason: 'Its status list could not be fetched, so whether it has been revoked is not known: it took too long.' });
  });

  it('fails a bare credential sent where a presentation was asked for, and a presentation with no credentials', async () => {
    const app = await startTrust();
    const wallet = await newWallet();
    const issued = await issueCoreSkill(app, wallet);
    const bare = await app.credentials.verifier.verify(issued.jwt, { nonce: 'n-1', audience: AUDIENCE });
    expect(bare.kind).toBe('presentation');
    expect(bare.outcome).toBe('fail');
    expect(bare.checks.format.reason).toMatch(/^It is not a presentation from a wallet/);
    const empty = (await app.credentials.verifier.verify(await present(wallet, [], { nonce: 'n-1', audience: AUDIENCE }, clock.now()), { nonce: 'n-1', audience: AUDIENCE })) as PresentationVerification;
    expect(empty.checks.format).toEqual({ outcome: 'fail', reason: 'It is not a well-formed presentation: it holds no credentials.' });
    expect(empty.outcome).toBe('fail');
  });
});

describe('IT’s lookUpDidsOnline setting', () => {
  it('lets the app try the issuer’s website for a DID that is not on the list, and still calls it not trusted', async () => {
    const sheffield = await startTrust(undefined, { lookUpDidsOnline: true });
    const southampton = await startTrust(SOUTHAMPTON);
    const issued = await issueCoreSkill(southampton, await newWallet());
    const result = credentialResult(await sheffield.credentials.verifier.verify(issued.jwt));
    // Nothing serves https://localhost/trusts/rhm/did.json here, so the lookup is tried and fails as unknown, not "switched off".
    expect(result.checks.issuerResolved).toEqual({ outcome: 'unknown', reason: 'Its DID document could not be fetched from https://localhost/trusts/rhm/did.json: it could not be reached.' });
    expect(result.checks.issuerTrusted.outcome).toBe('fail');
    expect(result.outcome).toBe('fail');
  });
});

describe('a trust that signs with P-256', () => {
  it('issues ES256 credentials (r || s signatures) that verify, before and after rotating to Ed25519', async () => {
    const app = await startTrust(SOUTHAMPTON, { issuerKeyType: 'P-256' });
    const wallet = await newWallet();
    const issued = await issueCoreSkill(app, wallet);
    expect(decodePart(issued.jwt, 0).alg).toBe('ES256');
    expect(Buffer.from(issued.jwt.split('.')[2]!, 'base64url')).toHaveLength(64);
    expect(credentialResult(await app.credentials.verifier.verify(issued.jwt)).outcome).toBe('pass');
    await app.credentials.rotateKey({ keyType: 'Ed25519' }, null);
    const after = await issueCoreSkill(app, wallet, 2);
    expect(decodePart(after.jwt, 0).alg).toBe('EdDSA');
    for (const { jwt } of [issued, after]) expect(credentialResult(await app.credentials.verifier.verify(jwt)).outcome).toBe('pass');
  });
});

describe('status lists and the public server', () => {
  it('caches a fetched status list, and treats an unreachable or forged list as unknown', async () => {
    const app = await startTrust();
    const wallet = await newWallet();
    const issued = await issueCoreSkill(app, wallet);
    const entries = (decodePart(issued.jwt, 1) as { vc: { credentialStatus: Array<{ statusListCredential: string }> } }).vc.credentialStatus;
    const genuineList = await (await fetch(entries[0]!.statusListCredential)).text();

    // A self-describing issuer on the list, whose status list is served by a test server.
    const other = await newWallet('ES256');
    let body = genuineList;
    let status = 200;
    const server = await serve(() => ({ status, body }));
    const statusEntry = { id: `${server.url}/list#7`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: `${server.url}/list` };
    const { jwt, issuer } = await selfIssued(wallet.did, statusEntry, clock.now());
    const document = { id: issuer.did, verificationMethod: [{ id: `${issuer.did}#0`, type: 'JsonWebKey2020', controller: issuer.did, publicKeyJwk: JSON.parse(Buffer.from(issuer.did.slice(8), 'base64url').toString()) }] };
    await call(app, 'trustedIssuers.add', { odsCode: 'RTH', name: 'Oxford University Hospitals NHS Foundation Trust', did: issuer.did, didDocument: JSON.stringify(document) });

    // Sheffield's genuine list, but served for another issuer's credential: not its issuer's list.
    const verify = async () => credentialResult(await app.credentials.verifier.verify(jwt)).checks.status;
    expect(await verify()).toEqual({ outcome: 'unknown', reason: expect.stringMatching(/^Its status list is not signed by its issuer/) as string });

    // The issuer's own list, index 7 set: revoked. Fetched once, then cached.
    const bits = new Bitstring();
    bits.set(7, true);
    body = await new SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', 'BitstringStatusListCredential'], credentialSubject: { id: `${server.url}/list#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bits.encode() } } })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
      .setIssuer(issuer.did)
      .setJti(`${server.url}/list`)
      .sign(issuer.privateKey);
    const before = server.requests();
    expect(await verify()).toEqual({ outcome: 'fail', reason: 'Its issuer has revoked it.' });
    expect(await verify()).toEqual({ outcome: 'fail', reason: 'Its issuer has revoked it.' });
    expect(server.requests()).toBe(before + 1);

    // The issuer's list for another address (nothing revoked in it) served here instead: not this list.
    const elsewhere = await new SignJWT({ ...decodePart(body, 1), jti: `${server.url}/other-list` }).setProtectedHeader({ alg: 'ES256', kid: issuer.kid }).sign(issuer.privateKey);
    const revokedList = body;
    body = elsewhere;
    app.credentials.verifier.forgetStatusLists();
    expect(await verify()).toEqual({ outcome: 'unknown', reason: 'Its status list is not the one at the address in the credential.' });
    body = revokedList;

    // Five minutes on, the server is down: unknown, not pass.
    clock.advanceMinutes(6);
    status = 503;
    expect(await verify()).toEqual({ outcome: 'unknown', reason: 'Its status list could not be fetched, so whether it has been revoked is not known: the server answered 503.' });

    // Signed by someone else entirely.
    status = 200;
    clock.advanceMinutes(6);
    body = await new SignJWT(decodePart(body, 1)).setProtectedHeader({ alg: 'ES256', kid: issuer.kid }).sign(other.privateKey);
    expect((await verify()).reason).toMatch(/^Its status list is not signed by its issuer: The signature does not match/);
    // A credential from an untrusted issuer never makes this computer fetch its status list.
    await call(app, 'trustedIssuers.remove', { odsCode: 'RTH' });
    const fetched = server.requests();
    clock.advanceMinutes(6);
    expect(await verify()).toEqual({ outcome: 'unknown', reason: 'Not checked, because its issuer is not trusted.' });
    expect(server.requests()).toBe(fetched);
  });

  it('serves the DID document where did:web puts it and each status list; nothing else', async () => {
    const app = await startTrust();
    const base = `http://127.0.0.1:${app.publicServer.address!.port}`;
    const identity = (await app.credentials.identity.get())!;
    expect(identity.did).toBe('did:web:localhost:trusts:rhq');
    const document = await fetch(`${base}/trusts/rhq/did.json`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('application/did+json');
    expect(await document.json()).toEqual(await app.credentials.didDocument());
    expect((await fetch(`${base}/.well-known/did.json`)).status).toBe(404);
    expect((await fetch(`${base}/trusts/rhm/did.json`)).status).toBe(404);

    const issued = await issueCoreSkill(app, await newWallet());
    const listUrl = (decodePart(issued.jwt, 1) as { vc: { credentialStatus: Array<{ statusListCredential: string }> } }).vc.credentialStatus[0]!.statusListCredential;
    expect(listUrl).toMatch(new RegExp(`^http://localhost:${app.publicServer.address!.port}/status/[0-9a-f-]{36}$`));
    const list = await fetch(listUrl.replace('localhost', '127.0.0.1'));
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('application/vc+jwt');
    expect(decodePart(await list.text(), 1).iss).toBe(identity.did);

    expect((await fetch(`${base}/status/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await fetch(`${base}/status/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/api/app.status`, { method: 'POST' })).status).toBe(404);
    const post = await fetch(`${base}/trusts/rhq/did.json`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await fetch(`${base}/${'a'.repeat(3000)}`)).status).toBe(414);

    // After a restart, before anyone signs in, the store is closed: 503, not an error page.
    const dir = dirs[0]!;
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    const restarted = await startApp(dir, { now: clock.now });
    apps.push(restarted);
    const { port } = await restarted.startPublicServer({ address: '127.0.0.1', port: 0 });
    const closed = await fetch(`http://127.0.0.1:${port}/trusts/rhq/did.json`);
    expect(closed.status).toBe(503);
    expect(closed.headers.get('retry-after')).toBe('60');
  });
});

describe('looking up did:web documents online', () => {
  it('fetches a DID document over HTTPS with the trust’s CA bundle when switched on, and gives up after the timeout', async () => {
    const certDir = tempDir('dsp-cert-');
    dirs.push(certDir);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
    const ca = readFileSync(join(certDir, 'cert.pem'), 'utf8');
    let document = '';
    let hang = false;
    const https = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: ca }, (request, response) => {
      if (hang) return;
      response.writeHead(request.url === '/trusts/rhm/did.json' ? 200 : 404, { 'Content-Type': 'application/did+json' }).end(document);
    });
    servers.push(https as unknown as Server);
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const port = (https.address() as AddressInfo).port;

    // Southampton's IT publishes its DID on this host, so its DID is did:web:localhost%3A<port>:trusts:rhm.
    const southampton = await startTrust(SOUTHAMPTON, { issuerHost: `localhost:${port}` });
    document = JSON.stringify(await southampton.credentials.didDocument());
    const issued = await issueCoreSkill(southampton, await newWallet());
    expect(decodePart(issued.jwt, 1).iss).toBe(`did:web:localhost%3A${port}:trusts:rhm`);

    const verifier = (timeoutMs: number) => new Verifier({ trustedIssuer: async () => undefined, now: clock.now, log: silentLogger, ca, didWeb: { enabled: true, timeoutMs, cacheSeconds: 3600 } });
    const online = credentialResult(await verifier(2000).verify(issued.jwt));
    expect(online.checks.issuerResolved).toEqual({ outcome: 'pass', reason: 'Its issuer’s DID document was fetched from the issuer’s website.' });
    expect(online.checks.signature.outcome).toBe('pass');
    // Found is not trusted: the organisation is still not on the list.
    expect(online.checks.issuerTrusted.outcome).toBe('fail');

    // Without the CA bundle the certificate is refused.
    const noCa = new Verifier({ trustedIssuer: async () => undefined, now: clock.now, log: silentLogger, didWeb: { enabled: true, timeoutMs: 2000, cacheSeconds: 3600 } });
    expect(credentialResult(await noCa.verify(issued.jwt)).checks.issuerResolved.outcome).toBe('unknown');

    hang = true;
    const started = performance.now();
    const slow = credentialResult(await verifier(300).verify(issued.jwt));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(slow.checks.issuerResolved).toEqual({ outcome: 'unknown', reason: `Its DID document could not be fetched from https://localhost:${port}/trusts/rhm/did.json: it took too long.` });
  });
});
