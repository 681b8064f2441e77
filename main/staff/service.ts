// The staff passport service: invitations (one by one or from a file), the lists, the person's
// page, identity checks, access decisions, profile edits and status changes. Every change is one
// transaction that also writes the passport's history and any messages it sends.
import type { Knex } from 'knex';
import { AppError, type FieldError } from '../errors.ts';
import type { Counters, ListQuery, PassportAction, PassportRow, PassportView, ProfileView } from './contract.ts';
import { readInvitationFile, type Batch, type RowProblem } from './csv-import.ts';
import { invitationMessages } from './invitations.ts';
import { Outbox } from './outbox.ts';
import { PassportsRepository, profileOf, type Actor, type NewEvent, type PassportRecord } from './passports.ts';
import {
  PROFILE_LABELS,
  checkIdentity,
  checkProfile,
  displayMobile,
  tidy,
  ukToday,
  type IdentityCheckInput,
  type Profile,
  type ProfileInput,
} from './rules.ts';
import {
  CREDENTIALS_DUE_ON_IDENTITY,
  DECLINE_REASONS,
  EMPLOYMENT_STATUSES,
  EMPLOYMENT_TYPES,
  PROFESSIONAL_BODIES,
  STAFF_GROUPS,
  STATUSES,
  labelOf,
  type DeclineReason,
  type PassportStatus,
} from './vocabulary.ts';

export interface StaffServiceDeps {
  knex(): Knex;
  now(): Date;
  trustName(): string;
  /** Called after a change that queued messages has committed. */
  messagesQueued(): void;
  /** Called inside the transaction that changes a passport's ESR assignment number (its ESR link ends). */
  assignmentNumberChanged?(trx: Knex, passportId: string, assignmentNumber: string | null, actor: Actor, at: string): Promise<void>;
}

const invalid = (problems: FieldError[]) => new AppError('invalid-input', 'Some answers need correcting.', { fields: problems });

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
export const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

function statusLabel(status: PassportStatus): string {
  return labelOf(STATUSES, status);
}

/** How a profile value reads in the history. */
function shown(field: keyof Profile, value: string | null): string {
  if (value === null || value === '') return '(none)';
  switch (field) {
    case 'dateOfBirth':
      return longDate(value);
    case 'mobile':
      return displayMobile(value);
    case 'staffGroup':
      return labelOf(STAFF_GROUPS, value);
    case 'employmentType':
      return labelOf(EMPLOYMENT_TYPES, value);
    case 'employmentStatus':
      return labelOf(EMPLOYMENT_STATUSES, value);
    case 'professionalBody':
      return labelOf(PROFESSIONAL_BODIES, value);
    default:
      return value;
  }
}

function whatIsNeeded(record: PassportRecord, due: string[]): string {
  switch (record.status) {
    case 'invitation-sent':
      return 'Check their identity';
    case 'identity-to-verify':
      return 'Confirm their digital identity';
    case 'appointment-needed':
      return 'Check their identity face to face';
    case 'access-declined':
      return 'Nothing: access was declined';
    case 'credentials-pending':
      return due.length > 0 ? `Issue ${due.map((type) => labelOf(CREDENTIALS_DUE_ON_IDENTITY, type).toLowerCase()).join(' and ')}` : 'Provide credentials';
    case 'active':
      return 'Nothing';
    case 'disabled':
      return 'Nothing while disabled';
    case 'deactivated':
      return 'Nothing';
  }
}

function actionsFor(record: PassportRecord): PassportAction[] {
  const actions: PassportAction[] = [];
  const status = record.status;
  if (record.list === 'identity') {
    if (status === 'invitation-sent' || status === 'appointment-needed') actions.push('resend-invitation');
    if (status !== 'access-declined') actions.push('check-identity');
    if (status === 'invitation-sent' || status === 'identity-to-verify') actions.push('mark-appointment-needed');
    if (status !== 'access-declined') actions.push('decline-access');
  }
  actions.push('edit-profile');
  if (record.list !== 'identity' && status !== 'disabled' && status !== 'deactivated') actions.push('disable');
  if (status === 'disabled') actions.push('enable');
  actions.push('delete');
  return actions;
}

