// Inviting a batch from a CSV file: the headings, every row checked before anything is stored,
// the summary with line numbers, and all valid rows created in one transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { Clock, call, countRows, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import { BATCH, csvOf, invite, person } from '../support/staff.ts';

let dir: string;
let app: StaffPassportApp;

const count = (table: string) => countRows(app, table);

beforeEach(async () => {
  dir = tempDir();
  app = await startApp(dir, { now: new Clock().now });
  await setUpTrust(app);
  await signInAdmin(app);
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

const five = [0, 1, 2, 3, 4].map((n) => person(100 + n));

describe('a good file', () => {
  it('previews "5 records will be uploaded", then creates all five with the batch choices, storing nothing before', async () => {
    const file = { fileName: 'rotation-august.csv', content: csvOf(five), batch: BATCH };
    expect(await call(app, 'staff.previewImport', file)).toEqual({ rows: 5, valid: 5, invalid: [] });
    expect(await count('passports')).toBe(0);

    const result = await call(app, 'staff.import', file);
    expect(result.created).toBe(5);
    const { rows } = await call(app, 'staff.list', { list: 'identity', employmentType: ['temporary-mover'] });
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.staffGroup === 'medical-dental' && row.status === 'invitation-sent' && row.source === 'invited')).toBe(true);
    const passport = await call(app, 'staff.get', { passportId: result.passportIds[0]! });
    expect(passport.profile.jobRole).toBe('Foundation doctor');
    expect(passport.history[0]!.summary).toContain('rotation-august.csv');
    expect(await count('outbox_messages')).toBe(10);
    const { entries } = await call(app, 'audit.list', { limit: 5 });
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'staff.import', recordIds: result.passportIds }));
  });

  it('reads Excel-style files: a byte-order mark, quoted cells, ISO dates, headings in any order and case', async () => {
    const content = '\uFEFFlast name,FIRST NAME,Email address,Mobile phone number,Date of birth,Oriel PIN,ESR assignment number\n"Smith, Jr",Anne,anne@nhs.net,07911 200001,1990-01-31,,\n';
    // A comma inside a surname is a symbol, so that row is refused; the file itself is read.
    expect((await call(app, 'staff.previewImport', { fileName: 'x.CSV', content, batch: BATCH })).invalid).toEqual([{ line: 2, problems: ['Last name must only include letters, spaces, hyphens and apostrophes'] }]);
    const good = content.replace('"Smith, Jr"', 'Smith');
    expect(await call(app, 'staff.previewImport', { fileName: 'x.csv', content: good, batch: BATCH })).toEqual({ rows: 1, valid: 1, invalid: [] });
  });
});

describe('rows that will not be uploaded', () => {
  it('lists each invalid row with its line number and reasons, and uploads only the valid ones', async () => {
    await invite(app, person(200));
    const people = [
      person(201),
      person(202, { firstName: 'B0b' }),
      person(203, { email: 'not-an-email', mobile: '07911 12345X' }),
      person(204),
      person(200, { firstName: 'Again' }), // already has a record
      person(205, { email: person(201).email }), // same email as line 2
      person(206, { dateOfBirth: { day: '30', month: '2', year: '1985' } }),
    ];
    const file = { fileName: 'batch.csv', content: csvOf(people), batch: BATCH };
    const preview = await call(app, 'staff.previewImport', file);
    expect(preview.rows).toBe(7);
    expect(preview.valid).toBe(2);
    expect(preview.invalid).toEqual([
      { line: 3, problems: ['First name must only include letters, spaces, hyphens and apostrophes'] },
      { line: 4, problems: ['Enter an email address in the correct format, like name@example.com', 'Mobile phone number must only include numbers, spaces and a + at the start'] },
      { line: 6, problems: ['There is already a record with this email address: Amina Smith, born 5 September 1960 (Invitation sent)', 'There is already a record with this mobile phone number: Amina Smith, born 5 September 1960 (Invitation sent)'] },
      { line: 7, problems: ['The email address is the same as on line 2'] },
      { line: 8, problems: ['Date of birth must be a real date'] },
    ]);
    const result = await call(app, 'staff.import', file);
    expect(result.created).toBe(2);
    expect(result.invalid).toEqual(preview.invalid);
    expect(await count('passports')).toBe(3);
  });
});

