// The lists, search and filters; the identity check, declining, appointments; profile edits with
// optimistic concurrency; disabling, enabling and deleting a passport; the home counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { Clock, call, countRows, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir, signInHrUser } from '../support/app.ts';
import { BATCH, csvOf, identityCheck, invite, person, version } from '../support/staff.ts';

let dir: string;
let app: StaffPassportApp;
const clock = new Clock();

beforeAll(async () => {
  dir = tempDir();
  app = await startApp(dir, { now: clock.now });
  await setUpTrust(app);
  await signInAdmin(app);
});
afterAll(async () => {
  await app.close();
  removeDir(dir);
});

const count = (table: string) => countRows(app, table);

describe('the identity check, face to face', () => {
  it('records the confirmed identity, moves the record to Credentials pending and makes the credentials due', async () => {
    const p = person(300, { firstName: 'Priya', lastName: 'Sharma' });
    const id = await invite(app, p);
    await call(app, 'staff.confirmIdentity', { passportId: id, version: 1, identity: identityCheck(p) });
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport).toMatchObject({ list: 'pending', status: 'credentials-pending', version: 2, whatIsNeeded: 'Issue identity credential and access key' });
    expect(passport.credentialsDue.map((due) => due.type)).toEqual(['identity', 'access-key']);
    expect(passport.identityCheck).toMatchObject({
      method: 'face-to-face',
      checkedByName: 'Asha Patel',
      firstName: 'Priya',
      middleNames: 'Rose',
      legalGender: 'female',
      address: { line1: '1 Infirmary Road', line2: null, town: 'Sheffield', postcode: 'S6 3DF' },
      document: { type: 'passport', number: '123456789', issuingCountry: 'United Kingdom', expiryDate: '2031-06-01', notes: 'Original seen at the desk' },
    });
    expect(passport.identityCheck!.photo).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(passport.history[0]).toMatchObject({ kind: 'identity-confirmed', actorName: 'Asha Patel' });
    expect(passport.actions).toEqual(['edit-profile', 'disable', 'delete']);
    const pending = await call(app, 'staff.list', { list: 'pending', search: 'priya sharma' });
    expect(pending.rows.map((row) => row.id)).toEqual([id]);
    expect(pending.rows[0]!.whatIsNeeded).toBe('Issue identity credential and access key');
    expect((await call(app, 'staff.list', { list: 'identity', search: 'priya sharma' })).total).toBe(0);
  });

  const bad: Array<[string, Parameters<typeof identityCheck>[1], string, RegExp]> = [
    ['no photo', { photo: { mediaType: 'image/png', base64: '' } }, 'photo', /Upload a photo/],
    ['a photo that is not a picture', { photo: { mediaType: 'image/png', base64: Buffer.from('%PDF-1.7 not a picture').toString('base64') } }, 'photo', /JPG or PNG/],
    ['a photo over 2MB', { photo: { mediaType: 'image/jpeg', base64: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]).toString('base64') } }, 'photo', /smaller than 2MB/],
    ['a postcode that is not one', { address: { line1: '1 Road', town: 'Leeds', postcode: 'LS1' } }, 'address.postcode', /real postcode/],
    ['an expired document', { document: { type: 'passport', number: 'X1', issuingCountry: 'France', expiryDate: { day: '1', month: '1', year: '2020' } } }, 'document.expiryDate', /must be in the future/],
    ['an unknown document type', { document: { type: 'library-card', number: 'X1', issuingCountry: 'France', expiryDate: { day: '1', month: '1', year: '2030' } } }, 'document.type', /Select the document/],
    ['no legal gender', { legalGender: '' }, 'legalGender', /Select their legal gender/],
    ['a nationality with digits', { nationality: 'Brit1sh' }, 'nationality', /only include letters/],
  ];
  for (const [what, change, field, message] of bad) {
    it(`refuses ${what}, changing nothing`, async () => {
      const p = person(310 + bad.findIndex(([w]) => w === what));
      const id = await invite(app, p);
      const error = await refused(app, 'staff.confirmIdentity', { passportId: id, version: 1, identity: identityCheck(p, change) });
      expect(error.fields).toContainEqual({ field, message: expect.stringMatching(message) });
      const passport = await call(app, 'staff.get', { passportId: id });
      expect(passport).toMatchObject({ status: 'invitation-sent', version: 1, identityCheck: null, credentialsDue: [] });
    });
  }
});

