// The passports repository: the only code that reads or writes the staff passport tables.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { ListQuery, Counters } from './contract.ts';
import type { IdentityCheck, Profile } from './rules.ts';
import type { ListName, PassportStatus, Source } from './vocabulary.ts';

export interface PassportRecord {
  id: string;
  list: ListName;
  status: PassportStatus;
  status_before_disable: PassportStatus | null;
  source: Source;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  email: string;
  mobile: string;
  staff_group: Profile['staffGroup'];
  job_role: string | null;
  employment_type: Profile['employmentType'];
  employment_status: Profile['employmentStatus'];
  oriel_pin: string | null;
  esr_assignment_number: string | null;
  professional_body: string | null;
  registration_number: string | null;
  decline_reason: string | null;
  decline_detail: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  updated_by_name: string | null;
  version: number;
}

export interface EventRecord {
  seq: number;
  passport_id: string;
  at: string;
  actor_user_id: string | null;
  actor_name: string | null;
  kind: string;
  summary: string;
  detail: string | null;
}

export interface Actor {
  id: string;
  name: string;
}

export interface NewEvent {
  kind: string;
  summary: string;
  changes?: Array<{ field: string; from: string; to: string }>;
}

/** Lower case, accents and apostrophes dropped, hyphens as spaces: "Zoë O'Neill-Khan" → "zoe oneill khan". */
export function searchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[-\s]+/g, ' ')
    .trim();
}

function profileColumns(profile: Profile) {
  return {
    first_name: profile.firstName,
    last_name: profile.lastName,
    date_of_birth: profile.dateOfBirth,
    email: profile.email,
    mobile: profile.mobile,
    staff_group: profile.staffGroup,
    job_role: profile.jobRole,
    employment_type: profile.employmentType,
    employment_status: profile.employmentStatus,
    oriel_pin: profile.orielPin,
    esr_assignment_number: profile.esrAssignmentNumber,
    professional_body: profile.professionalBody,
    registration_number: profile.registrationNumber,
    search_name: searchKey(`${profile.firstName} ${profile.lastName}`),
    sort_key: `${searchKey(profile.lastName)}\u0000${searchKey(profile.firstName)}`,
  };
}

export function profileOf(record: PassportRecord): Profile {
  return {
    firstName: record.first_name,
    lastName: record.last_name,
    dateOfBirth: record.date_of_birth,
    email: record.email,
    mobile: record.mobile,
    staffGroup: record.staff_group,
    jobRole: record.job_role,
    employmentType: record.employment_type,
    employmentStatus: record.employment_status,
    orielPin: record.oriel_pin,
    esrAssignmentNumber: record.esr_assignment_number,
    professionalBody: record.professional_body as Profile['professionalBody'],
    registrationNumber: record.registration_number,
  };
}

const LIKE_ESCAPE = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
// SQLite's default limit is 999 bound values per statement.
const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

export class PassportsRepository {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  async find(id: string): Promise<PassportRecord | undefined> {
    return (await this.knex('passports').where({ id }).first()) as PassportRecord | undefined;
  }

  /** Which of these ids are passports (one small read, for callers that need only to know). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = (await this.knex('passports').whereIn('id', [...new Set(ids)]).pluck('id')) as string[];
    return new Set(found);
  }

  async get(id: string): Promise<PassportRecord> {
    const record = await this.find(id);
    if (!record) throw new AppError('not-found', 'That record does not exist. It may have been deleted.');
    return record;
  }

  /** Records that already hold any of these emails or mobiles. */
  async holding(emails: string[], mobiles: string[]): Promise<PassportRecord[]> {
    const found = new Map<string, PassportRecord>();
    for (const part of chunk(emails, 500)) for (const row of (await this.knex('passports').whereIn('email', part)) as PassportRecord[]) found.set(row.id, row);
    for (const part of chunk(mobiles, 500)) for (const row of (await this.knex('passports').whereIn('mobile', part)) as PassportRecord[]) found.set(row.id, row);
    return [...found.values()];
  }

  async insert(
    entries: Array<{ profile: Profile; status: PassportStatus; list: ListName; source: Source }>,
    actor: Actor,
    at: string,
  ): Promise<string[]> {
    const rows = entries.map((entry) => ({
      id: randomUUID(),
      list: entry.list,
      status: entry.status,
      source: entry.source,
      ...profileColumns(entry.profile),
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      updated_by_name: actor.name,
      version: 1,
    }));
    for (const part of chunk(rows, 30)) await this.knex('passports').insert(part);
    return rows.map((row) => row.id);
  }

  /**
   * Applies a change only if nobody else changed the record since `version` was read; otherwise
   * refuses, naming who changed it and when.
   */
  async update(id: string, version: number, changes: Partial<Record<keyof PassportRecord, unknown>> & { profile?: Profile }, actor: Actor, at: string): Promise<void> {
    const { profile, ...columns } = changes;
    const updated = await this.knex('passports')
      .where({ id, version })
      .update({
        ...(profile ? profileColumns(profile) : {}),
        ...columns,
        updated_at: at,
        updated_by: actor.id,
        updated_by_name: actor.name,
        version: version + 1,
      });
    if (updated === 1) return;
    throw await this.staleError(id);
  }

