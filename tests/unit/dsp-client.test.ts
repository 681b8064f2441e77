// The DSP API client against a small fake authoritative system on 127.0.0.1 (real HTTP): signing in
// by private key JWT, token caching and renewal, the five operations, the published document's
// known faults, schema checks on every answer, typed errors and their sentences, retries, and logs
// that carry no tokens or personal data.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { DspClient, SystemError, bypassesProxy, newClientKeyPair, publicJwks, type ClientKeyPair, type DspClientOptions } from '../../main/systems/client/index.ts';
import { RECORD_SHAPES, normaliseRecord } from '../../main/systems/client/normalise.ts';
import { backoffMs, retryAfterSeconds, retryPolicy } from '../../main/systems/client/retry.ts';
import type { EmployeeRecordPost, ProfessionalRegistration } from '../../main/systems/dsp-types.ts';
import { AppError } from '../../main/errors.ts';
import type { Logger } from '../../main/platform/log.ts';

// ---- A fake authoritative system.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type ApiHandler = (request: Seen, response: ServerResponse) => void | Promise<void>;

const CLIENT_ID = 'staff-passport-rhq';
const API_BASE = '/dsp-api';

function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] });

class FakeSystem {
  server!: Server;
  url = '';
  readonly api: Seen[] = [];
  readonly tokenRequests: Seen[] = [];
  readonly issued: string[] = [];
  readonly valid = new Set<string>();
  expiresIn = 300;
  tokenDelayMs = 0;
  /** Replaces the token endpoint's answer. */
  tokenAnswer: ((request: Seen, response: ServerResponse) => void) | null = null;
  handler: ApiHandler = (_request, response) => send(response, 500, outcome('exception', 'no handler'));
  private publicKey: JWK | null = null;

  async start(publicKey: JWK): Promise<this> {
    this.publicKey = publicKey;
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get tokenUrl(): string {
    return `${this.url}/oauth2/token`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const seen: Seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
    if (seen.url === '/oauth2/token') {
      this.tokenRequests.push(seen);
      if (this.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
      if (this.tokenAnswer) return this.tokenAnswer(seen, response);
      const form = new URLSearchParams(seen.body);
      try {
        const assertion = form.get('client_assertion') ?? '';
        // The client's clock is a test clock: check the lifetime against its own iat.
        const issuedAt = (decodeJwt(assertion).iat ?? 0) * 1000;
        await jwtVerify(assertion, await importJWK(this.publicKey!, 'ES256'), { issuer: CLIENT_ID, subject: CLIENT_ID, audience: this.tokenUrl, currentDate: new Date(issuedAt + 1000), requiredClaims: ['exp', 'iat', 'jti'] });
      } catch {
        return send(response, 401, { error: 'invalid_client' });
      }
      const token = `token-${this.issued.length + 1}`;
      this.issued.push(token);
      this.valid.add(token);
      return send(response, 200, { access_token: token, expires_in: this.expiresIn, token_type: 'Bearer' });
    }
    this.api.push(seen);
    const auth = seen.headers.authorization ?? '';
    if (!seen.url.includes('/_status') && !this.valid.has(auth.replace(/^Bearer /, ''))) return send(response, 401, outcome('invalid-credentials', 'Token missing or expired.'));
    await this.handler(seen, response);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// ---- Helpers.

let keys: ClientKeyPair;
const fakes: FakeSystem[] = [];
const clients: DspClient[] = [];

beforeAll(async () => {
  keys = await newClientKeyPair();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fakeSystem(handler?: ApiHandler): Promise<FakeSystem> {
  const fake = await new FakeSystem().start(keys.publicJwk);
  if (handler) fake.handler = handler;
  fakes.push(fake);
  return fake;
}

interface Harness {
  client: DspClient;
  waits: number[];
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
  clock: { at: number };
}

function clientFor(fake: FakeSystem, options: Partial<DspClientOptions> & { name?: string } = {}): Harness {
  const waits: number[] = [];
  const lines: Harness['lines'] = [];
  const clock = { at: Date.parse('2026-03-02T09:00:00Z') };
  const log: Logger = {
    info: (message, fields = {}) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => lines.push({ level: 'error', message, fields }),
  };
  const client = new DspClient({
    connection: {
      name: options.name ?? 'ESR',
      kind: 'esr',
      baseUrl: `${fake.url}${API_BASE}`,
      organisation: 'RHQ',
      tokenUrl: fake.tokenUrl,
      clientId: CLIENT_ID,
      signingKey: { kid: keys.kid, privateKey: keys.privateJwk, alg: 'ES256' },
      ...options.connection,
    },
    transport: { timeoutMs: 2_000, ...options.transport },
    now: () => new Date(clock.at),
    log,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...options.retry,
    },
  });
  clients.push(client);
  return { client, waits, lines, clock };
}

async function failure(promise: Promise<unknown>): Promise<SystemError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SystemError);
    return error as SystemError;
  }
  throw new Error('expected a SystemError');
}

const PERSON = { id: '70000000', firstName: 'Aisha', surname: 'Okonkwo-Braithwaite', birthDate: '1987-04-19', email: 'aisha@example.nhs.uk', esrIdentifier: '11223344' };

const CORE_SKILL: EmployeeRecordPost = {
  recordType: 'CoreSkillsTraining',
  competencyFramework: 'CSTF',
  subjectName: 'Resuscitation',
  competencyName: 'Resuscitation Adult Basic Life Support',
  subjectLevel: '2',
  attainmentStatus: 'ACHIEVED',
  awardingOrganisation: 'RHQ',
  dateLastAwarded: '2025-11-01',
};

const DBS_OUTCOME_AS_SENT = {
  recordType: 'DBSCheckOutcome',
  applicantFirstName: 'Aisha',
  applicantMiddleNames: 'Grace',
  applicantSurname: 'Okonkwo-Braithwaite',
  applicantDateOfBirth: '1987-04-19',
  typeOfDbsCheck: 'Enhanced with barred list(s) check',
  adultsBarredListChecked: 'TRUE',
  childrensBarredListChecked: 'true',
  certificateNumber: '123456789012',
  disclosureIssueDate: '2024-06-03',
  informationDisclosed: 'False',
  workforceType: 'Child',
  registeredBodyNumber: '12345678901',
  registeredBodyName: 'DBS Checks 4 U Limited',
};

// ---- Tests.

describe('client keys', () => {
  it('makes an ES256 key pair whose kid is the RFC 7638 thumbprint, and a JWKS with the public part only', async () => {
    const pair = await newClientKeyPair();
    expect(pair.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: pair.publicJwk.x!, y: pair.publicJwk.y! }, 'sha256'));
    expect(pair.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: pair.kid, alg: 'ES256', use: 'sig' });
    expect(pair.publicJwk.d).toBeUndefined();
    expect(typeof pair.privateJwk.d).toBe('string');
    // Handed the private JWK by mistake, the export still leaves the private part out.
    const jwks = publicJwks(pair.privateJwk);
    expect(jwks).toEqual({ keys: [{ kty: 'EC', crv: 'P-256', x: pair.publicJwk.x, y: pair.publicJwk.y, kid: pair.kid, alg: 'ES256', use: 'sig' }] });
    expect(JSON.stringify(jwks)).not.toContain(pair.privateJwk.d);
    expect(() => publicJwks({ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'k' })).toThrow(/P-256/);
  });
});