function refuseUnless(record: PassportRecord, action: PassportAction): void {
  if (actionsFor(record).includes(action)) return;
  throw new AppError('conflict', `This can't be done while the record's status is "${statusLabel(record.status)}".`);
}

export function profileView(profile: Profile): ProfileView {
  return { ...profile, mobileDisplay: displayMobile(profile.mobile) };
}

function duplicateProblems(profile: Pick<Profile, 'email' | 'mobile'>, holders: PassportRecord[], exceptId?: string): FieldError[] {
  const problems: FieldError[] = [];
  const describe = (record: PassportRecord) => `${record.first_name} ${record.last_name}, born ${longDate(record.date_of_birth)} (${statusLabel(record.status)})`;
  const sameEmail = holders.find((record) => record.email === profile.email && record.id !== exceptId);
  const sameMobile = holders.find((record) => record.mobile === profile.mobile && record.id !== exceptId);
  if (sameEmail) problems.push({ field: 'email', message: `There is already a record with this email address: ${describe(sameEmail)}` });
  if (sameMobile) problems.push({ field: 'mobile', message: `There is already a record with this mobile phone number: ${describe(sameMobile)}` });
  return problems;
}

export class StaffService {
  private readonly deps: StaffServiceDeps;

  constructor(deps: StaffServiceDeps) {
    this.deps = deps;
  }

  private at(): string {
    return this.deps.now().toISOString();
  }

  private today(): string {
    return ukToday(this.deps.now());
  }

  private checkedProfile(input: ProfileInput): Profile {
    const checked = checkProfile(input, this.today());
    if (!checked.ok) throw invalid(checked.problems);
    return checked.value;
  }

