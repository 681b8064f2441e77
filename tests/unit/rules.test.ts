// Pure rules: password policy, ODS codes, recovery codes, the door's role check, setting layers.
import { describe, expect, it } from 'vitest';
import { odsCodeSchema, passwordProblems } from '../../main/api/contract.ts';
import { refusal } from '../../main/api/dispatcher.ts';
import { newRecoveryCode, normaliseRecoveryCode, emailLookup } from '../../main/platform/keyslots.ts';
import { validateLayer } from '../../main/platform/config.ts';

describe('password policy', () => {
  it.each([
    ['short', 'Password must be 12 characters or more'],
    ['password1234', 'Password is too easy to guess. Use 3 or more random words'],
    ['aaaaaaaaaaaaaaa', 'Password is too easy to guess. Use 3 or more random words'],
    ['asha.patel-is-great', 'Password must not contain your email address'],
  ])('refuses %s', (password, message) => {
    expect(passwordProblems(password, 'asha.patel@nhs.net')).toContain(message);
  });
  it('accepts three random words', () => {
    expect(passwordProblems('correct horse battery staple', 'asha.patel@nhs.net')).toEqual([]);
  });
});

describe('ODS codes', () => {
  it.each(['RHQ', 'rhq', ' RJ1 ', 'RHQ01', '00L'])('accepts %s', (code) => {
    expect(odsCodeSchema.safeParse(code).success).toBe(true);
  });
  it.each(['', 'R', 'RH', 'RHQ0', 'RHQ012', 'R!Q', 'RH Q'])('refuses %j', (code) => {
    expect(odsCodeSchema.safeParse(code).success).toBe(false);
  });
  it('upper-cases', () => {
    expect(odsCodeSchema.parse(' rhq ')).toBe('RHQ');
  });
});

describe('recovery codes', () => {
  it('are 160 random bits in eight groups of four, without I, L, O or U', () => {
    const codes = new Set(Array.from({ length: 50 }, newRecoveryCode));
    expect(codes.size).toBe(50);
    for (const code of codes) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  });
  it('survive case, spaces and look-alike letters when typed back', () => {
    expect(normaliseRecoveryCode('abc0-1lo1 ')).toBe('ABC01101');
  });
  it('slots are found by a hash of the email, not the email', () => {
    expect(emailLookup(' Asha.Patel@NHS.net')).toBe(emailLookup('asha.patel@nhs.net'));
    expect(emailLookup('asha.patel@nhs.net')).not.toContain('asha');
  });
});

describe('the door', () => {
  const user = (role: 'administrator' | 'hr', mustChangePassword = false) => ({ id: '7d3f1f5e-6d1c-4a8e-9f53-0c9a0d0b8e11', name: 'A', email: 'a@nhs.net', role, mustChangePassword });
  it('lets public operations through for anyone', () => {
    expect(refusal('public', { user: null, locked: false })).toBeNull();
  });
  it('refuses by role, lock and pending password change', () => {
    expect(refusal('hr', { user: null, locked: false })?.code).toBe('not-signed-in');
    expect(refusal('hr', { user: user('hr'), locked: true })?.code).toBe('locked');
    expect(refusal('session', { user: user('hr'), locked: true })).toBeNull();
    expect(refusal('hr', { user: user('hr', true), locked: false })?.code).toBe('password-change-required');
    expect(refusal('administrator', { user: user('hr'), locked: false })?.code).toBe('forbidden');
    expect(refusal('administrator', { user: user('administrator'), locked: false })).toBeNull();
    expect(refusal('hr', { user: user('administrator'), locked: false })).toBeNull();
  });
});

describe('setting layers', () => {
  it('keeps good values and names each bad one', () => {
    const layer = validateLayer({ autoLockMinutes: 30, signInDelaySeconds: -1, colour: 'blue' }, 'File');
    expect(layer.values).toEqual({ autoLockMinutes: 30 });
    expect(layer.problems).toHaveLength(2);
  });
  it('refuses a layer that is not an object', () => {
    expect(validateLayer([1, 2], 'File').problems[0]).toMatch(/not a JSON object/);
  });
});
