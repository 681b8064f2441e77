// The wire under the DSP client: one axios instance per connection with the trust's TLS settings
// (its CA bundle added to the default roots, an optional client certificate), its proxy, a timeout
// and a whole-exchange deadline, and a cap on the size of an answer enforced while it streams in.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import axios, { type AxiosInstance, type AxiosProxyConfig } from 'axios';
import { AppError } from '../../errors.ts';

export interface TransportSettings {
  /** PEM certificates of the trust's certificate authorities, trusted in addition to the usual roots. */
  caBundle?: string;
  /** A client certificate for systems that ask for one (mutual TLS). */
  clientCertificate?: { cert: string; key: string; passphrase?: string };
  /** http://host:port or https://host:port, optionally with user:password. */
  proxyUrl?: string;
  /** Hosts reached directly: "esr.example.nhs.uk" (and its subdomains), ".nhs.uk", "*.nhs.uk", "10.1.2.3", "host:8443", "*". */
  noProxy?: string[];
  /** How long to wait for a connection, for an answer, and for a whole exchange (default 10 s). */
  timeoutMs?: number;
  /** The largest answer read (default 2 MB); a larger one is cut off as it arrives. */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, from connecting to the last byte of the answer. */
  deadlineMs: number;
  maxResponseBytes: number;
  maxRequestBytes?: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

export type FailureKind = 'timeout' | 'unreachable' | 'too-large';

/** The exchange did not produce an answer: the client turns this into a SystemError. */
export class TransportFailure extends Error {
  readonly kind: FailureKind;
  readonly tls: boolean;
  /** The Node or axios error code, for the log. */
  readonly code: string;

  constructor(kind: FailureKind, code: string, options: { tls?: boolean } = {}) {
    super(`${kind} (${code})`);
    this.name = 'TransportFailure';
    this.kind = kind;
    this.code = code;
    this.tls = options.tls ?? false;
  }
}

const configInvalid = (message: string, detail: string) => new AppError('config-invalid', message, { detail });

/** The certificates Node trusts by default (its bundled roots, plus NODE_EXTRA_CA_CERTS and the system store when Node is told to use them). */
function defaultRoots(): string[] {
  return typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates];
}

function certificatesIn(bundle: string): string[] {
  const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) throw configInvalid('The certificate authority bundle IT set for the authoritative systems holds no certificates. Ask IT to check it.', 'caBundle: no PEM certificates');
  for (const [index, pem] of certificates.entries()) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw configInvalid('The certificate authority bundle IT set for the authoritative systems could not be read. Ask IT to check it.', `caBundle: certificate ${index + 1}: ${String(error)}`);
    }
  }
  return certificates;
}

function checkClientCertificate(certificate: NonNullable<TransportSettings['clientCertificate']>): void {
  try {
    tls.createSecureContext({ cert: certificate.cert, key: certificate.key, ...(certificate.passphrase === undefined ? {} : { passphrase: certificate.passphrase }) });
  } catch (error) {
    throw configInvalid('The client certificate IT set for the authoritative systems could not be used: check the certificate, its key and its passphrase.', `clientCertificate: ${(error as { code?: string }).code ?? String(error)}`);
  }
}

function proxyOf(proxyUrl: string): AxiosProxyConfig {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw configInvalid('The proxy address IT set is not a valid address. It should look like http://proxy.example.nhs.uk:8080.', 'proxyUrl: not a URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw configInvalid('The proxy address IT set is not a valid address. It should look like http://proxy.example.nhs.uk:8080.', `proxyUrl: protocol ${url.protocol}`);
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const proxy: AxiosProxyConfig = { protocol: url.protocol.slice(0, -1), host: url.hostname.replace(/^\[|\]$/g, ''), port };
  if (url.username || url.password) proxy.auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  return proxy;
}

/** Whether a URL's host is one the settings say to reach without the proxy (the usual NO_PROXY forms; no CIDR ranges). */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: string | null = null;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2] ?? null;
    } else if ((entry.match(/:/g) ?? []).length === 1) {
      const [name, entryPortText] = entry.split(':') as [string, string];
      if (/^\d+$/.test(entryPortText)) {
        entry = name;
        entryPort = entryPortText;
      }
    }
    if (entryPort !== null && entryPort !== port) continue;
    if (entry.startsWith('*.')) entry = entry.slice(1);
    const matches = entry.startsWith('.') ? host.endsWith(entry) || host === entry.slice(1) : host === entry || host.endsWith(`.${entry}`);
    if (matches) return true;
  }
  return false;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

