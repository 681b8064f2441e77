// Inviting staff: the single form, duplicates, the invitation messages and the outbox, deletion.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import type { MessageSender, OutgoingMessage } from '../../main/staff/outbox.ts';
import { Clock, TRUST, call, countRows, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { invite, person, type ProfileInput } from '../support/staff.ts';

let dir: string;
let app: StaffPassportApp;
let clock: Clock;

const count = (table: string) => countRows(app, table);

beforeEach(async () => {
  dir = tempDir();
  clock = new Clock();
  app = await startApp(dir, { now: clock.now });
  await setUpTrust(app);
  await signInAdmin(app);
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

describe('inviting one staff member', () => {
  it('creates the record as Invitation sent, source Invited, with its history and two queued messages', async () => {
    const id = await invite(app, person(1, { firstName: '  Zoë ', lastName: "O’Neill-Khan", mobile: '+44 7911 100001', jobRole: 'Staff nurse', esrAssignmentNumber: '12345678', orielPin: '123456' }));
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport).toMatchObject({ status: 'invitation-sent', source: 'invited', list: 'identity', version: 1 });
    expect(passport.profile).toMatchObject({ firstName: 'Zoë', lastName: "O'Neill-Khan", mobile: '+447911100001', mobileDisplay: '07911 100001', esrAssignmentNumber: '12345678', orielPin: '123456', jobRole: 'Staff nurse' });
    expect(passport.history).toEqual([expect.objectContaining({ kind: 'invited', actorName: 'Asha Patel' })]);
    expect(passport.messages.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const email = passport.messages.find((m) => m.channel === 'email')!;
    expect(email.recipient).toBe(person(1).email);
    expect(email.body).toContain('Dear Zoë');
    expect(email.body).toContain(TRUST.trustName);
    expect(passport.actions).toEqual(['resend-invitation', 'check-identity', 'mark-appointment-needed', 'decline-access', 'edit-profile', 'delete']);
  });

  it('delivers the messages through the default sender into the outbox folder, once each', async () => {
    const id = await invite(app, person(2));
    await app.deliverMessages();
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toHaveLength(2);
    const written = files.map((file) => JSON.parse(readFileSync(join(dir, 'outbox', file), 'utf8')) as OutgoingMessage);
    expect(written.map((m) => m.recipient).sort()).toEqual(['+447911100002', person(2).email].sort());
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.messages.every((m) => m.state === 'sent' && m.sentAt)).toBe(true);
    expect(await app.deliverMessages()).toBe(0);
  });

  it('accepts international mobiles and keeps them in international form', async () => {
    const id = await invite(app, person(3, { mobile: '+33 6 12 34 56 78' }));
    expect((await call(app, 'staff.get', { passportId: id })).profile.mobileDisplay).toBe('+33 6 12 34 56 78');
  });

  it('checkInvitation returns the tidied answers and stores nothing', async () => {
    const { profile } = await call(app, 'staff.checkInvitation', { profile: person(4, { email: ' Grace.EVANS@NHS.net ' }) });
    expect(profile).toMatchObject({ email: 'grace.evans@nhs.net', dateOfBirth: '1964-05-05' });
    expect(await count('passports')).toBe(0);
  });
});

describe('bad answers on the invitation form', () => {
  const cases: Array<[string, Partial<ProfileInput>, string, RegExp]> = [
    ['a first name with a symbol', { firstName: 'J@ne' }, 'firstName', /only include letters/],
    ['a missing last name', { lastName: '  ' }, 'lastName', /Enter their last name/],
    ['digits in a name', { lastName: 'Smith2' }, 'lastName', /only include letters/],
    ['a malformed email', { email: 'jane.smith@' }, 'email', /correct format/],
    ['an email with spaces', { email: 'jane smith@nhs.net' }, 'email', /correct format/],
    ['a phone number with letters', { mobile: '07911 12345A' }, 'mobile', /only include numbers/],
    ['a vanity number', { mobile: '0800 FLOWERS' }, 'mobile', /only include numbers/],
    ['a landline', { mobile: '0114 243 4343' }, 'mobile', /not a landline/],
    ['too few digits', { mobile: '07911 123' }, 'mobile', /Enter a mobile phone number/],
    ['a date that does not exist', { dateOfBirth: { day: '31', month: '2', year: '1990' } }, 'dateOfBirth', /must be a real date/],
    ['a date with no month', { dateOfBirth: { day: '3', month: '', year: '1990' } }, 'dateOfBirth', /must include a month/],
    ['a two-digit year', { dateOfBirth: { day: '3', month: '4', year: '90' } }, 'dateOfBirth', /Year must include 4 numbers/],
    ['a future date of birth', { dateOfBirth: { day: '1', month: '1', year: '2030' } }, 'dateOfBirth', /must be in the past/],
    ['someone under 16', { dateOfBirth: { day: '23', month: '11', year: '2010' } }, 'dateOfBirth', /16 or older/],
    ['a date before 1900', { dateOfBirth: { day: '1', month: '1', year: '1899' } }, 'dateOfBirth', /after 1900/],
    ['an unknown staff group', { staffGroup: 'wizards' }, 'staffGroup', /Select their staff group/],
    ['no employment type', { employmentType: '' }, 'employmentType', /Select their employment type/],
    ['an unknown employment status', { employmentStatus: 'retired' }, 'employmentStatus', /Select their employment status/],
    ['a 7-digit ESR assignment number', { esrAssignmentNumber: '1234567' }, 'esrAssignmentNumber', /8 numbers/],
    ['an Oriel PIN with letters', { orielPin: 'AB123' }, 'orielPin', /only include numbers/],
    ['a job role with symbols', { jobRole: 'Nurse <script>' }, 'jobRole', /simple punctuation/],
  ];
  for (const [what, change, field, message] of cases) {
    it(`refuses ${what}, storing nothing`, async () => {
      for (const op of ['staff.checkInvitation', 'staff.invite'] as const) {
        const error = await refused(app, op, { profile: person(5, change) });
        expect(error.code).toBe('invalid-input');
        expect(error.fields).toContainEqual({ field, message: expect.stringMatching(message) });
      }
      expect(await count('passports')).toBe(0);
      expect(await count('outbox_messages')).toBe(0);
    });
  }

  it('is 16 on the birthday itself', async () => {
    // The clock says 22 November 2026.
    await invite(app, person(6, { dateOfBirth: { day: '22', month: '11', year: '2010' } }));
  });

  it('reports every problem at once', async () => {
    const error = await refused(app, 'staff.invite', { profile: person(7, { firstName: '', email: 'x', mobile: 'abc', staffGroup: '' }) });
    expect(error.fields.map((f) => f.field)).toEqual(['firstName', 'email', 'mobile', 'staffGroup']);
  });

  it('refuses fields it does not know and oversized values', async () => {
    expect((await refused(app, 'staff.invite', { profile: { ...person(8), nhsNumber: '1' } })).code).toBe('invalid-input');
    expect((await refused(app, 'staff.invite', { profile: person(8, { firstName: 'A'.repeat(5000) }) })).code).toBe('invalid-input');
    expect(await count('passports')).toBe(0);
  });
});

describe('duplicates', () => {
  it('refuses the same email or mobile on a record that exists, naming that record', async () => {
    await invite(app, person(10, { firstName: 'Jane', lastName: 'Smith', dateOfBirth: { day: '1', month: '3', year: '1990' } }));
    const sameEmail = await refused(app, 'staff.invite', { profile: person(11, { email: person(10).email.toUpperCase() }) });
    expect(sameEmail.fields).toEqual([{ field: 'email', message: 'There is already a record with this email address: Jane Smith, born 1 March 1990 (Invitation sent)' }]);
    const sameMobile = await refused(app, 'staff.checkInvitation', { profile: person(11, { mobile: '+447911100010' }) });
    expect(sameMobile.fields).toEqual([{ field: 'mobile', message: expect.stringContaining('Jane Smith') }]);
    expect(await count('passports')).toBe(1);
  });

  it('after deletion the same email can be invited again, and the audit keeps what happened', async () => {
    const id = await invite(app, person(12));
    await call(app, 'staff.delete', { passportId: id, version: 1 });
    expect((await refused(app, 'staff.get', { passportId: id })).code).toBe('not-found');
    expect(await count('passport_events')).toBe(0);
    expect(await count('outbox_messages')).toBe(0);
    const again = await invite(app, person(12));
    expect(again).not.toBe(id);
    const { entries } = await call(app, 'audit.list', { limit: 20 });
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'staff.delete', recordIds: [id], outcome: 'ok' }));
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'staff.invite', recordIds: [id], outcome: 'ok' }));
  });
});

