// The one server the outside world talks to: verifiers fetching the trust's DID document and
// status lists now; wallets and authoritative systems' event notifications later. Capabilities
// add their routes; anything else is 404. Plain HTTP: TLS is the trust's reverse proxy's, or
// comes with the wallet endpoints.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.ts';
import type { Logger } from './log.ts';

export interface PublicRequest {
  method: string;
  path: string;
  /** Named groups of the route's pattern. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The request body, read only for routes that accept one (up to their maxBodyBytes). */
  body: Buffer;
}

export interface PublicResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A route; `Caller` is who its `authorise` found the request to come from, handed on to `handle`. */
export interface PublicRoute<Caller = undefined> {
  method: 'GET' | 'POST';
  /** Matched against the whole path; named groups become params. */
  pattern: RegExp;
  /** How large a body the route accepts; 0 (the default) reads none. Larger ones answer 413. */
  maxBodyBytes?: number;
  /** Checked before the body is read, so a caller without credentials costs no more than its headers. */
  authorise?(headers: IncomingHttpHeaders): Promise<{ refused: PublicResponse } | { caller: Caller }>;
  handle(request: PublicRequest, caller: Caller): Promise<PublicResponse>;
}

export interface PublicServerAddress {
  address: string;
  port: number;
}

const MAX_PATH = 2048;

export function jsonResponse(status: number, value: unknown, headers?: Record<string, string>): PublicResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

/** AppErrors become the status a client can act on; their message is safe to show, the detail is not sent. */
function errorResponse(error: unknown): PublicResponse {
  if (error instanceof AppError) {
    if (error.code === 'not-found') return jsonResponse(404, { error: 'not_found', error_description: error.message });
    if (error.code === 'not-set-up' || error.code === 'not-signed-in' || error.code === 'locked') return jsonResponse(503, { error: 'unavailable', error_description: 'This service is not available yet. Try again later.' }, { 'Retry-After': '60' });
    if (error.code === 'invalid-input') return jsonResponse(400, { error: 'invalid_request', error_description: error.message });
  }
  return jsonResponse(500, { error: 'server_error', error_description: 'Something went wrong.' });
}

export class PublicServer {
  private readonly routes: Array<PublicRoute<unknown>> = [];
  private readonly log: Logger;
  private server: Server | null = null;
  private bound: PublicServerAddress | null = null;

  constructor(log: Logger) {
    this.log = log;
  }

  route<Caller>(route: PublicRoute<Caller>): void {
    this.routes.push(route);
  }

  /** Where it listens, once started. */
  get address(): PublicServerAddress | null {
    return this.bound;
  }

  async start(where: PublicServerAddress): Promise<PublicServerAddress> {
    if (this.server) throw new AppError('conflict', 'The public server is already running.');
    const server = createServer((request, response) => void this.answer(request, response));
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    // Enough for a queue of wallets and verifiers; a flood beyond it is turned away, not served.
    server.maxConnections = 256;
    server.maxRequestsPerSocket = 100;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const message = error.code === 'EADDRINUSE' ? `Port ${where.port} is already in use on ${where.address}. Ask your IT team to choose another port.` : `The public server could not start on ${where.address}:${where.port}.`;
        reject(new AppError('unavailable', message, { detail: String(error) }));
      });
      server.listen(where.port, where.address, () => resolve());
    });
    this.server = server;
    const info = server.address() as AddressInfo;
    this.bound = { address: info.address, port: info.port };
    return this.bound;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.bound = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    let answer: PublicResponse;
    try {
      answer = await this.dispatch(method, path, request);
    } catch (error) {
      this.log.warn('public request failed', { method, path: path.slice(0, 200), code: error instanceof AppError ? error.code : 'internal', detail: error instanceof AppError ? error.detail : String(error) });
      answer = errorResponse(error);
    }
    const body = Buffer.from(answer.body, 'utf8');
    response.writeHead(answer.status, {
      'Content-Type': answer.contentType,
      'Content-Length': String(body.length),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      // A body left unread (too large, or not wanted) means the connection cannot be reused.
      ...(request.complete ? {} : { Connection: 'close' }),
      ...answer.headers,
    });
    response.end(method === 'HEAD' ? undefined : body);
  }

  private async dispatch(method: string, path: string, request: IncomingMessage): Promise<PublicResponse> {
    if (path.length > MAX_PATH) return jsonResponse(414, { error: 'invalid_request', error_description: 'The address is too long.' });
    const matching = this.routes.map((route) => ({ route, match: route.pattern.exec(path) })).filter((entry) => entry.match);
    if (matching.length === 0) return jsonResponse(404, { error: 'not_found', error_description: 'There is nothing at this address.' });
    const asked = method === 'HEAD' ? 'GET' : method;
    const found = matching.find((entry) => entry.route.method === asked);
    if (!found) return jsonResponse(405, { error: 'invalid_request', error_description: `${method} is not allowed here.` }, { Allow: [...new Set(matching.map((entry) => entry.route.method))].join(', ') });
    let caller: unknown;
    if (found.route.authorise) {
      const verdict = await found.route.authorise(request.headers);
      if ('refused' in verdict) return verdict.refused;
      caller = verdict.caller;
    }
    const body = await readBody(request, found.route.maxBodyBytes ?? 0);
    if (body === 'too-large') return jsonResponse(413, { error: 'invalid_request', error_description: 'The request body is too large.' });
    return found.route.handle({ method: asked, path, params: { ...found.match!.groups }, headers: request.headers, body }, caller);
  }
}

/** Reads a body of at most `limit` bytes; stops reading (and says so) as soon as it is larger. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (limit === 0) return Buffer.alloc(0);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
