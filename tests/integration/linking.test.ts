// Matching and links through the door against the sandbox systems over real HTTP: ESR by
// assignment number, another system by ranked searches, HR's one-time decision (audited, with who
// and when), one active link per connection, and a changed assignment number ending the ESR link.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { generatePopulation } from '../sandbox/population.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import type { Person } from '../sandbox/model.ts';
import { call, refused, removeDir, setUpTrust, signInAdmin, signInHrUser, startApp, tempDir } from '../support/app.ts';
import { invite, person, version } from '../support/staff.ts';
import { connectToSandbox, type SandboxConnection } from '../support/systems.ts';

const population = generatePopulation({ seed: 11, size: 2000 });
let sandbox: Sandbox;
let dir: string;
let app: StaffPassportApp;
let esr: SandboxConnection;
let learning: SandboxConnection;

const atRhq = population.people.filter((p) => p.organisation === 'RHQ' && p.systems.esr && p.systems.learning && !p.knownAs && !p.previousSurname);

/** A passport for a generated person, as HR would invite them (legal names, their date of birth). */
async function passportFor(who: Person, n: number, overrides: Parameters<typeof person>[1] = {}): Promise<string> {
  const [year, month, day] = who.birthDate.split('-');
  return invite(app, person(n, { firstName: who.legalFirstName, lastName: who.surname, dateOfBirth: { day: day!, month: month!, year: year! }, ...overrides }));
}

beforeAll(async () => {
  sandbox = await startSandbox({ population });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  dir = tempDir();
  app = await startApp(dir);
  await setUpTrust(app);
  await signInAdmin(app);
  esr = await connectToSandbox(app, sandbox, 'esr', { operations: ['search-for-employee', 'get-employee-personal-details', 'get-employee-records'] });
  learning = await connectToSandbox(app, sandbox, 'learning');
  await signInHrUser(app);
});
afterEach(async () => {
  await app.close();
  removeDir(dir);
});