describe('signing in by private key JWT', () => {
  it('sends a signed client assertion the system can verify, form-encoded, and uses the token it gets', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, [PERSON]));
    const { client } = clientFor(fake);
    await client.search({ surname: 'Okonkwo-Braithwaite' });
    await client.search({ surname: 'Okonkwo-Braithwaite' });
    expect(fake.tokenRequests).toHaveLength(1);
    const request = fake.tokenRequests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = form.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256', kid: keys.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(assertion, await importJWK(keys.publicJwk, 'ES256'), { currentDate: new Date('2026-03-02T09:00:30Z') });
    expect(payload).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: fake.tokenUrl, iat: Date.parse('2026-03-02T09:00:00Z') / 1000 });
    expect(payload.exp! - payload.iat!).toBeGreaterThanOrEqual(60);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.api.map((seen) => seen.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1']);
  });

  it('keeps a token until 30 seconds before it expires, then fetches a new one with a new jti', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, []));
    fake.expiresIn = 300;
    const { client, clock } = clientFor(fake);
    await client.search({ surname: 'Smith' });
    clock.at += 269_000;
    await client.search({ surname: 'Smith' });
    expect(fake.tokenRequests).toHaveLength(1);
    clock.at += 2_000;
    await client.search({ surname: 'Smith' });
    expect(fake.tokenRequests).toHaveLength(2);
    const jtis = fake.tokenRequests.map((request) => decodeJwt(new URLSearchParams(request.body).get('client_assertion')!).jti);
    expect(new Set(jtis).size).toBe(2);
    expect(fake.api.map((seen) => seen.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('fetches one token for callers that arrive together', async () => {
    const fake = await fakeSystem((request, response) => send(response, 200, request.url.endsWith('/records') ? { id: '1', records: [] } : request.url.includes('?') ? [] : PERSON));
    fake.tokenDelayMs = 150;
    const { client } = clientFor(fake);
    await Promise.all([client.search({ surname: 'A' }), client.search({ surname: 'B' }), client.records('1'), client.personalDetails('2'), client.search({ firstName: 'C' })]);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.api.every((seen) => seen.headers.authorization === 'Bearer token-1')).toBe(true);
  });

  it('on a 401, forgets the token, gets a new one and tries once more', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, [PERSON]));
    const { client } = clientFor(fake);
    await client.search({ surname: 'Okonkwo-Braithwaite' });
    fake.valid.clear(); // the system restarted and forgot its tokens
    const found = await client.search({ surname: 'Okonkwo-Braithwaite' });
    expect(found).toEqual([PERSON]);
    expect(fake.api.map((seen) => seen.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('gives up after a second 401: unauthorised, with no more retries', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 401, outcome('invalid-credentials', 'Token not valid.')));
    const { client } = clientFor(fake);
    const error = await failure(client.records('70000000'));
    expect(error).toMatchObject({ reason: 'unauthorised', code: 'forbidden', status: 401, retryable: false });
    expect(error.message).toBe("ESR did not accept Staff Passport's sign-in for RHQ. Ask the ESR administrators to check that this connection's key is registered with them.");
    expect(fake.api).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('reports a refused sign-in as unauthorised without retrying it', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, []));
    fake.tokenAnswer = (_request, response) => send(response, 400, { error: 'invalid_client', error_description: 'Unknown key' });
    const { client, waits } = clientFor(fake);
    const error = await failure(client.search({ surname: 'Smith' }));
    expect(error).toMatchObject({ reason: 'unauthorised', status: 400, retryable: false });
    expect(error.detail).toContain('(invalid_client)');
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.api).toHaveLength(0);
    expect(waits).toEqual([]);
  });

  it('refuses a token answer that is not a bearer token with a lifetime, and accepts "BEARER"', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, []));
    const { client } = clientFor(fake);
    for (const answer of [{ access_token: 'a', expires_in: '300', token_type: 'Bearer' }, { access_token: 'a', expires_in: 300, token_type: 'mac' }, { expires_in: 300, token_type: 'Bearer' }, { access_token: 'a\r\nX-Evil: 1', expires_in: 300, token_type: 'Bearer' }]) {
      fake.tokenAnswer = (_request, response) => send(response, 200, answer);
      const error = await failure(client.checkToken());
      expect(error.reason).toBe('bad-response');
      expect(error.message).toBe('ESR sent a sign-in answer Staff Passport could not read, so nothing was saved.');
    }
    fake.tokenAnswer = (_request, response) => {
      fake.valid.add('upper');
      send(response, 200, { access_token: 'upper', expires_in: 300, token_type: 'BEARER' });
    };
    await client.search({ surname: 'Smith' });
    expect(fake.api.at(-1)!.headers.authorization).toBe('Bearer upper');
  });

  it('signs with the key as a JWK, a KeyObject or a CryptoKey, and refuses a public key', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, []));
    const keyObject = createPrivateKey({ key: keys.privateJwk as JWK & { kty: string }, format: 'jwk' });
    const cryptoKey = await webcrypto.subtle.importKey('jwk', keys.privateJwk as webcrypto.JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    for (const privateKey of [keyObject, cryptoKey]) {
      const { client } = clientFor(fake, { connection: { name: 'ESR', kind: 'esr', baseUrl: `${fake.url}${API_BASE}`, organisation: 'RHQ', tokenUrl: fake.tokenUrl, clientId: CLIENT_ID, signingKey: { kid: keys.kid, privateKey, alg: 'ES256' } } });
      await client.checkToken();
    }
    expect(fake.tokenRequests).toHaveLength(2);
    const { client } = clientFor(fake, { connection: { name: 'ESR', kind: 'esr', baseUrl: `${fake.url}${API_BASE}`, organisation: 'RHQ', tokenUrl: fake.tokenUrl, clientId: CLIENT_ID, signingKey: { kid: keys.kid, privateKey: keys.publicJwk, alg: 'ES256' } } });
    await expect(client.checkToken()).rejects.toMatchObject({ code: 'config-invalid' });
  });
});

