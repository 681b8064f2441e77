// The one server the outside world talks to: verifiers fetching the trust's DID document and
// status lists, wallets, and authoritative systems' event notifications. Capabilities add their
// routes; anything else is 404. HTTPS when IT gives it a certificate; plain HTTP otherwise (for a
// single workstation, or behind the trust's own TLS-terminating reverse proxy).
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Settings } from '../api/contract.ts';
import { AppError } from '../errors.ts';
import type { Logger } from './log.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface PublicRequest {
  method: string;
  path: string;
  /** Named groups of the route's pattern. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * The address the request came from ('' if unknown), IPv4 written as IPv4. Behind a reverse
   * proxy this is the proxy's: forwarded-for headers are not trusted, as anyone can send them.
   */
  remoteAddress: string;
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
  /**
   * Counts requests per client address; past its limit the route answers 429 before anything
   * else is done (authorising, reading the body), so a flood costs as little as possible.
   */
  rateLimit?: RateLimiter;
  /** Checked before the body is read, so a caller without credentials costs no more than its headers. */
  authorise?(headers: IncomingHttpHeaders): Promise<{ refused: PublicResponse } | { caller: Caller }>;
  handle(request: PublicRequest, caller: Caller): Promise<PublicResponse>;
}

export interface PublicServerAddress {
  address: string;
  port: number;
}

/** The certificate the server presents: a PEM chain and its key, or a PKCS#12 (PFX) file. */
export type PublicServerTls = { cert: Buffer; key: Buffer } | { pfx: Buffer; passphrase?: string };

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
  private server: HttpServer | HttpsServer | null = null;
  private bound: PublicServerAddress | null = null;
  private tls = false;

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

  /** Whether it is serving HTTPS, once started. */
  get secure(): boolean {
    return this.server !== null && this.tls;
  }

  async start(where: PublicServerAddress, options: { tls?: PublicServerTls } = {}): Promise<PublicServerAddress> {
    if (this.server) throw new AppError('conflict', 'The public server is already running.');
    const listener = (request: IncomingMessage, response: ServerResponse) => void this.answer(request, response);
    let server: HttpServer | HttpsServer;
    if (options.tls) {
      try {
        // A connection that never finishes its handshake would otherwise hold one of the
        // connections below for two minutes (Node's default).
        server = createHttpsServer({ ...options.tls, handshakeTimeout: 10_000 }, listener);
      } catch (error) {
        throw new AppError('unavailable', 'The public server could not use its TLS certificate: the password is wrong, the key does not match the certificate, or a file is not a certificate. Ask your IT team to check the TLS settings.', { cause: error, detail: String(error) });
      }
    } else {
      server = createHttpServer(listener);
    }
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
    this.tls = Boolean(options.tls);
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
    const remoteAddress = clientAddress(request);
    if (found.route.rateLimit) {
      const verdict = found.route.rateLimit.take(remoteAddress);
      if (!verdict.allowed) {
        return jsonResponse(429, { error: 'slow_down', error_description: `Too many requests from this address. Try again in ${verdict.retryAfterSeconds} ${verdict.retryAfterSeconds === 1 ? 'second' : 'seconds'}.` }, { 'Retry-After': String(verdict.retryAfterSeconds) });
      }
    }
    let caller: unknown;
    if (found.route.authorise) {
      const verdict = await found.route.authorise(request.headers);
      if ('refused' in verdict) return verdict.refused;
      caller = verdict.caller;
    }
    const body = await readBody(request, found.route.maxBodyBytes ?? 0);
    if (body === 'too-large') return jsonResponse(413, { error: 'invalid_request', error_description: 'The request body is too large.' });
    return found.route.handle({ method: asked, path, params: { ...found.match!.groups }, headers: request.headers, remoteAddress, body }, caller);
  }
}

function clientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; one client must be one key.
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address) ? address.slice(7) : address;
}

type TlsSettings = Pick<Settings, 'publicServerTlsCertificateFile' | 'publicServerTlsKeyFile' | 'publicServerTlsPfxFile' | 'publicServerTlsPfxPassword'>;

