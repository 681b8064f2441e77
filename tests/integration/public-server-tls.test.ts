// The public server over HTTPS (a PEM pair or a PFX, from IT's settings) and its per-address rate
// limit, over real sockets on 127.0.0.1 with the test CA in tests/fixtures/tls.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPassportApp } from '../../main/app.ts';
import { AppError } from '../../main/errors.ts';
import { silentLogger } from '../../main/platform/log.ts';
import { jsonResponse, PublicServer, readPublicServerTls, type PublicRequest } from '../../main/platform/public-server.ts';
import { RateLimiter } from '../../main/platform/rate-limit.ts';
import { call, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'tls');
const CA = readFileSync(join(FIXTURES, 'ca.pem'));
const CERT_FILE = join(FIXTURES, 'server.pem');
const KEY_FILE = join(FIXTURES, 'server.key');
const PFX_PASSWORD = 'pfx-password-for-tests';
const NO_TLS = { publicServerTlsCertificateFile: '', publicServerTlsKeyFile: '', publicServerTlsPfxFile: '', publicServerTlsPfxPassword: '' };

let scratch: string;
let pfxFile: string;
const servers: PublicServer[] = [];
const apps: Array<{ app: StaffPassportApp; dir: string }> = [];

beforeAll(() => {
  scratch = tempDir('dsp-tls-');
  pfxFile = join(scratch, 'server.pfx');
  execFileSync('openssl', ['pkcs12', '-export', '-in', CERT_FILE, '-inkey', KEY_FILE, '-certfile', join(FIXTURES, 'ca.pem'), '-passout', `pass:${PFX_PASSWORD}`, '-out', pfxFile], { stdio: 'pipe' });
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const { app, dir } of apps.splice(0)) {
    await app.close();
    removeDir(dir);
  }
});
afterAll(() => removeDir(scratch));

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface Ask {
  method?: 'GET' | 'POST';
  headers?: Record<string, string | number>;
  /** Written, without ending the request: the server has to answer without waiting for the rest. */
  partialBody?: Buffer;
  body?: string;
  localAddress?: string;
}

/** One request on its own connection; `https` trusts only the test CA. */
function ask(url: string, options: Ask = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const settings = { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false as const, ...(options.localAddress ? { localAddress: options.localAddress } : {}) };
    const request = (secure ? httpsRequest : httpRequest)(url, secure ? { ...settings, ca: CA } : settings, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode!, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null });
        request.destroy();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Once the server has answered it may close the connection while the body is still going out.
      if (options.partialBody && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) return;
      reject(error);
    });
    if (options.partialBody) request.write(options.partialBody);
    else request.end(options.body);
  });
}

function helloServer(): PublicServer {
  const server = new PublicServer(silentLogger);
  server.route({ method: 'GET', pattern: /^\/hello$/, handle: async (request: PublicRequest) => jsonResponse(200, { hello: 'world', from: request.remoteAddress }) });
  servers.push(server);
  return server;
}

async function expectRefusal(promise: Promise<unknown>, ...inMessage: string[]): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('unavailable');
  for (const words of inMessage) expect(appError.message).toContain(words);
  // Neither the password nor the key ever reaches a message or the log's detail.
  const key = readFileSync(KEY_FILE, 'utf8');
  for (const text of [appError.message, appError.detail ?? '']) {
    expect(text).not.toContain(PFX_PASSWORD);
    expect(text).not.toContain(key.split('\n')[1]!);
  }
  return appError;
}

describe('PublicServer over HTTPS', () => {
  it('serves a PEM certificate and key, and speaks no plain HTTP on that port', async () => {
    const server = helloServer();
    const { port } = await server.start({ address: '127.0.0.1', port: 0 }, { tls: { cert: readFileSync(CERT_FILE), key: readFileSync(KEY_FILE) } });
    expect(server.secure).toBe(true);
    const answer = await ask(`https://localhost:${port}/hello`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ hello: 'world', from: '127.0.0.1' });
    expect((await ask(`https://127.0.0.1:${port}/hello`)).status).toBe(200);
    await expect(ask(`http://127.0.0.1:${port}/hello`)).rejects.toThrow();
  });

  it('serves plain HTTP when given no certificate, as before', async () => {
    const server = helloServer();
    const { port } = await server.start({ address: '127.0.0.1', port: 0 });
    expect(server.secure).toBe(false);
    expect((await ask(`http://127.0.0.1:${port}/hello`)).status).toBe(200);
    await expect(ask(`https://127.0.0.1:${port}/hello`)).rejects.toThrow();
  });

  it('serves a PFX opened with its password', async () => {
    const server = helloServer();
    const { port } = await server.start({ address: '127.0.0.1', port: 0 }, { tls: { pfx: readFileSync(pfxFile), passphrase: PFX_PASSWORD } });
    const answer = await ask(`https://localhost:${port}/hello`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ hello: 'world' });
  });

  it('does not start with a PFX and the wrong password', async () => {
    const server = helloServer();
    await expectRefusal(server.start({ address: '127.0.0.1', port: 0 }, { tls: { pfx: readFileSync(pfxFile), passphrase: 'not-the-password' } }), 'TLS certificate');
    expect(server.address).toBeNull();
    expect(server.secure).toBe(false);
  });
});

