// The sandbox: four authoritative systems (ESR, a learning management system, a recruitment system,
// an occupational-health system) implementing the DSP API standard over real HTTP on one port, each
// under its own base path, with the private-key-JWT token endpoint, two organisations, a seeded
// population, switchable faults and event notifications. Tests start it in-process; people run it
// with `npm run sandbox` (cli.ts). See README.md beside this file.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { DSP_STANDARD } from '../../main/systems/dsp-api/standard.ts';
import { dspStandard, type SchemaIssue } from '../../main/systems/dsp-schema.ts';
import type { CoreSkillsTraining, EmployeePersonalDetails, EmployeeRecordGet, EmployeeRecordPost, RecordType } from '../../main/systems/dsp-types.ts';
import { SANDBOX_ORGANISATIONS, SANDBOX_SYSTEMS, type Person, type Population, type SandboxSystem, type SystemEntry } from './model.ts';
import { FaultController, breakSchema, parseFaults, proxyErrorPage, type AnswerFault, type Fault, type FaultOperation } from './faults.ts';
import { OAuthServer, TEST_CLIENT_ID, TEST_CLIENT_JWKS_FILE, TEST_CLIENT_KEY_FILE, parseClientRegistration, testClientRegistration, type ClientRegistration } from './oauth.ts';
import { generatePopulation } from './population.ts';
import { EVENT_TYPES, buildEvent, deliverEvent, type EventDelivery, type PublishEventRequest, type SandboxEventType } from './events.ts';

export type { SandboxSystem, Population } from './model.ts';
export type { Fault } from './faults.ts';
export type { ClientRegistration } from './oauth.ts';
export type { EventDelivery, PublishEventRequest } from './events.ts';

export const SYSTEM_NAMES: Record<SandboxSystem, string> = {
  esr: 'ESR',
  learning: 'the sandbox learning management system',
  recruitment: 'the sandbox recruitment system',
  'occupational-health': 'the sandbox occupational health system',
};

/** What each system returns from get-employee-records and accepts in add-employee-record. */
export const SYSTEM_RECORD_TYPES: Record<SandboxSystem, { returns: readonly RecordType[]; accepts: readonly RecordType[] }> = {
  esr: { returns: ['CoreSkillsTraining', 'DBSCheckOutcome', 'Vaccination'], accepts: [] },
  learning: { returns: ['CoreSkillsTraining'], accepts: ['CoreSkillsTraining'] },
  recruitment: { returns: ['DBSCheckOutcome'], accepts: ['RightToWork', 'DBSCheckSupportingInformation', 'DBSCheckOutcome', 'ProfessionalRegistration'] },
  'occupational-health': { returns: ['Vaccination', 'ClinicalTest', 'Observation'], accepts: ['Vaccination', 'ClinicalTest', 'Observation'] },
};

/** The event a system publishes on its own when a record of this type is added to it (with options.events). */
const EVENT_ON_ADD: Partial<Record<SandboxSystem, { recordType: RecordType; type: SandboxEventType }>> = {
  learning: { recordType: 'CoreSkillsTraining', type: 'employee-elearning-completed' },
  recruitment: { recordType: 'DBSCheckOutcome', type: 'employee-dbs-check-completed' },
};

export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Past this, an upload is not drained for a polite 413 but cut off. */
const HARD_BODY_CAP = 64 * 1024 * 1024;
const CONTROL_BODY_LIMIT = 1024 * 1024;
const TOKEN_BODY_LIMIT = 64 * 1024;
const SEARCH_LIMIT = 50;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  size?: number;
  /** A prebuilt population (tests pass one to save time); otherwise generated from seed and size. */
  population?: Population;
  now?: () => Date;
  /** How long issued access tokens live (default 300 s). */
  tokenLifetimeSeconds?: number;
  /** Faults switched on from the start. */
  faults?: Fault[];
  /** Seed of the PRNG that decides which requests get a fault (default: seed). */
  faultSeed?: number;
  /** Where the systems send their own events: adding a core skill to the learning system or a DBS outcome to recruitment publishes one. */
  events?: { to: string; apikey: string };
  /** Largest add-employee-record body (default 6 MB). */
  maxBodyBytes?: number;
  /** Called once per answered request. */
  log?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number | null;
  ms: number;
  fault?: string;
}

export interface Sandbox {
  url: string;
  tokenUrl: string;
  systems: Record<SandboxSystem, { baseUrl: string; name: string }>;
  organisations: typeof SANDBOX_ORGANISATIONS;
  population: Population;
  testClient: { clientId: string; tokenUrl: string; keyFile: string; jwksFile: string };
  faults: FaultController;
  /** Registers a client, or replaces the keys and permissions of a known clientId. */
  registerClient(client: ClientRegistration): void;
  /** Sends an event to an events endpoint now; resolves with what the receiver answered. */
  publishEvent(request: PublishEventRequest): Promise<EventDelivery>;
  /** Every event sent so far (on demand and automatic), oldest first. */
  publishedEvents(): EventDelivery[];
  /** Records added through add-employee-record, as stored (booleans normalised), oldest first. */
  addedRecords(system: SandboxSystem, organisation: string, employeeId: string): EmployeeRecordPost[];
  close(): Promise<void>;
}

interface Employee {
  person: Person;
  entry: SystemEntry;
  added: EmployeeRecordPost[];
}

