// The demo's staff passports, one at each stage of the wallet journeys, made on the first run
// through the same operations HR's screens use (app.dispatch): someone only invited, someone whose
// identity HR has confirmed, someone linked to the sandbox learning system and ESR with their
// records fetched, and someone whose credentials are already in a demo wallet file, collected
// over the public server by the test wallet. Also the "Try it" list the demo prints.
import { readFileSync } from 'node:fs';
import type { StaffPassportApp } from '../../main/app.ts';
import type { InputOf, OperationName, OutputOf } from '../../main/api/contract.ts';
import type { OfferView } from '../../main/wallet/contract.ts';
import { TestWallet } from '../wallet/wallet.ts';
import type { Person } from './model.ts';
import type { Sandbox } from './server.ts';

/** Who is at which stage: the names HR sees in the staff lists. */
export interface DemoPeople {
  /** Invited only: try the identity check on screen. */
  invited: string;
  /** Identity confirmed: the identity credential and access key are ready to offer. */
  identityConfirmed: string;
  /** Linked to the sandbox learning system and ESR, records fetched: core skills to provide. */
  linked: string;
  /** Identity credential, access key and core skills already in the demo wallet: ask and review. */
  walletHolder: string;
}

type Profile = InputOf<'staff.invite'>['profile'];

export async function call<N extends OperationName>(app: StaffPassportApp, op: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await app.dispatch(op, input);
  if (!result.ok) throw new Error(`${op}: ${result.error.message} ${result.error.fields.map((field) => `${field.field}: ${field.message}`).join('; ')}`);
  return result.value as OutputOf<N>;
}

const fullName = (p: Person) => `${p.legalFirstName} ${p.surname}`;

/**
 * Six people at the demo trust whom ESR and the learning system both know under the same names
 * (no nickname or earlier surname, so matching finds them plainly), with at least six core skills
 * in the learning system that are still in date.
 */
export function chooseDemoPeople(people: readonly Person[], today = new Date().toISOString().slice(0, 10)): Person[] {
  const inDate = (p: Person) => p.systems.learning!.records.filter((record) => record.recordType === 'CoreSkillsTraining' && (!('dateTo' in record) || !record.dateTo || record.dateTo >= today)).length;
  const chosen: Person[] = [];
  for (const p of people) {
    if (p.organisation !== 'RHQ' || !p.systems.esr || !p.systems.learning || p.systems.esr.leaver || p.systems.learning.leaver || p.knownAs || p.previousSurname) continue;
    if (inDate(p) < 6) continue;
    chosen.push(p);
    if (chosen.length === 6) return chosen;
  }
  throw new Error(`The sandbox population has only ${chosen.length} people fit for the demo; run it with a larger --size.`);
}

function profileOf(p: Person, n: number): Profile {
  const [year, month, day] = p.birthDate.split('-');
  return {
    firstName: p.legalFirstName,
    lastName: p.surname,
    dateOfBirth: { day: day!, month: month!, year: year! },
    email: p.email ?? `${p.legalFirstName}.${p.surname}.${n}@nhs.net`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    mobile: `07911 ${String(200100 + n)}`,
    staffGroup: 'nursing-midwifery-registered',
    employmentType: 'permanent-or-fixed-term',
    employmentStatus: 'new-starter',
    ...(n % 2 === 0 ? { esrAssignmentNumber: p.systems.esr!.id } : {}),
  };
}

/** HR's face-to-face check, with the small photo the e2e tests use. */
async function confirmIdentity(app: StaffPassportApp, passportId: string, p: Person): Promise<void> {
  const photo = readFileSync(new URL('../e2e/fixtures/face.png', import.meta.url)).toString('base64');
  const [year, month, day] = p.birthDate.split('-');
  const { version } = await call(app, 'staff.get', { passportId });
  await call(app, 'staff.confirmIdentity', {
    passportId,
    version,
    identity: {
      photo: { mediaType: 'image/png', base64: photo },
      firstName: p.legalFirstName,
      ...(p.middleNames ? { middleNames: p.middleNames } : {}),
      lastName: p.surname,
      dateOfBirth: { day: day!, month: month!, year: year! },
      legalGender: p.sex,
      nationality: 'British',
      address: { line1: '1 Infirmary Road', town: 'Sheffield', postcode: 'S6 3DF' },
      document: { type: 'passport', number: '123456789', issuingCountry: 'United Kingdom', expiryDate: { day: '1', month: '6', year: '2031' }, notes: 'Original seen at the desk (demo)' },
    },
  });
}

