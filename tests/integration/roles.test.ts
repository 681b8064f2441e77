// Walks every operation in the contract under every kind of caller: signed out, HR user,
// administrator, locked, and a user who must change their password first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, type Access, type OperationName } from '../../main/api/contract.ts';
import { Clock, call, removeDir, setUpTrust, signInAdmin, startApp, tempDir, signInHrUser } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';

type Caller = 'signed-out' | 'hr' | 'administrator' | 'locked' | 'must-change-password';
const callers: Caller[] = ['signed-out', 'hr', 'administrator', 'locked', 'must-change-password'];

function expectedRefusal(access: Access, caller: Caller): string | null {
  if (access === 'public') return null;
  if (caller === 'signed-out') return 'not-signed-in';
  if (access === 'session') return null;
  if (caller === 'locked') return 'locked';
  if (caller === 'must-change-password') return 'password-change-required';
  if (access === 'administrator' && caller === 'hr') return 'forbidden';
  return null;
}


describe('every operation under every caller', () => {
  let dir: string;
  let app: StaffPassportApp;
  const clock = new Clock();
  let hr: { email: string; password: string };
  let fresh: { email: string; password: string };

  beforeAll(async () => {
    dir = tempDir();
    app = await startApp(dir, { now: clock.now });
    await setUpTrust(app);
    await signInAdmin(app);
    const freshUser = await call(app, 'users.add', { name: 'New Person', email: 'new.person@nhs.net', role: 'hr' });
    fresh = { email: 'new.person@nhs.net', password: freshUser.temporaryPassword };
    const { email, password } = await signInHrUser(app);
    hr = { email, password };
    await call(app, 'session.signOut', {});
  });
  afterAll(async () => {
    await app.close();
    removeDir(dir);
  });

  async function become(caller: Caller): Promise<void> {
    await call(app, 'session.signOut', {});
    if (caller === 'signed-out') return;
    if (caller === 'administrator') await signInAdmin(app);
    if (caller === 'hr') await call(app, 'session.signIn', hr);
    if (caller === 'must-change-password') await call(app, 'session.signIn', fresh);
    if (caller === 'locked') {
      await call(app, 'session.signIn', hr);
      clock.advanceMinutes(16);
      expect((await call(app, 'app.status', {})).state).toBe('locked');
    }
  }

  for (const caller of callers) {
    for (const name of Object.keys(operations) as OperationName[]) {
      const access = operations[name].access;
      const expected = expectedRefusal(access, caller);
      it(`${name} (${access}) as ${caller}: ${expected ?? 'let through'}`, async () => {
        await become(caller);
        const before = (await app.dispatch('app.status', {})) as { ok: true; value: unknown };
        // Every input schema is strict, so this reaches validation only if the caller may pass, and
        // is then refused as invalid: the walk never changes anything.
        const result = await app.dispatch(name, { __walk: true });
        if (expected) {
          expect(result).toMatchObject({ ok: false, error: { code: expected } });
          // A refusal changes nothing.
          expect(await app.dispatch('app.status', {})).toEqual(before);
          if (caller !== 'signed-out' || app.vault.isOpen) {
            await become('administrator');
            const { entries } = await call(app, 'audit.list', { limit: 5 });
            expect(entries.some((e) => e.operation === name && e.outcome === 'refused' && e.errorCode === expected)).toBe(true);
          }
        } else if (!result.ok) {
          expect(['not-signed-in', 'locked', 'forbidden', 'password-change-required']).not.toContain(result.error.code);
        }
      });
    }
  }
});