function codeOf(error: unknown): string {
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  // axios wraps Node's errors: the socket's own code says more than ERR_BAD_RESPONSE.
  if (typeof cause === 'string') return cause;
  return typeof own === 'string' ? own : 'UNKNOWN';
}

export class Transport {
  private readonly http: AxiosInstance;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly proxy: AxiosProxyConfig | null;
  private readonly noProxy: readonly string[];
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;

  constructor(settings: TransportSettings = {}) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1 || this.timeoutMs > 600_000) throw configInvalid('The time allowed for an authoritative system to answer must be between 1 millisecond and 10 minutes.', `timeoutMs ${this.timeoutMs}`);
    if (!Number.isInteger(this.maxResponseBytes) || this.maxResponseBytes < 1024) throw configInvalid('The largest answer to read from an authoritative system must be at least 1 KB.', `maxResponseBytes ${this.maxResponseBytes}`);
    const ca = settings.caBundle === undefined ? undefined : [...defaultRoots(), ...certificatesIn(settings.caBundle)];
    if (settings.clientCertificate) checkClientCertificate(settings.clientCertificate);
    const certificate = settings.clientCertificate;
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
    this.httpsAgent = new HttpsAgent({
      keepAlive: true,
      maxSockets: 8,
      ...(ca ? { ca } : {}),
      ...(certificate ? { cert: certificate.cert, key: certificate.key, ...(certificate.passphrase === undefined ? {} : { passphrase: certificate.passphrase }) } : {}),
    });
    this.proxy = settings.proxyUrl ? proxyOf(settings.proxyUrl) : null;
    this.noProxy = settings.noProxy ?? [];
    this.http = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      responseType: 'text',
      responseEncoding: 'utf8',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      decompress: true,
    });
  }

  /** The proxy for a URL: the configured one unless the host is listed to reach directly; never the environment's. */
  proxyFor(url: URL): AxiosProxyConfig | false {
    return this.proxy && !bypassesProxy(url, this.noProxy) ? this.proxy : false;
  }

  async exchange(request: TransportRequest): Promise<TransportResponse> {
    const url = new URL(request.url);
    // axios's timeout restarts with every byte that arrives; the deadline bounds the whole exchange,
    // so a server that trickles bytes is cut off.
    const deadline = AbortSignal.timeout(request.deadlineMs);
    try {
      const response = await this.http.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.body === undefined ? {} : { data: request.body }),
        timeout: Math.min(this.timeoutMs, request.deadlineMs),
        signal: deadline,
        maxContentLength: request.maxResponseBytes,
        maxBodyLength: request.maxRequestBytes ?? 1024 * 1024,
        proxy: this.proxyFor(url),
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
        if (typeof value === 'string') headers[name.toLowerCase()] = value;
        else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
        else if (typeof value === 'number') headers[name.toLowerCase()] = String(value);
      }
      return { status: response.status, headers, text: typeof response.data === 'string' ? response.data : '' };
    } catch (error) {
      throw failureOf(error, deadline);
    }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function failureOf(error: unknown, deadline: AbortSignal): TransportFailure {
  if (deadline.aborted) return new TransportFailure('timeout', 'DEADLINE');
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('maxContentLength size of')) return new TransportFailure('too-large', 'MAX_CONTENT_LENGTH');
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return new TransportFailure('timeout', code);
  if (TLS_CODE.test(code)) return new TransportFailure('unreachable', code, { tls: true });
  return new TransportFailure('unreachable', code);
}