/** Links the passport to ESR by assignment number and to the learning system by search, as HR would. */
async function link(app: StaffPassportApp, passportId: string, p: Person, connections: { esr: string; learning: string }): Promise<void> {
  const esrNumber = p.systems.esr!.id;
  const lookUp = await call(app, 'matching.lookUpAssignment', { passportId, connectionId: connections.esr, assignmentNumber: esrNumber });
  await call(app, 'matching.decide', { lookupId: lookUp.lookupId, employeeId: esrNumber });
  const learningId = p.systems.learning!.id;
  const search = await call(app, 'matching.search', { passportId, connectionId: connections.learning });
  if (!search.candidates.some((candidate) => candidate.employeeId === learningId)) throw new Error(`Matching did not find ${fullName(p)} (${learningId}) in the sandbox learning system.`);
  await call(app, 'matching.decide', { lookupId: search.lookupId, employeeId: learningId });
}

async function collect(wallet: TestWallet, offer: OfferView): Promise<void> {
  if (!offer.offerUri) throw new Error(`The offer ${offer.id} has no link to collect.`);
  await wallet.collect(offer.offerUri, offer.txCode ? { txCode: offer.txCode } : {});
}

/**
 * Invites the six chosen people and takes four of them to their stage. The public server must be
 * running: the demo wallet collects from it as a phone would. Returns who is where.
 */
export async function addDemoPassports(app: StaffPassportApp, sandbox: Sandbox, walletFile: string): Promise<DemoPeople> {
  const people = chooseDemoPeople(sandbox.population.people);
  const ids: string[] = [];
  for (const [n, p] of people.entries()) ids.push((await call(app, 'staff.invite', { profile: profileOf(p, n) })).passportId);

  const { connections } = await call(app, 'connections.list', {});
  const byKind = (kind: string) => connections.find((connection) => connection.kind === kind)?.id ?? '';
  const systems = { esr: byKind('esr'), learning: byKind('learning') };
  const [holder, invited, identityConfirmed, linked] = [0, 1, 2, 3].map((n) => ({ person: people[n]!, passportId: ids[n]! }));

  await confirmIdentity(app, identityConfirmed!.passportId, identityConfirmed!.person);

  await link(app, linked!.passportId, linked!.person, systems);
  await call(app, 'wallet.providableRecords', { passportId: linked!.passportId, refresh: true });

  // The wallet holder: identity checked, linked, and their credentials collected into the demo wallet.
  await confirmIdentity(app, holder!.passportId, holder!.person);
  await link(app, holder!.passportId, holder!.person, systems);
  const { records } = await call(app, 'wallet.providableRecords', { passportId: holder!.passportId, refresh: true });
  const coreSkills = records.filter((record) => record.providable && record.typeId === 'core-skill' && record.system === 'Sandbox LMS').slice(0, 3);
  if (coreSkills.length === 0) throw new Error(`The sandbox learning system gave no core skills to provide for ${fullName(holder!.person)}.`);
  const wallet = await TestWallet.open(walletFile).catch(() => TestWallet.create(walletFile));
  await collect(wallet, await call(app, 'wallet.offerIdentity', { passportId: holder!.passportId }));
  await collect(wallet, await call(app, 'wallet.offerRecords', { passportId: holder!.passportId, recordIds: coreSkills.map((record) => record.recordId), reasonableCare: true }));

  return { invited: fullName(invited!.person), identityConfirmed: fullName(identityConfirmed!.person), linked: fullName(linked!.person), walletHolder: fullName(holder!.person) };
}

/** The plain-English list of what to try, with the test wallet's commands for this data folder. */
export function tryItLines(people: DemoPeople, files: { demoWallet: string; yourWallet: string }): string[] {
  const quote = (path: string) => (/^[\w./:@+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);
  const wallet = (file: string) => `npm run wallet -- --file ${quote(file)}`;
  return [
    '',
    'Try the wallet journeys (sign in first; the test wallet stands in for the staff member\'s phone):',
    `  1. Identity check: open ${people.invited} and choose "Check identity face to face".`,
    `  2. Identity credential and access key: open ${people.identityConfirmed} and choose "Offer identity credential and access key".`,
    '     On the offer page choose "Copy link" under the QR code, then collect with the code the page shows:',
    `       ${wallet(files.yourWallet)} collect '<offer link>' --tx-code <code>`,
    `  3. Provide credentials: open ${people.linked} (linked to Sandbox LMS and ESR, records fetched), choose`,
    '     "Provide credentials", tick some core skills, confirm, and collect the offer as in 2.',
    `  4. Ask for and review credentials: open ${people.walletHolder}, whose identity credential, access key and`,
    '     core skills are already in the demo wallet. Choose "Ask for credentials", tick Identity and Core skills,',
    '     then "Copy link" under the QR code and share from the demo wallet:',
    `       ${wallet(files.demoWallet)} present '<request link>'`,
    '     Then choose "Review shared credentials": each shows its checks; accept or reject each one.',
    `  To see what a wallet holds: ${wallet(files.demoWallet)} list`,
  ];
}
