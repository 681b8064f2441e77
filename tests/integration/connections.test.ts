// Connections to authoritative systems through the door, in a real encrypted store: who may
// manage them, what is checked, the client key pair (public part exported, private part sealed),
// the event API key (shown once, kept hashed) and optimistic versions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import type { InputOf } from '../../main/api/contract.ts';
import { call, countRows, refused, removeDir, setUpTrust, signInAdmin, signInHrUser, startApp, tempDir } from '../support/app.ts';
import { invite, person } from '../support/staff.ts';
import { linkDirectly } from '../support/systems.ts';

let dir: string;
let app: StaffPassportApp;

export const LEARNING: InputOf<'connections.add'> = {
  name: 'Learning (Kallidus)',
  kind: 'learning',
  baseUrl: 'https://lms.example.nhs.uk/dsp-api/',
  organisation: 'rhq',
  tokenUrl: 'https://lms.example.nhs.uk/oauth2/token',
  clientId: 'staff-passport-rhq',
  operations: ['search-for-employee', 'get-employee-records', 'add-employee-record', 'search-for-employee'],
};

beforeEach(async () => {
  dir = tempDir();
  app = await startApp(dir);
  await setUpTrust(app);
  await signInAdmin(app);
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

describe('connections', () => {
  it('adds a connection with its own key pair and an event API key shown once', async () => {
    const added = await call(app, 'connections.add', LEARNING);
    const [connection] = (await call(app, 'connections.list', {})).connections;
    expect(connection).toMatchObject({
      id: added.connectionId,
      name: 'Learning (Kallidus)',
      kind: 'learning',
      baseUrl: 'https://lms.example.nhs.uk/dsp-api',
      organisation: 'RHQ',
      operations: ['search-for-employee', 'get-employee-records', 'add-employee-record'],
      health: { state: 'unknown', checkedAt: null, message: null },
      version: 1,
    });
    // The public key set holds the public key only, named by the key id the list shows.
    const jwks = JSON.parse(added.jwks.content) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: connection!.keyId, alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(added.jwks.fileName).toBe('learning-kallidus-staff-passport-jwks.json');
    expect(await call(app, 'connections.exportJwks', { connectionId: added.connectionId })).toEqual(added.jwks);

    // Neither the private key nor the API key is in the store as written.
    const row = (await app.vault.open.store.knex('connections').first()) as Record<string, unknown>;
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(added.eventsApiKey);
    expect(row.events_apikey_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain('"d"');
    expect((await app.systems.connectionForApiKey(added.eventsApiKey))?.id).toBe(added.connectionId);
    expect(await app.systems.connectionForApiKey(`${added.eventsApiKey}x`)).toBeUndefined();
  });

  it('answers bad input field by field and stores nothing', async () => {
    const error = await refused(app, 'connections.add', {
      ...LEARNING,
      name: ' ',
      baseUrl: 'http://lms.example.nhs.uk/dsp-api',
      organisation: 'R',
      tokenUrl: 'not a url',
      clientId: 'has spaces',
      operations: [],
    });
    expect(error.code).toBe('invalid-input');
    expect(Object.fromEntries(error.fields.map((field) => [field.field, field.message]))).toEqual({
      name: 'Enter a name for this connection',
      baseUrl: 'The base URL must start with https://',
      organisation: 'Enter an ODS code of 3 or 5 letters and numbers, like RHQ',
      tokenUrl: 'Enter the token URL as a full address, like https://esr.example.nhs.uk/dsp-api',
      clientId: 'The client ID cannot contain spaces or special characters',
      operations: 'Choose at least one thing Staff Passport may do',
    });
    expect((await refused(app, 'connections.add', { ...LEARNING, baseUrl: 'https://user:pw@lms.example.nhs.uk/dsp-api' })).fields[0]?.message).toBe(
      'The base URL cannot contain a user name, password, query or fragment',
    );
    expect((await refused(app, 'connections.add', { ...LEARNING, operations: ['status'] })).code).toBe('invalid-input');
    expect(await countRows(app, 'connections')).toBe(0);
    // The sandbox on this computer may be plain http.
    await call(app, 'connections.add', { ...LEARNING, baseUrl: 'http://127.0.0.1:8600/learning/dsp-api', tokenUrl: 'http://localhost:8600/oauth2/token' });
  });

  it('edits with the version it read, and refuses a stale one', async () => {
    const { connectionId } = await call(app, 'connections.add', LEARNING);
    await call(app, 'connections.update', { ...LEARNING, connectionId, version: 1, name: 'Learning' });
    const stale = await refused(app, 'connections.update', { ...LEARNING, connectionId, version: 1, name: 'Something else' });
    expect(stale.code).toBe('stale-record');
    // A page that sends no usable version is told in plain words, and nothing changes.
    for (const version of [0, 'two', undefined]) {
      const bad = await refused(app, 'connections.update', { ...LEARNING, connectionId, version, name: 'Something else' });
      expect(bad).toMatchObject({ code: 'invalid-input', fields: [{ field: 'version', message: 'The page is out of date. Reload it and try again.' }] });
    }
    const [connection] = (await call(app, 'connections.list', {})).connections;
    expect(connection).toMatchObject({ name: 'Learning', version: 2 });
    // The key pair stays: the system's administrators registered it.
    expect(JSON.parse((await call(app, 'connections.exportJwks', { connectionId })).content)).toEqual(JSON.parse((await call(app, 'connections.exportJwks', { connectionId })).content));
  });

  it('removes a connection, which then cannot be used or changed, and ends the links made through it', async () => {
    const { connectionId, eventsApiKey } = await call(app, 'connections.add', LEARNING);
    const passportId = await invite(app, person(1));
    const { id: adminId } = (await app.vault.open.store.knex('hr_users').first('id')) as { id: string };
    await linkDirectly(app, passportId, connectionId, 'LMS0000042', adminId);
    expect((await refused(app, 'connections.remove', { connectionId, version: 2 })).code).toBe('stale-record');
    expect((await call(app, 'links.list', { passportId })).links).toHaveLength(1);
    await call(app, 'connections.remove', { connectionId, version: 1 });
    expect((await call(app, 'connections.list', {})).connections).toEqual([]);
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);
    expect((await call(app, 'staff.get', { passportId })).history[0]).toMatchObject({
      kind: 'link-removed',
      summary: `Link to ${LEARNING.name} record LMS0000042 ended, because the connection to ${LEARNING.name} was removed`,
    });
    expect((await refused(app, 'connections.exportJwks', { connectionId })).code).toBe('not-found');
    expect((await refused(app, 'connections.test', { connectionId })).code).toBe('not-found');
    expect(await app.systems.connectionForApiKey(eventsApiKey)).toBeUndefined();
    // Kept for the history of links and events made through it.
    expect(await countRows(app, 'connections')).toBe(1);
  });

  it('builds one client per connection version, even when asked for it twice at once', async () => {
    const { connectionId } = await call(app, 'connections.add', LEARNING);
    const [first, second] = await Promise.all([app.systems.client(connectionId), app.systems.client(connectionId)]);
    expect(first).toBe(second);
    expect(await app.systems.client(connectionId)).toBe(first);
    await call(app, 'connections.update', { ...LEARNING, connectionId, version: 1, name: 'Learning' });
    expect(await app.systems.client(connectionId)).not.toBe(first);
  });

  it('makes a new event API key, and the old one stops working at once', async () => {
    const { connectionId, eventsApiKey } = await call(app, 'connections.add', LEARNING);
    const renewed = await call(app, 'connections.newEventsApiKey', { connectionId });
    expect(renewed.eventsApiKey).not.toBe(eventsApiKey);
    expect(await app.systems.connectionForApiKey(eventsApiKey)).toBeUndefined();
    expect((await app.systems.connectionForApiKey(renewed.eventsApiKey))?.id).toBe(connectionId);
  });

  it('lets HR users see connections but not manage them, and audits every change', async () => {
    const { connectionId } = await call(app, 'connections.add', LEARNING);
    await signInHrUser(app);
    expect((await call(app, 'connections.list', {})).connections).toHaveLength(1);
    for (const [op, input] of [
      ['connections.add', LEARNING],
      ['connections.update', { ...LEARNING, connectionId, version: 1 }],
      ['connections.remove', { connectionId, version: 1 }],
      ['connections.exportJwks', { connectionId }],
      ['connections.newEventsApiKey', { connectionId }],
      ['connections.test', { connectionId }],
    ] as const) {
      expect((await refused(app, op, input)).code, op).toBe('forbidden');
    }
    const audit = (await app.vault.open.audit.list({ limit: 50 })).map((entry) => [entry.operation, entry.outcome]);
    expect(audit).toContainEqual(['connections.add', 'ok']);
    expect(audit).toContainEqual(['connections.remove', 'refused']);
  });
});