describe('reading the TLS settings', () => {
  it('reads a PEM pair or a PFX, and nothing when none is set', async () => {
    expect(await readPublicServerTls(NO_TLS)).toBeUndefined();
    const pem = await readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: CERT_FILE, publicServerTlsKeyFile: KEY_FILE });
    expect(pem).toEqual({ cert: readFileSync(CERT_FILE), key: readFileSync(KEY_FILE) });
    const pfx = await readPublicServerTls({ ...NO_TLS, publicServerTlsPfxFile: pfxFile, publicServerTlsPfxPassword: PFX_PASSWORD });
    expect(pfx).toEqual({ pfx: readFileSync(pfxFile), passphrase: PFX_PASSWORD });
  });

  it('refuses each mistake IT could make with a sentence naming the setting and the file', async () => {
    const missing = join(scratch, 'no-such-certificate.pem');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: missing, publicServerTlsKeyFile: KEY_FILE }), 'publicServerTlsCertificateFile', missing);
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: CERT_FILE }), 'publicServerTlsKeyFile', 'Set both');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsKeyFile: KEY_FILE }), 'publicServerTlsCertificateFile', 'Set both');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: CERT_FILE, publicServerTlsKeyFile: KEY_FILE, publicServerTlsPfxFile: pfxFile }), 'not both');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsPfxPassword: PFX_PASSWORD }), 'publicServerTlsPfxFile');
    const clientKey = join(FIXTURES, 'client.key');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: CERT_FILE, publicServerTlsKeyFile: clientKey }), 'does not belong to the certificate', clientKey, CERT_FILE);
    const encryptedKey = join(FIXTURES, 'client-encrypted.key');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: join(FIXTURES, 'client.pem'), publicServerTlsKeyFile: encryptedKey }), 'protected by a password', encryptedKey);
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsCertificateFile: KEY_FILE, publicServerTlsKeyFile: KEY_FILE }), 'PEM file', 'publicServerTlsCertificateFile');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsPfxFile: pfxFile, publicServerTlsPfxPassword: 'not-the-password' }), 'password is wrong', 'publicServerTlsPfxPassword', pfxFile);
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsPfxFile: pfxFile }), 'password is wrong');
    await expectRefusal(readPublicServerTls({ ...NO_TLS, publicServerTlsPfxFile: CERT_FILE, publicServerTlsPfxPassword: PFX_PASSWORD }), 'not a PKCS#12 file', CERT_FILE);
  });
});

