// The DSP client's transport against real TLS and a real proxy on 127.0.0.1: a system whose
// certificate is signed by the trust's own CA (tests/fixtures/tls) and which requires a client
// certificate, reached directly and through an HTTP proxy (CONNECT for https, forwarding for http).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { DspClient, SystemError, newClientKeyPair, type ClientKeyPair, type TransportSettings } from '../../main/systems/client/index.ts';
import { Transport } from '../../main/systems/client/transport.ts';
import { AppError } from '../../main/errors.ts';

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const pem = (file: string) => readFileSync(join(TLS_DIR, file), 'utf8');
const CA = pem('ca.pem');
const CLIENT_CERTIFICATE = { cert: pem('client.pem'), key: pem('client.key') };

let keys: ClientKeyPair;
const servers: Server[] = [];
const clients: DspClient[] = [];
/** Tunnelled sockets leave the proxy's HTTP server, so closing it does not close them. */
const tunnels: Socket[] = [];

beforeAll(async () => {
  keys = await newClientKeyPair();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of tunnels.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen<T extends Server>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

interface SystemSeen {
  paths: string[];
  clientNames: string[];
  authorizations: string[];
}

/** A minimal authoritative system: token endpoint, status and search. */
function answer(seen: SystemSeen, request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  seen.paths.push(request.url ?? '');
  const peer = (request.socket as tls.TLSSocket).getPeerCertificate?.();
  if (peer && typeof peer.subject?.CN === 'string') seen.clientNames.push(peer.subject.CN);
  if (request.headers.authorization) seen.authorizations.push(request.headers.authorization);
  const send = (type: string, body: unknown) => {
    response.writeHead(200, { 'Content-Type': type });
    response.end(JSON.stringify(body));
  };
  if (request.url === '/oauth2/token') return send('application/json', { access_token: 'tls-token', expires_in: 300, token_type: 'Bearer' });
  if (request.url?.endsWith('/_status')) return send('application/health+json', { status: 'pass' });
  send('application/json', []);
}

async function tlsSystem(): Promise<{ url: string; seen: SystemSeen }> {
  const seen: SystemSeen = { paths: [], clientNames: [], authorizations: [] };
  const server = createHttpsServer({ key: pem('server.key'), cert: pem('server.pem'), ca: [CA], requestCert: true, rejectUnauthorized: true }, (request, response) => answer(seen, request, response));
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, seen };
}

async function plainSystem(): Promise<{ url: string; seen: SystemSeen }> {
  const seen: SystemSeen = { paths: [], clientNames: [], authorizations: [] };
  const port = await listen(createHttpServer((request, response) => answer(seen, request, response)));
  return { url: `http://127.0.0.1:${port}`, seen };
}

interface ProxySeen {
  connects: string[];
  forwarded: string[];
  proxyAuthorizations: string[];
  /** Bearer tokens the proxy could read: none, when it only tunnels. */
  authorizations: string[];
}

/** A tiny HTTP proxy: CONNECT tunnels and absolute-URI forwarding, optionally requiring Basic credentials. */
async function proxy(credentials?: string): Promise<{ url: string; port: number; seen: ProxySeen }> {
  const seen: ProxySeen = { connects: [], forwarded: [], proxyAuthorizations: [], authorizations: [] };
  const allowed = (request: IncomingMessage) => {
    const given = request.headers['proxy-authorization'];
    if (given) seen.proxyAuthorizations.push(given);
    return !credentials || given === `Basic ${Buffer.from(credentials).toString('base64')}`;
  };
  const server = createHttpServer((request, response) => {
    seen.forwarded.push(request.url ?? '');
    if (request.headers.authorization) seen.authorizations.push(request.headers.authorization);
    if (!allowed(request)) {
      response.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="trust"' });
      return response.end();
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(request.url ?? '', { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.connects.push(request.url ?? '');
    tunnels.push(client);
    if (!allowed(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="trust"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      tunnels.push(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

function clientFor(baseUrl: string, transport: TransportSettings, waits: number[] = []): DspClient {
  const client = new DspClient({
    connection: {
      name: 'ESR',
      kind: 'esr',
      baseUrl: `${baseUrl}/dsp-api`,
      organisation: 'RHQ',
      tokenUrl: `${baseUrl}/oauth2/token`,
      clientId: 'staff-passport-rhq',
      signingKey: { kid: keys.kid, privateKey: keys.privateJwk, alg: 'ES256' },
    },
    transport: { timeoutMs: 3_000, ...transport },
    retry: {
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  });
  clients.push(client);
  return client;
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

describe('TLS with the trust CA bundle and a client certificate', () => {
  it('reaches a system whose certificate the trust CA signed, presenting the client certificate', async () => {
    const system = await tlsSystem();
    const client = clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE });
    expect(await client.status()).toEqual({ status: 'pass' });
    expect(await client.search({ surname: 'Smith' })).toEqual([]);
    expect(system.seen.paths).toEqual(['/dsp-api/organisations/RHQ/_status', '/oauth2/token', '/dsp-api/organisations/RHQ/employees?surname=Smith']);
    expect(new Set(system.seen.clientNames)).toEqual(new Set(['staff-passport-test-client']));
  });

  it('reads a client key protected by a passphrase, and refuses a wrong passphrase when the client is made', async () => {
    const system = await tlsSystem();
    const encrypted = { cert: CLIENT_CERTIFICATE.cert, key: pem('client-encrypted.key') };
    const client = clientFor(system.url, { caBundle: CA, clientCertificate: { ...encrypted, passphrase: 'test-passphrase' } });
    expect(await client.status()).toEqual({ status: 'pass' });
    expect(() => clientFor(system.url, { caBundle: CA, clientCertificate: { ...encrypted, passphrase: 'wrong' } })).toThrow(AppError);
    expect(() => clientFor(system.url, { caBundle: CA, clientCertificate: { ...encrypted, passphrase: 'wrong' } })).toThrow(/client certificate/);
  });

  it('does not trust the system without the bundle: a secure-connection error, not retried', async () => {
    const system = await tlsSystem();
    const waits: number[] = [];
    const error = await failure(clientFor(system.url, { clientCertificate: CLIENT_CERTIFICATE }, waits).status());
    expect(error).toMatchObject({ reason: 'unreachable', code: 'unavailable', retryable: false });
    expect(error.message).toBe('Staff Passport could not make a secure connection to ESR. Ask IT to check the certificate settings for this connection.');
    expect(error.detail).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN/);
    expect(waits).toEqual([]);
    expect(system.seen.paths).toEqual([]);
  });

  it('without the client certificate the system refuses the connection', async () => {
    const system = await tlsSystem();
    const error = await failure(clientFor(system.url, { caBundle: CA }).status());
    expect(error.reason).toBe('unreachable');
    expect(system.seen.paths).toEqual([]);
  });

  it('adds the bundle to the roots Node trusts by default instead of replacing them', () => {
    const transport = new Transport({ caBundle: CA });
    const ca = (transport as unknown as { httpsAgent: { options: { ca: string[] } } }).httpsAgent.options.ca;
    expect(ca).toHaveLength(tls.getCACertificates('default').length + 1);
    expect(ca).toEqual(expect.arrayContaining([...tls.rootCertificates.slice(0, 3), CA.trim()]));
    transport.close();
  });
});

describe('an HTTP proxy from configuration', () => {
  it('tunnels https through CONNECT, so the proxy never sees the token, with TLS end to end', async () => {
    const system = await tlsSystem();
    const through = await proxy();
    const client = clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: through.url });
    expect(await client.search({ surname: 'Smith' })).toEqual([]);
    const target = new URL(system.url).host;
    expect(through.seen.connects.length).toBeGreaterThanOrEqual(1);
    expect(new Set(through.seen.connects)).toEqual(new Set([target]));
    expect(through.seen.forwarded).toEqual([]);
    expect(through.seen.authorizations).toEqual([]);
    expect(system.seen.authorizations).toEqual(['Bearer tls-token']);
    expect(new Set(system.seen.clientNames)).toEqual(new Set(['staff-passport-test-client']));
  });

  it('sends the proxy its credentials from the proxy address, and a refusal says to check the proxy', async () => {
    const system = await tlsSystem();
    const through = await proxy('trust-user:p@ss word');
    const client = clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: `http://trust-user:p%40ss%20word@127.0.0.1:${through.port}` });
    expect(await client.status()).toEqual({ status: 'pass' });
    expect(through.seen.proxyAuthorizations[0]).toBe(`Basic ${Buffer.from('trust-user:p@ss word').toString('base64')}`);
    const waits: number[] = [];
    const refused = await failure(clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: through.url }, waits).status());
    expect(refused).toMatchObject({ reason: 'unreachable', status: 407, retryable: false });
    expect(refused.message).toBe('The proxy server would not connect Staff Passport to ESR. Ask IT to check the proxy settings.');
    expect(waits).toEqual([]);
  });

  it('forwards plain http (this computer only) through the proxy', async () => {
    const system = await plainSystem();
    const through = await proxy();
    const client = clientFor(system.url, { proxyUrl: through.url });
    expect(await client.search({ surname: 'Smith' })).toEqual([]);
    expect(through.seen.forwarded).toEqual([`${system.url}/oauth2/token`, `${system.url}/dsp-api/organisations/RHQ/employees?surname=Smith`]);
    expect(through.seen.connects).toEqual([]);
  });

  it('goes direct to hosts on the no-proxy list', async () => {
    const system = await tlsSystem();
    const through = await proxy();
    const direct = clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: through.url, noProxy: ['esr.example.nhs.uk', '127.0.0.1'] });
    expect(await direct.search({ surname: 'Smith' })).toEqual([]);
    expect(through.seen.connects).toEqual([]);
    const proxied = clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: through.url, noProxy: ['localhost', '127.0.0.1:1'] });
    expect(await proxied.status()).toEqual({ status: 'pass' });
    expect(through.seen.connects).toHaveLength(1);
  });

  it('a proxy that cannot be reached: unreachable, retried', async () => {
    const system = await tlsSystem();
    const waits: number[] = [];
    const error = await failure(clientFor(system.url, { caBundle: CA, clientCertificate: CLIENT_CERTIFICATE, proxyUrl: 'http://127.0.0.1:1' }, waits).status());
    expect(error).toMatchObject({ reason: 'unreachable', retryable: true });
    expect(waits).toHaveLength(2);
  });
});