describe('files that are refused whole, storing nothing', () => {
  const header = 'First name,Last name,Date of birth,Email address,Mobile phone number,Oriel PIN,ESR assignment number';
  const cases: Array<[string, { fileName?: string; content: string }, string, RegExp]> = [
    ['a wrong header', { content: 'Forename,Surname,DOB,Email,Phone\nA,B,01/01/1990,a@b.nhs.uk,07911 300000\n' }, 'file', /column headings from the template/],
    ['a missing column', { content: `${header.replace(',Oriel PIN', '')}\nA,B,01/01/1990,a@nhs.net,07911 300000,\n` }, 'file', /column headings from the template/],
    ['an empty file', { content: '' }, 'file', /is empty/],
    ['a file of blank lines', { content: '\n\n  \n' }, 'file', /is empty/],
    ['headings and no staff', { content: `${header}\n` }, 'file', /no staff in it/],
    ['a file that is not CSV (a picture read as text)', { content: '\uFFFDPNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' }, 'file', /must be a CSV/],
    ['a spreadsheet file', { fileName: 'staff.xlsx', content: `${header}\n` }, 'file', /must be a CSV/],
    ['a broken quote', { content: `${header}\n"Ann,Smith,01/01/1990,a@nhs.net,07911 300000,,\n` }, 'file', /could not be read as a CSV/],
    ['10 MB of junk', { content: 'x'.repeat(10 * 1024 * 1024) }, 'content', /smaller than 2MB/],
  ];
  for (const [what, file, field, message] of cases) {
    it(`refuses ${what}`, async () => {
      for (const op of ['staff.previewImport', 'staff.import'] as const) {
        const error = await refused(app, op, { fileName: file.fileName ?? 'staff.csv', content: file.content, batch: BATCH });
        expect(error.code).toBe('invalid-input');
        expect(error.fields).toContainEqual({ field, message: expect.stringMatching(message) });
      }
      expect(await count('passports')).toBe(0);
    });
  }

  it('refuses batch choices that are not in the lists', async () => {
    const error = await refused(app, 'staff.previewImport', { fileName: 'a.csv', content: csvOf(five), batch: { ...BATCH, staffGroup: 'pilots', employmentStatus: '' } });
    expect(error.fields.map((f) => f.field)).toEqual(['staffGroup', 'employmentStatus']);
  });

  it('reports the batch choices and a missing or empty file together', async () => {
    const none = await refused(app, 'staff.previewImport', { fileName: '', content: '', batch: { ...BATCH, employmentType: '' } });
    expect(none.fields).toEqual([
      { field: 'employmentType', message: 'Select the employment type for everyone in the file' },
      { field: 'file', message: 'Select a CSV file' },
    ]);
  });

  it('uploads nothing when no row is valid', async () => {
    const error = await refused(app, 'staff.import', { fileName: 'a.csv', content: csvOf([person(1, { email: 'x' })]), batch: BATCH });
    expect(error.fields).toEqual([{ field: 'file', message: 'There are no valid rows in the file, so nothing was uploaded' }]);
    expect(await count('passports')).toBe(0);
  });
});

describe('one transaction', () => {
  it('stores none of the rows when anything fails part-way through', async () => {
    const knex = app.vault.open.store.knex;
    // Make the 700th history row fail, after 699 passports and events have been written.
    await knex.raw(`CREATE TRIGGER fail_part_way BEFORE INSERT ON passport_events
      WHEN (SELECT count(*) FROM passport_events) >= 699 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const people = Array.from({ length: 1000 }, (_, n) => person(1000 + n));
    const result = await app.dispatch('staff.import', { fileName: 'big.csv', content: csvOf(people), batch: BATCH });
    expect(result.ok).toBe(false);
    expect(await count('passports')).toBe(0);
    expect(await count('outbox_messages')).toBe(0);
    await knex.raw('DROP TRIGGER fail_part_way');
    expect((await call(app, 'staff.import', { fileName: 'big.csv', content: csvOf(people), batch: BATCH })).created).toBe(1000);
    expect(await count('passports')).toBe(1000);
    expect(await count('outbox_messages')).toBe(2000);
  });
});
