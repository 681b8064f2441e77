// The test wallet: its key and DID, its file, the presentations it signs, what it picks for a DCQL
// query, its links and command line, and collect / present end to end against the sample issuer
// and verifier (sample-servers.ts) over real HTTP on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { getGlobalConfig } from '@openid4vc/utils';
import { TestWallet, WalletError, parseOfferLink, parseRequestLink, publicJwkOfDid, readCredential } from './wallet.ts';
import { dcqlQuerySchema, selectForQuery, type Candidate } from './dcql.ts';
import { didWebDocumentUrl } from './did-web.ts';
import { startSampleIssuer, startSampleVerifier, type SampleIssuer, type SampleVerifier } from './sample-servers.ts';

const CLI = join(import.meta.dirname, 'cli.ts');
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dsp-wallet-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A jwt_vc_json credential for `holderDid`, signed by a throwaway issuer key. */
async function credentialFor(holderDid: string, vcType: string, options: { issuedAt?: number; jti?: string } = {}): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', vcType], credentialSubject: { competencyName: 'Fire Safety' } } })
    .setProtectedHeader({ alg: 'ES256', kid: 'did:web:issuer.example#key-1' })
    .setIssuer('did:web:issuer.example')
    .setSubject(holderDid)
    .setJti(options.jti ?? `urn:uuid:${crypto.randomUUID()}`)
    .setNotBefore(issuedAt)
    .setIssuedAt(issuedAt)
    .sign(privateKey);
}

async function rejection(promise: Promise<unknown>): Promise<WalletError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WalletError);
  return error as WalletError;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('holder key (did:jwk)', () => {
  it.each(['ES256', 'EdDSA'] as const)('%s: the DID holds the public key only, and it verifies what the wallet signs', async (alg) => {
    const wallet = await TestWallet.create(undefined, alg);
    expect(wallet.did).toMatch(/^did:jwk:[A-Za-z0-9_-]+$/);
    expect(wallet.kid).toBe(`${wallet.did}#0`);
    const jwk = publicJwkOfDid(wallet.did);
    expect(jwk).not.toHaveProperty('d');
    expect(jwk).toMatchObject(alg === 'ES256' ? { kty: 'EC', crv: 'P-256' } : { kty: 'OKP', crv: 'Ed25519' });
    expect(wallet.publicJwk).toEqual(jwk);

    const vp = await wallet.signPresentation([], { nonce: 'n-1', audience: 'aud' });
    await expect(jwtVerify(vp, await importJWK(jwk, alg))).resolves.toBeTruthy();
  });

  it('two wallets have two keys', async () => {
    const [a, b] = await Promise.all([TestWallet.create(), TestWallet.create()]);
    expect(a.did).not.toBe(b.did);
  });
});

