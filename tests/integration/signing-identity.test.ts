// The trust's signing identity: did:web ids, keys through Veramo in the encrypted store, private
// keys sealed under the database key, the published document, signatures, rotation, reopening.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { openStore, type Store } from '../../main/platform/store.ts';
import { TrustedIssuers } from '../../main/credentials/trusted-issuers.ts';
import { SigningIdentity, type DidDocument, type SigningKeyType } from '../../main/credentials/identity/signing-identity.ts';
import { didWebAddress, type PublicJwk } from '../../main/credentials/identity/did-web.ts';
import { KnexPrivateKeyStore } from '../../main/credentials/identity/private-key-store.ts';
import { PRIVATE_KEY_CIPHER, PrivateKeyCipher } from '../../main/credentials/identity/private-key-cipher.ts';

const HOST = 'passport.sth.nhs.uk';
const now = () => new Date('2026-11-22T09:00:00Z');
const ISSUER_TABLES = ['issuer_keys', 'issuer_private_keys', 'issuer_dids', 'issuer_did_keys', 'issuer_identity'];

let dir: string;
const opened: Store[] = [];

async function open(name: string, key: Buffer | null, sealingKey: Buffer | null = key): Promise<{ store: Store; identity: SigningIdentity; key: Buffer }> {
  const store = await openStore({ filename: join(dir, name), key, mustExist: false });
  opened.push(store);
  const databaseKey = sealingKey ?? randomBytes(32);
  return { store, identity: new SigningIdentity({ knex: () => store.knex, databaseKey: () => databaseKey, now }), key: databaseKey };
}

async function close(store: Store): Promise<void> {
  opened.splice(opened.indexOf(store), 1);
  await store.close();
}

beforeEach(() => {
  dir = tempDir('dsp-identity-');
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  removeDir(dir);
});

function publicKeyOf(jwk: PublicJwk) {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** Verifies a JOSE signature (base64url; r||s for ES256) with a public JWK, as any verifier would. */
function verifies(jwk: PublicJwk, data: string, signature: string): boolean {
  const bytes = Buffer.from(data, 'utf8');
  const signatureBytes = Buffer.from(signature, 'base64url');
  const key = publicKeyOf(jwk);
  return jwk.kty === 'OKP' ? verifySignature(null, bytes, key, signatureBytes) : verifySignature('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, signatureBytes);
}

function methodFor(document: DidDocument, kid: string): PublicJwk {
  const method = document.verificationMethod.find((candidate) => candidate.id === kid);
  if (!method) throw new Error(`no verification method ${kid} in ${JSON.stringify(document)}`);
  return method.publicKeyJwk;
}

/** A compact JWS signing input, as an issued credential's would be. */
function signingInput(kid: string, alg: string, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg, kid, typ: 'JWT' })}.${part(payload)}`;
}

function expectWellFormed(document: DidDocument, did: string): void {
  expect(document['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
  expect(document.id).toBe(did);
  expect(document.verificationMethod.length).toBeGreaterThan(0);
  const ids = document.verificationMethod.map((method) => method.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const method of document.verificationMethod) {
    expect(method.id.startsWith(`${did}#`)).toBe(true);
    expect(method.controller).toBe(did);
    expect(method.type).toBe('JsonWebKey2020');
    const jwk = method.publicKeyJwk as unknown as Record<string, unknown>;
    if (jwk.kty === 'OKP') {
      expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x']);
      expect(jwk.crv).toBe('Ed25519');
      expect(Buffer.from(jwk.x as string, 'base64url')).toHaveLength(32);
    } else {
      expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
      expect(Buffer.from(jwk.y as string, 'base64url')).toHaveLength(32);
    }
    // A real public key, not just a well-shaped object.
    expect(publicKeyOf(method.publicKeyJwk).type).toBe('public');
  }
  for (const reference of [...document.assertionMethod, ...document.authentication]) expect(ids).toContain(reference);
  expect(document.assertionMethod.length).toBeGreaterThan(0);
  expect(document.authentication.length).toBeGreaterThan(0);
  // No private member, anywhere, under any nesting.
  expect(JSON.stringify(document)).not.toMatch(/"d"\s*:/);
}