describe('connecting to ESR by assignment number', () => {
  it('shows ESR data beside the passport and links only when HR confirms', async () => {
    const who = atRhq[0]!;
    const passportId = await passportFor(who, 1);
    const number = who.systems.esr!.id;
    const { lookupId, candidate } = await call(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: number });
    expect(candidate).toMatchObject({ employeeId: number, firstName: who.systems.esr!.details.firstName, surname: who.systems.esr!.details.surname, band: 'strong' });
    const byField = Object.fromEntries(candidate.comparisons.map((row) => [row.field, row.level]));
    expect(byField).toMatchObject({ firstName: 'exact', surname: 'exact', birthDate: 'exact' });
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);

    const { linkId } = await call(app, 'matching.decide', { lookupId, employeeId: number });
    const [link] = (await call(app, 'links.list', { passportId })).links;
    expect(link).toMatchObject({ id: linkId, connectionId: esr.connectionId, employeeId: number, method: 'assignment-number', linkedByName: 'Hana Ruiz' });
    // The passport now carries the number HR confirmed.
    expect((await call(app, 'staff.get', { passportId })).profile.esrAssignmentNumber).toBe(number);
    const decision = await app.vault.open.store.knex('match_decisions').where({ passport_id: passportId }).first();
    expect(decision).toMatchObject({ decision: 'linked', employee_id: number, connection_id: esr.connectionId });
    const audit = (await app.vault.open.audit.list({ limit: 20 })).find((entry) => entry.operation === 'matching.decide');
    expect(audit).toMatchObject({ outcome: 'ok' });
    // The audit names the passport, the connection, the decision kept and the link made.
    expect(audit!.recordIds).toEqual(expect.arrayContaining([passportId, esr.connectionId, (decision as { id: string }).id, linkId]));
    const details = who.systems.esr!.details;
    expect((await call(app, 'staff.get', { passportId })).history.map((entry) => entry.summary)).toContain(`Linked to ${esr.name} record ${number} (${details.firstName} ${details.surname})`);
  });

  it('marks what differs between the passport and ESR', async () => {
    const who = atRhq[1]!;
    const passportId = await passportFor(who, 2, { lastName: 'Quimby-Featherstonehaugh' });
    const { candidate } = await call(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: who.systems.esr!.id });
    const surname = candidate.comparisons.find((row) => row.field === 'surname')!;
    expect(surname).toMatchObject({ level: 'different', passportValue: 'Quimby-Featherstonehaugh', systemValue: who.systems.esr!.details.surname });
    expect(surname.reason).not.toBe('');
  });

  it('says plainly when ESR has no such assignment number, and links nothing', async () => {
    const passportId = await passportFor(atRhq[2]!, 3);
    const error = await refused(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: '00000001' });
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('ESR has no record with assignment number 00000001. Check the number and try again.');
    expect(error.fields).toEqual([{ field: 'assignmentNumber', message: 'ESR has no record with assignment number 00000001' }]);
    expect((await refused(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: '1234' })).fields[0]!.message).toBe(
      'Enter an assignment number of 8 digits, like 12345678',
    );
  });

  it('replaces the link when HR confirms another number, and a changed number on the profile ends it', async () => {
    const [first, second] = [atRhq[3]!, atRhq[4]!];
    const passportId = await passportFor(first, 4);
    const link = async (who: Person) => {
      const { lookupId } = await call(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: who.systems.esr!.id });
      return (await call(app, 'matching.decide', { lookupId, employeeId: who.systems.esr!.id })).linkId;
    };
    await link(first);
    const replacement = await link(second);
    expect((await call(app, 'staff.get', { passportId })).history[0]!.summary).toMatch(/, in place of the record it was linked to before$/);
    expect((await call(app, 'links.list', { passportId })).links.map((entry) => [entry.id, entry.employeeId])).toEqual([[replacement, second.systems.esr!.id]]);

    const current = await call(app, 'staff.get', { passportId });
    const [year, month, day] = second.birthDate.split('-');
    await call(app, 'staff.updateProfile', {
      passportId,
      version: await version(app, passportId),
      profile: { ...person(4, { firstName: second.legalFirstName, lastName: second.surname, dateOfBirth: { day: day!, month: month!, year: year! } }), email: current.profile.email, mobile: current.profile.mobile, esrAssignmentNumber: '99999999' },
    });
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);
    expect((await call(app, 'staff.get', { passportId })).history.map((entry) => entry.summary)).toContain(`Link to ${esr.name} record ${second.systems.esr!.id} ended, because the assignment number changed`);
  });

  it('uses a look-up once, only for the HR user who made it, and only for a record it showed', async () => {
    const who = atRhq[5]!;
    const passportId = await passportFor(who, 5);
    const { lookupId } = await call(app, 'matching.lookUpAssignment', { passportId, connectionId: esr.connectionId, assignmentNumber: who.systems.esr!.id });
    expect((await refused(app, 'matching.decide', { lookupId, employeeId: '12345678' })).code).toBe('invalid-input');
    expect(await refused(app, 'matching.decide', { lookupId, employeeId: '' })).toMatchObject({ code: 'invalid-input', fields: [{ field: 'employeeId', message: 'Choose one of the records shown, or "None of these".' }] });
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
    expect((await refused(app, 'matching.decide', { lookupId, employeeId: who.systems.esr!.id })).message).toBe('That search has expired or was already used. Search again.');
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);
  });

  it('refuses a look-up in a system that is not ESR', async () => {
    const passportId = await passportFor(atRhq[6]!, 6);
    const error = await refused(app, 'matching.lookUpAssignment', { passportId, connectionId: learning.connectionId, assignmentNumber: '12345678' });
    expect(error).toMatchObject({ code: 'conflict' });
  });
});

