// The trusted-issuer list in a real encrypted store: add, DIDs and their documents, this trust's
// own entry, removal, and import/export as a file (all or nothing).
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/platform/store.ts';
import { TrustedIssuers, type TrustedIssuer } from '../../main/credentials/trusted-issuers.ts';
import { removeDir, tempDir } from '../support/app.ts';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

let dir: string;
let store: Store;
let list: TrustedIssuers;
const AT = '2026-11-22T09:00:00.000Z';

function issuer(odsCode: string, host: string): TrustedIssuer {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  const did = `did:web:${host}`;
  return {
    odsCode,
    name: `${odsCode} NHS Trust`,
    dids: [{ did, didDocument: { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } }], assertionMethod: [`${did}#key-1`] } }],
  };
}

beforeEach(async () => {
  dir = tempDir();
  store = await openStore({ filename: join(dir, 'test.db'), key: randomBytes(32), mustExist: false });
  list = new TrustedIssuers(store.knex);
});
afterEach(async () => {
  await store.close();
  removeDir(dir);
});

describe('the trusted-issuer list', () => {
  it('finds an issuer by any of its DIDs, with the stored document', async () => {
    await list.add(issuer('RHQ', 'passport.sth.nhs.uk'), AT, null, { isThisTrust: true });
    await list.add(issuer('RR8', 'passport.leedsth.nhs.uk'), AT, 'user-1');
    const found = await list.byDid('did:web:passport.leedsth.nhs.uk');
    expect(found).toMatchObject({ odsCode: 'RR8', name: 'RR8 NHS Trust', didDocument: { id: 'did:web:passport.leedsth.nhs.uk' } });
    expect(await list.byDid('did:web:unknown.example')).toBeUndefined();
    expect((await list.list()).map((entry) => [entry.odsCode, entry.isThisTrust])).toEqual([['RHQ', true], ['RR8', false]]);
  });

  it('never removes this trust; removes another with its DIDs', async () => {
    await list.add(issuer('RHQ', 'passport.sth.nhs.uk'), AT, null, { isThisTrust: true });
    await list.add(issuer('RR8', 'passport.leedsth.nhs.uk'), AT, null);
    await expect(list.remove('RHQ')).rejects.toThrow(/always on the list/);
    await list.remove('RR8');
    expect(await list.byDid('did:web:passport.leedsth.nhs.uk')).toBeUndefined();
    await expect(list.remove('RR8')).rejects.toThrow(/not on the list/);
  });

  it('refuses one DID claimed by two organisations', async () => {
    await list.add(issuer('RR8', 'passport.leedsth.nhs.uk'), AT, null);
    const other = { ...issuer('RHQ', 'passport.leedsth.nhs.uk'), odsCode: 'RHQ' };
    await expect(list.add(other, AT, null)).rejects.toThrow(/already on the list for RR8/);
  });
});

