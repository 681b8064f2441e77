// Issuing to a wallet over real HTTP: the test wallet (the OpenWallet Foundation client) collects
// from the app's public server on 127.0.0.1, with a real encrypted store and real signatures; and
// every bad input the issue names gets the standard's error and changes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { setGlobalConfig } from '@openid4vc/utils';
import { ADMIN, Clock, call, countRows, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { identityCheck, invite, person } from '../support/staff.ts';
import { TestWallet } from '../wallet/wallet.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import type { OfferView } from '../../main/wallet/contract.ts';
import { OffersRepository } from '../../main/wallet/offer-store.ts';

let clock: Clock;
let dir: string;
let app: StaffPassportApp;
let base: string;
let events: Array<{ name: string; payload: unknown }>;

beforeEach(async () => {
  clock = new Clock();
  dir = tempDir('dsp-wallet-issue-');
  app = await startApp(dir, { now: clock.now });
  const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  base = `http://localhost:${bound.port}`;
  await setUpTrust(app);
  await signInAdmin(app);
  events = [];
  app.onEvent((name, payload) => events.push({ name, payload }));
});

afterEach(async () => {
  await app.close();
  removeDir(dir);
});

async function identityConfirmed(n = 1): Promise<string> {
  const p = person(n);
  const passportId = await invite(app, p);
  await call(app, 'staff.confirmIdentity', { passportId, version: 1, identity: identityCheck(p) });
  return passportId;
}

const wallet = (alg: 'ES256' | 'EdDSA' = 'ES256') => TestWallet.create(undefined, alg, { now: clock.now });

/** The offer's credential offer object, fetched as a wallet would (this is the one "scan"). */
async function offerObject(offer: OfferView): Promise<{ credential_issuer: string; grants: Record<string, { 'pre-authorized_code': string }> }> {
  const reference = decodeURIComponent(offer.offerUri!.split('credential_offer_uri=')[1]!);
  const response = await fetch(reference);
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

async function codeOf(offer: OfferView): Promise<string> {
  return (await offerObject(offer)).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
}

async function token(code: string, txCode?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, ...(txCode ? { tx_code: txCode } : {}) });
  const response = await fetch(`${base}/oid4vci/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function nonce(): Promise<string> {
  const response = await fetch(`${base}/oid4vci/nonce`, { method: 'POST' });
  return ((await response.json()) as { c_nonce: string }).c_nonce;
}

async function holderKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
  return { privateKey, did };
}

async function proof(key: Awaited<ReturnType<typeof holderKey>>, claims: { nonce: string; aud?: string; typ?: string; iat?: number }): Promise<string> {
  return new SignJWT({ nonce: claims.nonce })
    .setProtectedHeader({ alg: 'ES256', typ: claims.typ ?? 'openid4vci-proof+jwt', kid: `${key.did}#0` })
    .setAudience(claims.aud ?? base)
    .setIssuedAt(claims.iat ?? Math.floor(clock.now().getTime() / 1000))
    .sign(key.privateKey);
}

async function credentialRequest(accessToken: string, body: unknown, raw?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/oid4vci/credential`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('collecting the identity credential and access key', () => {
  it('issues both to the wallet that collects, bound to its key, and the offer moves through its states by events', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    expect(offer).toMatchObject({ state: 'waiting', credentials: [{ typeId: 'identity', state: 'offered' }, { typeId: 'access-key', state: 'offered' }] });
    expect(offer.txCode).toMatch(/^\d{6}$/);
    expect(offer.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(offer.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);

    const holder = await wallet();
    const collected = await holder.collect(offer.offerUri!, { txCode: offer.txCode! });
    expect(collected.map((credential) => credential.types.at(-1)).sort()).toEqual(['NHSAccessKeyCredential', 'NHSIdentityCredential']);
    for (const credential of collected) expect(decodeJwt(credential.jwt).sub).toBe(holder.did);

    const after = await call(app, 'wallet.offer', { offerId: offer.id });
    expect(after.state).toBe('accepted');
    expect(after.credentials.map((credential) => credential.state)).toEqual(['accepted', 'accepted']);
    expect(after.credentials.map((credential) => [credential.issuedAt, credential.status])).toEqual([[clock.now().toISOString().replace('.000Z', 'Z'), 'issued'], [clock.now().toISOString().replace('.000Z', 'Z'), 'issued']]);
    expect(after.offerUri).toBeNull();
    expect(after.txCode).toBeNull();
    const states = events.filter((event) => event.name === 'wallet.offerChanged').map((event) => (event.payload as { state: string }).state);
    expect(states).toEqual(['waiting', 'scanned', 'scanned', 'collected', 'accepted']);

    // The history, oldest first: each credential is collected before the wallet says it accepted it.
    const passport = await call(app, 'staff.get', { passportId });
    const walletEvents = passport.history.filter((event) => ['offer-made', 'credential-collected', 'credential-accepted'].includes(event.kind)).reverse();
    expect(walletEvents.map((event) => event.summary)).toEqual([
      expect.stringMatching(/^Credentials offered: /),
      expect.stringMatching(/^Collected into the staff member\u2019s wallet: Identity/),
      expect.stringMatching(/accepted: Identity/),
      expect.stringMatching(/^Collected into the staff member\u2019s wallet: Access key/),
      expect.stringMatching(/accepted: Access key/),
    ]);
    expect(await countRows(app, 'credentials_due')).toBe(0);
    // The credentials verify with the app's own verifier.
    for (const credential of collected) expect((await app.credentials.verifier.verify(credential.jwt)).outcome).toBe('pass');
    // Revoked since: the offer's view says so, for the person page.
    const identityJwt = collected.find((credential) => credential.types.includes('NHSIdentityCredential'))!.jwt;
    await app.credentials.revoke(String(decodeJwt(identityJwt).jti), 'Issued in error');
    expect((await call(app, 'wallet.offer', { offerId: offer.id })).credentials.map((credential) => credential.status)).toEqual(['revoked', 'issued']);
  });

  it('refuses a second redemption of the same pre-authorised code, whoever tries', async () => {
    const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
    const code = await codeOf(offer);
    expect((await token(code, offer.txCode!)).status).toBe(200);
    const second = await token(code, offer.txCode!);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The offer link itself is spent too: another wallet scanning it gets nothing.
    await expect((await wallet()).collect(offer.offerUri!, { txCode: offer.txCode! })).rejects.toThrow(/already been used|no longer available/);
  });

  it('allows five wrong transaction codes, audits each, then fails the offer; the right code is refused after that and nothing is issued', async () => {
    const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
    const code = await codeOf(offer);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = await token(code, wrong);
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    expect(await call(app, 'wallet.offer', { offerId: offer.id })).toMatchObject({ state: 'failed', stateReason: expect.stringMatching(/wrong code was typed in 5 times/) });
    const sixth = await token(code, offer.txCode!);
    expect(sixth).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await countRows(app, 'issued_credentials')).toBe(0);
    const audit = await call(app, 'audit.list', { limit: 100 } as never);
    expect((audit as { entries: Array<{ operation: string; outcome: string }> }).entries.filter((entry) => entry.operation === 'wallet.transactionCode' && entry.outcome === 'refused')).toHaveLength(5);
  });

  describe('proofs', () => {
    async function redeemed(): Promise<{ accessToken: string; offer: OfferView }> {
      const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
      const answer = await token(await codeOf(offer), offer.txCode!);
      return { accessToken: answer.body.access_token as string, offer };
    }

    it('refuses a wrong nonce, a wrong audience, a wrong type and a stale proof, issuing nothing; a good proof then works', async () => {
      const { accessToken, offer } = await redeemed();
      const key = await holderKey();
      const request = async (jwt: string) => credentialRequest(accessToken, { credential_configuration_id: 'NHSIdentityCredential', proof: { proof_type: 'jwt', jwt } });
      expect(await request(await proof(key, { nonce: 'made-up-nonce' }))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
      expect(await request(await proof(key, { nonce: await nonce(), aud: 'https://another-issuer.example' }))).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
      expect(await request(await proof(key, { nonce: await nonce(), typ: 'JWT' }))).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
      expect(await request(await proof(key, { nonce: await nonce(), iat: Math.floor(clock.now().getTime() / 1000) - 3600 }))).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
      // A nonce is used once: the same good proof twice is refused the second time.
      const good = await proof(key, { nonce: await nonce() });
      expect(await countRows(app, 'issued_credentials')).toBe(0);
      expect((await call(app, 'wallet.offer', { offerId: offer.id })).state).toBe('scanned');
      const issued = await request(good);
      expect(issued.status).toBe(200);
      expect(decodeJwt((issued.body.credentials as Array<{ credential: string }>)[0]!.credential).sub).toBe(key.did);
      expect(await request(good)).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
      expect(await countRows(app, 'issued_credentials')).toBe(1);
    });

    it('answers a missing or unknown access token with 401 invalid_token', async () => {
      await redeemed();
      const response = await fetch(`${base}/oid4vci/credential`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
      expect(await credentialRequest('x'.repeat(43), {})).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    });
  });

  it('keeps to the wallet that first collected until HR records a new wallet, which is audited', async () => {
    const passportId = await identityConfirmed();
    const first = await call(app, 'wallet.offerIdentity', { passportId });
    const phone = await wallet();
    await phone.collect(first.offerUri!, { txCode: first.txCode! });

    const second = await call(app, 'wallet.offerIdentity', { passportId });
    const newPhone = await wallet('EdDSA');
    await expect(newPhone.collect(second.offerUri!, { txCode: second.txCode! })).rejects.toMatchObject({ code: 'invalid_proof' });
    expect(await countRows(app, 'issued_credentials')).toBe(2);

    await call(app, 'wallet.recordNewWallet', { passportId, reason: 'Lost phone' });
    const third = await call(app, 'wallet.offerIdentity', { passportId });
    const collected = await newPhone.collect(third.offerUri!, { txCode: third.txCode! });
    expect(collected.every((credential) => decodeJwt(credential.jwt).sub === newPhone.did)).toBe(true);
    const audit = (await call(app, 'audit.list', { limit: 100 } as never)) as { entries: Array<{ operation: string; recordIds: string[] }> };
    expect(audit.entries.find((entry) => entry.operation === 'wallet.recordNewWallet')?.recordIds).toContain(passportId);
    expect((await call(app, 'staff.get', { passportId })).history.some((event) => event.kind === 'new-wallet')).toBe(true);
  });

  it('keeps an offer to the wallet that started collecting it; when HR records a new wallet, the old one cannot finish it and the new one collects a new offer', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    const accessToken = String((await token(await codeOf(offer), offer.txCode!)).body.access_token);
    const lostPhone = await holderKey();
    const ask = async (key: Awaited<ReturnType<typeof holderKey>>, configurationId: string) => credentialRequest(accessToken, { credential_configuration_id: configurationId, proof: { proof_type: 'jwt', jwt: await proof(key, { nonce: await nonce() }) } });
    expect((await ask(lostPhone, 'NHSIdentityCredential')).status).toBe(200);
    // Another key with the same access token gets nothing.
    expect(await ask(await holderKey(), 'NHSAccessKeyCredential')).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });

    // The phone is lost: HR records a new wallet, which ends the offer the old phone had started.
    await call(app, 'wallet.recordNewWallet', { passportId, reason: 'Lost phone' });
    expect(await call(app, 'wallet.offer', { offerId: offer.id })).toMatchObject({ state: 'cancelled', stateReason: expect.stringMatching(/new wallet/) });
    expect(events.filter((event) => event.name === 'wallet.offerChanged').at(-1)?.payload).toMatchObject({ offerId: offer.id, state: 'cancelled' });
    expect((await ask(lostPhone, 'NHSAccessKeyCredential')).status).toBe(401);
    expect(await countRows(app, 'issued_credentials')).toBe(1);
    expect(await countRows(app, 'wallet_holders')).toBe(0);

    // The new phone collects a new offer, and becomes the passport's wallet.
    const newPhone = await wallet();
    const renewed = await call(app, 'wallet.offerIdentity', { passportId });
    const collected = await newPhone.collect(renewed.offerUri!, { txCode: renewed.txCode! });
    expect(collected.every((credential) => decodeJwt(credential.jwt).sub === newPhone.did)).toBe(true);
  });

  it('refuses a credential request when HR cancels the offer after its access token was checked', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    const accessToken = String((await token(await codeOf(offer), offer.txCode!)).body.access_token);
    const body = { credential_configuration_id: 'NHSIdentityCredential', proof: { proof_type: 'jwt', jwt: await proof(await holderKey(), { nonce: await nonce() }) } };
    // HR cancels between the token check and the issuing transaction (a race, made to happen here).
    const lookUp = OffersRepository.prototype.byTokenHash;
    const spy = vi.spyOn(OffersRepository.prototype, 'byTokenHash').mockImplementation(async function (this: OffersRepository, hash: string) {
      const found = await lookUp.call(this, hash);
      await call(app, 'wallet.cancelOffer', { offerId: offer.id });
      return found;
    });
    try {
      expect(await credentialRequest(accessToken, body)).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    } finally {
      spy.mockRestore();
    }
    expect(await countRows(app, 'issued_credentials')).toBe(0);
    expect(await call(app, 'wallet.offer', { offerId: offer.id })).toMatchObject({ state: 'cancelled' });
  });

  it('expires an offer after the configured minutes; a renewed offer carries the same credentials and can be collected', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    clock.advanceMinutes(11);
    const expired = await call(app, 'wallet.offer', { offerId: offer.id });
    expect(expired).toMatchObject({ state: 'expired', stateReason: 'The offer was not collected within 10 minutes.', offerUri: null, qrCode: null });
    const reference = decodeURIComponent(offer.offerUri!.split('credential_offer_uri=')[1]!);
    expect((await fetch(reference)).status).toBe(404);
    // The passport's history says so, once, however often the offer is read.
    await call(app, 'wallet.offer', { offerId: offer.id });
    const expiries = (await call(app, 'staff.get', { passportId })).history.filter((event) => event.kind === 'offer-expired');
    expect(expiries.map((event) => event.summary)).toEqual(['Credential offer expired: it was not collected within 10 minutes']);

    const renewed = await call(app, 'wallet.renewOffer', { offerId: offer.id });
    expect(renewed).toMatchObject({ state: 'waiting', credentials: [{ typeId: 'identity' }, { typeId: 'access-key' }] });
    expect(renewed.id).not.toBe(offer.id);
    await (await wallet()).collect(renewed.offerUri!, { txCode: renewed.txCode! });
    expect((await call(app, 'wallet.offer', { offerId: renewed.id })).state).toBe('accepted');
  });

  it('fails an offer whose wallet redeemed the code but never collected before its access token ran out, and says so in the history', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    expect((await token(await codeOf(offer), offer.txCode!)).status).toBe(200);
    clock.advanceMinutes(11);
    expect(await call(app, 'wallet.offer', { offerId: offer.id })).toMatchObject({ state: 'failed', stateReason: 'The wallet started collecting but did not finish in time. Make a new offer.' });
    const history = (await call(app, 'staff.get', { passportId })).history;
    expect(history.filter((event) => event.kind === 'offer-failed').map((event) => event.summary)).toEqual(['Credential offer failed: the wallet started collecting but did not finish in time']);
  });

  it('a cancelled offer cannot be redeemed; a collected one cannot be cancelled', async () => {
    const passportId = await identityConfirmed();
    const offer = await call(app, 'wallet.offerIdentity', { passportId });
    expect((await call(app, 'wallet.cancelOffer', { offerId: offer.id })).state).toBe('cancelled');
    await expect((await wallet()).collect(offer.offerUri!, { txCode: offer.txCode! })).rejects.toThrow();
    const again = await call(app, 'wallet.renewOffer', { offerId: offer.id });
    await (await wallet()).collect(again.offerUri!, { txCode: again.txCode! });
    expect((await refused(app, 'wallet.cancelOffer', { offerId: again.id })).code).toBe('conflict');
  });

  it('records what the wallet says: a credential deleted fails the offer with the reason', async () => {
    const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
    await (await wallet()).collect(offer.offerUri!, { txCode: offer.txCode!, notify: 'deleted' });
    const after = await call(app, 'wallet.offer', { offerId: offer.id });
    expect(after.state).toBe('failed');
    expect(after.stateReason).toMatch(/deleted .* from their wallet/);
    expect(after.credentials[0]!.state).toBe('deleted');
  });

  it('an HR user may make offers; an identity offer needs an identity check first', async () => {
    const p = person(7);
    const passportId = await invite(app, p);
    expect((await refused(app, 'wallet.offerIdentity', { passportId })).code).toBe('conflict');
    void ADMIN;
  });
});

describe('bad input at every endpoint', () => {
  it('answers malformed bodies with the standard error, an oversized body with 413, and changes nothing', async () => {
    const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
    const answer = await token(await codeOf(offer), offer.txCode!);
    const accessToken = answer.body.access_token as string;
    const post = (path: string, body: string, type = 'application/json', auth = true) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type, ...(auth ? { authorization: `Bearer ${accessToken}` } : {}) }, body });

    const tokenJson = await post('/oid4vci/token', '{"grant_type":', 'application/json', false);
    expect(tokenJson.status).toBe(400);
    expect(await tokenJson.json()).toMatchObject({ error: 'invalid_request' });
    const tokenForm = await post('/oid4vci/token', 'grant_type=password&username=x', 'application/x-www-form-urlencoded', false);
    expect(tokenForm.status).toBe(400);
    expect(((await tokenForm.json()) as { error: string }).error).toMatch(/invalid_request|unsupported_grant_type/);

    const credential = await post('/oid4vci/credential', '{"credential_configuration_id": ');
    expect(credential.status).toBe(400);
    expect(await credential.json()).toMatchObject({ error: 'invalid_credential_request' });
    const noProof = await post('/oid4vci/credential', JSON.stringify({ credential_configuration_id: 'NHSIdentityCredential' }));
    expect(noProof.status).toBe(400);

    const notification = await post('/oid4vci/notification', 'not json');
    expect(notification.status).toBe(400);
    expect(await notification.json()).toMatchObject({ error: 'invalid_notification_request' });
    const unknownNotification = await post('/oid4vci/notification', JSON.stringify({ notification_id: 'nope', event: 'credential_accepted' }));
    expect(await unknownNotification.json()).toMatchObject({ error: 'invalid_notification_id' });

    const huge = await post('/oid4vci/credential', JSON.stringify({ padding: 'x'.repeat(200 * 1024) }));
    expect(huge.status).toBe(413);
    const hugeToken = await post('/oid4vci/token', `grant_type=${'x'.repeat(20 * 1024)}`, 'application/x-www-form-urlencoded', false);
    expect(hugeToken.status).toBe(413);

    expect(await countRows(app, 'issued_credentials')).toBe(0);
    expect((await call(app, 'wallet.offer', { offerId: offer.id })).state).toBe('scanned');
  });

  it('publishes issuer and authorisation-server metadata built from the catalogue, in en-GB', async () => {
    const issuer = (await (await fetch(`${base}/.well-known/openid-credential-issuer`)).json()) as Record<string, unknown>;
    expect(issuer).toMatchObject({ credential_issuer: base, credential_endpoint: `${base}/oid4vci/credential`, nonce_endpoint: `${base}/oid4vci/nonce`, notification_endpoint: `${base}/oid4vci/notification` });
    const configurations = issuer.credential_configurations_supported as Record<string, { format: string; credential_metadata: { display: Array<{ name: string; locale: string }> } }>;
    expect(configurations.NHSCoreSkillCredential).toMatchObject({ format: 'jwt_vc_json', credential_metadata: { display: [{ name: 'Core skill', locale: 'en-GB' }] } });
    expect(Object.keys(configurations)).toHaveLength(13);
    const server = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(server).toMatchObject({ issuer: base, token_endpoint: `${base}/oid4vci/token` });
  });

  it('serves http wallets on an http public base URL even after something in the process turned the libraries\u2019 http switch off', async () => {
    const offer = await call(app, 'wallet.offerIdentity', { passportId: await identityConfirmed() });
    await fetch(`${base}/.well-known/openid-credential-issuer`);
    setGlobalConfig({ allowInsecureUrls: false });
    const code = await codeOf(offer);
    expect((await token(code, offer.txCode!)).status).toBe(200);
  });

  it('rate-limits the token endpoint per client address', async () => {
    let limited = 0;
    for (let n = 0; n < 65; n++) if ((await token('not-a-code')).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