describe('wallet file', () => {
  it('keeps the key and credentials, and reopens with the same DID and credentials', async () => {
    const file = join(await tempDir(), 'wallet.json');
    const wallet = await TestWallet.create(file, 'EdDSA');
    const jwt = await credentialFor(wallet.did, 'NHSCoreSkillCredential', { jti: 'urn:uuid:core-1' });
    const kept = await wallet.add(jwt, 'core-skill');
    expect(kept).toMatchObject({ id: 'urn:uuid:core-1', types: ['VerifiableCredential', 'NHSCoreSkillCredential'], issuer: 'did:web:issuer.example', jwt, configurationId: 'core-skill' });

    const reopened = await TestWallet.open(file);
    expect(reopened.did).toBe(wallet.did);
    expect(reopened.alg).toBe('EdDSA');
    expect(reopened.list()).toEqual(wallet.list());
    // The reopened key is the same key: what it signs verifies against the DID.
    const vp = await reopened.signPresentation([jwt], { nonce: 'n', audience: 'a' });
    await expect(jwtVerify(vp, await importJWK(publicJwkOfDid(wallet.did), 'EdDSA'))).resolves.toBeTruthy();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps credentials as received, and an exact copy only once', async () => {
    const wallet = await TestWallet.create();
    const jwt = await credentialFor(wallet.did, 'NHSCoreSkillCredential');
    await wallet.add(jwt);
    await wallet.add(jwt);
    expect(wallet.list().map((credential) => credential.jwt)).toEqual([jwt]);
  });

  it('refuses a credential for another DID, or one that is not a jwt_vc_json credential', async () => {
    const wallet = await TestWallet.create();
    const other = await TestWallet.create();
    expect((await rejection(wallet.add(await credentialFor(other.did, 'NHSCoreSkillCredential')))).code).toBe('credential_not_bound');
    expect((await rejection(wallet.add('not-a-jwt'))).code).toBe('credential_unreadable');
    expect(wallet.list()).toEqual([]);
  });

  it('writes atomically: a new file renamed over the old, with no temp file left', async () => {
    const dir = await tempDir();
    const file = join(dir, 'wallet.json');
    const wallet = await TestWallet.create(file);
    const before = (await stat(file)).ino;
    await wallet.add(await credentialFor(wallet.did, 'NHSCoreSkillCredential'));
    expect((await stat(file)).ino).not.toBe(before);
    expect(await readdir(dir)).toEqual(['wallet.json']);
    JSON.parse(await readFile(file, 'utf8'));
  });

  it('when a save fails, says so, keeps nothing it could not save and leaves no temp file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'wallet.json');
    const wallet = await TestWallet.create(file);
    // The wallet's path becomes a folder with something in it: the rename over it fails.
    await rm(file);
    await mkdir(join(file, 'inside'), { recursive: true });
    const error = await rejection(wallet.add(await credentialFor(wallet.did, 'NHSCoreSkillCredential')));
    expect(error.code).toBe('wallet_file_unwritable');
    expect(error.description).toContain(file);
    expect(wallet.list()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['wallet.json']);
  });

  it('never makes a wallet over an existing file, and refuses a file that is not a wallet', async () => {
    const dir = await tempDir();
    const file = join(dir, 'wallet.json');
    await TestWallet.create(file);
    expect((await rejection(TestWallet.create(file))).code).toBe('wallet_exists');

    expect((await rejection(TestWallet.open(join(dir, 'missing.json')))).code).toBe('wallet_not_found');
    await writeFile(join(dir, 'junk.json'), '{"version":1');
    expect((await rejection(TestWallet.open(join(dir, 'junk.json')))).code).toBe('wallet_file_invalid');

    // A key that does not belong to the DID is a damaged wallet, not a working one.
    const other = join(dir, 'other.json');
    await TestWallet.create(other);
    const mixed = { ...JSON.parse(await readFile(file, 'utf8')), privateJwk: JSON.parse(await readFile(other, 'utf8')).privateJwk };
    await writeFile(join(dir, 'mixed.json'), JSON.stringify(mixed));
    const error = await rejection(TestWallet.open(join(dir, 'mixed.json')));
    expect(error.code).toBe('wallet_file_invalid');
    expect(error.description).toMatch(/does not belong to its DID/);
  });
});

