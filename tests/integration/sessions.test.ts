// Sign-in, inactivity lock, slowing down wrong passwords, and the users an administrator manages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, Clock, call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';

describe('sessions', () => {
  let dir: string;
  let app: StaffPassportApp;
  let clock: Clock;

  beforeEach(async () => {
    dir = tempDir();
    clock = new Clock();
    app = await startApp(dir, { now: clock.now });
    await setUpTrust(app);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('locks after 15 minutes without activity by default, and unlocks with the password', async () => {
    await signInAdmin(app);
    const events: string[] = [];
    app.onEvent((name, payload) => events.push(`${name}:${(payload as { state?: string }).state ?? ''}`));
    clock.advanceMinutes(14);
    await call(app, 'home.summary', {}); // activity resets the timer
    clock.advanceMinutes(14);
    await app.tick();
    expect((await call(app, 'app.status', {})).state).toBe('signed-in');
    clock.advanceMinutes(15);
    await app.tick();
    expect(events).toContain('session.changed:locked');
    expect((await refused(app, 'home.summary', {})).code).toBe('locked');
    expect((await refused(app, 'session.unlock', { password: 'not my password' })).code).toBe('wrong-credentials');
    await call(app, 'session.unlock', { password: ADMIN.password });
    await call(app, 'home.summary', {});
  });

  it('locks on request, as when leaving the desk', async () => {
    await signInAdmin(app);
    expect((await call(app, 'session.lock', {})).state).toBe('locked');
    expect((await refused(app, 'users.list', {})).code).toBe('locked');
    await call(app, 'session.unlock', { password: ADMIN.password });
    await call(app, 'users.list', {});
  });

  it('uses a configured lock time', async () => {
    await signInAdmin(app);
    await call(app, 'settings.update', { autoLockMinutes: 2 });
    clock.advanceMinutes(2);
    expect((await call(app, 'app.status', {})).state).toBe('locked');
  });

  it('slows down repeated wrong passwords and audits every failure', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: `wrong password ${i}` })).code).toBe('wrong-credentials');
    }
    // Now even the right password must wait.
    const blocked = await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    expect(blocked.code).toBe('too-many-attempts');
    expect(blocked.retryAfterSeconds).toBe(30);
    clock.advanceMinutes(0.5);
    // One more wrong one doubles the wait.
    await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: 'wrong again here' });
    expect((await refused(app, 'session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password })).retryAfterSeconds).toBe(60);
    clock.advanceMinutes(1);
    await signInAdmin(app);
    const { entries } = await call(app, 'audit.list', { limit: 50 });
    expect(entries.filter((e) => e.operation === 'session.signIn' && e.errorCode === 'wrong-credentials')).toHaveLength(6);
    expect(entries.filter((e) => e.operation === 'session.signIn' && e.errorCode === 'too-many-attempts')).toHaveLength(2);
  });

  it('lets an administrator add users, change roles, deactivate and reset passwords', async () => {
    await signInAdmin(app);
    const admin = (await call(app, 'app.status', {})).user!;
    const { userId, temporaryPassword } = await call(app, 'users.add', { name: 'Ben Okafor', email: 'Ben.Okafor@NHS.net', role: 'hr' });
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(20);
    expect((await refused(app, 'users.add', { name: 'Ben Again', email: 'ben.okafor@nhs.net', role: 'hr' })).code).toBe('conflict');
    expect((await refused(app, 'users.deactivate', { userId: admin.id })).code).toBe('conflict');
    expect((await refused(app, 'users.changeRole', { userId: admin.id, role: 'hr' })).message).toMatch(/only Senior Portal Administrator/);

    await call(app, 'users.changeRole', { userId, role: 'administrator' });
    const { temporaryPassword: reset } = await call(app, 'users.resetPassword', { userId });
    await call(app, 'session.signOut', {});
    expect((await refused(app, 'session.signIn', { email: 'ben.okafor@nhs.net', password: temporaryPassword })).code).toBe('wrong-credentials');
    const status = await call(app, 'session.signIn', { email: 'ben.okafor@nhs.net', password: reset });
    expect(status.user).toMatchObject({ role: 'administrator', mustChangePassword: true });
    expect((await refused(app, 'users.list', {})).code).toBe('password-change-required');
    await call(app, 'session.changePassword', { currentPassword: reset, newPassword: 'granite walrus seven oak', confirmPassword: 'granite walrus seven oak' });
    const { users } = await call(app, 'users.list', {});
    expect(users.map((u) => [u.email, u.role, u.active, u.mustChangePassword])).toEqual([
      [ADMIN.adminEmail, 'administrator', true, false],
      ['ben.okafor@nhs.net', 'administrator', true, false],
    ]);
    // Now there are two administrators, one can step down.
    await call(app, 'users.changeRole', { userId: admin.id, role: 'hr' });
  });

  it('rejects a weak or reused new password with field errors and keeps the old one', async () => {
    await signInAdmin(app);
    const weak = await refused(app, 'session.changePassword', { currentPassword: ADMIN.password, newPassword: 'short', confirmPassword: 'short' });
    expect(weak.fields.map((f) => f.field)).toContain('newPassword');
    const same = await refused(app, 'session.changePassword', { currentPassword: ADMIN.password, newPassword: ADMIN.password, confirmPassword: ADMIN.password });
    expect(same.fields.map((f) => f.message)).toContain('Your new password must be different from your current password');
    const wrong = await refused(app, 'session.changePassword', { currentPassword: 'not the current one', newPassword: 'frost melon quiet river', confirmPassword: 'frost melon quiet river' });
    expect(wrong.fields).toEqual([{ field: 'currentPassword', message: 'Your current password is not correct' }]);
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
  });
});