/** Whether IT's settings ask for HTTPS (whether or not the files named can be used). */
export function tlsConfigured(values: TlsSettings): boolean {
  return Boolean(values.publicServerTlsCertificateFile || values.publicServerTlsKeyFile || values.publicServerTlsPfxFile);
}

/**
 * Reads the certificate IT's settings name for the public server, and checks it can be used, so
 * that a mistake stops the server with a sentence naming the setting and file rather than an
 * OpenSSL code. Undefined when no certificate is set (plain HTTP). Messages and details never
 * carry the password or the key.
 */
export async function readPublicServerTls(values: TlsSettings): Promise<PublicServerTls | undefined> {
  const certFile = values.publicServerTlsCertificateFile;
  const keyFile = values.publicServerTlsKeyFile;
  const pfxFile = values.publicServerTlsPfxFile;
  const password = values.publicServerTlsPfxPassword;
  const askIt = 'Ask your IT team to check the public server\'s TLS settings.';
  if (pfxFile && (certFile || keyFile)) {
    throw new AppError('unavailable', `The public server has both a PFX file (publicServerTlsPfxFile) and a PEM certificate or key (publicServerTlsCertificateFile, publicServerTlsKeyFile) set. Set either the PEM certificate and key, or the PFX file, not both. ${askIt}`);
  }
  if (password && !pfxFile) {
    throw new AppError('unavailable', `The public server has a PFX password (publicServerTlsPfxPassword) set but no PFX file (publicServerTlsPfxFile). Set the PFX file too, or remove the password. ${askIt}`);
  }
  if (pfxFile) {
    const pfx = await readTlsFile('publicServerTlsPfxFile', pfxFile, 'PFX certificate');
    const tls: PublicServerTls = password ? { pfx, passphrase: password } : { pfx };
    try {
      createSecureContext(tls);
    } catch (error) {
      const wrongPassword = /mac verify failure/i.test(String(error));
      const message = wrongPassword
        ? `The PFX file ${pfxFile} (publicServerTlsPfxFile) could not be opened with the password in publicServerTlsPfxPassword: the password is wrong or missing. ${askIt}`
        : `The PFX file ${pfxFile} (publicServerTlsPfxFile) could not be used: it is not a PKCS#12 file holding a certificate and its private key. ${askIt}`;
      throw new AppError('unavailable', message, { cause: error, detail: String(error) });
    }
    return tls;
  }
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    const [set, missing] = certFile ? ['certificate (publicServerTlsCertificateFile)', 'private key (publicServerTlsKeyFile)'] : ['private key (publicServerTlsKeyFile)', 'certificate (publicServerTlsCertificateFile)'];
    throw new AppError('unavailable', `The public server has a TLS ${set} set but no ${missing}. Set both, or use a PFX file instead. ${askIt}`);
  }
  const cert = await readTlsFile('publicServerTlsCertificateFile', certFile, 'TLS certificate');
  const key = await readTlsFile('publicServerTlsKeyFile', keyFile, 'TLS private key');
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const text = key.toString('latin1');
    let message: string;
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') message = `The private key in ${keyFile} (publicServerTlsKeyFile) does not belong to the certificate in ${certFile} (publicServerTlsCertificateFile). ${askIt}`;
    else if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) message = `The private key in ${keyFile} (publicServerTlsKeyFile) is protected by a password, which the public server cannot use. Give it the key without a password, or a PFX file with its password (publicServerTlsPfxFile, publicServerTlsPfxPassword). ${askIt}`;
    else message = `The TLS certificate ${certFile} (publicServerTlsCertificateFile) and private key ${keyFile} (publicServerTlsKeyFile) could not be used: each must be a PEM file (text starting with -----BEGIN). ${askIt}`;
    throw new AppError('unavailable', message, { cause: error, detail: String(error) });
  }
  return { cert, key };
}

async function readTlsFile(setting: string, path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new AppError('unavailable', `Staff Passport cannot read the ${what} file ${path}, named in the setting ${setting}. Ask your IT team to check the file exists and that this computer's account can read it.`, { cause: error, detail: String(error) });
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
