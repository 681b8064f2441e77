// Event notifications from the sandbox systems to an events endpoint over real HTTP: the CloudEvents
// body exactly per the DSP event API (checked with its schema), the apikey header, what the receiver
// answered handed back, the automatic events on adding a core skill or a DBS outcome, and on demand
// through /_sandbox/events.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dspEvents } from '../../main/systems/dsp-schema.ts';
import { postJson, read, startTestSandbox, type TestSandbox } from '../sandbox/fixtures/harness.ts';
import type { DspEvent } from '../sandbox/events.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const APIKEY = 'sandbox-events-key-123';
let receiver: Server;
let eventsUrl: string;
let received: Received[] = [];
let answer: { status: number; body: string } = { status: 200, body: '' };
let t: TestSandbox;

beforeAll(async () => {
  // A stand-in for the app's events endpoint: records what arrives, answers per the event API.
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DspEvent;
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body || JSON.stringify({ id: body.id }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  eventsUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  t = await startTestSandbox({ generated: false, events: { to: eventsUrl, apikey: APIKEY }, now: () => new Date('2025-06-01T13:00:00.000Z') });
});
beforeEach(() => {
  received = [];
  answer = { status: 200, body: '' };
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 3000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('publishEvent', () => {
  it('POSTs a CloudEvents 1.0 body exactly per the event API, with the apikey, and returns what the receiver said', async () => {
    const delivery = await t.sandbox.publishEvent({ system: 'recruitment', organisation: 'RHQ', employeeId: t.ids.zelda.recruitment, type: 'employee-dbs-check-completed', to: eventsUrl, apikey: 'another-key' });
    expect(delivery.status).toBe(200);
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event!.method).toBe('POST');
    expect(event!.url).toBe('/events');
    expect(event!.headers['content-type']).toBe('application/cloudevents+json');
    expect(event!.headers.apikey).toBe('another-key');
    expect(dspEvents().checkRequest('publish-event', event!.body)).toEqual({ ok: true });
    const body = event!.body as DspEvent;
    expect(body).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'uk.nhs.sandbox.recruitment',
      type: 'employee-dbs-check-completed',
      time: '2025-06-01T13:00:00.000Z',
      subject: t.ids.zelda.recruitment,
      filtering: { organisation: 'RHQ' },
      dataref: `${t.sandbox.systems.recruitment.baseUrl}/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`,
    });
    expect(delivery.body).toEqual({ id: body.id });
    expect(delivery.event).toEqual(body);
    expect(dspEvents().checkResponse('publish-event', 200, delivery.body)).toEqual({ ok: true });
    // The dataref is the system's get-employee-records, for this employee.
    const fetched = await read(await fetch(body.dataref, { headers: { authorization: `Bearer ${t.token}` } }));
    expect(fetched.status).toBe(200);
    expect((fetched.json as { id: string }).id).toBe(body.subject);
  });

  it('returns the receiver\'s refusal, and a failure to connect, without throwing', async () => {
    answer = { status: 401, body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid-credentials', details: { text: 'Missing or invalid API key.' } }] }) };
    const refused = await t.sandbox.publishEvent({ system: 'learning', organisation: 'RHQ', employeeId: t.ids.zelda.learning, type: 'employee-elearning-completed', to: eventsUrl, apikey: 'wrong' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome' });
    const unreachable = await t.sandbox.publishEvent({ system: 'learning', organisation: 'RHQ', employeeId: t.ids.zelda.learning, type: 'employee-elearning-completed', to: 'http://127.0.0.1:1/events', apikey: APIKEY });
    expect(unreachable.status).toBeNull();
    expect(unreachable.error).toMatch(/ECONNREFUSED|fetch failed/);
  });
});

describe('automatic events (options.events)', () => {
  it('adding a core skill to the learning system publishes employee-elearning-completed for that employee', async () => {
    const added = await t.api('learning', `/organisations/RHQ/employees/${t.ids.zelda.learning}/records`, postJson({ recordType: 'CoreSkillsTraining', competencyFramework: 'CSTF', subjectName: 'Fire Safety', competencyName: 'Fire Safety', subjectLevel: '1', attainmentStatus: 'ACHIEVED', awardingOrganisation: 'RHQ', dateLastAwarded: '2025-05-30' }));
    expect(added.status).toBe(201);
    await until(() => received.length === 1);
    const body = received[0]!.body as DspEvent;
    expect(received[0]!.headers.apikey).toBe(APIKEY);
    expect(dspEvents().checkRequest('publish-event', body)).toEqual({ ok: true });
    expect(body).toMatchObject({ type: 'employee-elearning-completed', source: 'uk.nhs.sandbox.learning', subject: t.ids.zelda.learning, filtering: { organisation: 'RHQ' } });
    // The record is there when the app follows the dataref.
    const records = (await read(await fetch(body.dataref, { headers: { authorization: `Bearer ${t.token}` } }))).json as { records: Array<{ dateLastAwarded?: string }> };
    expect(records.records.map((record) => record.dateLastAwarded)).toContain('2025-05-30');
  });

  it('adding a DBS outcome to recruitment publishes employee-dbs-check-completed; other records publish nothing', async () => {
    const outcome = { recordType: 'DBSCheckOutcome', applicantFirstName: 'Zelda', applicantMiddleNames: '', applicantSurname: 'Quillfeather', applicantDateOfBirth: '1988-02-29', typeOfDbsCheck: 'Enhanced check', adultsBarredListChecked: false, childrensBarredListChecked: false, certificateNumber: '009876543210', disclosureIssueDate: '2025-05-01', informationDisclosed: false, registeredBodyNumber: '12345678901', registeredBodyName: 'Sandbox Registered Body' };
    expect((await t.api('recruitment', `/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`, postJson(outcome))).status).toBe(201);
    await until(() => received.length === 1);
    expect(received[0]!.body).toMatchObject({ type: 'employee-dbs-check-completed', source: 'uk.nhs.sandbox.recruitment', subject: t.ids.zelda.recruitment });
    expect((await t.api('occupational-health', `/organisations/RHQ/employees/${t.ids.zelda['occupational-health']}/records`, postJson({ recordType: 'Vaccination', code: 'MMR001', description: 'MMR Vaccine', date: '2025-01' }))).status).toBe(201);
    expect((await t.api('recruitment', `/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`, postJson({ recordType: 'ProfessionalRegistration', professionalBody: 'General Medical Council', registrationNumber: 7654321 }))).status).toBe(201);
    // A refused add publishes nothing either.
    expect((await t.api('recruitment', `/organisations/RHQ/employees/${t.ids.zelda.recruitment}/records`, postJson(outcome))).status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(received).toHaveLength(1);
    expect(t.sandbox.publishedEvents().at(-1)!.event.type).toBe('employee-dbs-check-completed');
  });
});

describe('/_sandbox/events', () => {
  it('publishes on demand (to the configured endpoint unless told otherwise) and lists what was sent', async () => {
    const published = await read(await fetch(`${t.sandbox.url}/_sandbox/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ system: 'learning', organisation: 'rhq', employeeId: t.ids.zelda.learning, type: 'employee-elearning-completed' }) }));
    expect(published.status).toBe(200);
    expect(published.json).toMatchObject({ status: 200, to: eventsUrl, event: { type: 'employee-elearning-completed', filtering: { organisation: 'RHQ' } } });
    expect(received).toHaveLength(1);
    expect(dspEvents().checkRequest('publish-event', received[0]!.body)).toEqual({ ok: true });
    const listed = await read(await fetch(`${t.sandbox.url}/_sandbox/events`));
    expect((listed.json as { events: unknown[] }).events.length).toBe(t.sandbox.publishedEvents().length);
    for (const body of [{ system: 'learning' }, { system: 'payroll', organisation: 'RHQ', employeeId: '1', type: 'employee-elearning-completed' }, { system: 'learning', organisation: 'RHQ', employeeId: '1', type: 'employee-left' }, { system: 'learning', organisation: 'RHQ', employeeId: '1', type: 'employee-elearning-completed', to: 'not a url' }]) {
      const refused = await read(await fetch(`${t.sandbox.url}/_sandbox/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });
});
