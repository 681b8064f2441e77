// The sandbox's token endpoint and authorisation: private-key-JWT client assertions (RFC 7523) with
// every accepted algorithm, every way an assertion or a token can be wrong, tokens that expire, and
// clients registered (and re-registered) with their JWKS and permissions, in code and over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';
import { CLIENT_ASSERTION_TYPE, TEST_CLIENT_ID, createClientAssertion, requestAccessToken, testClientPrivateJwk } from '../sandbox/oauth.ts';
import { SANDBOX_SYSTEMS } from '../sandbox/model.ts';
import { read, startTestSandbox, type TestSandbox } from '../sandbox/fixtures/harness.ts';

let t: TestSandbox;
let clock = new Date('2025-06-01T09:00:00Z');

beforeAll(async () => {
  t = await startTestSandbox({ generated: false, now: () => clock, tokenLifetimeSeconds: 120 });
});
afterAll(async () => {
  await t.close();
});

async function keyPair(alg: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('RS') || alg.startsWith('PS') ? { modulusLength: 2048 } : {}) });
  const kid = randomUUID();
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

async function tokenRequest(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  return read(await fetch(t.sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': contentType }, body: new URLSearchParams(form).toString() }));
}

const assertionForm = (assertion: string) => ({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion });

/** A hand-built assertion, to get each claim wrong on purpose. */
async function assertion(privateJwk: JWK, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { importJWK } = await import('jose');
  const alg = (header.alg as string | undefined) ?? privateJwk.alg ?? 'ES256';
  return new SignJWT(claims).setProtectedHeader({ alg, kid: privateJwk.kid, ...header }).sign(await importJWK(privateJwk, alg));
}

const nowSeconds = () => Math.floor(clock.getTime() / 1000);
const goodClaims = (overrides: Record<string, unknown> = {}) => ({ iss: TEST_CLIENT_ID, sub: TEST_CLIENT_ID, aud: t.sandbox.tokenUrl, jti: randomUUID(), iat: nowSeconds(), exp: nowSeconds() + 60, ...overrides });

describe('the token endpoint', () => {
  it('issues an opaque bearer token that expires, for an assertion from the documented test client', async () => {
    const answer = await tokenRequest(assertionForm(await createClientAssertion({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk(), now: clock })));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = answer.json as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(120);
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.access_token.split('.').length).toBe(1);
  });

  it('accepts ES256, ES384, EdDSA, RS256, RS512 and PS256 assertions from registered keys', async () => {
    for (const alg of ['ES256', 'ES384', 'EdDSA', 'RS256', 'RS512', 'PS256']) {
      const { privateJwk, publicJwk } = await keyPair(alg);
      const clientId = `client-${alg}`;
      t.sandbox.registerClient({ clientId, jwks: { keys: [publicJwk] }, permissions: [{ system: 'learning', organisation: 'RHQ', operations: ['get-employee-records'] }] });
      const token = await requestAccessToken({ clientId, tokenUrl: t.sandbox.tokenUrl, privateJwk, now: clock });
      const records = await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}/records`, { token: token.access_token });
      expect(records.status, alg).toBe(200);
    }
  });

  it('refuses assertions that are wrong in any way (401 invalid_client)', async () => {
    const testKey = testClientPrivateJwk();
    const stranger = await keyPair('ES256');
    const secret = await generateSecret('HS256', { extractable: true });
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      ['aud is another URL', () => assertion(testKey, goodClaims({ aud: 'https://elsewhere.example/oauth2/token' })), /aud/],
      ['sub is not the client', () => assertion(testKey, goodClaims({ sub: 'someone-else' })), /sub/],
      ['iss is unknown', () => assertion(testKey, goodClaims({ iss: 'nobody', sub: 'nobody' })), /No client is registered/],
      ['expired', () => assertion(testKey, goodClaims({ exp: nowSeconds() - 5 })), /expired/],
      ['exp more than 5 minutes ahead', () => assertion(testKey, goodClaims({ exp: nowSeconds() + 301 })), /5 minutes/],
      ['no exp', () => assertion(testKey, goodClaims({ exp: undefined })), /exp/],
      ['no jti', () => assertion(testKey, goodClaims({ jti: undefined })), /jti/],
      ['signed by a key the client never registered', () => assertion({ ...stranger.privateJwk, kid: testKey.kid }, goodClaims()), /signature/],
      ['an unregistered kid', () => assertion(stranger.privateJwk, goodClaims()), /matches/],
      ['HS256 with a shared secret', async () => new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256' }).sign(secret), /alg/],
      ['alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}.`, /alg/],
      ['not a JWT', async () => 'not.a.jwt', /not a signed JWT/],
      ['a tampered payload', async () => {
        const [header, , signature] = (await assertion(testKey, goodClaims())).split('.');
        return `${header}.${Buffer.from(JSON.stringify(goodClaims({ exp: nowSeconds() + 200 }))).toString('base64url')}.${signature}`;
      }, /signature/],
    ];
    for (const [name, make, text] of cases) {
      const answer = await tokenRequest(assertionForm(await make()));
      expect(answer.status, name).toBe(401);
      expect((answer.json as { error: string }).error, name).toBe('invalid_client');
      expect((answer.json as { error_description: string }).error_description, name).toMatch(text);
    }
  });

  it('refuses a jti used before, while the first assertion lives', async () => {
    const jti = randomUUID();
    const first = await tokenRequest(assertionForm(await assertion(testClientPrivateJwk(), goodClaims({ jti }))));
    expect(first.status).toBe(200);
    const replay = await tokenRequest(assertionForm(await assertion(testClientPrivateJwk(), goodClaims({ jti }))));
    expect(replay.status).toBe(401);
    expect((replay.json as { error_description: string }).error_description).toMatch(/jti has been used/);
  });

  it('answers malformed requests per RFC 6749 §5.2', async () => {
    const good = await createClientAssertion({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk(), now: clock });
    const cases: Array<[string, () => Promise<Awaited<ReturnType<typeof tokenRequest>>>, number, string]> = [
      ['no grant_type', () => tokenRequest({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: good }), 400, 'invalid_request'],
      ['password grant', () => tokenRequest({ ...assertionForm(good), grant_type: 'password' }), 400, 'unsupported_grant_type'],
      ['no client authentication', () => tokenRequest({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      ['another assertion type', () => tokenRequest({ ...assertionForm(good), client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }), 401, 'invalid_client'],
      ['client_id not the iss', () => tokenRequest({ ...assertionForm(good), client_id: 'someone-else' }), 401, 'invalid_client'],
      ['JSON instead of a form', () => tokenRequest(assertionForm(good), 'application/json'), 400, 'invalid_request'],
      ['a repeated parameter', async () => read(await fetch(t.sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${new URLSearchParams(assertionForm(good))}&grant_type=client_credentials` })), 400, 'invalid_request'],
    ];
    for (const [name, send, status, error] of cases) {
      const answer = await send();
      expect(answer.status, name).toBe(status);
      expect((answer.json as { error: string }).error, name).toBe(error);
    }
    const get = await read(await fetch(t.sandbox.tokenUrl));
    expect(get.status).toBe(405);
  });
});

describe('access tokens on the API', () => {
  it('answers 401 invalid-credentials for a missing, malformed, forged or expired token', async () => {
    const path = `/organisations/RHQ/employees/${t.ids.zelda.esr}`;
    const token = await requestAccessToken({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk(), now: clock });
    expect((await t.api('esr', path, { token: token.access_token })).status).toBe(200);
    for (const [name, init] of [
      ['missing', { token: null }],
      ['malformed', { token: null, headers: { authorization: `Token ${token.access_token}` } }],
      ['forged', { token: `${token.access_token.slice(0, -2)}AA` }],
      ['a client assertion instead of a token', { token: await createClientAssertion({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk(), now: clock }) }],
    ] as const) {
      const answer = await t.api('esr', path, init);
      expect(answer.status, name).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((answer.json as { issue: Array<{ code: string }> }).issue[0]!.code).toBe('invalid-credentials');
    }
    clock = new Date(clock.getTime() + 119_000);
    expect((await t.api('esr', path, { token: token.access_token })).status).toBe(200);
    clock = new Date(clock.getTime() + 1_000);
    const expired = await t.api('esr', path, { token: token.access_token });
    expect(expired.status).toBe(401);
    expect((expired.json as { issue: Array<{ details: { text: string } }> }).issue[0]!.details.text).toMatch(/expired/);
  });

  it('one token works in all four systems; permissions decide (403 forbidden elsewhere); _status needs none', async () => {
    const token = await requestAccessToken({ clientId: TEST_CLIENT_ID, tokenUrl: t.sandbox.tokenUrl, privateJwk: testClientPrivateJwk(), now: clock });
    for (const system of SANDBOX_SYSTEMS) {
      expect((await t.api(system, `/organisations/RHQ/employees/${t.ids.zelda[system]}/records`, { token: token.access_token })).status, system).toBe(200);
      expect((await t.api(system, `/organisations/RCB/employees/${t.ids.ronan[system]}/records`, { token: token.access_token })).status, system).toBe(403);
      expect((await t.api(system, '/organisations/RCB/_status', { token: null })).status).toBe(200);
    }
  });

  it('re-registering a client replaces its keys and permissions; tokens already issued follow the new permissions', async () => {
    const first = await keyPair('ES256');
    const second = await keyPair('ES256');
    t.sandbox.registerClient({ clientId: 'staff-passport-app', jwks: { keys: [first.publicJwk] }, permissions: [{ system: 'occupational-health', organisation: 'RCB', operations: ['get-employee-records'] }] });
    const token = await requestAccessToken({ clientId: 'staff-passport-app', tokenUrl: t.sandbox.tokenUrl, privateJwk: first.privateJwk, now: clock });
    expect((await t.api('occupational-health', `/organisations/RCB/employees/${t.ids.ronan['occupational-health']}/records`, { token: token.access_token })).status).toBe(200);
    expect((await t.api('occupational-health', `/organisations/RHQ/employees/${t.ids.zelda['occupational-health']}/records`, { token: token.access_token })).status).toBe(403);
    expect((await t.api('occupational-health', `/organisations/RCB/employees/${t.ids.ronan['occupational-health']}`, { token: token.access_token })).status).toBe(403);

    // An administrator pastes the app's new JWKS over HTTP.
    const replaced = await read(await fetch(`${t.sandbox.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'staff-passport-app', jwks: { keys: [second.publicJwk] }, permissions: [{ system: 'occupational-health', organisation: 'rhq', operations: ['get-employee-records'] }] }) }));
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ clientId: 'staff-passport-app', replaced: true, permissions: [{ system: 'occupational-health', organisation: 'RHQ', operations: ['get-employee-records'] }] });
    expect((await t.api('occupational-health', `/organisations/RCB/employees/${t.ids.ronan['occupational-health']}/records`, { token: token.access_token })).status).toBe(403);
    expect((await t.api('occupational-health', `/organisations/RHQ/employees/${t.ids.zelda['occupational-health']}/records`, { token: token.access_token })).status).toBe(200);
    await expect(requestAccessToken({ clientId: 'staff-passport-app', tokenUrl: t.sandbox.tokenUrl, privateJwk: first.privateJwk, now: clock })).rejects.toThrow(/401.*invalid_client/);
    await expect(requestAccessToken({ clientId: 'staff-passport-app', tokenUrl: t.sandbox.tokenUrl, privateJwk: second.privateJwk, now: clock })).resolves.toMatchObject({ token_type: 'Bearer' });

    const created = await read(await fetch(`${t.sandbox.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'another-app', jwks: { keys: [second.publicJwk] }, permissions: [] }) }));
    expect(created.status).toBe(201);
    const listed = await read(await fetch(`${t.sandbox.url}/_sandbox/clients`));
    expect((listed.json as Array<{ clientId: string }>).map((client) => client.clientId)).toEqual(expect.arrayContaining([TEST_CLIENT_ID, 'staff-passport-app', 'another-app']));
  });

  it('refuses a registration with a private key, an unknown system or operation, or no keys (400)', async () => {
    const pair = await keyPair('ES256');
    const bodies = [
      { clientId: 'x', jwks: { keys: [pair.privateJwk] }, permissions: [] },
      { clientId: 'x', jwks: { keys: [pair.publicJwk] }, permissions: [{ system: 'payroll', organisation: 'RHQ', operations: [] }] },
      { clientId: 'x', jwks: { keys: [pair.publicJwk] }, permissions: [{ system: 'esr', organisation: 'RHQ', operations: ['delete-everything'] }] },
      { clientId: 'x', jwks: { keys: [] }, permissions: [] },
      { clientId: '', jwks: { keys: [pair.publicJwk] }, permissions: [] },
      { clientId: 'x', jwks: { keys: [{ ...pair.publicJwk, alg: 'HS256' }] }, permissions: [] },
    ];
    for (const body of bodies) {
      const answer = await read(await fetch(`${t.sandbox.url}/_sandbox/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(400);
    }
    expect(() => t.sandbox.registerClient({ clientId: 'x', jwks: { keys: [pair.privateJwk] }, permissions: [] })).toThrow(/private/);
  });
});
