// Browser mode: the same core and dispatcher behind a small HTTP host on 127.0.0.1. It serves the
// built renderer, takes POST /api/<operation> and streams events (SSE). Only someone holding the
// per-run token (printed at start) gets in, and only from this host's own origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve as resolvePath } from 'node:path';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES, resolveRendererFile } from './renderer-files.ts';
import type { AddressInfo } from 'node:net';
import type { StaffPassportApp } from '../app.ts';
import type { ErrorCode } from '../errors.ts';

const COOKIE = 'dsp_session';
// The largest honest bodies are a 2 MB CSV file and a 2 MB photo as base64; the contract checks each.
const MAX_BODY_BYTES = 8 * 1024 * 1024;


const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  'unknown-operation': 404,
  'invalid-input': 400,
  'not-signed-in': 401,
  'wrong-credentials': 401,
  locked: 423,
  forbidden: 403,
  'password-change-required': 403,
  'too-many-attempts': 429,
  'not-found': 404,
  conflict: 409,
  'already-set-up': 409,
  internal: 500,
  'invalid-output': 500,
};

export interface BrowserHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface BrowserHostOptions {
  port: number;
  rendererDir: string;
  token?: string;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieToken(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return null;
}

function baseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...extra,
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, baseHeaders({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }));
  response.end(JSON.stringify(body));
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, baseHeaders({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }));
  response.end(message);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrowserHost(app: StaffPassportApp, options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererRoot = resolvePath(options.rendererDir);
  let origin = '';
  let host = '';
  const streams = new Set<ServerResponse>();

  const unsubscribe = app.onEvent((name, payload) => {
    const message = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(message);
  });

  const authorised = (request: IncomingMessage): boolean => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const presented = bearer ?? cookieToken(request);
    return presented !== null && presented !== undefined && sameSecret(presented, token);
  };

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    const file = resolveRendererFile(rendererRoot, pathname);
    if (!file) return refuse(response, 404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Anything we cannot read is simply not there for the browser.
      return refuse(response, 404, pathname === '/' ? 'The screens have not been built. Run npm run build:renderer.' : 'Not found');
    }
    response.writeHead(200, baseHeaders({ 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' }));
    response.end(body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Refuse other host names (DNS rebinding) and other origins (cross-site requests).
    if (request.headers.host !== host) return refuse(response, 421, 'Wrong host');
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuse(response, 403, 'Requests from other sites are refused');
    const url = new URL(request.url ?? '/', origin);

    if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(response, 401, 'That link is not valid. Use the address the app printed when it started.');
      response.writeHead(303, baseHeaders({ 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, Location: '/', 'Cache-Control': 'no-store' }));
      return void response.end();
    }
    if (!authorised(request)) return refuse(response, 401, 'Open Staff Passport with the address the app printed when it started.');

    if (url.pathname === '/api/events' && request.method === 'GET') {
      response.writeHead(200, baseHeaders({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' }));
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return refuse(response, 405, 'Use POST');
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return refuse(response, 415, 'Send JSON');
      let input: unknown;
      try {
        const text = await readBody(request);
        input = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return sendJson(response, 400, { ok: false, error: { code: 'invalid-input', message: 'The request was not valid JSON.', fields: [] } });
      }
      const result = await app.dispatch(decodeURIComponent(url.pathname.slice('/api/'.length)), input);
      return sendJson(response, result.ok ? 200 : (HTTP_STATUS[result.error.code] ?? 400), result);
    }
    if (request.method !== 'GET') return refuse(response, 405, 'Method not allowed');
    return serveStatic(url.pathname, response);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) refuse(response, 500, 'Something went wrong');
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