describe('files', () => {
  it('exports and imports the same list', async () => {
    await list.add(issuer('RR8', 'passport.leedsth.nhs.uk'), AT, null);
    await list.add(issuer('RTH', 'passport.ouh.nhs.uk'), AT, null);
    const file = await list.exportFile();
    await store.knex('trusted_issuers').delete();
    expect(await list.importFile(file, AT, 'user-1')).toEqual({ organisations: 2 });
    expect((await list.list()).map((entry) => entry.odsCode).sort()).toEqual(['RR8', 'RTH']);
  });

  const bad: Array<[string, (file: { format: string; issuers: TrustedIssuer[] }) => unknown, RegExp]> = [
    ['not JSON', () => 'this is not json', /not JSON/],
    ['another format', (f) => ({ ...f, format: 'something-else' }), /format/],
    ['a document for another DID', (f) => ({ ...f, issuers: [{ ...f.issuers[0]!, dids: [{ ...f.issuers[0]!.dids[0]!, did: 'did:web:elsewhere.example' }] }] }), /different DID/],
    ['a private key in a document', (f) => {
      const document = structuredClone(f.issuers[0]!.dids[0]!.didDocument);
      (document.verificationMethod[0]!.publicKeyJwk as Record<string, string>).d = 'secret';
      return { ...f, issuers: [{ ...f.issuers[0]!, dids: [{ ...f.issuers[0]!.dids[0]!, didDocument: document }] }] };
    }, /publicKeyJwk/],
    ['a key controlled by someone else', (f) => {
      const document = structuredClone(f.issuers[0]!.dids[0]!.didDocument);
      document.verificationMethod[0]!.controller = 'did:web:attacker.example';
      return { ...f, issuers: [{ ...f.issuers[0]!, dids: [{ ...f.issuers[0]!.dids[0]!, didDocument: document }] }] };
    }, /controlled by the DID/],
    ['a bad ODS code', (f) => ({ ...f, issuers: [{ ...f.issuers[0]!, odsCode: 'R!' }] }), /ODS code/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}, adding nothing`, async () => {
      const good = { format: 'staff-passport-trusted-issuers/v1', issuers: [issuer('RR8', 'passport.leedsth.nhs.uk'), issuer('RTH', 'passport.ouh.nhs.uk')] };
      const changed = change(good);
      const content = typeof changed === 'string' ? changed : JSON.stringify({ ...(changed as object), issuers: [...(changed as typeof good).issuers] });
      await expect(list.importFile(content, AT, null)).rejects.toThrow(message);
      expect(await list.list()).toEqual([]);
    });
  }

  it('adds nothing when a later organisation in the file conflicts', async () => {
    await list.add(issuer('RR8', 'passport.leedsth.nhs.uk'), AT, null);
    const file = JSON.stringify({ format: 'staff-passport-trusted-issuers/v1', issuers: [issuer('RTH', 'passport.ouh.nhs.uk'), { ...issuer('RXX', 'passport.leedsth.nhs.uk') }] });
    await expect(list.importFile(file, AT, null)).rejects.toThrow(/already on the list for RR8/);
    expect((await list.list()).map((entry) => entry.odsCode)).toEqual(['RR8']);
  });
});

describe('through the door', () => {
  it('lets an administrator add, list, export, remove and import; each bad answer names its field', async () => {
    const { startApp, setUpTrust, signInAdmin, call, refused } = await import('../support/app.ts');
    const appDir = tempDir();
    const app = await startApp(appDir);
    try {
      await setUpTrust(app);
      await signInAdmin(app);
      const leeds = issuer('RR8', 'passport.leedsth.nhs.uk');
      const add = { odsCode: 'rr8', name: 'Leeds Teaching Hospitals NHS Trust', did: leeds.dids[0]!.did, didDocument: JSON.stringify(leeds.dids[0]!.didDocument) };
      expect((await refused(app, 'trustedIssuers.add', { ...add, didDocument: '{not json' })).fields).toEqual([{ field: 'didDocument', message: expect.stringContaining('must be JSON') }]);
      expect((await refused(app, 'trustedIssuers.add', { ...add, did: 'https://leeds.example' })).fields.map((f) => f.field)).toContain('did');
      expect((await refused(app, 'trustedIssuers.add', { ...add, odsCode: '!!' })).fields.map((f) => f.field)).toEqual(['odsCode']);
      await call(app, 'trustedIssuers.add', add);
      const { issuers } = await call(app, 'trustedIssuers.list', {});
      // This trust is on its own list from set-up, with the DID made then.
      expect(issuers).toEqual([
        expect.objectContaining({ odsCode: 'RHQ', isThisTrust: true, dids: [{ did: 'did:web:localhost:trusts:rhq', keys: 1 }] }),
        expect.objectContaining({ odsCode: 'RR8', name: 'Leeds Teaching Hospitals NHS Trust', isThisTrust: false, dids: [{ did: 'did:web:passport.leedsth.nhs.uk', keys: 1 }] }),
      ]);
      expect((await refused(app, 'trustedIssuers.remove', { odsCode: 'RHQ' })).message).toMatch(/always on the list/);
      const exported = await call(app, 'trustedIssuers.export', {});
      await call(app, 'trustedIssuers.remove', { odsCode: 'RR8' });
      expect((await call(app, 'trustedIssuers.list', {})).issuers.map((issuer) => issuer.odsCode)).toEqual(['RHQ']);
      expect(await call(app, 'trustedIssuers.import', { fileName: exported.fileName, content: exported.content })).toEqual({ organisations: 2 });
      expect((await call(app, 'trustedIssuers.list', {})).issuers.map((issuer) => [issuer.odsCode, issuer.isThisTrust])).toEqual([['RHQ', true], ['RR8', false]]);
      const { entries } = await call(app, 'audit.list', { limit: 10 });
      expect(entries).toContainEqual(expect.objectContaining({ operation: 'trustedIssuers.remove', recordIds: ['RR8'], outcome: 'ok' }));
    } finally {
      await app.close();
      removeDir(appDir);
    }
  });
});