describe('presentations the wallet signs', () => {
  it('are VP JWTs by the holder key, for the nonce and audience, holding the credentials', async () => {
    const wallet = await TestWallet.create();
    const credentials = [await credentialFor(wallet.did, 'NHSCoreSkillCredential'), await credentialFor(wallet.did, 'NHSRightToWorkCredential')];
    const audience = 'decentralized_identifier:did:web:hr.example.nhs.uk:trusts:rhq';
    const vp = await wallet.signPresentation(credentials, { nonce: 'nonce-123', audience });

    expect(decodeProtectedHeader(vp)).toEqual({ alg: 'ES256', kid: `${wallet.did}#0`, typ: 'JWT' });
    const { payload } = await jwtVerify(vp, await importJWK(publicJwkOfDid(wallet.did), 'ES256'), { audience, issuer: wallet.did });
    expect(payload.nonce).toBe('nonce-123');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.vp).toEqual({ '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials });
  });

  it('signed with another key, still name the holder but do not verify', async () => {
    const wallet = await TestWallet.create();
    const vp = await wallet.signPresentation([], { nonce: 'n', audience: 'a' }, 'other-key');
    expect(decodeJwt(vp).iss).toBe(wallet.did);
    await expect(jwtVerify(vp, await importJWK(publicJwkOfDid(wallet.did), 'ES256'))).rejects.toThrow(/signature/);
  });
});

describe('DCQL: what the wallet shares', () => {
  const held: Candidate[] = [
    { id: 'core-old', types: ['VerifiableCredential', 'NHSCoreSkillCredential'], issuedAt: '2025-01-01T00:00:00.000Z' },
    { id: 'core-new', types: ['VerifiableCredential', 'NHSCoreSkillCredential'], issuedAt: '2026-01-01T00:00:00.000Z' },
    { id: 'rtw', types: ['VerifiableCredential', 'NHSRightToWorkCredential'], issuedAt: '2025-06-01T00:00:00.000Z' },
    { id: 'dbs', types: ['VerifiableCredential', 'NHSDBSCheckOutcomeCredential'], issuedAt: '2025-06-01T00:00:00.000Z' },
  ];
  const query = (vcType: string, id: string, extra: Record<string, unknown> = { multiple: true }) => ({ id, format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', vcType]] }, ...extra });
  const ids = (selection: ReturnType<typeof selectForQuery<Candidate>>) => Object.fromEntries([...selection.byQuery].map(([queryId, credentials]) => [queryId, credentials.map((credential) => credential.id)]));

  it('with every query optional, shares every asked-for type it holds and nothing else', () => {
    const dcql = dcqlQuerySchema.parse({
      credentials: [query('NHSCoreSkillCredential', 'skills'), query('NHSVaccinationCredential', 'jabs'), query('NHSRightToWorkCredential', 'rtw')],
      credential_sets: [{ options: [['skills']], required: false }, { options: [['jabs']], required: false }, { options: [['rtw']], required: false }],
    });
    const selection = selectForQuery(dcql, held);
    expect(ids(selection)).toEqual({ skills: ['core-new', 'core-old'], rtw: ['rtw'] });
    expect(selection.unmet).toEqual([]);
  });

  it('shares one credential per query unless the query says multiple (the newest)', () => {
    const dcql = dcqlQuerySchema.parse({ credentials: [query('NHSCoreSkillCredential', 'skills', {})] });
    expect(ids(selectForQuery(dcql, held))).toEqual({ skills: ['core-new'] });
  });

  it('without credential sets every query is required; a required set it cannot meet is reported', () => {
    const all = dcqlQuerySchema.parse({ credentials: [query('NHSCoreSkillCredential', 'skills'), query('NHSVaccinationCredential', 'jabs')] });
    expect(selectForQuery(all, held).unmet).toEqual(['NHSVaccinationCredential']);

    const sets = dcqlQuerySchema.parse({ credentials: [query('NHSVaccinationCredential', 'jabs'), query('NHSRightToWorkCredential', 'rtw')], credential_sets: [{ options: [['jabs']] }, { options: [['rtw']], required: false }] });
    const selection = selectForQuery(sets, held);
    expect(selection.unmet).toEqual(['NHSVaccinationCredential']);
    expect(ids(selection)).toEqual({ rtw: ['rtw'] });
  });

  it('takes the first option of a set it can meet, and leaves out queries no set names', () => {
    const dcql = dcqlQuerySchema.parse({
      credentials: [query('NHSVaccinationCredential', 'jabs'), query('NHSDBSCheckOutcomeCredential', 'dbs'), query('NHSRightToWorkCredential', 'rtw')],
      credential_sets: [{ options: [['jabs'], ['dbs']] }],
    });
    expect(ids(selectForQuery(dcql, held))).toEqual({ dbs: ['dbs'] });
  });

  it('matches one of several type_values, by all of its types, and only jwt_vc_json', () => {
    const dcql = dcqlQuerySchema.parse({
      credentials: [
        { id: 'either', format: 'jwt_vc_json', multiple: true, meta: { type_values: [['NHSVaccinationCredential'], ['VerifiableCredential', 'NHSRightToWorkCredential']] } },
        { id: 'both', format: 'jwt_vc_json', meta: { type_values: [['NHSRightToWorkCredential', 'NHSDBSCheckOutcomeCredential']] } },
        { id: 'sdjwt', format: 'dc+sd-jwt', meta: { vct_values: ['x'] } },
      ],
      credential_sets: [{ options: [['either']], required: false }, { options: [['both']], required: false }, { options: [['sdjwt']], required: false }],
    });
    expect(ids(selectForQuery(dcql, held))).toEqual({ either: ['rtw'] });
  });

  it('refuses a query whose sets name a query that is not there', () => {
    expect(dcqlQuerySchema.safeParse({ credentials: [query('NHSCoreSkillCredential', 'skills')], credential_sets: [{ options: [['nope']] }] }).success).toBe(false);
  });
});

describe('links', () => {
  it.each([
    ['https://hr.example.nhs.uk/offer?credential_offer_uri=https%3A%2F%2Fx', /must start with openid-credential-offer:\/\//],
    ['not a link', /must start with openid-credential-offer:\/\//],
    ['openid-credential-offer://?foo=bar', /has no credential_offer_uri/],
    ['openid-credential-offer://?credential_offer=%7B%7D', /only follows a credential_offer_uri/],
  ])('a bad offer link (%s) fails with a clear message, before anything is fetched', async (link, message) => {
    const wallet = await TestWallet.create();
    const error = await rejection(wallet.collect(link));
    expect(error.code).toBe('invalid_offer_link');
    expect(error.description).toMatch(message);
  });

  it('allows http only to localhost and 127.0.0.1', () => {
    expect(parseOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://127.0.0.1:4000/o/1')}`).credentialOfferUri.href).toBe('http://127.0.0.1:4000/o/1');
    expect(parseOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://localhost/o/1')}`).credentialOfferUri.hostname).toBe('localhost');
    expect(() => parseOfferLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://hr.example.nhs.uk/o/1')}`)).toThrow(/refused: the wallet uses https/);
    expect(() => parseRequestLink(`openid4vp://?client_id=x&request_uri=${encodeURIComponent('http://10.0.0.1/r')}`)).toThrow(expect.objectContaining({ code: 'insecure_url' }));
  });

  it('reads a request link, and says what is missing from a bad one', () => {
    const link = parseRequestLink(`openid4vp://?client_id=${encodeURIComponent('decentralized_identifier:did:web:hr.example')}&request_uri=${encodeURIComponent('https://hr.example/r/1')}`);
    expect(link).toMatchObject({ clientId: 'decentralized_identifier:did:web:hr.example' });
    expect(link.requestUri.href).toBe('https://hr.example/r/1');
    expect(() => parseRequestLink('https://hr.example/r/1')).toThrow(/must start with openid4vp:\/\//);
    expect(() => parseRequestLink('openid4vp://?request_uri=https%3A%2F%2Fhr.example%2Fr')).toThrow(/no client_id/);
    expect(() => parseRequestLink('openid4vp://?client_id=x')).toThrow(/no request_uri/);
  });

  it('finds a did:web document by the did:web rules, or at a test origin', () => {
    expect(didWebDocumentUrl('did:web:hr.example.nhs.uk')).toBe('https://hr.example.nhs.uk/.well-known/did.json');
    expect(didWebDocumentUrl('did:web:hr.example.nhs.uk%3A8443:trusts:rhq')).toBe('https://hr.example.nhs.uk:8443/trusts/rhq/did.json');
    expect(didWebDocumentUrl('did:web:localhost%3A3000:trusts:rhq')).toBe('http://localhost:3000/trusts/rhq/did.json');
    expect(didWebDocumentUrl('did:web:127.0.0.1')).toBe('http://127.0.0.1/.well-known/did.json');
    expect(didWebDocumentUrl('did:web:hr.example.nhs.uk:trusts:rhq', 'http://127.0.0.1:5555')).toBe('http://127.0.0.1:5555/trusts/rhq/did.json');
    expect(() => didWebDocumentUrl('did:web:hr.example:..:x')).toThrow(WalletError);
    expect(() => didWebDocumentUrl('did:key:z6Mk')).toThrow(/not a did:web/);
  });

  it('reads what it keeps from a credential: id, types, issuer, issue date', async () => {
    const wallet = await TestWallet.create();
    const jwt = await credentialFor(wallet.did, 'NHSCoreSkillCredential', { issuedAt: 1_767_225_600, jti: 'urn:uuid:abc' });
    expect(readCredential(jwt, '2026-02-01T00:00:00.000Z')).toEqual({
      credential: { id: 'urn:uuid:abc', types: ['VerifiableCredential', 'NHSCoreSkillCredential'], issuer: 'did:web:issuer.example', issuedAt: '2026-01-01T00:00:00.000Z', jwt, receivedAt: '2026-02-01T00:00:00.000Z' },
      subject: wallet.did,
    });
  });
});

describe('command line', () => {
  it('--help says how to collect, present and list', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('npm run wallet -- collect <offer-link> [--tx-code CODE]');
    expect(stdout).toContain('npm run wallet -- present <request-link>');
    expect(stdout).toContain('npm run wallet -- list');
    expect(stdout).toContain('STAFF_PASSPORT_WALLET');
  });

  it('list with no wallet yet says it holds nothing, and makes no file', async () => {
    const file = join(await tempDir(), 'wallet.json');
    const { code, stdout } = await runCli(['list', '--file', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(`There is no wallet at ${file} yet, so it holds no credentials.`);
    expect(existsSync(file)).toBe(false);
  });

  it('list on an empty wallet (found through STAFF_PASSPORT_WALLET) shows its DID and no credentials', async () => {
    const file = join(await tempDir(), 'mine.json');
    const wallet = await TestWallet.create(file);
    const { code, stdout } = await runCli(['list'], { STAFF_PASSPORT_WALLET: file });
    expect(code).toBe(0);
    expect(stdout).toContain(`Holder DID: ${wallet.did}`);
    expect(stdout).toContain('It holds no credentials yet.');
  });

  it('a bad offer link exits non-zero with a clear message and makes no wallet', async () => {
    const file = join(await tempDir(), 'wallet.json');
    const { code, stderr } = await runCli(['collect', 'https://example.com/offer', '--file', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('This is not a credential offer link: it must start with openid-credential-offer://');
    expect(existsSync(file)).toBe(false);
  });

  it('a wrong command or option exits non-zero and points to --help', async () => {
    for (const args of [['frobnicate'], [], ['list', '--colour'], ['present', '--tx-code', '1', 'openid4vp://x']]) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('--help');
    }
  });
});

describe('end to end with a sample issuer and verifier on 127.0.0.1', () => {
  let issuer: SampleIssuer;
  let verifier: SampleVerifier;

  beforeAll(async () => {
    issuer = await startSampleIssuer();
    verifier = await startSampleVerifier([{ did: issuer.did, publicJwk: issuer.publicJwk }]);
  });

  afterAll(async () => {
    await Promise.all([issuer.close(), verifier.close()]);
  });

  afterEach(() => {
    // The libraries' process-wide http switch is back as the wallet found it.
    expect(getGlobalConfig().allowInsecureUrls).toBe(false);
  });

  it('collects every credential of every configuration offered, keeps them and says credential_accepted', async () => {
    const file = join(await tempDir(), 'wallet.json');
    const wallet = await TestWallet.create(file);
    const notificationsBefore = issuer.notifications.length;
    const requestsBefore = issuer.credentialRequests.length;
    const collected = await wallet.collect(issuer.offer().link);

    expect(collected.map((credential) => [credential.configurationId, credential.types[1]])).toEqual([
      ['core-skill', 'NHSCoreSkillCredential'],
      ['core-skill', 'NHSCoreSkillCredential'],
      ['right-to-work', 'NHSRightToWorkCredential'],
    ]);
    expect(collected.every((credential) => credential.issuer === issuer.did && decodeJwt(credential.jwt).sub === wallet.did)).toBe(true);
    expect((await TestWallet.open(file)).list()).toEqual(collected);

    // By credential_configuration_id, each with a proof for a fresh nonce naming the holder's DID.
    const requests = issuer.credentialRequests.slice(requestsBefore);
    expect(requests.map((request) => request.credential_configuration_id)).toEqual(['core-skill', 'right-to-work']);
    const proofs = requests.map((request) => (request.proof as { jwt: string }).jwt);
    for (const proof of proofs) {
      expect(decodeProtectedHeader(proof)).toMatchObject({ typ: 'openid4vci-proof+jwt', kid: wallet.kid, alg: 'ES256' });
      expect(decodeJwt(proof)).toMatchObject({ aud: issuer.issuer, nonce: expect.any(String), iat: expect.any(Number) });
    }
    expect(decodeJwt(proofs[0]!).nonce).not.toBe(decodeJwt(proofs[1]!).nonce);
    expect(issuer.tokenRequests.at(-1)).not.toHaveProperty('client_id');
    expect(issuer.notifications.slice(notificationsBefore).map((notification) => notification.event)).toEqual(['credential_accepted', 'credential_accepted']);
  });

  it('an offer is collected once: the second time is the issuer\u2019s invalid_grant', async () => {
    const offer = issuer.offer({ configurationIds: ['right-to-work'] });
    await (await TestWallet.create()).collect(offer.link);
    const error = await rejection((await TestWallet.create()).collect(offer.link));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
  });

  it('asks for the transaction code when the offer needs one, and the issuer refuses a wrong one', async () => {
    const wallet = await TestWallet.create(undefined, 'EdDSA');
    const offer = issuer.offer({ configurationIds: ['right-to-work'], txCode: '493536' });
    const missing = await rejection(wallet.collect(offer.link));
    expect(missing.code).toBe('tx_code_required');
    expect(missing.description).toMatch(/6-digit code/);
    expect((await rejection(wallet.collect(offer.link, { txCode: '000000' }))).code).toBe('invalid_grant');
    expect(await wallet.collect(offer.link, { txCode: '493536' })).toHaveLength(1);
    expect(issuer.tokenRequests.at(-1)).toMatchObject({ tx_code: '493536' });
  });

  it('with notify "deleted" says credential_deleted and keeps nothing; with false says nothing', async () => {
    const wallet = await TestWallet.create();
    const before = issuer.notifications.length;
    const received = await wallet.collect(issuer.offer({ configurationIds: ['right-to-work'] }).link, { notify: 'deleted' });
    expect(received).toHaveLength(1);
    expect(wallet.list()).toEqual([]);
    expect(issuer.notifications.slice(before).map((notification) => notification.event)).toEqual(['credential_deleted']);

    await wallet.collect(issuer.offer({ configurationIds: ['right-to-work'] }).link, { notify: false });
    expect(wallet.list()).toHaveLength(1);
    expect(issuer.notifications.length).toBe(before + 1);

    await wallet.collect(issuer.offer({ configurationIds: ['right-to-work'] }).link, { notify: 'failure' });
    expect(wallet.list()).toHaveLength(1);
    expect(issuer.notifications.at(-1)).toMatchObject({ event: 'credential_failure' });
  });

  it('refuses credentials issued to another DID, keeps none of them and says credential_failure', async () => {
    const someoneElse = await TestWallet.create();
    const careless = await startSampleIssuer([{ configurationId: 'core-skill', vcType: 'NHSCoreSkillCredential', subjects: [{ competencyName: 'Fire Safety' }], wrongHolder: someoneElse.did }]);
    try {
      const wallet = await TestWallet.create();
      const error = await rejection(wallet.collect(careless.offer().link));
      expect(error.code).toBe('credential_not_bound');
      expect(wallet.list()).toEqual([]);
      expect(careless.notifications).toEqual([{ notification_id: expect.any(String), event: 'credential_failure', event_description: error.description }]);
    } finally {
      await careless.close();
    }
  });

  describe('presenting', () => {
    let wallet: TestWallet;

    beforeAll(async () => {
      wallet = await TestWallet.create();
      await wallet.collect(issuer.offer().link);
    });

    it('shares every asked-for type it holds, one VP per query, and the verifier accepts it', async () => {
      const request = await verifier.request(['NHSCoreSkillCredential', 'NHSVaccinationCredential']);
      const result = await wallet.present(request.link);
      expect(result.status).toBe(200);
      expect(result.request).toMatchObject({ clientId: verifier.clientId, nonce: request.nonce, state: request.state });
      expect(Object.keys(result.vpToken)).toEqual(['q0']);
      const skills = wallet.list().filter((credential) => credential.types.includes('NHSCoreSkillCredential'));
      expect(verifier.received.at(-1)).toEqual({ state: request.state, credentials: { q0: skills.map((credential) => credential.jwt) } });
      expect(decodeJwt(result.vpToken.q0![0]!)).toMatchObject({ iss: wallet.did, aud: verifier.clientId, nonce: request.nonce });
    });

    it('shares only the credentials named by `only`', async () => {
      const [first] = wallet.list();
      const request = await verifier.request(['NHSCoreSkillCredential', 'NHSRightToWorkCredential']);
      expect((await wallet.present(request.link, { only: [first!.id] })).status).toBe(200);
      expect(verifier.received.at(-1)!.credentials).toEqual({ q0: [first!.jwt] });
    });

    it('can hand back the response unsent, so a test can replay it: the verifier refuses the replay', async () => {
      const request = await verifier.request(['NHSRightToWorkCredential']);
      const prepared = await wallet.present(request.link, { submit: false });
      expect(new URLSearchParams(prepared.formBody).get('state')).toBe(request.state);
      expect(JSON.parse(new URLSearchParams(prepared.formBody).get('vp_token')!)).toEqual(prepared.vpToken);
      expect((await wallet.submitRaw(prepared.request.responseUri, prepared.formBody)).status).toBe(200);
      const replay = await wallet.submitRaw(prepared.request.responseUri, prepared.formBody);
      expect(replay).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'This request has been answered already.' } });
    });

    it('misbehaves on request: another key, or another holder\u2019s credential, and the verifier refuses', async () => {
      const otherKey = await wallet.present((await verifier.request(['NHSRightToWorkCredential'])).link, { signWith: 'other-key' });
      expect(otherKey.status).toBe(400);
      expect(otherKey.body).toMatchObject({ error: 'invalid_presentation', error_description: expect.stringMatching(/does not verify/) });

      const stranger = await TestWallet.create();
      const [theirs] = await stranger.collect(issuer.offer({ configurationIds: ['right-to-work'] }).link);
      const borrowed = await wallet.present((await verifier.request(['NHSRightToWorkCredential'])).link, { include: [theirs!.jwt] });
      expect(borrowed.status).toBe(400);
      expect(borrowed.body).toMatchObject({ error_description: 'A credential belongs to someone else.' });
      expect(borrowed.vpToken.q0).toHaveLength(1);
      expect((decodeJwt(borrowed.vpToken.q0![0]!).vp as { verifiableCredential: string[] }).verifiableCredential).toContain(theirs!.jwt);
    });

    it('refuses a request whose signature does not match the verifier\u2019s DID document, and sends nothing', async () => {
      const before = verifier.received.length;
      const error = await rejection(wallet.present((await verifier.request(['NHSRightToWorkCredential'], { signWithUnpublishedKey: true })).link));
      expect(error.code).toBe('invalid_request_object');
      expect(error.description).toContain(`${verifier.did}#key-1`);
      expect(verifier.received.length).toBe(before);
    });

    it('looks the DID document up at didWebOrigin when given', async () => {
      const request = await verifier.request(['NHSRightToWorkCredential']);
      const error = await rejection(wallet.present(request.link, { didWebOrigin: issuer.issuer.replace(/\/wallet$/, '') }));
      expect(error.code).toBe('did_not_resolved');
      expect((await wallet.present(request.link, { didWebOrigin: verifier.origin })).status).toBe(200);
    });

    it('says so when it holds nothing that is asked for', async () => {
      const empty = await TestWallet.create();
      const error = await rejection(empty.present((await verifier.request(['NHSVaccinationCredential'])).link));
      expect(error.code).toBe('no_matching_credentials');
      expect(error.description).toContain('NHSVaccinationCredential');
      const required = await rejection(wallet.present((await verifier.request(['NHSVaccinationCredential'], { required: true })).link));
      expect(required.description).toBe('The verifier requires NHSVaccinationCredential, which this wallet does not hold.');
    });

    it('the command line collects, lists and presents', async () => {
      const file = join(await tempDir(), 'wallet.json');
      const collected = await runCli(['collect', issuer.offer().link, '--file', file]);
      expect(collected.stderr).toBe('');
      expect(collected.code).toBe(0);
      expect(collected.stdout).toContain(`Made a new wallet at ${file}.`);
      expect(collected.stdout).toContain('Collected 3 credentials:');
      expect(collected.stdout).toContain(`  - Core skill from ${issuer.did}, issued `);
      expect(collected.stdout).toContain(`  - Right to work from ${issuer.did}, issued `);

      const listed = await runCli(['list', '--file', file]);
      expect(listed.stdout).toContain('It holds 3 credentials:');

      const presented = await runCli(['present', (await verifier.request(['NHSRightToWorkCredential'])).link, '--file', file]);
      expect(presented.code).toBe(0);
      expect(presented.stdout).toContain(`Shared 1 credential with ${verifier.did}:`);
      expect(presented.stdout).toContain("The employer's system received them.");

      const refused = await runCli(['collect', issuer.offer({ configurationIds: ['right-to-work'], txCode: '111111' }).link, '--file', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/needs the 6-digit code .* give it with --tx-code\. \[tx_code_required\]/);
    });
  });
});
