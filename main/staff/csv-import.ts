// Reading a batch-invitation CSV file: the headings, then every row checked by the same rules as
// the form. Pure: the caller adds the checks that need the store (records that already exist).
import { parse } from 'csv-parse/sync';
import { AppError } from '../errors.ts';
import { checkBatch, checkProfile, datePartsFrom, type Profile } from './rules.ts';
import { CSV_COLUMNS, MAX_CSV_ROWS, type CsvColumnKey } from './vocabulary.ts';

export interface Batch {
  staffGroup: string;
  jobRole?: string | undefined;
  employmentType: string;
  employmentStatus: string;
}

export interface RowProblem {
  /** The line of the file, counting the headings as line 1. */
  line: number;
  problems: string[];
}

export interface ReadFile {
  rows: number;
  valid: Array<{ line: number; profile: Profile }>;
  invalid: RowProblem[];
}

const headingKey = (text: string) => text.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
const fileProblem = (message: string) => new AppError('invalid-input', message, { fields: [{ field: 'file', message }] });
const TEMPLATE_HEADINGS = CSV_COLUMNS.map((column) => column.heading).join(', ');

/** What is wrong with the file before reading its rows, if anything. */
function firstLook(fileName: string, content: string): string | null {
  if (fileName.trim() === '') return 'Select a CSV file';
  if (!/\.csv$/i.test(fileName.trim())) return 'The selected file must be a CSV';
  if (content.replace(/^\uFEFF/, '').trim() === '') return 'The selected file is empty';
  // A spreadsheet or a picture read as text carries NUL bytes or undecodable characters.
  // eslint-disable-next-line no-control-regex -- looking for NUL bytes is the point
  if (/[\u0000\uFFFD]/.test(content)) return 'The selected file must be a CSV';
  return null;
}

/** Refuses a file that is not a CSV of the template's shape; otherwise checks every row. */
export function readInvitationFile(fileName: string, content: string, batch: Batch, today: string): ReadFile {
  // The batch choices and the first look at the file are reported together, as one form.
  const problems = checkBatch(batch);
  const first = firstLook(fileName, content);
  if (first) problems.push({ field: 'file', message: first });
  if (problems.length > 0) throw new AppError('invalid-input', 'Some answers need correcting.', { fields: problems });

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw fileProblem(`The selected file could not be read as a CSV${line ? ` (line ${line})` : ''}. Save it as "CSV UTF-8" and try again`);
  }

  const headings = records[0]?.record.map(headingKey) ?? [];
  const positions = new Map<CsvColumnKey, number>();
  for (const column of CSV_COLUMNS) {
    const at = headings.indexOf(column.heading.toLowerCase());
    if (at >= 0) positions.set(column.key, at);
  }
  const unknown = headings.filter((heading) => heading !== '' && !CSV_COLUMNS.some((column) => column.heading.toLowerCase() === heading));
  if (positions.size !== CSV_COLUMNS.length || unknown.length > 0) {
    throw fileProblem(`The first row of the file must be the column headings from the template: ${TEMPLATE_HEADINGS}`);
  }
  const body = records.slice(1);
  if (body.length === 0) throw fileProblem('The selected file has no staff in it. Add a row for each person under the column headings');
  if (body.length > MAX_CSV_ROWS) throw fileProblem(`The selected file has more than ${MAX_CSV_ROWS.toLocaleString('en-GB')} rows. Split it into smaller files`);

  const valid: ReadFile['valid'] = [];
  const invalid: RowProblem[] = [];
  const emails = new Map<string, number>();
  const mobiles = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (key: CsvColumnKey) => record[positions.get(key)!] ?? '';
    const checked = checkProfile(
      {
        firstName: cell('firstName'),
        lastName: cell('lastName'),
        dateOfBirth: datePartsFrom(cell('dateOfBirth')),
        email: cell('email'),
        mobile: cell('mobile'),
        orielPin: cell('orielPin'),
        esrAssignmentNumber: cell('esrAssignmentNumber'),
        ...batch,
      },
      today,
    );
    if (!checked.ok) {
      invalid.push({ line, problems: checked.problems.map((problem) => problem.message) });
      continue;
    }
    const problems: string[] = [];
    const sameEmail = emails.get(checked.value.email);
    const sameMobile = mobiles.get(checked.value.mobile);
    if (sameEmail) problems.push(`The email address is the same as on line ${sameEmail}`);
    if (sameMobile) problems.push(`The mobile phone number is the same as on line ${sameMobile}`);
    emails.set(checked.value.email, sameEmail ?? line);
    mobiles.set(checked.value.mobile, sameMobile ?? line);
    if (problems.length > 0) invalid.push({ line, problems });
    else valid.push({ line, profile: checked.value });
  }
  return { rows: body.length, valid, invalid };
}