/** Every way a private key could sit in a file or a row in plain form. */
function plainForms(privateKeyHex: string): Buffer[] {
  const bytes = Buffer.from(privateKeyHex, 'hex');
  const secret = bytes.subarray(0, 32); // Ed25519 keys are seed||public; P-256 keys are the scalar
  return [bytes, secret].flatMap((value) => [
    value,
    Buffer.from(value.toString('hex')),
    Buffer.from(value.toString('hex').toUpperCase()),
    Buffer.from(value.toString('base64')),
    Buffer.from(value.toString('base64url')),
  ]);
}

function fileBytes(filename: string): Buffer {
  return Buffer.concat([filename, `${filename}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

describe('did:web addresses', () => {
  it.each([
    [{ host: HOST }, `did:web:${HOST}`, `https://${HOST}/.well-known/did.json`],
    [{ host: 'Passport.STH.nhs.uk', path: '/issuers/rhq/' }, `did:web:${HOST}:issuers:rhq`, `https://${HOST}/issuers/rhq/did.json`],
    [{ host: 'localhost:8443' }, 'did:web:localhost%3A8443', 'https://localhost:8443/.well-known/did.json'],
    [{ host: 'localhost:8443', path: 'trust' }, 'did:web:localhost%3A8443:trust', 'https://localhost:8443/trust/did.json'],
  ])('%j is %s, published at %s', (location, did, documentUrl) => {
    expect(didWebAddress(location)).toMatchObject({ did, documentUrl });
  });

  it.each([
    [{ host: 'https://passport.sth.nhs.uk' }, 'host'],
    [{ host: 'passport.sth.nhs.uk/issuers' }, 'host'],
    [{ host: 'pass port.nhs.uk' }, 'host'],
    [{ host: '' }, 'host'],
    [{ host: 'passport..nhs.uk' }, 'host'],
    [{ host: 'localhost:0' }, 'host'],
    [{ host: 'localhost:70000' }, 'host'],
    [{ host: HOST, path: 'issuers/../rhq' }, 'path'],
    [{ host: HOST, path: 'issuers//rhq' }, 'path'],
    [{ host: HOST, path: 'issuers:rhq' }, 'path'],
  ])('refuses %j with a message on %s', (location, field) => {
    expect(() => didWebAddress(location)).toThrow(expect.objectContaining({ code: 'invalid-input', fields: [expect.objectContaining({ field })] }));
  });
});