interface Directory {
  byId: Map<string, Employee>;
  bySurname: Map<string, Employee[]>;
  byFirstName: Map<string, Employee[]>;
  byBirthDate: Map<string, Employee[]>;
}

interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type Json = Record<string, unknown>;

const ASCII = /^[\x20-\x7e]*$/;
/** Case folding for exact, case-insensitive matching (ASCII, the common case, skips normalisation). */
const fold = (text: string) => (ASCII.test(text) ? text.toLowerCase() : text.normalize('NFC').toLowerCase());

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Indexes the population per system and organisation, so a search never scans it. */
function indexPopulation(population: Population): Map<string, Directory> {
  const directories = new Map<string, Directory>();
  for (const system of SANDBOX_SYSTEMS) {
    for (const organisation of SANDBOX_ORGANISATIONS) {
      directories.set(`${system}/${organisation.odsCode}`, { byId: new Map(), bySurname: new Map(), byFirstName: new Map(), byBirthDate: new Map() });
    }
  }
  for (const person of population.people) {
    for (const system of SANDBOX_SYSTEMS) {
      const entry = person.systems[system];
      if (!entry) continue;
      const directory = directories.get(`${system}/${person.organisation}`);
      if (!directory) continue;
      const employee: Employee = { person, entry, added: [] };
      directory.byId.set(entry.id, employee);
      push(directory.bySurname, fold(entry.details.surname), employee);
      push(directory.byFirstName, fold(entry.details.firstName), employee);
      if (entry.details.birthDate) push(directory.byBirthDate, entry.details.birthDate, employee);
    }
  }
  return directories;
}

// ---- Dates and the learning system's renewal periods.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1000;
}

/** YYYY-MM-DD, YYYY-MM or YYYY, as screening and vaccination dates may be. */
function isPartialDate(text: string): boolean {
  if (/^\d{4}$/.test(text)) return true;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) return Number(month[2]) >= 1 && Number(month[2]) <= 12;
  return isRealDate(text);
}

export interface RenewalPeriod {
  number: string;
  units: 'Year' | 'Years' | 'Month' | 'Months';
}

const years = (count: number): RenewalPeriod => ({ number: String(count), units: count === 1 ? 'Year' : 'Years' });

/**
 * The learning system's local policy for competencies its own records do not show, by competency
 * name and level, then competency name, then subject name. Sent renewal periods and expiry dates are
 * always ignored, as the standard asks.
 */
const LOCAL_RENEWAL_PERIODS: Record<string, RenewalPeriod> = {
  'conflict resolution': years(3),
  'nhs conflict resolution (england)': years(3),
  'equality, diversity and human rights': years(3),
  'fire safety': years(2),
  'health, safety and welfare': years(3),
  'infection prevention and control|1': years(3),
  'infection prevention and control|2': years(1),
  'information governance and data security': years(1),
  'moving and handling|1': years(3),
  'moving and handling|2': years(2),
  'preventing radicalisation': years(3),
  resuscitation: years(1),
  'safeguarding adults': years(3),
  'safeguarding children': years(3),
};
const DEFAULT_RENEWAL_PERIOD = years(3);

function addPeriod(date: string, period: RenewalPeriod): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const count = Number(period.number);
  const end = period.units.startsWith('Year') ? new Date(Date.UTC(year + count, month - 1, day)) : new Date(Date.UTC(year, month - 1 + count, day));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

// ---- Checking an add-employee-record body.

const SCHEMAS = (DSP_STANDARD as { components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { type?: string }> }> } }).components.schemas;
const POST_RECORD_TYPES: readonly RecordType[] = ['CoreSkillsTraining', 'RightToWork', 'DBSCheckSupportingInformation', 'DBSCheckOutcome', 'ProfessionalRegistration', 'Vaccination', 'ClinicalTest', 'Observation'];

/** Fields the schema only describes in words, checked as a real system would. */
const DATE_FIELDS: Partial<Record<RecordType, string[]>> = {
  CoreSkillsTraining: ['dateLastAwarded'],
  RightToWork: ['birthDate', 'identityDocumentExpiryDate', 'dateOfIdCheck'],
  DBSCheckSupportingInformation: ['birthDate', 'dateOfAddressCheck', 'dateOfIdCheck', 'passportBirthDate', 'passportIssueDate', 'drivingLicenceBirthDate', 'drivingLicenceValidFrom'],
  DBSCheckOutcome: ['applicantDateOfBirth', 'disclosureIssueDate'],
  ProfessionalRegistration: ['registrationDate', 'expiryDate', 'revalidationDate', 'registrationCheckDate'],
};
const PARTIAL_DATE_FIELDS: Partial<Record<RecordType, string[]>> = { Vaccination: ['date'], ClinicalTest: ['date'] };

type RecordCheck = { ok: true; record: EmployeeRecordPost } | { ok: false; text: string };

function describeIssue(issue: SchemaIssue): string {
  const field = issue.path.replace(/^\//, '').replaceAll('/', '.');
  if (issue.keyword === 'required') {
    const missing = /'([^']+)'/.exec(issue.message)?.[1] ?? issue.message;
    return `${field ? `${field}.` : ''}${missing} is missing`;
  }
  return `${field || 'the record'} ${issue.message}`;
}

/**
 * Checks a record against its type's schema after tolerating the published document's known faults
 * (booleans sent as "true"/"false", "Not Detected", a registrationNumber written as text), and returns
 * it normalised: real booleans, only the fields the standard defines.
 */