describe('resending', () => {
  it('queues the messages again and adds an event to the history', async () => {
    const id = await invite(app, person(20));
    clock.advanceMinutes(10);
    await call(app, 'staff.resendInvitation', { passportId: id });
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.history.map((e) => e.kind)).toEqual(['invitation-resent', 'invited']);
    expect(passport.messages).toHaveLength(4);
    expect(passport.status).toBe('invitation-sent');
  });

  it('is refused once access has been declined', async () => {
    const id = await invite(app, person(21));
    await call(app, 'staff.declineAccess', { passportId: id, version: 1, reason: 'not-new-starter' });
    expect((await refused(app, 'staff.resendInvitation', { passportId: id })).code).toBe('conflict');
    expect((await call(app, 'staff.get', { passportId: id })).messages).toHaveLength(2);
  });
});

describe('the outbox never loses a message', () => {
  it('keeps a message queued while the sender fails, retries later, and still has it after a restart', async () => {
    let failing = true;
    const sent: OutgoingMessage[] = [];
    const sender: MessageSender = {
      name: 'test gateway',
      send: async (message) => {
        if (failing) throw new Error('gateway unreachable');
        sent.push(message);
      },
    };
    await app.close();
    app = await startApp(dir, { now: clock.now, sender });
    await signInAdmin(app);
    const id = await invite(app, person(30));
    await app.deliverMessages();
    let passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.messages.map((m) => m.state)).toEqual(['queued', 'queued']);
    // Not due again yet: nothing is tried.
    expect(await app.deliverMessages()).toBe(0);

    // The app stops (or crashes) with the messages queued; they are still there when it starts.
    await app.close();
    failing = false;
    app = await startApp(dir, { now: clock.now, sender });
    await signInAdmin(app);
    clock.advanceMinutes(2);
    expect(await app.deliverMessages()).toBe(2);
    passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.messages.map((m) => m.state)).toEqual(['sent', 'sent']);
    expect(sent.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  });
});

describe('who may invite', () => {
  it('refuses a signed-out caller and changes nothing', async () => {
    await call(app, 'session.signOut', {});
    expect((await refused(app, 'staff.invite', { profile: person(40) })).code).toBe('not-signed-in');
    await signInAdmin(app);
    expect(await count('passports')).toBe(0);
  });
});