describe('declining access and appointments', () => {
  it('declines with a reason and optional detail', async () => {
    const id = await invite(app, person(330));
    await call(app, 'staff.declineAccess', { passportId: id, version: 1, reason: 'identity-not-confirmed', detail: 'Documents did not match' });
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport).toMatchObject({ status: 'access-declined', declined: { reason: 'identity-not-confirmed', detail: 'Documents did not match' } });
    expect(passport.history[0]!.summary).toBe('Access declined: Unable to confirm identity. Documents did not match');
    expect(passport.actions).toEqual(['edit-profile', 'delete']);
    expect((await refused(app, 'staff.confirmIdentity', { passportId: id, version: 2, identity: identityCheck(person(330)) })).code).toBe('conflict');
  });

  it('needs a reason, and detail when the reason is Other', async () => {
    const id = await invite(app, person(331));
    expect((await refused(app, 'staff.declineAccess', { passportId: id, version: 1, reason: '' })).fields).toEqual([{ field: 'reason', message: 'Select why you are declining access' }]);
    expect((await refused(app, 'staff.declineAccess', { passportId: id, version: 1, reason: 'other', detail: ' ' })).fields).toEqual([{ field: 'detail', message: 'Enter why you are declining access' }]);
    expect((await call(app, 'staff.get', { passportId: id })).status).toBe('invitation-sent');
  });

  it('marks Appointment needed, after which the identity can still be checked face to face', async () => {
    const p = person(332);
    const id = await invite(app, p);
    await call(app, 'staff.markAppointmentNeeded', { passportId: id, version: 1 });
    expect((await call(app, 'staff.get', { passportId: id })).status).toBe('appointment-needed');
    expect((await refused(app, 'staff.markAppointmentNeeded', { passportId: id, version: 2 })).code).toBe('conflict');
    await call(app, 'staff.confirmIdentity', { passportId: id, version: 2, identity: identityCheck(p) });
    expect((await call(app, 'staff.get', { passportId: id })).status).toBe('credentials-pending');
  });
});

describe('editing a profile', () => {
  it('saves the changes and writes each one in the history', async () => {
    const p = person(340);
    const id = await invite(app, p);
    clock.advanceMinutes(1);
    expect(await call(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, email: ` ${p.email.toUpperCase()} ` } })).toEqual({ changed: 0 });
    const saved = await call(app, 'staff.updateProfile', {
      passportId: id,
      version: 1,
      profile: { ...p, lastName: 'Okonkwo', mobile: '07912 345340', staffGroup: 'medical-dental', professionalBody: 'GMC', registrationNumber: '7654321' },
    });
    expect(saved).toEqual({ changed: 5 });
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.version).toBe(2);
    expect(passport.history[0]).toMatchObject({ kind: 'profile-updated', actorName: 'Asha Patel' });
    expect(passport.history[0]!.changes).toEqual([
      { field: 'Last name', from: p.lastName, to: 'Okonkwo' },
      { field: 'Mobile phone number', from: '07911 100340', to: '07912 345340' },
      { field: 'Staff group', from: 'Nursing and Midwifery Registered', to: 'Medical and Dental' },
      { field: 'Professional body', from: '(none)', to: 'General Medical Council (GMC)' },
      { field: 'Registration number', from: '(none)', to: '7654321' },
    ]);
    expect((await call(app, 'staff.list', { list: 'all', search: '7654' })).rows.map((row) => row.id)).toEqual([id]);
  });

  it('validates the same way, including registration numbers for each body', async () => {
    const p = person(341);
    const id = await invite(app, p);
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ professionalBody: 'NMC', registrationNumber: '1234567' }, 'registrationNumber', /like 12A3456E/],
      [{ professionalBody: 'HCPC', registrationNumber: '12345' }, 'registrationNumber', /like PA12345/],
      [{ professionalBody: 'GMC', registrationNumber: '' }, 'registrationNumber', /Enter their registration number/],
      [{ professionalBody: '', registrationNumber: '1234567' }, 'professionalBody', /Select the professional body/],
      [{ email: 'bad@' }, 'email', /correct format/],
    ];
    for (const [change, field, message] of cases) {
      const error = await refused(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, ...change } });
      expect(error.fields).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    await call(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, professionalBody: 'NMC', registrationNumber: '12a3456e' } });
    expect((await call(app, 'staff.get', { passportId: id })).profile.registrationNumber).toBe('12A3456E');
  });

  it('refuses an email or mobile that another record holds', async () => {
    const other = person(342);
    await invite(app, other);
    const p = person(343);
    const id = await invite(app, p);
    const error = await refused(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, email: other.email } });
    expect(error.fields).toEqual([{ field: 'email', message: expect.stringContaining('There is already a record with this email address') }]);
  });

  it('refuses the second of two saves made from the same version, naming who changed it and when', async () => {
    const p = person(344);
    const id = await invite(app, p);
    // Two HR users open the record at version 1; Hana saves first.
    await signInHrUser(app);
    clock.advanceMinutes(4);
    const savedAt = clock.now().toISOString().slice(11, 16); // London is on UTC in November
    await call(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, firstName: 'Hanna' } });
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
    const stale = await refused(app, 'staff.updateProfile', { passportId: id, version: 1, profile: { ...p, jobRole: 'Ward manager' } });
    expect(stale.code).toBe('stale-record');
    expect(stale.message).toBe(`This record was changed by Hana Ruiz at ${savedAt} on 22 November 2026. Go back to the record to see the change, then try again.`);
    const passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.profile).toMatchObject({ firstName: 'Hanna', jobRole: null });
    // Status changes and deletion are guarded the same way.
    expect((await refused(app, 'staff.declineAccess', { passportId: id, version: 1, reason: 'not-new-starter' })).code).toBe('stale-record');
    expect((await refused(app, 'staff.delete', { passportId: id, version: 1 })).code).toBe('stale-record');
    expect((await call(app, 'staff.get', { passportId: id })).status).toBe('invitation-sent');
  });
});