export function checkRecord(body: unknown, accepts: readonly RecordType[], systemName: string): RecordCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, text: 'The request body must be a JSON object holding one record.' };
  const input = body as Json;
  const recordType = input.recordType;
  if (recordType === undefined) return { ok: false, text: `recordType is missing: it must be one of ${POST_RECORD_TYPES.join(', ')}.` };
  if (typeof recordType !== 'string' || !(POST_RECORD_TYPES as readonly string[]).includes(recordType)) {
    return { ok: false, text: `recordType ${JSON.stringify(recordType).slice(0, 60)} is not a record type the standard defines (${POST_RECORD_TYPES.join(', ')}).` };
  }
  const type = recordType as RecordType;
  if (!accepts.includes(type)) return { ok: false, text: `${systemName} does not accept ${type} records: it accepts ${accepts.join(', ')} only.` };

  const schema = SCHEMAS[type]!;
  const properties = schema.properties ?? {};
  const record: Json = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!Object.hasOwn(input, name)) continue;
    let value = input[name];
    if (property.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) value = value.toLowerCase() === 'true';
    if (type === 'ClinicalTest' && name === 'interpretation' && value === 'Not Detected') value = 'Not detected';
    record[name] = value;
  }
  const registrationNumber = record.registrationNumber;
  const textRegistration = type === 'ProfessionalRegistration' && typeof registrationNumber === 'string';
  if (textRegistration && !/^[A-Za-z0-9]{1,20}$/.test(registrationNumber)) return { ok: false, text: 'registrationNumber must be a number, or letters and digits (as HCPC numbers are), at most 20.' };
  const candidate = textRegistration ? { ...record, registrationNumber: 0 } : record;
  const result = dspStandard().check(`#/components/schemas/${type}`, candidate);
  if (!result.ok) return { ok: false, text: `The ${type} record is not valid: ${result.issues.slice(0, 3).map(describeIssue).join('; ')}.` };

  for (const name of schema.required ?? []) {
    // Required but may be empty: someone with no middle names.
    if (name === 'applicantMiddleNames') continue;
    const value = record[name];
    if (typeof value === 'string' && value.trim() === '') return { ok: false, text: `The ${type} record is not valid: ${name} is empty.` };
  }
  if (type === 'ProfessionalRegistration' && typeof registrationNumber === 'number' && (!Number.isSafeInteger(registrationNumber) || registrationNumber < 0)) {
    return { ok: false, text: 'The ProfessionalRegistration record is not valid: registrationNumber must be a whole number.' };
  }
  for (const name of DATE_FIELDS[type] ?? []) {
    const value = record[name];
    if (typeof value === 'string' && !isRealDate(value)) return { ok: false, text: `The ${type} record is not valid: ${name} must be a real date written YYYY-MM-DD.` };
  }
  for (const name of PARTIAL_DATE_FIELDS[type] ?? []) {
    const value = record[name];
    if (typeof value === 'string' && !isPartialDate(value)) return { ok: false, text: `The ${type} record is not valid: ${name} must be written YYYY-MM-DD, YYYY-MM or YYYY.` };
  }
  if (type === 'DBSCheckOutcome' && !/^\d{12}$/.test(record.certificateNumber as string)) return { ok: false, text: 'The DBSCheckOutcome record is not valid: certificateNumber must be 12 digits.' };
  return { ok: true, record: record as unknown as EmployeeRecordPost };
}

/** The same record again: the natural key of each type, or the whole record where a type has none. */
function isDuplicate(existing: EmployeeRecordPost | EmployeeRecordGet, record: EmployeeRecordPost): boolean {
  if (existing.recordType !== record.recordType) return false;
  const a = existing as unknown as Json;
  const b = record as unknown as Json;
  switch (record.recordType) {
    case 'CoreSkillsTraining':
      return fold(String(a.competencyName)) === fold(String(b.competencyName)) && a.dateLastAwarded === b.dateLastAwarded;
    case 'DBSCheckOutcome':
      return a.certificateNumber === b.certificateNumber;
    case 'DBSCheckSupportingInformation':
      return a.subjectId === b.subjectId;
    case 'Vaccination':
    case 'ClinicalTest':
      return a.code === b.code && a.date === b.date;
    default:
      return isDeepStrictEqual(a, b);
  }
}

const duplicateText: Partial<Record<RecordType, string>> = {
  CoreSkillsTraining: 'This employee already has this core skill with the same date last awarded.',
  DBSCheckOutcome: 'This employee already has a DBS check outcome with this certificate number.',
  DBSCheckSupportingInformation: 'This employee already has DBS check supporting information with this subjectId.',
  Vaccination: 'This employee already has this vaccination on this date.',
  ClinicalTest: 'This employee already has this clinical test on this date.',
};

// ---- HTTP plumbing.

function outcome(status: number, code: string, text: string, headers?: Record<string, string>): Answer {
  return { status, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] }, ...(headers ? { headers } : {}) };
}

type BodyRead = { kind: 'ok'; buffer: Buffer } | { kind: 'too-large'; bytes: number } | { kind: 'cut-off' };