describe('connecting to another system by search', () => {
  it('ranks the true record first, explains it, and links the one HR picks', async () => {
    const who = atRhq[7]!;
    const passportId = await passportFor(who, 7);
    const result = await call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    expect(result.searches).toBeGreaterThan(1);
    const [top] = result.candidates;
    expect(top).toMatchObject({ employeeId: who.systems.learning!.id, band: 'strong' });
    expect(top!.comparisons.map((row) => row.field)).toEqual(expect.arrayContaining(['firstName', 'surname', 'birthDate']));
    for (const candidate of result.candidates.slice(1)) expect(candidate.score).toBeLessThanOrEqual(top!.score);

    const { linkId } = await call(app, 'matching.decide', { lookupId: result.lookupId, employeeId: who.systems.learning!.id });
    expect((await call(app, 'links.list', { passportId })).links).toMatchObject([{ id: linkId, method: 'search', employeeId: who.systems.learning!.id }]);
  });

  it('records "none of these" with the candidates HR saw, and links nothing', async () => {
    const who = atRhq[8]!;
    const passportId = await passportFor(who, 8);
    const { lookupId, candidates } = await call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    expect(await call(app, 'matching.decide', { lookupId, employeeId: null })).toMatchObject({ linkId: null, passportId, connectionId: learning.connectionId });
    expect((await call(app, 'staff.get', { passportId })).history[0]).toMatchObject({
      kind: 'none-of-these',
      summary: `Searched ${learning.name}: none of the ${candidates.length} records found was this staff member, so nothing was linked`,
    });
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);
    const decision = (await app.vault.open.store.knex('match_decisions').where({ passport_id: passportId }).first()) as { decision: string; candidates: string; decided_by: string };
    expect(decision.decision).toBe('none-of-these');
    expect(JSON.parse(decision.candidates).map((entry: { employeeId: string }) => entry.employeeId)).toEqual(candidates.map((entry) => entry.employeeId));
  });

  it('keeps one active link per system, and HR can remove it', async () => {
    const who = atRhq[9]!;
    const passportId = await passportFor(who, 9);
    const search = () => call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    const first = await search();
    await call(app, 'matching.decide', { lookupId: first.lookupId, employeeId: first.candidates[0]!.employeeId });
    const second = await search();
    await call(app, 'matching.decide', { lookupId: second.lookupId, employeeId: first.candidates[0]!.employeeId });
    const links = (await call(app, 'links.list', { passportId })).links;
    expect(links).toHaveLength(1);
    await call(app, 'links.remove', { linkId: links[0]!.id });
    expect((await call(app, 'links.list', { passportId })).links).toEqual([]);
    expect((await call(app, 'staff.get', { passportId })).history[0]).toMatchObject({ kind: 'link-removed', summary: `Link to ${learning.name} record ${links[0]!.employeeId} removed`, actorName: 'Hana Ruiz' });
    expect((await refused(app, 'links.remove', { linkId: links[0]!.id })).code).toBe('not-found');
  });

  it('links one record in a system to one passport only', async () => {
    const who = atRhq[12]!;
    const passportId = await passportFor(who, 12);
    const duplicate = await passportFor(who, 13);
    const employeeId = who.systems.learning!.id;
    const first = await call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    await call(app, 'matching.decide', { lookupId: first.lookupId, employeeId });
    const second = await call(app, 'matching.search', { passportId: duplicate, connectionId: learning.connectionId });
    expect(second.candidates[0]!.employeeId).toBe(employeeId);
    const error = await refused(app, 'matching.decide', { lookupId: second.lookupId, employeeId });
    expect(error).toMatchObject({ code: 'conflict', message: `That ${learning.name} record is already linked to ${who.legalFirstName} ${who.surname}'s passport. If it is the same person, remove that link first; nothing was linked.` });
    expect((await call(app, 'links.list', { passportId: duplicate })).links).toEqual([]);
    expect((await call(app, 'links.list', { passportId })).links).toMatchObject([{ employeeId }]);
    expect(await app.vault.open.store.knex('match_decisions').where({ passport_id: duplicate })).toEqual([]);
    // The database holds to it too, whatever the service does.
    const [link] = await app.vault.open.store.knex('links').where({ passport_id: passportId });
    await expect(app.vault.open.store.knex('links').insert({ ...link, id: 'another', passport_id: duplicate })).rejects.toThrow(/UNIQUE/);
  });

  it('will not point a connection with linked staff at another organisation', async () => {
    const who = atRhq[11]!;
    const passportId = await passportFor(who, 11);
    const { lookupId, candidates } = await call(app, 'matching.search', { passportId, connectionId: learning.connectionId });
    await call(app, 'matching.decide', { lookupId, employeeId: candidates[0]!.employeeId });
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
    const [connection] = (await call(app, 'connections.list', {})).connections.filter((entry) => entry.id === learning.connectionId);
    const change = { connectionId: connection!.id, version: connection!.version, name: connection!.name, kind: connection!.kind, baseUrl: connection!.baseUrl, tokenUrl: connection!.tokenUrl, clientId: connection!.clientId, operations: connection!.operations };
    const error = await refused(app, 'connections.update', { ...change, organisation: 'RCB' });
    expect(error.message).toMatch(/^Staff are linked through this connection/);
    // A new name is fine.
    await call(app, 'connections.update', { ...change, organisation: 'RHQ', name: 'Kallidus Learn' });
  });

  it('refuses to search a system the connection may not search', async () => {
    await call(app, 'session.signOut', {});
    await signInAdmin(app);
    const noSearch = await connectToSandbox(app, sandbox, 'occupational-health', { operations: ['get-employee-records'] });
    const passportId = await passportFor(atRhq[10]!, 10);
    const error = await refused(app, 'matching.search', { passportId, connectionId: noSearch.connectionId });
    expect(error.message).toBe('The connection to Sandbox occupational health is not set up for searching. Ask a Senior Portal Administrator to change the connection.');
  });
});