  private async transaction<T>(work: (passports: PassportsRepository, trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.deps.knex().transaction(async (trx) => work(new PassportsRepository(trx), trx));
  }

  async checkInvitation(input: ProfileInput): Promise<ProfileView> {
    const profile = this.checkedProfile(input);
    const holders = await new PassportsRepository(this.deps.knex()).holding([profile.email], [profile.mobile]);
    const duplicates = duplicateProblems(profile, holders);
    if (duplicates.length > 0) throw invalid(duplicates);
    return profileView(profile);
  }

  async invite(input: ProfileInput, actor: Actor): Promise<string> {
    const profile = this.checkedProfile(input);
    const at = this.at();
    const id = await this.transaction(async (passports, trx) => {
      const duplicates = duplicateProblems(profile, await passports.holding([profile.email], [profile.mobile]));
      if (duplicates.length > 0) throw invalid(duplicates);
      const [passportId] = await passports.insert([{ profile, status: 'invitation-sent', list: 'identity', source: 'invited' }], actor, at);
      await passports.addEvents([passportId!], { kind: 'invited', summary: 'Invited by email and text message' }, actor, at);
      await Outbox.enqueue(trx, invitationMessages({ passportId: passportId!, ...profile }, this.deps.trustName()), at);
      return passportId!;
    });
    this.deps.messagesQueued();
    return id;
  }

  /** Reads the file and checks every row against the rules and the records that already exist. */
  private async readFile(fileName: string, content: string, batch: Batch, passports: PassportsRepository) {
    const file = readInvitationFile(fileName, content, batch, this.today());
    const holders = await passports.holding(
      file.valid.map((row) => row.profile.email),
      file.valid.map((row) => row.profile.mobile),
    );
    if (holders.length === 0) return file;
    const valid: typeof file.valid = [];
    const invalidRows: RowProblem[] = [...file.invalid];
    for (const row of file.valid) {
      const problems = duplicateProblems(row.profile, holders);
      if (problems.length > 0) invalidRows.push({ line: row.line, problems: problems.map((problem) => problem.message) });
      else valid.push(row);
    }
    invalidRows.sort((a, b) => a.line - b.line);
    return { rows: file.rows, valid, invalid: invalidRows };
  }

  async previewImport(fileName: string, content: string, batch: Batch): Promise<{ rows: number; valid: number; invalid: RowProblem[] }> {
    const file = await this.readFile(fileName, content, batch, new PassportsRepository(this.deps.knex()));
    return { rows: file.rows, valid: file.valid.length, invalid: file.invalid };
  }

  async import(fileName: string, content: string, batch: Batch, actor: Actor): Promise<{ created: number; passportIds: string[]; invalid: RowProblem[] }> {
    const at = this.at();
    const result = await this.transaction(async (passports, trx) => {
      const file = await this.readFile(fileName, content, batch, passports);
      if (file.valid.length === 0) {
        throw new AppError('invalid-input', 'There are no valid rows in the file, so nothing was uploaded.', {
          fields: [{ field: 'file', message: 'There are no valid rows in the file, so nothing was uploaded' }],
        });
      }
      const ids = await passports.insert(
        file.valid.map((row) => ({ profile: row.profile, status: 'invitation-sent' as const, list: 'identity' as const, source: 'invited' as const })),
        actor,
        at,
      );
      await passports.addEvents(ids, { kind: 'invited', summary: `Invited from the file ${tidy(fileName).slice(0, 100)}, by email and text message` }, actor, at);
      const trustName = this.deps.trustName();
      await Outbox.enqueue(trx, file.valid.flatMap((row, i) => invitationMessages({ passportId: ids[i]!, ...row.profile }, trustName)), at);
      return { created: ids.length, passportIds: ids, invalid: file.invalid };
    });
    this.deps.messagesQueued();
    return result;
  }

  async list(query: ListQuery): Promise<{ rows: PassportRow[]; total: number; page: number; pageSize: number }> {
    const passports = new PassportsRepository(this.deps.knex());
    const { rows, total } = await passports.page(query);
    const due = await passports.credentialsDue(rows.filter((row) => row.status === 'credentials-pending').map((row) => row.id));
    return {
      rows: rows.map((record) => ({
        id: record.id,
        firstName: record.first_name,
        lastName: record.last_name,
        dateOfBirth: record.date_of_birth,
        createdAt: record.created_at,
        staffGroup: record.staff_group,
        employmentType: record.employment_type,
        employmentStatus: record.employment_status,
        registrationNumber: record.registration_number,
        professionalBody: record.professional_body,
        list: record.list,
        status: record.status,
        source: record.source,
        whatIsNeeded: whatIsNeeded(record, due.filter((entry) => entry.passport_id === record.id).map((entry) => entry.credential_type)),
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async counters(): Promise<Counters> {
    return new PassportsRepository(this.deps.knex()).counters();
  }

  /** Refuses a passport that does not exist, as get would, without reading the rest of it. */
  async requireExists(passportId: string): Promise<void> {
    await new PassportsRepository(this.deps.knex()).get(passportId);
  }

  async get(passportId: string): Promise<PassportView> {
    const knex = this.deps.knex();
    const passports = new PassportsRepository(knex);
    const record = await passports.get(passportId);
    const [history, due, check, messages] = await Promise.all([
      passports.history(passportId),
      passports.credentialsDue([passportId]),
      passports.latestIdentityCheck(passportId),
      Outbox.forPassport(knex, passportId),
    ]);
    return {
      id: record.id,
      version: record.version,
      list: record.list,
      status: record.status,
      source: record.source,
      createdAt: record.created_at,
      updatedAt: record.updated_at,
      profile: profileView(profileOf(record)),
      declined: record.decline_reason ? { reason: record.decline_reason as DeclineReason, detail: record.decline_detail } : null,
      whatIsNeeded: whatIsNeeded(record, due.map((entry) => entry.credential_type)),
      actions: actionsFor(record),
      identityCheck: check
        ? {
            method: 'face-to-face' as const,
            checkedAt: String(check.checked_at),
            checkedByName: String(check.checked_by_name),
            photo: `data:${String(check.photo_media_type)};base64,${Buffer.from(check.photo as Uint8Array).toString('base64')}`,
            firstName: String(check.first_name),
            middleNames: (check.middle_names as string | null) ?? null,
            lastName: String(check.last_name),
            dateOfBirth: String(check.date_of_birth),
            legalGender: String(check.legal_gender),
            nationality: String(check.nationality),
            address: { line1: String(check.address_line1), line2: (check.address_line2 as string | null) ?? null, town: String(check.town), postcode: String(check.postcode) },
            document: {
              type: String(check.document_type),
              number: String(check.document_number),
              issuingCountry: String(check.document_issuing_country),
              expiryDate: String(check.document_expiry_date),
              notes: (check.document_notes as string | null) ?? null,
            },
          }
        : null,
      credentialsDue: due.map((entry) => ({ type: entry.credential_type as 'identity' | 'access-key', since: entry.due_since, reason: entry.reason })),
      messages: messages.map((message) => ({
        id: message.id,
        channel: message.channel,
        recipient: message.channel === 'sms' ? displayMobile(message.recipient) : message.recipient,
        subject: message.subject,
        body: message.body,
        createdAt: message.created_at,
        state: message.state,
        sentAt: message.sent_at,
      })),
      history: history.map((event) => ({
        seq: event.seq,
        at: event.at,
        actorName: event.actor_name,
        kind: event.kind,
        summary: event.summary,
        changes: event.detail ? ((JSON.parse(event.detail) as { changes?: Array<{ field: string; from: string; to: string }> }).changes ?? []) : [],
      })),
    };
  }

  async resendInvitation(passportId: string, actor: Actor): Promise<void> {
    const at = this.at();
    await this.transaction(async (passports, trx) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'resend-invitation');
      await passports.addEvents([passportId], { kind: 'invitation-resent', summary: 'Invitation sent again by email and text message' }, actor, at);
      await Outbox.enqueue(trx, invitationMessages({ passportId, firstName: record.first_name, email: record.email, mobile: record.mobile }, this.deps.trustName()), at);
    });
    this.deps.messagesQueued();
  }

  async delete(passportId: string, version: number): Promise<void> {
    // The history and queued messages go with the record; the audit log keeps that it happened.
    // A missing record is refused as not found, a changed one as stale (PassportsRepository.delete).
    await new PassportsRepository(this.deps.knex()).delete(passportId, version);
  }

  async confirmIdentity(passportId: string, version: number, input: IdentityCheckInput, actor: Actor): Promise<void> {
    const checked = checkIdentity(input, this.today());
    if (!checked.ok) throw invalid(checked.problems);
    const at = this.at();
    await this.transaction(async (passports) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'check-identity');
      await passports.update(passportId, version, { list: 'pending', status: 'credentials-pending', decline_reason: null, decline_detail: null }, actor, at);
      await passports.addIdentityCheck(passportId, checked.value, actor, at);
      // Issuing them arrives with the wallet: until then the passport shows they are due.
      await passports.addCredentialsDue(passportId, CREDENTIALS_DUE_ON_IDENTITY.map((type) => type.value), 'Identity confirmed face to face', at);
      await passports.addEvents([passportId], { kind: 'identity-confirmed', summary: 'Identity confirmed face to face. Identity credential and access key are due' }, actor, at);
    });
  }

  async declineAccess(passportId: string, version: number, reason: string, detail: string | undefined, actor: Actor): Promise<void> {
    const chosen = DECLINE_REASONS.find((option) => option.value === reason);
    const problems: FieldError[] = [];
    if (!chosen) problems.push({ field: 'reason', message: 'Select why you are declining access' });
    const note = tidy(detail);
    if (chosen?.value === 'other' && note === '') problems.push({ field: 'detail', message: 'Enter why you are declining access' });
    if (problems.length > 0) throw invalid(problems);
    const at = this.at();
    await this.transaction(async (passports) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'decline-access');
      await passports.update(passportId, version, { status: 'access-declined', decline_reason: chosen!.value, decline_detail: note || null }, actor, at);
      await passports.addEvents([passportId], { kind: 'access-declined', summary: `Access declined: ${chosen!.label}${note ? `. ${note}` : ''}` }, actor, at);
    });
  }