describe('disabling, enabling and deleting a passport', () => {
  it('disables and re-enables to the status it had, with both in the history', async () => {
    const p = person(350);
    const id = await invite(app, p);
    await call(app, 'staff.confirmIdentity', { passportId: id, version: 1, identity: identityCheck(p) });
    await call(app, 'staff.disable', { passportId: id, version: 2 });
    let passport = await call(app, 'staff.get', { passportId: id });
    expect(passport).toMatchObject({ status: 'disabled', list: 'pending', actions: ['edit-profile', 'enable', 'delete'] });
    expect((await call(app, 'staff.list', { list: 'pending', status: ['disabled'] })).rows.map((row) => row.id)).toContain(id);
    await call(app, 'staff.enable', { passportId: id, version: 3 });
    passport = await call(app, 'staff.get', { passportId: id });
    expect(passport.status).toBe('credentials-pending');
    expect(passport.history.slice(0, 2).map((e) => e.kind)).toEqual(['enabled', 'disabled']);
  });

  it('cannot disable a record that has no passport yet, or enable one that is not disabled', async () => {
    const id = await invite(app, person(351));
    expect((await refused(app, 'staff.disable', { passportId: id, version: 1 })).code).toBe('conflict');
    expect((await refused(app, 'staff.enable', { passportId: id, version: 1 })).code).toBe('conflict');
  });

  it('deletes this trust’s record with its identity check and history', async () => {
    const p = person(352);
    const id = await invite(app, p);
    await call(app, 'staff.confirmIdentity', { passportId: id, version: 1, identity: identityCheck(p) });
    const checks = await count('identity_checks');
    await call(app, 'staff.delete', { passportId: id, version: await version(app, id) });
    expect(await count('identity_checks')).toBe(checks - 1);
    expect((await refused(app, 'staff.get', { passportId: id })).code).toBe('not-found');
  });
});