describe('the five operations', () => {
  it('searches with only the parameters given, and hands back only what the standard describes', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 200, [{ ...PERSON, nationalInsuranceNumber: 'QQ123456C' }]));
    const { client } = clientFor(fake);
    const found = await client.search({ firstName: ' Aisha ', surname: 'Okonkwo-Braithwaite', birthDate: '1987-04-19' });
    expect(found).toEqual([PERSON]);
    expect(fake.api[0]!.url).toBe('/dsp-api/organisations/RHQ/employees?firstName=Aisha&surname=Okonkwo-Braithwaite&birthDate=1987-04-19');
    expect(fake.api[0]!.headers.accept).toBe('application/json');
    await client.search({ surname: "O'Brien & Sons", firstName: '' });
    expect(fake.api[1]!.url).toBe('/dsp-api/organisations/RHQ/employees?surname=O%27Brien+%26+Sons');
  });

  it('refuses a search with nothing to search for, or a date of birth that is not a date, before calling', async () => {
    const fake = await fakeSystem();
    const { client } = clientFor(fake);
    const empty = await failure(client.search({ firstName: '  ' }));
    expect(empty).toMatchObject({ reason: 'invalid', code: 'invalid-input', message: 'Give a first name, surname or date of birth to search ESR.' });
    const date = await failure(client.search({ surname: 'Smith', birthDate: '19/04/1987' }));
    expect(date.message).toBe('Give the date of birth as a full date to search ESR.');
    expect(fake.api).toHaveLength(0);
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it('encodes every path segment, and refuses ids the URL parser would resolve away', async () => {
    const fake = await fakeSystem((request, response) => send(response, 200, request.url.endsWith('/records') ? { id: 'x', records: [] } : PERSON));
    const { client } = clientFor(fake);
    await client.personalDetails('a/b?c#d e%');
    await client.records('ü 1');
    expect(fake.api.map((seen) => seen.url)).toEqual(['/dsp-api/organisations/RHQ/employees/a%2Fb%3Fc%23d%20e%25', '/dsp-api/organisations/RHQ/employees/%C3%BC%201/records']);
    for (const id of ['..', '.', '', 'a\nb']) expect((await failure(client.records(id))).reason).toBe('invalid');
    expect(fake.api).toHaveLength(2);
  });

  it('reads records, putting right the document known faults: booleans as text, "Not Detected", unknown fields', async () => {
    const records = [
      DBS_OUTCOME_AS_SENT,
      { recordType: 'ClinicalTest', code: 'DTP002', description: 'Diphtheria Antibody Test', date: '2024-09-01', result: '78 IU/mL', interpretation: 'Not Detected', labReference: 'L-1' },
      { recordType: 'Observation', code: 'TB001', description: 'BCG Scar Evident', result: 'Yes' },
    ];
    const fake = await fakeSystem((_request, response) => send(response, 200, { id: '70000000', records, pageToken: 'x' }));
    const { client } = clientFor(fake);
    const found = await client.records('70000000');
    expect(found).toEqual({
      id: '70000000',
      records: [
        { ...DBS_OUTCOME_AS_SENT, adultsBarredListChecked: true, childrensBarredListChecked: true, informationDisclosed: false },
        { recordType: 'ClinicalTest', code: 'DTP002', description: 'Diphtheria Antibody Test', date: '2024-09-01', result: '78 IU/mL', interpretation: 'Not detected' },
        { recordType: 'Observation', code: 'TB001', description: 'BCG Scar Evident', result: 'Yes' },
      ],
    });
  });

  it('finds boolean fields from the schema, not from a list', () => {
    expect([...RECORD_SHAPES.get('DBSCheckOutcome')!.booleans].sort()).toEqual(['adultsBarredListChecked', 'childrensBarredListChecked', 'informationDisclosed']);
    expect([...RECORD_SHAPES.get('DBSCheckSupportingInformation')!.booleans].sort()).toEqual(['currentAddressVerified', 'identityVerified']);
    expect([...RECORD_SHAPES.get('RightToWork')!.booleans]).toEqual(['identityVerified']);
    // The only number the document types is registrationNumber; a new one would need a look.
    expect([...RECORD_SHAPES.values()].flatMap((shape) => [...shape.numbersAsText])).toEqual(['registrationNumber']);
    expect(normaliseRecord({ recordType: 'RightToWork', identityVerified: 'yes' })).toEqual({ recordType: 'RightToWork', identityVerified: 'yes' });
    expect(normaliseRecord({ recordType: 'ProfessionalRegistration', registrationNumber: 7654321 })).toEqual({ recordType: 'ProfessionalRegistration', registrationNumber: '7654321' });
  });

  it('refuses records that break the schema: nothing is handed back, and the log names the field but not its value', async () => {
    const bodies: unknown[] = [
      { id: '70000000', records: [{ ...DBS_OUTCOME_AS_SENT, applicantSurname: 12 }] },
      { id: '70000000', records: [{ ...DBS_OUTCOME_AS_SENT, certificateNumber: undefined }] },
      { id: '70000000', records: [{ recordType: 'Tattoo' }] },
      { id: '70000000', records: [{ ...DBS_OUTCOME_AS_SENT, adultsBarredListChecked: 'maybe' }] },
      { id: '70000000', records: [{ recordType: 'RightToWork', legalFirstName: 'Aisha' }] },
      { records: [] },
      [],
    ];
    let index = 0;
    const fake = await fakeSystem((_request, response) => send(response, 200, bodies[index++]));
    const { client, lines } = clientFor(fake);
    for (const _body of bodies) {
      const error = await failure(client.records('70000000'));
      expect(error).toMatchObject({ reason: 'bad-response', code: 'unavailable', status: 200, retryable: false });
      expect(error.message).toBe('ESR sent an answer Staff Passport could not read, so nothing was saved.');
    }
    const first = lines.find((line) => line.level === 'warn')!;
    expect(first.fields.detail).toContain('/records/0/applicantSurname must be string');
    expect(JSON.stringify(lines)).not.toContain('Okonkwo');
    expect(JSON.stringify(lines)).not.toContain('1987-04-19');
  });

  it('gets personal details and checks them', async () => {
    let body: unknown = PERSON;
    const fake = await fakeSystem((_request, response) => send(response, 200, body));
    const { client } = clientFor(fake);
    expect(await client.personalDetails('70000000')).toEqual(PERSON);
    body = { ...PERSON, surname: undefined };
    expect((await failure(client.personalDetails('70000000'))).reason).toBe('bad-response');
  });

  it('adds a record: checks it, sends exactly the standard fields as JSON, and returns what the system stored', async () => {
    const fake = await fakeSystem((request, response) => send(response, 201, { ...(JSON.parse(request.body) as object), proficiencyLevel: '1 - ASSESSED' }));
    const { client } = clientFor(fake, { name: 'the learning management system' });
    const result = await client.addRecord('L-001', { ...CORE_SKILL, internalNote: 'x' } as EmployeeRecordPost);
    expect(result).toEqual({ outcome: 'created', record: { ...CORE_SKILL, proficiencyLevel: '1 - Assessed' } });
    const sent = fake.api[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/dsp-api/organisations/RHQ/employees/L-001/records');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual(CORE_SKILL);
  });

  it('sends a professional registration number as text (the document says number; HCPC numbers start with letters)', async () => {
    const fake = await fakeSystem((request, response) => {
      const record = JSON.parse(request.body) as ProfessionalRegistration;
      send(response, 201, record.registrationNumber === 'PA12345' ? record : { ...record, registrationNumber: 7654321 });
    });
    const { client } = clientFor(fake, { name: 'the recruitment system' });
    const hcpc: ProfessionalRegistration = { recordType: 'ProfessionalRegistration', professionalBody: 'Health and Care Professions Council', registrationNumber: 'PA12345' };
    expect(await client.addRecord('R-1', hcpc)).toEqual({ outcome: 'created', record: hcpc });
    expect(JSON.parse(fake.api[0]!.body)).toEqual(hcpc);
    // A system that answers with the number as a number: handed on as text.
    const gmc: ProfessionalRegistration = { ...hcpc, professionalBody: 'General Medical Council', registrationNumber: '7654321' };
    expect(await client.addRecord('R-1', gmc)).toEqual({ outcome: 'created', record: gmc });
    await expect(client.addRecord('R-1', { ...hcpc, registrationNumber: ' ' })).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('refuses a record that breaks the request schema before any call, naming the fields', async () => {
    const fake = await fakeSystem();
    const { client } = clientFor(fake, { name: 'the learning management system' });
    const error = await failure(client.addRecord('L-001', { ...CORE_SKILL, dateLastAwarded: undefined, competencyFramework: 'OTHER' } as unknown as EmployeeRecordPost));
    expect(error).toMatchObject({ reason: 'invalid', code: 'invalid-input', retryable: false });
    expect(error.message).toBe('This record cannot be sent to the learning management system: it is incomplete or not valid (record, competencyFramework).');
    expect(error.fields).toEqual(expect.arrayContaining([{ field: 'competencyFramework', message: expect.stringContaining('allowed values') }, { field: 'record', message: "must have required property 'dateLastAwarded'" }]));
    // Booleans as text are a fault the client tolerates on input only: it sends booleans.
    const asText = await failure(client.addRecord('L-001', { ...DBS_OUTCOME_AS_SENT } as unknown as EmployeeRecordPost));
    expect(asText.fields.map((field) => field.field)).toEqual(['adultsBarredListChecked', 'childrensBarredListChecked', 'informationDisclosed']);
    expect(fake.api).toHaveLength(0);
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it('reads the open status endpoint without a token, as health+json', async () => {
    let answer: { status: number; body: unknown; type: string } = { status: 200, body: { status: 'pass', version: '1', notes: ['ok', 3], description: 7 }, type: 'application/health+json' };
    const fake = await fakeSystem();
    fake.handler = (_request, response) => send(response, answer.status, answer.body, answer.type);
    const { client } = clientFor(fake);
    expect(await client.status()).toEqual({ status: 'pass', version: '1', notes: ['ok'] });
    expect(fake.api[0]!.url).toBe('/dsp-api/organisations/RHQ/_status');
    expect(fake.api[0]!.headers.authorization).toBeUndefined();
    expect(fake.api[0]!.headers.accept).toBe('application/health+json, application/json');
    expect(fake.tokenRequests).toHaveLength(0);
    // The health-check draft's way of saying "fail": a 503 with a readable body.
    answer = { status: 503, body: { status: 'fail', output: 'database down' }, type: 'application/health+json' };
    expect(await client.status()).toEqual({ status: 'fail', output: 'database down' });
    answer = { status: 200, body: { status: 'ok' }, type: 'application/health+json' };
    expect((await failure(client.status())).reason).toBe('bad-response');
  });
});

describe('what the system refuses', () => {
  const refusal = (status: number, code: string, text: string) => async () => {
    const fake = await fakeSystem((_request, response) => send(response, status, outcome(code, text)));
    const harness = clientFor(fake, { name: 'the learning management system' });
    return { fake, ...harness };
  };

  it('404: the employee is not there', async () => {
    const { client, fake, waits } = await refusal(404, 'not-found', 'Employee not found for the given ID.')();
    const error = await failure(client.records('70000000'));
    expect(error).toMatchObject({ reason: 'not-found', code: 'not-found', status: 404, systemText: 'Employee not found for the given ID.', retryable: false });
    expect(error.message).toBe('The learning management system has no employee 70000000 at RHQ.');
    const search = await failure(client.search({ surname: 'Smith' }));
    expect(search.message).toBe('The learning management system does not know the organisation RHQ. Ask the administrators of the learning management system to check this connection.');
    expect(fake.api).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('403: this connection may not do that here', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 403, outcome('forbidden', 'Not enabled.')));
    const { client } = clientFor(fake);
    const error = await failure(client.search({ surname: 'Smith' }));
    expect(error).toMatchObject({ reason: 'forbidden', code: 'forbidden', status: 403, retryable: false });
    expect(error.message).toBe('Staff Passport is not allowed to search ESR at RHQ. Ask the ESR administrators to enable this connection for searching.');
    expect((await failure(client.addRecord('1', CORE_SKILL))).message).toBe('Staff Passport is not allowed to add records to ESR at RHQ. Ask the ESR administrators to enable this connection for adding records.');
    expect(fake.api).toHaveLength(2);
  });

  it('400: the system did not accept the record', async () => {
    const { client, fake } = await refusal(400, 'invalid', 'dateLastAwarded is in the future.')();
    const error = await failure(client.addRecord('L-001', CORE_SKILL));
    expect(error).toMatchObject({ reason: 'invalid', code: 'invalid-input', status: 400, systemText: 'dateLastAwarded is in the future.' });
    expect(error.message).toBe('The learning management system did not accept this record as valid, so it was not added.');
    expect(fake.api).toHaveLength(1);
  });

  it('409 conflict: not now, and not retried', async () => {
    const { client, fake } = await refusal(409, 'conflict', 'Employee has left.')();
    const error = await failure(client.addRecord('L-001', CORE_SKILL));
    expect(error).toMatchObject({ reason: 'conflict', code: 'conflict', status: 409, systemText: 'Employee has left.' });
    expect(error.message).toBe('The learning management system cannot take this record for employee L-001 at the moment, so it was not added.');
    expect(fake.api).toHaveLength(1);
  });

  it('409 duplicate: an outcome for the outbox, or an error when asked for one', async () => {
    const { client, fake } = await refusal(409, 'duplicate', 'Core skill already recorded.')();
    expect(await client.addRecord('L-001', CORE_SKILL)).toEqual({ outcome: 'duplicate' });
    const error = await failure(client.addRecord('L-001', CORE_SKILL, { duplicate: 'error' }));
    expect(error).toMatchObject({ reason: 'duplicate', code: 'conflict', status: 409, retryable: false, message: 'The learning management system already has this record.' });
    expect(fake.api).toHaveLength(2);
  });

  it('a record resent after a 503 or a dropped connection that gets 409 duplicate was delivered', async () => {
    let posts = 0;
    const fake = await fakeSystem((_request, response) => {
      posts += 1;
      if (posts === 1) return send(response, 503, outcome('exception', 'Busy.'));
      if (posts === 2) return void response.socket?.destroy();
      send(response, 409, outcome('duplicate', 'Already recorded.'));
    });
    const { client, waits } = clientFor(fake, { name: 'the learning management system' });
    expect(await client.addRecord('L-001', CORE_SKILL, { duplicate: 'error' })).toEqual({ outcome: 'duplicate' });
    expect(fake.api.map((seen) => seen.method)).toEqual(['POST', 'POST', 'POST']);
    expect(waits).toEqual([250, 500]);
  });

  it('a 4xx that is not an OperationOutcome (a gateway page) is not taken as the system speaking', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 404, '<html><body>Not Found</body></html>', 'text/html'));
    const { client } = clientFor(fake);
    const error = await failure(client.records('70000000'));
    expect(error).toMatchObject({ reason: 'bad-response', status: 404 });
  });
});

describe('retries', () => {
  it('retries reads after 5xx answers with full-jitter exponential backoff', async () => {
    let calls = 0;
    const fake = await fakeSystem((_request, response) => (++calls < 3 ? send(response, calls === 1 ? 500 : 502, outcome('exception', 'Down.')) : send(response, 200, [PERSON])));
    const draws = [0.9, 0.1];
    const { client, waits } = clientFor(fake, { retry: { random: () => draws.shift()!, baseDelayMs: 400 } });
    expect(await client.search({ surname: 'Okonkwo-Braithwaite' })).toEqual([PERSON]);
    // Full jitter: a random share of 400 ms, then of 800 ms.
    expect(waits).toEqual([360, 80]);
    expect(fake.api).toHaveLength(3);
  });

  it('stops after the attempts allowed, and the error says to try again later', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 503, outcome('exception', 'Down for maintenance.')));
    const { client, waits } = clientFor(fake);
    const error = await failure(client.records('70000000'));
    expect(error).toMatchObject({ reason: 'server-error', code: 'unavailable', status: 503, retryable: true, systemText: 'Down for maintenance.' });
    expect(error.message).toBe('ESR is having problems at the moment. Try again in a few minutes.');
    expect(fake.api).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('waits as long as Retry-After asks when there is time, and not at all when there is not', async () => {
    let calls = 0;
    const fake = await fakeSystem((_request, response) => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(429, { 'Retry-After': '2', 'Content-Type': 'application/json' });
        response.end(JSON.stringify(outcome('throttled', 'Slow down.')));
        return;
      }
      if (calls === 2) {
        response.writeHead(503, { 'Retry-After': '3600', 'Content-Type': 'application/json' });
        response.end(JSON.stringify(outcome('exception', 'Back tomorrow.')));
        return;
      }
      send(response, 200, []);
    });
    const { client, waits } = clientFor(fake);
    const error = await failure(client.search({ surname: 'Smith' }));
    expect(waits).toEqual([2000]);
    expect(error).toMatchObject({ reason: 'server-error', status: 503, retryAfterSeconds: 3600 });
  });

  it('never retries 400, 403, 404 or 409 conflict', async () => {
    for (const [status, code] of [
      [400, 'invalid'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [409, 'conflict'],
    ] as const) {
      const fake = await fakeSystem((_request, response) => send(response, status, outcome(code, 'No.')));
      const { client, waits } = clientFor(fake);
      await failure(client.addRecord('1', CORE_SKILL));
      await failure(client.records('1'));
      expect(fake.api).toHaveLength(2);
      expect(waits).toEqual([]);
    }
  });

  it('retries a connection that cannot be made, then says so', async () => {
    const fake = await fakeSystem();
    const { client, waits } = clientFor(fake);
    await fake.close();
    fakes.splice(fakes.indexOf(fake), 1);
    const error = await failure(client.status());
    expect(error).toMatchObject({ reason: 'unreachable', code: 'unavailable', retryable: true });
    expect(error.message).toBe('Staff Passport could not reach ESR. Try again in a few minutes, and ask IT to check the connection if it keeps happening.');
    expect(error.detail).toContain('ECONNREFUSED');
    expect(waits).toHaveLength(2);
  });

  it('computes backoff and Retry-After by the book', () => {
    const policy = retryPolicy({ random: () => 1, baseDelayMs: 100, maxDelayMs: 1000 }, 10_000);
    expect([1, 2, 3, 4, 5, 6].map((failed) => backoffMs(policy, failed))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffMs({ ...policy, random: () => 0 }, 3)).toBe(0);
    expect(policy.maxElapsedMs).toBe(30_000);
    expect(retryAfterSeconds('120', 0)).toBe(120);
    expect(retryAfterSeconds(new Date(65_000).toUTCString(), 0)).toBe(65);
    expect(retryAfterSeconds('soon', 0)).toBeUndefined();
  });
});