  async markAppointmentNeeded(passportId: string, version: number, actor: Actor): Promise<void> {
    const at = this.at();
    await this.transaction(async (passports) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'mark-appointment-needed');
      await passports.update(passportId, version, { status: 'appointment-needed' }, actor, at);
      await passports.addEvents([passportId], { kind: 'appointment-needed', summary: 'Marked as needing a face-to-face identity check appointment' }, actor, at);
    });
  }

  async updateProfile(passportId: string, version: number, input: ProfileInput, actor: Actor): Promise<{ changed: number }> {
    const profile = this.checkedProfile(input);
    const at = this.at();
    return this.transaction(async (passports, trx) => {
      const record = await passports.get(passportId);
      if (record.version !== version) throw await passports.staleError(passportId);
      const duplicates = duplicateProblems(profile, await passports.holding([profile.email], [profile.mobile]), passportId);
      if (duplicates.length > 0) throw invalid(duplicates);
      const before = profileOf(record);
      const changes = (Object.keys(PROFILE_LABELS) as Array<keyof Profile>)
        .filter((field) => (before[field] ?? null) !== (profile[field] ?? null))
        .map((field) => ({ field: PROFILE_LABELS[field], from: shown(field, before[field]), to: shown(field, profile[field]) }));
      if (changes.length === 0) return { changed: 0 };
      await passports.update(passportId, version, { profile }, actor, at);
      if ((before.esrAssignmentNumber ?? null) !== (profile.esrAssignmentNumber ?? null)) {
        await this.deps.assignmentNumberChanged?.(trx, passportId, profile.esrAssignmentNumber ?? null, actor, at);
      }
      await passports.addEvents([passportId], { kind: 'profile-updated', summary: `Profile updated: ${changes.map((change) => change.field.toLowerCase()).join(', ')}`, changes }, actor, at);
      return { changed: changes.length };
    });
  }

  /** Adds an entry to a passport's history inside the caller's transaction (for what other capabilities do to it). */
  /** Credentials that were due (the identity credential, the access key) and are now in the staff member's wallet. */
  async credentialsCollected(trx: Knex, passportId: string, typeIds: string[]): Promise<void> {
    await new PassportsRepository(trx).removeCredentialsDue(passportId, typeIds);
  }

  async recordHistory(trx: Knex, passportId: string, event: NewEvent, actor: Actor | null, at: string): Promise<void> {
    await new PassportsRepository(trx).addEvents([passportId], event, actor, at);
  }

  /**
   * Records the assignment number HR has just confirmed in ESR, inside the caller's transaction,
   * so that the passport's profile and its ESR link agree.
   */
  async recordAssignmentNumber(trx: Knex, passportId: string, assignmentNumber: string, actor: Actor, at: string): Promise<void> {
    const passports = new PassportsRepository(trx);
    const record = await passports.get(passportId);
    const before = profileOf(record);
    if (before.esrAssignmentNumber === assignmentNumber) return;
    await passports.update(passportId, record.version, { profile: { ...before, esrAssignmentNumber: assignmentNumber } }, actor, at);
    const change = { field: PROFILE_LABELS.esrAssignmentNumber, from: shown('esrAssignmentNumber', before.esrAssignmentNumber), to: shown('esrAssignmentNumber', assignmentNumber) };
    await passports.addEvents([passportId], { kind: 'profile-updated', summary: 'ESR assignment number confirmed in ESR', changes: [change] }, actor, at);
  }

  async disable(passportId: string, version: number, actor: Actor): Promise<void> {
    const at = this.at();
    await this.transaction(async (passports) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'disable');
      await passports.update(passportId, version, { status: 'disabled', status_before_disable: record.status }, actor, at);
      await passports.addEvents([passportId], { kind: 'disabled', summary: 'Passport disabled' }, actor, at);
    });
  }

  async enable(passportId: string, version: number, actor: Actor): Promise<void> {
    const at = this.at();
    await this.transaction(async (passports) => {
      const record = await passports.get(passportId);
      refuseUnless(record, 'enable');
      const back = record.status_before_disable ?? (record.list === 'pending' ? 'credentials-pending' : 'active');
      await passports.update(passportId, version, { status: back, status_before_disable: null }, actor, at);
      await passports.addEvents([passportId], { kind: 'enabled', summary: `Passport enabled again: ${statusLabel(back)}` }, actor, at);
    });
  }
}