describe('lists, search, filters and counters', () => {
  let fresh: StaffPassportApp;
  let freshDir: string;

  beforeAll(async () => {
    freshDir = tempDir();
    fresh = await startApp(freshDir, { now: clock.now });
    await setUpTrust(fresh);
    await signInAdmin(fresh);
    // 30 permanent staff by form-like import, 12 temporary movers, a few through the identity check.
    await call(fresh, 'staff.import', { fileName: 'a.csv', content: csvOf(Array.from({ length: 30 }, (_, n) => person(430 + n))), batch: { ...BATCH, employmentType: 'permanent-or-fixed-term', employmentStatus: 'current-or-leaver', staffGroup: 'nursing-midwifery-registered' } });
    await call(fresh, 'staff.import', { fileName: 'b.csv', content: csvOf(Array.from({ length: 12 }, (_, n) => person(500 + n))), batch: BATCH });
    const { rows } = await call(fresh, 'staff.list', { list: 'identity', search: 'amina', pageSize: 100 });
    for (const row of rows.slice(0, 3)) {
      const p = await call(fresh, 'staff.get', { passportId: row.id });
      await call(fresh, 'staff.confirmIdentity', { passportId: row.id, version: p.version, identity: identityCheck({ ...person(0), firstName: p.profile.firstName, lastName: p.profile.lastName }) });
    }
    const second = (await call(fresh, 'staff.list', { list: 'identity', search: 'oliver' })).rows[0]!;
    await call(fresh, 'staff.markAppointmentNeeded', { passportId: second.id, version: 1 });
  });
  afterAll(async () => {
    await fresh.close();
    removeDir(freshDir);
  });

  it('searches by full or partial name, any case, accents and apostrophes aside', async () => {
    const all = await call(fresh, 'staff.list', { list: 'all', pageSize: 100 });
    expect(all.total).toBe(42);
    const oneill = await call(fresh, 'staff.list', { list: 'all', search: 'ONEILL', pageSize: 100 });
    expect(oneill.rows.length).toBeGreaterThan(0);
    expect(oneill.rows.every((row) => row.lastName === "O'Neill")).toBe(true);
    const partial = await call(fresh, 'staff.list', { list: 'all', search: 'siob', pageSize: 100 });
    expect(partial.rows.every((row) => row.firstName === 'Siobhan')).toBe(true);
    const full = await call(fresh, 'staff.list', { list: 'all', search: 'Siobhan Smith', pageSize: 100 });
    expect(full.rows.map((row) => `${row.firstName} ${row.lastName}`)).toEqual(['Siobhan Smith']);
    expect((await call(fresh, 'staff.list', { list: 'all', search: '%' })).total).toBe(0);
  });

  it('combines filters (AND across, OR within) and clearing them brings everything back', async () => {
    const movers = await call(fresh, 'staff.list', { list: 'identity', employmentType: ['temporary-mover'], pageSize: 100 });
    expect(movers.rows.every((row) => row.employmentType === 'temporary-mover')).toBe(true);
    const both = await call(fresh, 'staff.list', { list: 'identity', employmentType: ['temporary-mover'], status: ['appointment-needed'], pageSize: 100 });
    expect(both.rows.every((row) => row.employmentType === 'temporary-mover' && row.status === 'appointment-needed')).toBe(true);
    const either = await call(fresh, 'staff.list', { list: 'identity', status: ['appointment-needed', 'invitation-sent'], pageSize: 100 });
    const identity = await call(fresh, 'staff.list', { list: 'identity', pageSize: 100 });
    expect(either.total).toBe(identity.total);
    expect((await call(fresh, 'staff.list', { list: 'identity', source: ['self-sign-up'] })).total).toBe(0);
    expect(identity.total).toBe(39);
  });

  it('refuses filter values that are not in the lists, and page sizes over 100', async () => {
    expect((await refused(fresh, 'staff.list', { list: 'identity', status: ['everyone'] })).fields[0]!.field).toBe('status.0');
    expect((await refused(fresh, 'staff.list', { list: 'identity', staffGroup: ["' OR 1=1 --"] })).code).toBe('invalid-input');
    expect((await refused(fresh, 'staff.list', { list: 'identity', pageSize: 30_000 })).code).toBe('invalid-input');
    expect((await refused(fresh, 'staff.list', { list: 'archive' })).code).toBe('invalid-input');
  });

  it('pages through a list in name order, never repeating a row', async () => {
    const first = await call(fresh, 'staff.list', { list: 'identity', pageSize: 25, page: 1 });
    const second = await call(fresh, 'staff.list', { list: 'identity', pageSize: 25, page: 2 });
    expect(first.rows).toHaveLength(25);
    expect(second.rows).toHaveLength(14);
    const ids = [...first.rows, ...second.rows].map((row) => row.id);
    expect(new Set(ids).size).toBe(39);
    const names = [...first.rows, ...second.rows].map((row) => `${row.lastName} ${row.firstName}`.toLowerCase().replace(/['-]/g, ''));
    expect(names).toEqual([...names].sort());
  });

  it('counts the home queues from the same data as the lists', async () => {
    const counters = await call(fresh, 'home.summary', {});
    const total = async (list: 'identity' | 'pending', status: string) => (await call(fresh, 'staff.list', { list, status: [status] })).total;
    expect(counters).toEqual({
      invitationsPending: await total('identity', 'invitation-sent'),
      identitiesToVerify: await total('identity', 'identity-to-verify'),
      appointmentsToComplete: await total('identity', 'appointment-needed'),
      awaitingCredentials: await total('pending', 'credentials-pending'),
    });
    expect(counters).toEqual({ invitationsPending: 38, identitiesToVerify: 0, appointmentsToComplete: 1, awaitingCredentials: 3 });
  });
});
