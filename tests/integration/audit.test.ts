// The audit log: every action and refusal recorded, ids only, append-only, chained by hashes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';

describe('the audit log', () => {
  let dir: string;
  let app: StaffPassportApp;

  beforeEach(async () => {
    dir = tempDir();
    app = await startApp(dir);
    await setUpTrust(app);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('records who, which operation, which records and the outcome, with no personal data', async () => {
    await refused(app, 'users.list', {});
    await signInAdmin(app);
    const { userId } = await call(app, 'users.add', { name: 'Ben Okafor', email: 'ben.okafor@nhs.net', role: 'hr' });
    const { entries } = await call(app, 'audit.list', { limit: 50 });
    const admin = (await call(app, 'app.status', {})).user!.id;
    const ops = entries.map((e) => `${e.operation}:${e.outcome}`);
    expect(ops).toEqual(expect.arrayContaining(['setup.finish:ok', 'users.list:refused', 'session.signIn:ok', 'users.add:ok']));
    expect(entries.find((e) => e.operation === 'users.add')).toMatchObject({ actorUserId: admin, recordIds: [userId], outcome: 'ok' });
    expect(entries.find((e) => e.operation === 'users.list')).toMatchObject({ actorUserId: null, errorCode: 'not-signed-in' });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('ben.okafor');
    expect(text).not.toContain('Okafor');
    expect(text).not.toContain(ADMIN.password);
  });

  it('audits failed sign-ins made before the store was opened', async () => {
    await app.close();
    app = await startApp(dir);
    await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: 'wrong wrong wrong' });
    await refused(app, 'home.summary', {});
    await signInAdmin(app);
    const { entries } = await call(app, 'audit.list', { limit: 10 });
    expect(entries.map((e) => `${e.operation}:${e.outcome}:${e.errorCode}`)).toEqual(
      expect.arrayContaining(['session.signIn:refused:wrong-credentials', 'home.summary:refused:not-signed-in']),
    );
    expect((await call(app, 'audit.verify', {})).ok).toBe(true);
  });

  it('refuses updates and deletes, and verify detects an edited or deleted row', async () => {
    await signInAdmin(app);
    await call(app, 'users.list', {});
    await call(app, 'users.list', {});
    expect(await call(app, 'audit.verify', {})).toMatchObject({ ok: true });
    const knex = app.vault.open.store.knex;
    await expect(knex('audit_log').where({ seq: 2 }).update({ outcome: 'failed' })).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').where({ seq: 2 }).delete()).rejects.toThrow(/append-only/);

    // Someone with the key drops the trigger and edits a row: the chain shows it.
    await knex.raw('DROP TRIGGER audit_log_no_update');
    await knex('audit_log').where({ seq: 2 }).update({ actor_user_id: 'someone-else' });
    expect(await app.vault.open.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'an entry was changed' });
  });

  it('verify detects a deleted row in the middle and at the end', async () => {
    await signInAdmin(app);
    await call(app, 'users.list', {});
    await call(app, 'users.list', {});
    const knex = app.vault.open.store.knex;
    await knex.raw('DROP TRIGGER audit_log_no_delete');
    const last = (await knex('audit_log').max({ seq: 'seq' }).first()) as { seq: number };
    await knex('audit_log').where({ seq: last.seq }).delete();
    expect(await app.vault.open.audit.verify()).toMatchObject({ ok: false, reason: 'the newest entries are missing' });
    await knex('audit_log').where({ seq: 2 }).delete();
    expect(await app.vault.open.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'an entry is missing' });
  });
});