describe('what reaches the log', () => {
  it('has operations, statuses and employee ids, and never tokens, assertions, keys, names or birth dates', async () => {
    let calls = 0;
    const fake = await fakeSystem((request, response) => {
      calls += 1;
      if (request.url.includes('/records')) return send(response, 404, outcome('not-found', 'No record for Aisha Okonkwo-Braithwaite born 1987-04-19'));
      if (calls === 1) return send(response, 500, outcome('exception', 'Aisha Okonkwo-Braithwaite broke it'));
      send(response, 200, [PERSON]);
    });
    const { client, lines } = clientFor(fake);
    await client.search({ firstName: 'Aisha', surname: 'Okonkwo-Braithwaite', birthDate: '1987-04-19' });
    await failure(client.records('70000000'));
    fake.valid.clear();
    await client.search({ surname: 'Okonkwo-Braithwaite' });
    const text = JSON.stringify(lines);
    for (const secret of ['Aisha', 'Okonkwo', '1987-04-19', 'token-1', 'token-2', 'eyJ', keys.privateJwk.d!, 'client_assertion']) expect(text).not.toContain(secret);
    expect(lines.some((line) => line.fields.employeeId === '70000000' && line.fields.status === 404)).toBe(true);
    expect(lines.some((line) => line.fields.operation === 'search-for-employee' && line.fields.status === 200)).toBe(true);
    expect(lines.some((line) => line.message === 'DSP sign-in' && line.fields.status === 200)).toBe(true);
  });

  it('keeps the error detail for the log, and the system text off the detail', async () => {
    const fake = await fakeSystem((_request, response) => send(response, 404, outcome('not-found', 'Aisha Okonkwo-Braithwaite is not here')));
    const { client } = clientFor(fake);
    const error = await failure(client.records('70000000'));
    expect(error.detail).toBe('ESR get-employee-records: GET /dsp-api/organisations/RHQ/employees/70000000/records answered 404 (issue code not-found)');
    expect(error.toWire()).toEqual({ code: 'not-found', message: 'ESR has no employee 70000000 at RHQ.', fields: [] });
    expect(error).toBeInstanceOf(AppError);
  });
});