  async staleError(id: string): Promise<AppError> {
    const current = await this.get(id);
    const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'long', year: 'numeric' })
      .formatToParts(new Date(current.updated_at))
      .reduce<Record<string, string>>((parts, part) => ({ ...parts, [part.type]: part.value }), {});
    return new AppError(
      'stale-record',
      `This record was changed by ${current.updated_by_name ?? 'someone else'} at ${when.hour}:${when.minute} on ${when.day} ${when.month} ${when.year}. Go back to the record to see the change, then try again.`,
    );
  }

  async delete(id: string, version: number): Promise<void> {
    const deleted = await this.knex('passports').where({ id, version }).delete();
    if (deleted !== 1) throw await this.staleError(id);
  }

  async addEvents(passportIds: string[], event: NewEvent, actor: Actor | null, at: string): Promise<void> {
    const rows = passportIds.map((passportId) => ({
      passport_id: passportId,
      at,
      actor_user_id: actor?.id ?? null,
      actor_name: actor?.name ?? null,
      kind: event.kind,
      summary: event.summary,
      detail: event.changes ? JSON.stringify({ changes: event.changes }) : null,
    }));
    for (const part of chunk(rows, 120)) await this.knex('passport_events').insert(part);
  }

  async history(passportId: string): Promise<EventRecord[]> {
    return (await this.knex('passport_events').where({ passport_id: passportId }).orderBy('seq', 'desc')) as EventRecord[];
  }

  async addIdentityCheck(passportId: string, check: IdentityCheck, actor: Actor, at: string): Promise<void> {
    await this.knex('identity_checks').insert({
      passport_id: passportId,
      method: 'face-to-face',
      checked_at: at,
      checked_by: actor.id,
      checked_by_name: actor.name,
      photo: check.photo.bytes,
      photo_media_type: check.photo.mediaType,
      first_name: check.firstName,
      middle_names: check.middleNames,
      last_name: check.lastName,
      date_of_birth: check.dateOfBirth,
      legal_gender: check.legalGender,
      nationality: check.nationality,
      address_line1: check.address.line1,
      address_line2: check.address.line2,
      town: check.address.town,
      postcode: check.address.postcode,
      document_type: check.document.type,
      document_number: check.document.number,
      document_issuing_country: check.document.issuingCountry,
      document_expiry_date: check.document.expiryDate,
      document_notes: check.document.notes,
    });
  }

  async latestIdentityCheck(passportId: string): Promise<Record<string, unknown> | undefined> {
    return (await this.knex('identity_checks').where({ passport_id: passportId }).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  }

  async addCredentialsDue(passportId: string, types: string[], reason: string, at: string): Promise<void> {
    for (const type of types) {
      await this.knex('credentials_due').insert({ passport_id: passportId, credential_type: type, due_since: at, reason }).onConflict(['passport_id', 'credential_type']).ignore();
    }
  }

  async removeCredentialsDue(passportId: string, types: string[]): Promise<void> {
    if (types.length > 0) await this.knex('credentials_due').where({ passport_id: passportId }).whereIn('credential_type', types).delete();
  }

  async credentialsDue(passportIds: string[]): Promise<Array<{ passport_id: string; credential_type: string; due_since: string; reason: string }>> {
    if (passportIds.length === 0) return [];
    return (await this.knex('credentials_due').whereIn('passport_id', passportIds).orderBy('id')) as Array<{ passport_id: string; credential_type: string; due_since: string; reason: string }>;
  }

  /** One page of a list, with the filters combined (AND across filters, OR within one). */
  async page(query: ListQuery): Promise<{ rows: PassportRecord[]; total: number }> {
    const base = this.knex('passports');
    if (query.list !== 'all') base.where('list', query.list);
    // Each word must match a name, or the start of a registration number.
    for (const word of searchKey(query.search ?? '').split(' ').filter(Boolean)) {
      const like = `%${LIKE_ESCAPE(word)}%`;
      const registration = `${LIKE_ESCAPE(word.toUpperCase())}%`;
      base.where((where) => {
        where.whereRaw("search_name LIKE ? ESCAPE '\\'", [like]);
        if (/\d/.test(word)) where.orWhereRaw("registration_number LIKE ? ESCAPE '\\'", [registration]);
      });
    }
    const filters: Array<[keyof ListQuery, string]> = [
      ['status', 'status'],
      ['employmentType', 'employment_type'],
      ['employmentStatus', 'employment_status'],
      ['source', 'source'],
      ['staffGroup', 'staff_group'],
    ];
    for (const [key, column] of filters) {
      const values = query[key] as string[] | undefined;
      if (values && values.length > 0) base.whereIn(column, values);
    }
    const [{ total }] = (await base.clone().count({ total: '*' })) as [{ total: number }];
    // The page's ids first (from the index alone), then only those rows.
    const ids = (await base
      .select('id')
      .orderBy([{ column: 'sort_key' }, { column: 'id' }])
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)) as Array<{ id: string }>;
    const found = (await this.knex('passports').whereIn('id', ids.map((row) => row.id))) as PassportRecord[];
    const byId = new Map(found.map((row) => [row.id, row]));
    return { rows: ids.map((row) => byId.get(row.id)!).filter(Boolean), total: Number(total) };
  }

  async counters(): Promise<Counters> {
    const rows = (await this.knex('passports').select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: PassportStatus; n: number }>;
    const of = (status: PassportStatus) => Number(rows.find((row) => row.status === status)?.n ?? 0);
    return {
      invitationsPending: of('invitation-sent'),
      identitiesToVerify: of('identity-to-verify'),
      appointmentsToComplete: of('appointment-needed'),
      awaitingCredentials: of('credentials-pending'),
    };
  }
}