describe('the trust signing identity', () => {
  it.each([
    [{ host: HOST }, `did:web:${HOST}`],
    [{ host: HOST, path: 'issuers/rhq' }, `did:web:${HOST}:issuers:rhq`],
    [{ host: 'localhost:8443' }, 'did:web:localhost%3A8443'],
  ])('creates the DID for %j as %s', async (location, did) => {
    const { identity } = await open('trust.db', randomBytes(32));
    expect(await identity.get()).toBeNull();
    const created = await identity.create({ ...location, keyType: 'Ed25519' });
    expect(created.did).toBe(did);
    expect(created.keys).toHaveLength(1);
    expect(created.currentKid).toBe(`${did}#key-1`);
    expect((await identity.didDocument()).id).toBe(did);
    expect(await identity.agent().didManagerGet({ did })).toMatchObject({ did, provider: 'did:web', keys: [{ kid: `${did}#key-1`, kms: 'local' }] });
  });

  it.each<[SigningKeyType, string, string]>([
    ['Ed25519', 'EdDSA', 'OKP'],
    ['Secp256r1', 'ES256', 'EC'],
  ])('makes %s keys that sign %s, verified against the published JWK', async (keyType, alg, kty) => {
    const { identity } = await open('trust.db', randomBytes(32));
    const created = await identity.create({ host: HOST, keyType });
    const signing = await identity.signingKey();
    expect(signing).toEqual({ did: created.did, kid: `${created.did}#key-1`, type: keyType, algorithm: alg });

    const document = await identity.didDocument();
    expectWellFormed(document, created.did);
    expect(document.verificationMethod).toHaveLength(1);
    expect(document.assertionMethod).toEqual([signing.kid]);
    expect(document.authentication).toEqual([signing.kid]);
    const jwk = methodFor(document, signing.kid);
    expect(jwk.kty).toBe(kty);
    expect(created.keys[0]?.publicKeyJwk).toEqual(jwk);

    const input = signingInput(signing.kid, alg, { iss: created.did, vc: { type: ['VerifiableCredential'] } });
    const signature = await identity.agent().keyManagerSign({ keyRef: signing.kid, algorithm: alg, data: input });
    expect(verifies(jwk, input, signature)).toBe(true);
    expect(verifies(jwk, `${input}x`, signature)).toBe(false);
  });

  it('keeps the private key sealed: not in the row, and not in the database file', async () => {
    const { store, identity, key } = await open('trust.db', randomBytes(32));
    const { currentKid } = await identity.create({ host: HOST, keyType: 'Ed25519' });
    const { privateKeyHex } = await new KnexPrivateKeyStore(store.knex, new PrivateKeyCipher(key), now).getKey({ alias: currentKid });
    expect(privateKeyHex).toMatch(/^[0-9a-f]{128}$/);

    const rows = (await store.knex('issuer_private_keys').select('*')) as Array<Record<string, string>>;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ alias: currentKid, type: 'Ed25519', cipher: PRIVATE_KEY_CIPHER });
    expect(Buffer.from(row.ciphertext!, 'base64')).toHaveLength(64);
    expect(Buffer.from(row.ciphertext!, 'base64').toString('hex')).not.toBe(privateKeyHex);
    const rowText = Buffer.from(JSON.stringify(row));
    for (const form of plainForms(privateKeyHex)) expect(rowText.includes(form)).toBe(false);
    // Nor anywhere else in the store: the key and DID tables carry only the public half.
    for (const table of ISSUER_TABLES.filter((name) => name !== 'issuer_private_keys')) {
      const text = Buffer.from(JSON.stringify(await store.knex(table).select('*')));
      for (const form of plainForms(privateKeyHex)) expect(text.includes(form)).toBe(false);
    }

    await close(store);
    const bytes = fileBytes(store.filename);
    expect(bytes.length).toBeGreaterThan(0);
    for (const form of plainForms(privateKeyHex)) expect(bytes.includes(form)).toBe(false);
  });

  it('seals private keys even in a store without SQLCipher, where everything else is readable', async () => {
    const { store, identity, key } = await open('plain.db', null);
    const { currentKid, did } = await identity.create({ host: HOST, keyType: 'Secp256r1' });
    const { privateKeyHex } = await new KnexPrivateKeyStore(store.knex, new PrivateKeyCipher(key), now).getKey({ alias: currentKid });
    await close(store);
    const bytes = fileBytes(store.filename);
    // The scan can see plain text in this file (so it would have seen the key)...
    expect(bytes.includes(Buffer.from(did))).toBe(true);
    // ...and the private key is not there in any form.
    for (const form of plainForms(privateKeyHex)) expect(bytes.includes(form)).toBe(false);
  });

  it('refuses to use the key under a different database key, with a clear error', async () => {
    const first = await open('first.db', randomBytes(32));
    await first.identity.create({ host: HOST, keyType: 'Ed25519' });
    const firstDocument = await first.identity.didDocument();

    // The same rows in another installation's store (a copied table, a backup restored elsewhere).
    const other = await open('other.db', randomBytes(32));
    for (const table of ISSUER_TABLES) {
      const rows = (await first.store.knex(table).select('*')) as object[];
      await other.store.knex(table).insert(rows);
    }
    // What is public stays readable...
    expect(await other.identity.didDocument()).toEqual(firstDocument);
    const { kid } = await other.identity.signingKey();
    // ...but the private key does not open: an AppError, never a signature from garbage.
    const refusal = other.identity.agent().keyManagerSign({ keyRef: kid, data: 'payload' });
    await expect(refusal).rejects.toMatchObject({ name: 'AppError', code: 'wrong-key', message: expect.stringContaining('different database key') });
    await expect(new KnexPrivateKeyStore(other.store.knex, new PrivateKeyCipher(other.key), now).getKey({ alias: kid })).rejects.toMatchObject({ code: 'wrong-key' });
    // Nor does it open once altered, even under the right key.
    const row = (await first.store.knex('issuer_private_keys').where({ alias: kid }).first()) as { ciphertext: string };
    const altered = Buffer.from(row.ciphertext, 'base64');
    altered[0]! ^= 1;
    await first.store.knex('issuer_private_keys').where({ alias: kid }).update({ ciphertext: altered.toString('base64') });
    await expect(first.identity.agent().keyManagerSign({ keyRef: kid, data: 'payload' })).rejects.toMatchObject({ code: 'wrong-key' });
  });

  it('does not let a sealed key be moved to another key row', async () => {
    const { store, identity } = await open('trust.db', randomBytes(32));
    await identity.create({ host: HOST, keyType: 'Ed25519' });
    const { keys } = await identity.rotate();
    const [one, two] = (await store.knex('issuer_private_keys').select('*').orderBy('alias')) as Array<Record<string, string>>;
    const sealed = (row: Record<string, string>) => ({ nonce: row.nonce, ciphertext: row.ciphertext, tag: row.tag });
    await store.knex('issuer_private_keys').where({ alias: one!.alias }).update(sealed(two!));
    await store.knex('issuer_private_keys').where({ alias: two!.alias }).update(sealed(one!));
    for (const key of keys) await expect(identity.agent().keyManagerSign({ keyRef: key.kid, data: 'payload' })).rejects.toMatchObject({ code: 'wrong-key' });
  });

  it('rotates: the new key signs, the old one stays in the document and its signatures still verify', async () => {
    const { identity } = await open('trust.db', randomBytes(32));
    const { did } = await identity.create({ host: HOST, keyType: 'Ed25519' });
    const old = await identity.signingKey();
    const oldInput = signingInput(old.kid, old.algorithm, { iss: did, jti: 'urn:uuid:before-rotation' });
    const oldSignature = await identity.agent().keyManagerSign({ keyRef: old.kid, data: oldInput });

    const rotated = await identity.rotate();
    const current = await identity.signingKey();
    expect(current.kid).toBe(`${did}#key-2`);
    expect(rotated.currentKid).toBe(current.kid);
    expect(rotated.rotatedAt).not.toBeNull();
    expect(rotated.keys.map((key) => [key.kid, key.current])).toEqual([
      [old.kid, false],
      [current.kid, true],
    ]);

    const document = await identity.didDocument();
    expectWellFormed(document, did);
    expect(document.verificationMethod.map((method) => method.id)).toEqual([current.kid, old.kid]);
    expect(document.assertionMethod).toEqual([current.kid, old.kid]);
    // Only the current key authenticates; a retired key only vouches for what it signed.
    expect(document.authentication).toEqual([current.kid]);
    expect(verifies(methodFor(document, old.kid), oldInput, oldSignature)).toBe(true);
    expect(verifies(methodFor(document, current.kid), oldInput, oldSignature)).toBe(false);

    const newInput = signingInput(current.kid, current.algorithm, { iss: did, jti: 'urn:uuid:after-rotation' });
    const newSignature = await identity.agent().keyManagerSign({ keyRef: current.kid, data: newInput });
    expect(verifies(methodFor(document, current.kid), newInput, newSignature)).toBe(true);

    // A rotation may change the key type (Ed25519 to P-256, say); everything before still stands.
    await identity.rotate({ keyType: 'Secp256r1' });
    const third = await identity.signingKey();
    expect(third).toMatchObject({ kid: `${did}#key-3`, type: 'Secp256r1', algorithm: 'ES256' });
    const after = await identity.didDocument();
    expectWellFormed(after, did);
    expect(after.assertionMethod).toEqual([third.kid, current.kid, old.kid]);
    expect(verifies(methodFor(after, old.kid), oldInput, oldSignature)).toBe(true);
  });

  it('refuses a second create and changes nothing', async () => {
    const { store, identity } = await open('trust.db', randomBytes(32));
    const first = await identity.create({ host: HOST, keyType: 'Ed25519' });
    const counts = async () => Promise.all(ISSUER_TABLES.map(async (table) => (await store.knex(table).count({ n: '*' }))[0]));
    const before = await counts();
    await expect(identity.create({ host: 'other.nhs.uk', keyType: 'Secp256r1' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(first.did) });
    await expect(identity.create({ host: HOST, keyType: 'Ed25519' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await counts()).toEqual(before);
    expect(await identity.get()).toEqual(first);
  });

  it('refuses bad input and asks for a created identity before use, writing nothing', async () => {
    const { store, identity } = await open('trust.db', randomBytes(32));
    await expect(identity.create({ host: 'https://x.nhs.uk', keyType: 'Ed25519' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(identity.create({ host: HOST, keyType: 'Secp256k1' as SigningKeyType })).rejects.toMatchObject({ code: 'invalid-input', fields: [{ field: 'keyType' }] });
    for (const table of ISSUER_TABLES) expect((await store.knex(table).count({ n: '*' }))[0]).toEqual({ n: 0 });
    await expect(identity.didDocument()).rejects.toMatchObject({ code: 'not-set-up' });
    await expect(identity.signingKey()).rejects.toMatchObject({ code: 'not-set-up' });
    await expect(identity.rotate()).rejects.toMatchObject({ code: 'not-set-up' });
  });

  it('survives closing and reopening the store', async () => {
    const key = randomBytes(32);
    const first = await open('trust.db', key);
    await first.identity.create({ host: HOST, path: 'issuers/rhq', keyType: 'Secp256r1' });
    const old = await first.identity.signingKey();
    const oldSignature = await first.identity.agent().keyManagerSign({ keyRef: old.kid, data: 'signed before closing' });
    await first.identity.rotate();
    const identityBefore = await first.identity.get();
    const documentBefore = await first.identity.didDocument();
    await close(first.store);

    const again = await open('trust.db', key);
    expect(await again.identity.get()).toEqual(identityBefore);
    const document = await again.identity.didDocument();
    expect(document).toEqual(documentBefore);
    expect(verifies(methodFor(document, old.kid), 'signed before closing', oldSignature)).toBe(true);
    const current = await again.identity.signingKey();
    const signature = await again.identity.agent().keyManagerSign({ keyRef: current.kid, data: 'signed after reopening' });
    expect(verifies(methodFor(document, current.kid), 'signed after reopening', signature)).toBe(true);
    await expect(again.identity.create({ host: HOST, keyType: 'Ed25519' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('is created at set-up from configuration, puts the trust on its trusted-issuer list, and signs after a restart', async () => {
    let app = await startApp(dir, { configSources: { machineFilePath: null, readPolicy: async () => JSON.stringify({ issuerHost: HOST, issuerPath: 'issuers/{ods}' }) } });
    try {
      await setUpTrust(app);
      const running = app;
      const identity = new SigningIdentity({ knex: () => running.vault.open.store.knex, databaseKey: () => running.vault.open.key, now });
      const created = (await identity.get())!;
      expect(created.did).toBe(`did:web:${HOST}:issuers:rhq`);
      expect(created.keys.map((key) => key.type)).toEqual(['Ed25519']);
      await expect(identity.create({ host: HOST, keyType: 'Ed25519' })).rejects.toThrow(/already has its signing identity/);
      const document = await identity.didDocument();
      const own = await new TrustedIssuers(running.vault.open.store.knex).byDid(created.did);
      expect(own).toMatchObject({ odsCode: 'RHQ', didDocument: document });
      await app.close();

      app = await startApp(dir);
      await signInAdmin(app);
      expect((await call(app, 'app.status', {})).state).toBe('signed-in');
      const restarted = app;
      const reopened = new SigningIdentity({ knex: () => restarted.vault.open.store.knex, databaseKey: () => restarted.vault.open.key, now });
      expect(await reopened.get()).toEqual(created);
      const { kid } = await reopened.signingKey();
      const signature = await reopened.agent().keyManagerSign({ keyRef: kid, data: 'issued after a restart' });
      expect(verifies(methodFor(document, kid), 'issued after a restart', signature)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