describe('configuration', () => {
  it('refuses plain http except on this computer, and addresses with credentials or a query', async () => {
    const fake = await fakeSystem();
    const base = { name: 'ESR', kind: 'esr' as const, organisation: 'RHQ', tokenUrl: fake.tokenUrl, clientId: CLIENT_ID, signingKey: { kid: keys.kid, privateKey: keys.privateJwk, alg: 'ES256' as const } };
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'http://esr.example.nhs.uk/dsp-api' } })).toThrow(/must start with https/);
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'https://user:pw@esr.example.nhs.uk/dsp-api' } })).toThrow(AppError);
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'https://esr.example.nhs.uk/dsp-api?x=1' } })).toThrow(AppError);
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'https://esr.example.nhs.uk/dsp-api', organisation: '..' } })).toThrow(/ODS code/);
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'https://esr.example.nhs.uk/dsp-api' }, transport: { caBundle: 'not a certificate' } })).toThrow(/holds no certificates/);
    expect(() => new DspClient({ connection: { ...base, baseUrl: 'https://esr.example.nhs.uk/dsp-api' }, transport: { proxyUrl: 'socks5://proxy:1080' } })).toThrow(/proxy address/);
    new DspClient({ connection: { ...base, baseUrl: 'https://esr.example.nhs.uk/dsp-api/' } }).close();
  });

  it('reads the no-proxy list the usual ways', () => {
    const url = (text: string) => new URL(text);
    const list = ['esr.example.nhs.uk', '.lms.example', '*.oh.example', '10.1.2.3', 'rec.example:8443', '[::1]'];
    expect(bypassesProxy(url('https://esr.example.nhs.uk/dsp-api'), list)).toBe(true);
    expect(bypassesProxy(url('https://api.esr.example.nhs.uk/dsp-api'), list)).toBe(true);
    expect(bypassesProxy(url('https://notesr.example.nhs.uk/dsp-api'), list)).toBe(false);
    expect(bypassesProxy(url('https://a.lms.example/'), list)).toBe(true);
    expect(bypassesProxy(url('https://lms.example/'), list)).toBe(true);
    expect(bypassesProxy(url('https://x.oh.example/'), list)).toBe(true);
    expect(bypassesProxy(url('https://10.1.2.3/'), list)).toBe(true);
    expect(bypassesProxy(url('https://10.1.2.30/'), list)).toBe(false);
    expect(bypassesProxy(url('https://rec.example:8443/'), list)).toBe(true);
    expect(bypassesProxy(url('https://rec.example/'), list)).toBe(false);
    expect(bypassesProxy(url('http://[::1]:8080/'), list)).toBe(true);
    expect(bypassesProxy(url('https://ESR.Example.NHS.uk/'), list)).toBe(true);
    expect(bypassesProxy(url('https://anything.example/'), ['*'])).toBe(true);
    expect(bypassesProxy(url('https://anything.example/'), [])).toBe(false);
  });
});