describe('the app with TLS set by IT', () => {
  async function appWith(policy: Record<string, unknown>): Promise<StaffPassportApp> {
    const dir = tempDir();
    const app = await startApp(dir, { configSources: { machineFilePath: null, readPolicy: async () => JSON.stringify(policy) } });
    apps.push({ app, dir });
    return app;
  }

  it('serves HTTPS from the PEM files in the settings, and its default public address is https', async () => {
    const app = await appWith({ publicServerTlsCertificateFile: CERT_FILE, publicServerTlsKeyFile: KEY_FILE });
    // Before it starts, the settings alone decide.
    expect(app.publicBaseUrl()).toBe('https://localhost:8543');
    const { port } = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
    expect(app.publicBaseUrl()).toBe(`https://localhost:${port}`);
    const answer = await ask(`${app.publicBaseUrl()}/nothing-here`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: 'not_found' });
  });

  it('serves HTTPS from a PFX, and never shows its password to the screens', async () => {
    const app = await appWith({ publicServerTlsPfxFile: pfxFile, publicServerTlsPfxPassword: PFX_PASSWORD });
    const { port } = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
    expect(app.publicBaseUrl()).toBe(`https://localhost:${port}`);
    expect((await ask(`https://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
    await setUpTrust(app);
    await signInAdmin(app);
    const settings = await call(app, 'settings.get', {});
    expect(settings.values.publicServerTlsPfxPassword).toBe('(set)');
    expect(settings.values.publicServerTlsPfxFile).toBe(pfxFile);
    expect(settings.locked).toContain('publicServerTlsPfxPassword');
  });

  it('keeps plain http by default', async () => {
    const app = await appWith({});
    expect(app.publicBaseUrl()).toBe('http://localhost:8543');
    const { port } = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
    expect(app.publicBaseUrl()).toBe(`http://localhost:${port}`);
  });

  it('does not start, and says which setting and file, when a file is missing or the password is wrong', async () => {
    const missing = join(scratch, 'gone', 'server.key');
    const app = await appWith({ publicServerTlsCertificateFile: CERT_FILE, publicServerTlsKeyFile: missing });
    const error = await expectRefusal(app.startPublicServer({ address: '127.0.0.1', port: 0 }), 'publicServerTlsKeyFile', missing);
    expect(error.detail).toContain('ENOENT');
    expect(app.publicServer.address).toBeNull();

    const wrong = await appWith({ publicServerTlsPfxFile: pfxFile, publicServerTlsPfxPassword: 'not-the-password' });
    await expectRefusal(wrong.startPublicServer({ address: '127.0.0.1', port: 0 }), 'publicServerTlsPfxPassword', pfxFile);
    expect(wrong.publicServer.address).toBeNull();
  });

  it('lets only IT set the TLS settings', async () => {
    const app = await appWith({});
    await setUpTrust(app);
    await signInAdmin(app);
    // Nothing set by IT, so nothing is locked: an administrator is refused because the screens
    // cannot name these settings at all.
    expect((await app.dispatch('settings.update', { autoLockMinutes: 10 })).ok).toBe(true);
    for (const name of ['publicServerTlsCertificateFile', 'publicServerTlsKeyFile', 'publicServerTlsPfxFile', 'publicServerTlsPfxPassword']) {
      const result = await app.dispatch('settings.update', { [name]: '/tmp/x' });
      expect(result.ok ? null : result.error.code, name).toBe('invalid-input');
    }
  });
});

describe('rate limits per client address', () => {
  const BIG = 10_000_000;

  async function tokenServer(address = '127.0.0.1') {
    const seen = { authorised: 0, handled: [] as string[] };
    const server = new PublicServer(silentLogger);
    server.route({
      method: 'POST',
      pattern: /^\/token$/,
      maxBodyBytes: 1000,
      rateLimit: new RateLimiter({ limit: 2, windowMs: 60_000 }),
      authorise: async () => {
        seen.authorised += 1;
        return { caller: undefined };
      },
      handle: async (request) => {
        seen.handled.push(request.remoteAddress);
        return jsonResponse(200, { access_token: 'x' });
      },
    });
    // The same path without a limit: a body too large is refused there with 413.
    server.route({ method: 'POST', pattern: /^\/unlimited$/, maxBodyBytes: 1000, handle: async () => jsonResponse(200, {}) });
    servers.push(server);
    const { port } = await server.start({ address, port: 0 });
    return { seen, base: `http://127.0.0.1:${port}` };
  }

  it('answers 429 with Retry-After past the limit, before authorising or reading the body', async () => {
    const { seen, base } = await tokenServer();
    for (let n = 0; n < 2; n += 1) expect((await ask(`${base}/token`, { method: 'POST', body: 'grant_type=x' })).status).toBe(200);
    const refused = await ask(`${base}/token`, { method: 'POST', body: 'grant_type=x' });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'slow_down', error_description: expect.stringMatching(/^Too many requests from this address\. Try again in (60|59) seconds\.$/) as unknown });
    expect(refused.headers['retry-after']).toMatch(/^(60|59)$/);
    expect(refused.headers['content-type']).toBe('application/json');
    // A body of 10 MB is declared and never sent: the limit answers first, not the size check.
    const huge = await ask(`${base}/token`, { method: 'POST', headers: { 'content-length': BIG }, partialBody: Buffer.alloc(100) });
    expect(huge.status).toBe(429);
    expect(seen.authorised).toBe(2);
    expect(seen.handled).toEqual(['127.0.0.1', '127.0.0.1']);
    const unlimited = await ask(`${base}/unlimited`, { method: 'POST', headers: { 'content-length': BIG }, partialBody: Buffer.alloc(100) });
    expect(unlimited.status).toBe(413);
  });

  it('counts each client address on its own', async () => {
    const { seen, base } = await tokenServer();
    for (let n = 0; n < 2; n += 1) await ask(`${base}/token`, { method: 'POST', body: 'a' });
    expect((await ask(`${base}/token`, { method: 'POST', body: 'a' })).status).toBe(429);
    // Another address on the loopback network is another client.
    expect((await ask(`${base}/token`, { method: 'POST', body: 'a', localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await ask(`${base}/token`, { method: 'POST', body: 'a', localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await ask(`${base}/token`, { method: 'POST', body: 'a', localAddress: '127.0.0.2' })).status).toBe(429);
    expect(seen.handled).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2']);
  });

  it('counts an IPv4 client of a dual-stack server by its IPv4 address', async () => {
    const { seen, base } = await tokenServer('::');
    await ask(`${base}/token`, { method: 'POST', body: 'a' });
    await ask(`${base}/token`, { method: 'POST', body: 'a', localAddress: '127.0.0.3' });
    expect(seen.handled).toEqual(['127.0.0.1', '127.0.0.3']);
  });
});
