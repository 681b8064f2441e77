// The DSP client against hostile or broken servers on 127.0.0.1: wrong types, missing fields, a
// 10 MB body (plain and gzipped), a server that trickles bytes or never answers, malformed JSON, an
// HTML error page, the wrong content type. Each must end as a typed error, within a bounded time
// and without reading the whole of an oversized body.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { DspClient, SystemError, newClientKeyPair, type ClientKeyPair, type DspClientOptions } from '../../main/systems/client/index.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

interface Hostile {
  url: string;
  /** Requests that reached the handler (not the token endpoint). */
  requests: number;
  closedSockets: number;
  server: Server;
}

let keys: ClientKeyPair;
const servers: Server[] = [];
const clients: DspClient[] = [];
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  keys = await newClientKeyPair();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose token endpoint works, so the hostility is in the answers to the operations (or in tokenHandler). */
async function hostile(handler: Handler, tokenHandler?: Handler): Promise<Hostile> {
  const state: Hostile = { url: '', requests: 0, closedSockets: 0, server: null as unknown as Server };
  const server = createServer((request, response) => {
    request.resume();
    if (request.url === '/oauth2/token') {
      if (tokenHandler) return void tokenHandler(request, response);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(JSON.stringify({ access_token: 'hostile-token', expires_in: 300, token_type: 'Bearer' }));
    }
    state.requests += 1;
    void handler(request, response);
  });
  server.on('connection', (socket) => socket.on('close', () => (state.closedSockets += 1)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  state.server = server;
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function clientFor(server: Hostile, options: Pick<DspClientOptions, 'transport' | 'retry'> = {}): DspClient {
  const client = new DspClient({
    connection: {
      name: 'ESR',
      kind: 'esr',
      baseUrl: `${server.url}/dsp-api`,
      organisation: 'RHQ',
      tokenUrl: `${server.url}/oauth2/token`,
      clientId: 'staff-passport-rhq',
      signingKey: { kid: keys.kid, privateKey: keys.privateJwk, alg: 'ES256' },
    },
    transport: { timeoutMs: 1_000, ...options.transport },
    retry: { attempts: 1, random: () => 0, sleep: async () => undefined, ...options.retry },
  });
  clients.push(client);
  return client;
}

/** The error a call ends with, and how long it took. */
async function timedFailure(call: () => Promise<unknown>): Promise<{ error: SystemError; ms: number }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(SystemError);
    return { error: error as SystemError, ms: performance.now() - started };
  }
  throw new Error('expected a SystemError');
}

const json = (response: ServerResponse, status: number, body: string, type = 'application/json') => {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
};

const TEN_MB = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** Streams about 10 MB of a JSON array that would be valid if it ended; resolves with the bytes the server managed to write. */
function streamTenMegabytes(response: ServerResponse, options: { declareLength: boolean; pauseMs: number }): Promise<number> {
  return (async () => {
    response.writeHead(200, { 'Content-Type': 'application/json', ...(options.declareLength ? { 'Content-Length': String(TEN_MB) } : {}) });
    let written = 0;
    const filler = Buffer.alloc(CHUNK, 'x');
    response.write('[{"id":"1","firstName":"');
    while (written < TEN_MB && !response.destroyed) {
      written += CHUNK;
      if (!response.write(filler)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    if (!response.destroyed) response.end('","surname":"x"}]');
    return written;
  })();
}

describe('hostile answers', () => {
  it('wrong types: a bad-response, not data', async () => {
    const server = await hostile((_request, response) => json(response, 200, JSON.stringify([{ id: 7, firstName: ['Aisha'], surname: null }])));
    const { error, ms } = await timedFailure(() => clientFor(server).search({ surname: 'Smith' }));
    expect(error).toMatchObject({ reason: 'bad-response', status: 200 });
    expect(error.detail).toContain('/0/id must be string');
    expect(ms).toBeLessThan(1_000);
  });

  it('missing fields: a bad-response', async () => {
    const server = await hostile((_request, response) => json(response, 200, JSON.stringify({ records: [{ recordType: 'Vaccination', code: 'HEPB001' }] })));
    const { error, ms } = await timedFailure(() => clientFor(server).records('70000000'));
    expect(error.reason).toBe('bad-response');
    expect(error.detail).toContain("must have required property 'id'");
    expect(error.detail).toContain("/records/0 must have required property 'description'");
    expect(ms).toBeLessThan(1_000);
  });

  it('a 10 MB body sent as fast as it goes: too-large, cut off at the cap without holding the rest', async () => {
    let written: Promise<number> = Promise.resolve(0);
    const server = await hostile((_request, response) => {
      written = streamTenMegabytes(response, { declareLength: false, pauseMs: 0 });
    });
    const before = process.memoryUsage().arrayBuffers;
    const { error, ms } = await timedFailure(() => clientFor(server).search({ surname: 'Smith' }));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(error).toMatchObject({ reason: 'too-large', code: 'unavailable', retryable: false });
    expect(error.message).toBe('ESR sent an answer too large to read, so nothing was saved.');
    expect(ms).toBeLessThan(3_000);
    // At most the 2 MB cap (and a chunk) was held; the whole body would be 10 MB.
    expect(grown).toBeLessThan(6 * 1024 * 1024);
    // The client hung up: the server never got to write it all.
    expect(await written).toBeLessThan(TEN_MB);
  });

  it('a 10 MB body with its length declared, sent steadily: the connection is dropped long before the end', async () => {
    let written: Promise<number> = Promise.resolve(0);
    const server = await hostile((_request, response) => {
      written = streamTenMegabytes(response, { declareLength: true, pauseMs: 2 });
    });
    const { error, ms } = await timedFailure(() => clientFor(server, { transport: { maxResponseBytes: 1024 * 1024, timeoutMs: 5_000 } }).search({ surname: 'Smith' }));
    expect(error.reason).toBe('too-large');
    expect(ms).toBeLessThan(3_000);
    expect(await written).toBeLessThan(TEN_MB / 2);
  });

  it('a small gzip body that opens to 10 MB: too-large (the cap counts what it opens to)', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('[{"id":"1","firstName":"'), Buffer.alloc(TEN_MB, ' '), Buffer.from('","surname":"x"}]')]));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const server = await hostile((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
      response.end(bomb);
    });
    const { error, ms } = await timedFailure(() => clientFor(server).search({ surname: 'Smith' }));
    expect(error.reason).toBe('too-large');
    expect(ms).toBeLessThan(2_000);
  });

  it('a server that trickles a byte every 200 ms forever is cut off by the deadline: timeout, bounded across retries', async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('[');
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        response.write(' ');
      }, 200);
      timers.push(timer);
    });
    const { error, ms } = await timedFailure(() => clientFor(server, { transport: { timeoutMs: 1_000 }, retry: { attempts: 3, maxElapsedMs: 2_500 } }).search({ surname: 'Smith' }));
    expect(error).toMatchObject({ reason: 'timeout', code: 'unavailable', retryable: true });
    expect(error.message).toBe('ESR did not answer in time. Try again in a few minutes.');
    // Two full attempts and a last one cut short by the call's 2.5 s: never the trickle's forever.
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(3_500);
    expect(server.requests).toBe(3);
  });

  it('a server that accepts and never answers: timeout after the timeout', async () => {
    const server = await hostile(() => undefined);
    const { error, ms } = await timedFailure(() => clientFor(server, { transport: { timeoutMs: 800 }, retry: { attempts: 2 } }).records('70000000'));
    expect(error.reason).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(1_500);
    expect(ms).toBeLessThan(2_500);
    expect(server.requests).toBe(2);
  });

  it('a token endpoint that trickles: timeout, reported as the sign-in', async () => {
    const server = await hostile(
      (_request, response) => json(response, 200, '[]'),
      (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        const timer = setInterval(() => !response.destroyed && response.write(' '), 100);
        timers.push(timer);
      },
    );
    const { error, ms } = await timedFailure(() => clientFor(server, { transport: { timeoutMs: 700 } }).search({ surname: 'Smith' }));
    expect(error.reason).toBe('timeout');
    expect(error.detail).toContain('(sign-in)');
    expect(ms).toBeLessThan(1_500);
    expect(server.requests).toBe(0);
  });

  it('malformed JSON: a bad-response', async () => {
    const server = await hostile((_request, response) => json(response, 200, '{"id": "70000000", "records": [{"recordType": "Vacc'));
    const { error, ms } = await timedFailure(() => clientFor(server).records('70000000'));
    expect(error.reason).toBe('bad-response');
    expect(error.detail).toContain('not JSON');
    expect(ms).toBeLessThan(1_000);
  });

  it("a proxy's HTML error page with 502: a server error, retried, with no system text", async () => {
    const server = await hostile((_request, response) => json(response, 502, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>', 'text/html'));
    const { error, ms } = await timedFailure(() => clientFor(server, { retry: { attempts: 3 } }).personalDetails('70000000'));
    expect(error).toMatchObject({ reason: 'server-error', status: 502, retryable: true, systemText: undefined });
    expect(server.requests).toBe(3);
    expect(ms).toBeLessThan(1_000);
  });

  it('the wrong content type, or none, on a 200: a bad-response even when the body would parse', async () => {
    let type: string | null = 'text/html; charset=utf-8';
    const server = await hostile((_request, response) => {
      response.writeHead(200, type ? { 'Content-Type': type } : {});
      response.end('[]');
    });
    const client = clientFor(server);
    for (const next of ['text/html; charset=utf-8', 'text/plain', null]) {
      type = next;
      const { error, ms } = await timedFailure(() => client.search({ surname: 'Smith' }));
      expect(error.reason).toBe('bad-response');
      expect(ms).toBeLessThan(1_000);
    }
    type = 'application/json; charset=utf-8';
    expect(await client.search({ surname: 'Smith' })).toEqual([]);
  });

  it('a redirect is not followed (it would carry the token elsewhere)', async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(302, { Location: 'http://127.0.0.1:1/steal' });
      response.end();
    });
    const { error } = await timedFailure(() => clientFor(server).search({ surname: 'Smith' }));
    expect(error).toMatchObject({ reason: 'bad-response', status: 302 });
    expect(server.requests).toBe(1);
  });

  it('more than 50 people from a search breaks the standard: a bad-response', async () => {
    const people = Array.from({ length: 51 }, (_, index) => ({ id: String(index), firstName: 'A', surname: 'B' }));
    const server = await hostile((_request, response) => json(response, 200, JSON.stringify(people)));
    const { error } = await timedFailure(() => clientFor(server).search({ surname: 'B' }));
    expect(error.reason).toBe('bad-response');
    expect(error.detail).toContain('must NOT have more than 50 items');
  });
});