/** Reads a body up to `limit` bytes; a larger one is drained (up to a hard cap) so the client still sees the 413. */
function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_BODY_CAP) {
        finish({ kind: 'cut-off' });
        request.destroy();
        return;
      }
      if (size > limit) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => finish(size > limit ? { kind: 'too-large', bytes: size } : { kind: 'ok', buffer: Buffer.concat(chunks) }));
    request.on('error', () => finish({ kind: 'cut-off' }));
    request.on('close', () => finish(size > limit ? { kind: 'too-large', bytes: size } : { kind: 'cut-off' }));
  });
}

function parseJson(buffer: Buffer): { ok: true; value: unknown } | { ok: false } {
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const isJsonType = (contentType: string | undefined) => contentType === undefined || /^application\/([a-z.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

interface Route {
  kind: 'dsp';
  system: SandboxSystem;
  organisation: string;
  operation: Exclude<FaultOperation, 'token'>;
  employeeId?: string;
  allowed: string[];
}

type Routed = Route | { kind: 'token' } | { kind: 'control'; parts: string[] } | { kind: 'not-found' } | { kind: 'bad-path' };

function route(path: string, method: string): Routed {
  const raw = path.split('/').slice(1);
  let parts: string[];
  try {
    parts = raw.map((part) => decodeURIComponent(part));
  } catch {
    return { kind: 'bad-path' };
  }
  if (parts.length === 2 && parts[0] === 'oauth2' && parts[1] === 'token') return { kind: 'token' };
  if (parts[0] === '_sandbox') return { kind: 'control', parts: parts.slice(1) };
  const system = SANDBOX_SYSTEMS.find((candidate) => candidate === parts[0]);
  if (!system || parts[1] !== 'dsp-api' || parts[2] !== 'organisations' || !parts[3]) return { kind: 'not-found' };
  const organisation = parts[3].toUpperCase();
  const rest = parts.slice(4);
  if (rest.length === 1 && rest[0] === '_status') return { kind: 'dsp', system, organisation, operation: 'status', allowed: ['GET'] };
  if (rest[0] !== 'employees') return { kind: 'not-found' };
  if (rest.length === 1) return { kind: 'dsp', system, organisation, operation: 'search-for-employee', allowed: ['GET'] };
  if (!rest[1]) return { kind: 'not-found' };
  if (rest.length === 2) return { kind: 'dsp', system, organisation, operation: 'get-employee-personal-details', employeeId: rest[1], allowed: ['GET'] };
  if (rest.length === 3 && rest[2] === 'records') {
    return { kind: 'dsp', system, organisation, operation: method === 'POST' ? 'add-employee-record' : 'get-employee-records', employeeId: rest[1], allowed: ['GET', 'POST'] };
  }
  return { kind: 'not-found' };
}

/** Pads a JSON text to about `bytes` while keeping it JSON of the same shape. */
function padJson(text: string, bytes: number): string {
  const padding = 'x'.repeat(Math.max(0, bytes - text.length - 120));
  if (text.startsWith('[')) {
    const filler = JSON.stringify({ id: 'padding', firstName: 'Padding', surname: 'Padding', furtherInformation: padding });
    return text === '[]' ? `[${filler}]` : `${text.slice(0, -1)},${filler}]`;
  }
  if (text.startsWith('{')) return text === '{}' ? `{"padding":"${padding}"}` : `${text.slice(0, -1)},"padding":"${padding}"}`;
  return text + ' '.repeat(Math.max(0, bytes - text.length));
}

// ---- The sandbox.

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const population: Population = options.population ?? generatePopulation({ seed, size: options.size ?? 30_000 });
  const directories = indexPopulation(population);
  const knownOrganisations = new Set<string>(SANDBOX_ORGANISATIONS.map((organisation) => organisation.odsCode));

  // The learning system's own renewal periods: what its own records use for a competency (at a level),
  // null where they carry none (no expiry), else its local policy table, else 3 years. Read from the
  // population on the first core skill added, not at startup.
  let recordedPeriods: Map<string, RenewalPeriod | null> | null = null;
  const readRecordedPeriods = () => {
    const periods = new Map<string, RenewalPeriod | null>();
    const competenciesSeen = new Set<string>();
    for (const person of population.people) {
      for (const record of person.systems.learning?.records ?? []) {
        if (record.recordType !== 'CoreSkillsTraining') continue;
        const seen = `${record.competencyName}|${record.subjectLevel}`;
        if (competenciesSeen.has(seen)) continue;
        competenciesSeen.add(seen);
        const period = record.renewalPeriodNumber && /^\d+$/.test(record.renewalPeriodNumber) && /^(Year|Years|Month|Months)$/.test(record.renewalPeriodUnits ?? '') ? { number: record.renewalPeriodNumber, units: record.renewalPeriodUnits as RenewalPeriod['units'] } : null;
        for (const key of [`${fold(record.competencyName)}|${record.subjectLevel}`, fold(record.competencyName)]) if (!periods.has(key)) periods.set(key, period);
      }
    }
    return periods;
  };
  const renewalPeriodFor = (skill: CoreSkillsTraining): RenewalPeriod | null => {
    recordedPeriods ??= readRecordedPeriods();
    for (const key of [`${fold(skill.competencyName)}|${skill.subjectLevel}`, fold(skill.competencyName)]) if (recordedPeriods.has(key)) return recordedPeriods.get(key)!;
    return LOCAL_RENEWAL_PERIODS[`${fold(skill.competencyName)}|${skill.subjectLevel}`] ?? LOCAL_RENEWAL_PERIODS[fold(skill.competencyName)] ?? LOCAL_RENEWAL_PERIODS[fold(skill.subjectName)] ?? DEFAULT_RENEWAL_PERIOD;
  };

  const oauth = new OAuthServer({ now, ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}) });
  oauth.register(testClientRegistration());
  const faults = new FaultController(options.faultSeed ?? seed, options.faults ?? []);
  const deliveries: EventDelivery[] = [];
  const pendingDeliveries = new Set<Promise<unknown>>();

  // Things a close() must cut short: sleeps (latency), trickles, hung answers.
  let closed = false;
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const sleeper = { timer: setTimeout(() => {
        sleepers.delete(sleeper);
        resolve();
      }, ms), resolve };
      sleepers.add(sleeper);
    });

  let baseUrl = '';
  const systemBaseUrl = (system: SandboxSystem) => `${baseUrl}/${system}/dsp-api`;

  const publishEvent = async (request: PublishEventRequest): Promise<EventDelivery> => {
    if (!SANDBOX_SYSTEMS.includes(request.system)) throw new Error(`Unknown sandbox system ${request.system}`);
    if (!(EVENT_TYPES as readonly string[]).includes(request.type)) throw new Error(`Unknown event type ${request.type}`);
    const event = buildEvent(systemBaseUrl(request.system), request, now());
    const delivery = await deliverEvent(event, request.to, request.apikey);
    deliveries.push(delivery);
    return delivery;
  };

  const directoryFor = (system: SandboxSystem, organisation: string) => directories.get(`${system}/${organisation}`);

  // -- The standard's operations, after authorisation.

  function search(directory: Directory, query: URLSearchParams): Answer {
    const names = ['firstName', 'surname', 'birthDate'] as const;
    const given: Partial<Record<(typeof names)[number], string>> = {};
    for (const name of names) {
      const values = query.getAll(name);
      if (values.length > 1) return outcome(400, 'invalid', `The ${name} query parameter is given more than once.`);
      if (values[0] !== undefined && values[0] !== '') given[name] = values[0];
    }
    if (Object.keys(given).length === 0) return outcome(400, 'invalid', 'Give at least one search parameter: firstName, surname or birthDate.');
    if (given.birthDate !== undefined && !isRealDate(given.birthDate)) return outcome(400, 'invalid', 'Invalid format for birthDate query parameter - must be YYYY-MM-DD.');
    const lists: Employee[][] = [];
    if (given.surname !== undefined) lists.push(directory.bySurname.get(fold(given.surname)) ?? []);
    if (given.firstName !== undefined) lists.push(directory.byFirstName.get(fold(given.firstName)) ?? []);
    if (given.birthDate !== undefined) lists.push(directory.byBirthDate.get(given.birthDate) ?? []);
    lists.sort((a, b) => a.length - b.length);
    const surname = given.surname !== undefined ? fold(given.surname) : null;
    const firstName = given.firstName !== undefined ? fold(given.firstName) : null;
    const found: EmployeePersonalDetails[] = [];
    for (const employee of lists[0]!) {
      const details = employee.entry.details;
      if (surname !== null && fold(details.surname) !== surname) continue;
      if (firstName !== null && fold(details.firstName) !== firstName) continue;
      if (given.birthDate !== undefined && details.birthDate !== given.birthDate) continue;
      found.push(structuredClone(details));
      if (found.length === SEARCH_LIMIT) break;
    }
    return { status: 200, body: found };
  }

  function recordsOf(system: SandboxSystem, employee: Employee): Answer {
    const returns = SYSTEM_RECORD_TYPES[system].returns;
    const added = employee.added.filter((record) => returns.includes(record.recordType)) as EmployeeRecordGet[];
    return { status: 200, body: { id: employee.entry.id, records: structuredClone([...employee.entry.records, ...added]) } };
  }

  async function addRecord(system: SandboxSystem, organisation: string, employee: Employee, request: IncomingMessage): Promise<Answer> {
    if (!isJsonType(request.headers['content-type'])) return outcome(415, 'not-supported', 'The request body must be JSON (Content-Type: application/json).');
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > HARD_BODY_CAP) return outcome(413, 'too-long', `The request body is larger than ${maxBodyBytes} bytes.`, { connection: 'close' });
    const read = await readBody(request, maxBodyBytes);
    if (read.kind === 'cut-off') return outcome(400, 'invalid', 'The request body did not arrive whole.', { connection: 'close' });
    if (read.kind === 'too-large') return outcome(413, 'too-long', `The request body is larger than ${maxBodyBytes} bytes (${read.bytes} sent).`);
    if (read.buffer.length === 0) return outcome(400, 'invalid', 'The request body is empty: send one record as JSON.');
    const parsed = parseJson(read.buffer);
    if (!parsed.ok) return outcome(400, 'invalid', 'The request body is not valid JSON.');
    const checked = checkRecord(parsed.value, SYSTEM_RECORD_TYPES[system].accepts, SYSTEM_NAMES[system]);
    if (!checked.ok) return outcome(400, 'invalid', checked.text);
    let record = checked.record;
    if (employee.entry.leaver) return outcome(409, 'conflict', `Employee ${employee.entry.id} has left ${organisation}: ${SYSTEM_NAMES[system]} does not accept records for leavers.`);
    const existing = [...employee.entry.records, ...employee.added];
    if (existing.some((held) => isDuplicate(held, record))) return outcome(409, 'duplicate', duplicateText[record.recordType] ?? `This employee already has this ${record.recordType} record.`);
    if (record.recordType === 'CoreSkillsTraining') {
      const period = renewalPeriodFor(record);
      const { renewalPeriodNumber: _number, renewalPeriodUnits: _units, dateTo: _dateTo, ...rest } = record;
      record = period ? { ...rest, renewalPeriodNumber: period.number, renewalPeriodUnits: period.units, dateTo: addPeriod(record.dateLastAwarded, period) } : rest;
    }
    employee.added.push(record);
    const automatic = EVENT_ON_ADD[system];
    if (options.events && automatic?.recordType === record.recordType) {
      const delivery = publishEvent({ system, organisation, employeeId: employee.entry.id, type: automatic.type, to: options.events.to, apikey: options.events.apikey });
      pendingDeliveries.add(delivery);
      void delivery.finally(() => pendingDeliveries.delete(delivery));
    }
    return { status: 201, body: structuredClone(record) };
  }

  async function answerDsp(routeTo: Route, request: IncomingMessage, query: URLSearchParams, statusFail: string | null): Promise<Answer> {
    const { system, organisation, operation } = routeTo;
    if (operation === 'status') {
      if (!knownOrganisations.has(organisation)) return { status: 200, contentType: 'application/health+json', body: { status: 'fail', notes: [`${SYSTEM_NAMES[system]} does not serve the organisation ${organisation}.`] } };
      if (statusFail !== null) return { status: 200, contentType: 'application/health+json', body: { status: 'fail', notes: [statusFail], output: statusFail } };
      return { status: 200, contentType: 'application/health+json', body: { status: 'pass' } };
    }
    const bearer = oauth.checkBearer(request.headers.authorization);
    if (!bearer.ok) return outcome(401, 'invalid-credentials', bearer.reason, { 'www-authenticate': 'Bearer error="invalid_token"' });
    const directory = directoryFor(system, organisation);
    if (!directory) return outcome(404, 'not-found', `Organisation not found for the given organisation ID (${organisation.slice(0, 20)}).`);
    if (!oauth.isEnabled(bearer.clientId, system, organisation, operation)) {
      return outcome(403, 'forbidden', `The calling application (${bearer.clientId}) is not enabled for ${operation} with ${organisation} in ${SYSTEM_NAMES[system]}.`);
    }
    if (operation === 'search-for-employee') return search(directory, query);
    if (operation === 'add-employee-record' && SYSTEM_RECORD_TYPES[system].accepts.length === 0) {
      return outcome(403, 'forbidden', `${SYSTEM_NAMES[system]} does not accept records through the DSP API: no application is enabled for add-employee-record.`);
    }
    const employee = directory.byId.get(routeTo.employeeId!);
    if (!employee) return outcome(404, 'not-found', `Employee not found for the given ID (${routeTo.employeeId!.slice(0, 40)}) at ${organisation}.`);
    if (operation === 'get-employee-personal-details') return { status: 200, body: structuredClone(employee.entry.details) };
    if (operation === 'get-employee-records') return recordsOf(system, employee);
    return addRecord(system, organisation, employee, request);
  }

  // -- The control endpoints under /_sandbox (no token: the sandbox is for tests on 127.0.0.1).

  async function readControlJson(request: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; answer: Answer }> {
    if (!isJsonType(request.headers['content-type'])) return { ok: false, answer: outcome(415, 'not-supported', 'Send JSON (Content-Type: application/json).') };
    const read = await readBody(request, CONTROL_BODY_LIMIT);
    if (read.kind !== 'ok') return { ok: false, answer: outcome(413, 'too-long', 'The control request body is too large.') };
    const parsed = parseJson(read.buffer);
    if (!parsed.ok) return { ok: false, answer: outcome(400, 'invalid', 'The request body is not valid JSON.') };
    return { ok: true, value: parsed.value };
  }

  const eventRequestSchema = z.strictObject({
    system: z.enum(SANDBOX_SYSTEMS as [SandboxSystem, ...SandboxSystem[]]),
    organisation: z.string().min(1).max(20),
    employeeId: z.string().min(1).max(200),
    type: z.enum(EVENT_TYPES),
    to: z.url().optional(),
    apikey: z.string().max(1000).optional(),
    id: z.string().min(1).max(200).optional(),
  });

  async function control(parts: string[], method: string, request: IncomingMessage, query: URLSearchParams): Promise<Answer> {
    const [area, item, ...extra] = parts;
    const notAllowed = (allowed: string) => outcome(405, 'not-supported', `Use ${allowed} here.`, { allow: allowed });
    if (area === undefined || area === '') {
      if (method !== 'GET') return notAllowed('GET');
      return { status: 200, body: describe() };
    }
    if (extra.length > 0) return outcome(404, 'not-found', 'No such sandbox control endpoint.');
    if (area === 'clients' && item === undefined) {
      if (method === 'GET') return { status: 200, body: oauth.clientIds().map((clientId) => ({ clientId, permissions: oauth.permissionsOf(clientId) })) };
      if (method !== 'POST') return notAllowed('GET, POST');
      const body = await readControlJson(request);
      if (!body.ok) return body.answer;
      const parsed = parseClientRegistration(body.value);
      if (!parsed.ok) return outcome(400, 'invalid', parsed.error);
      const isNew = oauth.register(parsed.client);
      return { status: isNew ? 201 : 200, body: { clientId: parsed.client.clientId, permissions: oauth.permissionsOf(parsed.client.clientId), replaced: !isNew } };
    }
    if (area === 'faults') {
      if (item !== undefined) {
        if (method !== 'DELETE') return notAllowed('DELETE');
        return faults.remove(item) ? { status: 200, body: { faults: faults.list() } } : outcome(404, 'not-found', `No fault with the id ${item.slice(0, 40)}.`);
      }
      if (method === 'GET') return { status: 200, body: { faults: faults.list() } };
      if (method === 'DELETE') {
        const seedText = query.get('seed');
        if (seedText !== null && !/^\d{1,10}$/.test(seedText)) return outcome(400, 'invalid', 'seed must be a whole number.');
        faults.reset(seedText === null ? undefined : Number(seedText));
        return { status: 200, body: { faults: [] } };
      }
      if (method !== 'POST' && method !== 'PUT') return notAllowed('GET, POST, PUT, DELETE');
      const body = await readControlJson(request);
      if (!body.ok) return body.answer;
      const parsed = parseFaults(body.value);
      if (!parsed.ok) return outcome(400, 'invalid', parsed.error);
      const ids = method === 'PUT' ? faults.set(parsed.faults) : parsed.faults.map((fault) => faults.add(fault));
      return { status: method === 'PUT' ? 200 : 201, body: { ids, faults: faults.list() } };
    }
    if (area === 'events' && item === undefined) {
      if (method === 'GET') return { status: 200, body: { events: deliveries } };
      if (method !== 'POST') return notAllowed('GET, POST');
      const body = await readControlJson(request);
      if (!body.ok) return body.answer;
      const parsed = eventRequestSchema.safeParse(body.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return outcome(400, 'invalid', `The event request is not valid${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unknown problem'}.`);
      }
      const to = parsed.data.to ?? options.events?.to;
      const apikey = parsed.data.apikey ?? options.events?.apikey;
      if (!to || apikey === undefined) return outcome(400, 'invalid', 'Say where to send the event (to, apikey), or start the sandbox with events configured.');
      const delivery = await publishEvent({ ...parsed.data, organisation: parsed.data.organisation.toUpperCase(), to, apikey });
      return { status: 200, body: delivery };
    }
    return outcome(404, 'not-found', 'No such sandbox control endpoint. Try GET /_sandbox.');
  }

  function describe() {
    return {
      systems: Object.fromEntries(SANDBOX_SYSTEMS.map((system) => [system, { baseUrl: systemBaseUrl(system), name: SYSTEM_NAMES[system] }])),
      organisations: SANDBOX_ORGANISATIONS,
      population: { seed: population.seed, size: population.size, people: population.people.length },
      tokenUrl: `${baseUrl}/oauth2/token`,
      testClient: { clientId: TEST_CLIENT_ID, keyFile: TEST_CLIENT_KEY_FILE, jwksFile: TEST_CLIENT_JWKS_FILE },
      clients: oauth.clientIds(),
      faults: faults.list(),
      events: options.events ? { to: options.events.to } : null,
    };
  }

  // -- Sending answers, with the faults that shape them.

  function send(response: ServerResponse, answer: Answer, fault: AnswerFault | null): void {
    if (response.destroyed || response.headersSent) return;
    let text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    if (fault?.kind === 'malformedJson') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    if (fault?.kind === 'oversized') text = padJson(text, fault.bytes ?? 10 * 1024 * 1024);
    const payload = Buffer.from(text, 'utf8');
    response.statusCode = answer.status;
    response.setHeader('content-type', answer.contentType ?? 'application/json');
    response.setHeader('cache-control', 'no-store');
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    if (fault?.kind === 'oversized' && !fault.declareLength) {
      for (let offset = 0; offset < payload.length; offset += 256 * 1024) response.write(payload.subarray(offset, offset + 256 * 1024));
      response.end();
      return;
    }
    response.setHeader('content-length', payload.length);
    if (fault?.kind === 'trickle') {
      const chunkBytes = fault.chunkBytes ?? 16;
      const intervalMs = fault.intervalMs ?? 200;
      response.flushHeaders();
      void (async () => {
        for (let offset = 0; offset < payload.length && !closed && !response.destroyed; offset += chunkBytes) {
          response.write(payload.subarray(offset, offset + chunkBytes));
          if (offset + chunkBytes < payload.length) await sleep(intervalMs);
        }
        if (!response.destroyed) response.end();
      })();
      return;
    }
    response.end(payload);
  }

  function sendServerError(response: ServerResponse, fault: Extract<AnswerFault, { kind: 'serverError' }>): void {
    const status = fault.status ?? 500;
    if (fault.body === 'html') {
      response.writeHead(status, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      response.end(proxyErrorPage(status));
      return;
    }
    const text = status === 503 ? 'The service is temporarily unavailable.' : status === 502 ? 'The service behind the gateway did not answer properly.' : 'An unexpected error happened in the service.';
    send(response, outcome(status, status === 503 ? 'transient' : 'exception', text), null);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    const questionMark = rawUrl.indexOf('?');
    const path = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
    const query = new URLSearchParams(questionMark === -1 ? '' : rawUrl.slice(questionMark + 1));
    if (!path.startsWith('/')) {
      send(response, outcome(404, 'not-found', 'No such resource.'), null);
      return;
    }
    const routed = route(path, method);
    if (routed.kind === 'bad-path') {
      send(response, outcome(400, 'invalid', 'The request path is not valid (bad percent-encoding).'), null);
      return;
    }
    if (routed.kind === 'not-found') {
      send(response, outcome(404, 'not-found', `No such resource: ${path.slice(0, 200)}. The systems are at /esr/dsp-api, /learning/dsp-api, /recruitment/dsp-api and /occupational-health/dsp-api.`), null);
      return;
    }
    if (routed.kind === 'control') {
      send(response, await control(routed.parts, method, request, query), null);
      return;
    }
    const operation: FaultOperation = routed.kind === 'token' ? 'token' : routed.operation;
    const allowed = routed.kind === 'token' ? ['POST'] : routed.allowed;
    if (!allowed.includes(method)) {
      const answer = routed.kind === 'token' ? { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' }, headers: { allow: 'POST' } } : outcome(405, 'not-supported', `Method ${method.slice(0, 20)} is not allowed here: use ${allowed.join(' or ')}.`, { allow: allowed.join(', ') });
      send(response, answer, null);
      return;
    }
    const plan = faults.plan({ system: routed.kind === 'token' ? null : routed.system, operation, organisation: routed.kind === 'token' ? null : routed.organisation });
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (closed) return;
    const fault = plan.answer;
    const faultName = fault?.kind ?? (plan.statusFail ? 'statusFail' : plan.latencyMs > 0 ? 'latency' : undefined);
    if (fault?.kind === 'timeout') {
      // Accepted and never answered: the connection stays open until the client gives up or the sandbox closes.
      return faultName;
    }
    if (fault?.kind === 'serverError') {
      sendServerError(response, fault);
      return faultName;
    }
    let answer: Answer;
    const working = performance.now();
    if (routed.kind === 'token') {
      answer = await answerToken(request);
    } else {
      answer = await answerDsp(routed, request, query, plan.statusFail ? (plan.statusFail.note ?? 'A fault set in the sandbox makes this system unhealthy.') : null);
    }
    // How long the system itself took (not faults' latency), for tests that time the index.
    answer = { ...answer, headers: { ...answer.headers, 'server-timing': `app;dur=${(performance.now() - working).toFixed(3)}` } };
    if (fault?.kind === 'schemaBreak' && answer.status >= 200 && answer.status < 300) answer = { ...answer, body: breakSchema(operation, answer.body, fault.variant ?? 'missing-required') };
    send(response, answer, fault);
    return faultName;
  }

  async function answerToken(request: IncomingMessage): Promise<Answer> {
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache' };
    const tokenError = (status: number, error: string, description: string): Answer => ({ status, body: { error, error_description: description }, headers });
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '')) return tokenError(400, 'invalid_request', 'Send the token request form-encoded (Content-Type: application/x-www-form-urlencoded).');
    const read = await readBody(request, TOKEN_BODY_LIMIT);
    if (read.kind !== 'ok') return tokenError(400, 'invalid_request', 'The token request is too large.');
    const form = new URLSearchParams(read.buffer.toString('utf8'));
    const audiences = [`${baseUrl}/oauth2/token`];
    const hostHeader = request.headers.host;
    if (hostHeader && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(hostHeader)) audiences.push(`http://${hostHeader}/oauth2/token`);
    const answer = await oauth.token(form, audiences);
    return { status: answer.status, body: answer.body, headers };
  }

  const server = createServer({ requestTimeout: 0, headersTimeout: 60_000 }, (request, response) => {
    const started = performance.now();
    void handle(request, response)
      .then((faultName) => {
        options.log?.({ method: request.method ?? '', path: (request.url ?? '').split('?')[0] ?? '', status: response.headersSent ? response.statusCode : null, ms: Math.round(performance.now() - started), ...(faultName ? { fault: faultName } : {}) });
      })
      .catch((error: unknown) => {
        options.log?.({ method: request.method ?? '', path: (request.url ?? '').split('?')[0] ?? '', status: 500, ms: Math.round(performance.now() - started), fault: `crash: ${(error as Error).message}` });
        if (!response.headersSent && !response.destroyed) send(response, outcome(500, 'exception', 'An unexpected error happened in the sandbox.'), null);
        else response.destroy();
      });
  });
  // Longer than clients keep idle connections, so a client never reuses one the sandbox is closing.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const tokenUrl = `${baseUrl}/oauth2/token`;

  return {
    url: baseUrl,
    tokenUrl,
    systems: Object.fromEntries(SANDBOX_SYSTEMS.map((system) => [system, { baseUrl: systemBaseUrl(system), name: SYSTEM_NAMES[system] }])) as Record<SandboxSystem, { baseUrl: string; name: string }>,
    organisations: SANDBOX_ORGANISATIONS,
    population,
    testClient: { clientId: TEST_CLIENT_ID, tokenUrl, keyFile: TEST_CLIENT_KEY_FILE, jwksFile: TEST_CLIENT_JWKS_FILE },
    faults,
    registerClient: (client) => {
      oauth.register(client);
    },
    publishEvent,
    publishedEvents: () => [...deliveries],
    addedRecords: (system, organisation, employeeId) => structuredClone(directoryFor(system, organisation.toUpperCase())?.byId.get(employeeId)?.added ?? []),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const sleeper of sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.resolve();
      }
      sleepers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await Promise.allSettled([...pendingDeliveries]);
    },
  };
}
