// Reads a credential's Bitstring Status List entries: fetches each status-list credential (HTTPS,
// or plain HTTP on this computer only), checks that the credential's own issuer signed it, and
// caches the decoded list for a few minutes.
import axios from 'axios';
import { decodeJwt } from 'jose';
import { Bitstring, type StatusPurpose } from '../status/bitstring.ts';
import { agentWithCa, fetchProblem, remember, type Signatures } from './signatures.ts';

export interface StatusOptions {
  timeoutMs: number;
  cacheSeconds: number;
  /** PEM bundle of extra certificate authorities (the trust's). */
  ca?: string;
}

export type StatusOutcome = { outcome: 'pass' | 'fail' | 'unknown'; reason: string };

interface FetchedList {
  issuer: string;
  purpose: string;
  bits: Bitstring;
}

const MAX_LIST_BYTES = 2 * 1024 * 1024;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Status lists are fetched over HTTPS; plain HTTP only from this computer (a workstation's own server). */
export function fetchableUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  try {
    const url = new URL(value);
    if (url.username || url.password) return null;
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
    return null;
  } catch {
    return null;
  }
}

export class StatusChecker {
  private readonly options: StatusOptions;
  private readonly signatures: Signatures;
  private readonly now: () => Date;
  private readonly lists = new Map<string, { at: number; list: Promise<FetchedList | string> }>();

  constructor(options: StatusOptions, signatures: Signatures, now: () => Date) {
    this.options = options;
    this.signatures = signatures;
    this.now = now;
  }

  /** After this trust changed one of its own lists: the next check fetches again. */
  forget(): void {
    this.lists.clear();
  }

  /** Every entry of the credential's credentialStatus, checked; the first failure wins. */
  async check(credentialStatus: unknown, issuerDid: string): Promise<StatusOutcome> {
    if (credentialStatus === undefined) return { outcome: 'unknown', reason: 'It has no status list, so whether its issuer has revoked it cannot be checked.' };
    const entries = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
    if (entries.length === 0 || entries.length > 4) return { outcome: 'fail', reason: 'Its status entries are not valid.' };
    const results: StatusOutcome[] = [];
    for (const entry of entries) results.push(await this.checkEntry(entry, issuerDid));
    const failed = results.find((result) => result.outcome === 'fail');
    if (failed) return failed;
    const unknown = results.find((result) => result.outcome === 'unknown');
    if (unknown) return unknown;
    return { outcome: 'pass', reason: 'Its issuer has not revoked or suspended it.' };
  }

  private async checkEntry(entry: unknown, issuerDid: string): Promise<StatusOutcome> {
    if (typeof entry !== 'object' || entry === null) return { outcome: 'fail', reason: 'Its status entry is not valid.' };
    const { type, statusPurpose, statusListIndex, statusListCredential } = entry as Record<string, unknown>;
    if (type !== 'BitstringStatusListEntry') return { outcome: 'unknown', reason: `Its status is published in a form this service does not read (${String(type).slice(0, 40)}).` };
    if (statusPurpose !== 'revocation' && statusPurpose !== 'suspension') return { outcome: 'unknown', reason: 'Its status entry has a purpose this service does not read.' };
    const index = typeof statusListIndex === 'string' && /^[0-9]{1,9}$/.test(statusListIndex) ? Number(statusListIndex) : NaN;
    const url = fetchableUrl(statusListCredential);
    if (Number.isNaN(index) || !url) return { outcome: 'fail', reason: 'Its status entry is not valid (the list address or position).' };

    const list = await this.list(url.href, issuerDid);
    if (typeof list === 'string') return { outcome: 'unknown', reason: list };
    if (list.issuer !== issuerDid) return { outcome: 'fail', reason: 'Its status list was published by someone other than its issuer.' };
    if (list.purpose !== statusPurpose) return { outcome: 'fail', reason: 'Its status list is for a different purpose than its entry says.' };
    if (index >= list.bits.entries) return { outcome: 'fail', reason: 'Its status entry points outside its status list.' };
    if (!list.bits.get(index)) return { outcome: 'pass', reason: 'Not revoked or suspended.' };
    return statusPurpose === 'revocation'
      ? { outcome: 'fail', reason: 'Its issuer has revoked it.' }
      : { outcome: 'fail', reason: 'Its issuer has suspended it.' };
  }

  /** A status list, from the cache or fetched; a string is why it could not be read. */
  private list(url: string, issuerDid: string): Promise<FetchedList | string> {
    const cacheKey = `${issuerDid} ${url}`;
    const cached = this.lists.get(cacheKey);
    const now = this.now().getTime();
    if (cached && now - cached.at < this.options.cacheSeconds * 1000) return cached.list;
    const list = this.fetchList(url, issuerDid).catch(() => 'Its status list could not be read.');
    if (cached) this.lists.delete(cacheKey);
    remember(this.lists, cacheKey, { at: now, list });
    void list.then((value) => {
      if (typeof value === 'string') this.lists.delete(cacheKey);
    });
    return list;
  }

  private async fetchList(url: string, issuerDid: string): Promise<FetchedList | string> {
    let jwt: string;
    try {
      const response = await axios.get<string>(url, {
        timeout: this.options.timeoutMs,
        // axios's timeout restarts with every byte; the signal bounds the whole download.
        signal: AbortSignal.timeout(this.options.timeoutMs),
        maxContentLength: MAX_LIST_BYTES,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: (body: unknown) => body,
        headers: { Accept: 'application/vc+jwt, application/jwt' },
        ...agentWithCa(this.options.ca),
      });
      jwt = String(response.data).trim();
    } catch (error) {
      return `Its status list could not be fetched, so whether it has been revoked is not known: ${fetchProblem(error)}.`;
    }
    const resolution = await this.signatures.resolve(issuerDid);
    if (!resolution.ok) return 'Its issuer\u2019s DID could not be resolved to check its status list.';
    const signature = await this.signatures.check(jwt, issuerDid, 'assertionMethod', resolution.resolved);
    if (!signature.ok) return `Its status list is not signed by its issuer: ${signature.reason}`;
    try {
      const payload = decodeJwt(jwt);
      const vc = payload.vc as { id?: unknown; type?: unknown; credentialSubject?: { statusPurpose?: unknown; encodedList?: unknown } } | undefined;
      if (!Array.isArray(vc?.type) || !vc.type.includes('BitstringStatusListCredential')) return 'Its status list is not a Bitstring status list.';
      // The list must say it is the list at this address: an issuer's other list (one with
      // nothing revoked, say) served here instead does not count.
      const listId = payload.jti ?? vc.id;
      if (typeof listId !== 'string' || fetchableUrl(listId)?.href !== url) return 'Its status list is not the one at the address in the credential.';
      if (typeof payload.exp === 'number' && payload.exp * 1000 < this.now().getTime()) return 'Its status list has expired, so whether it has been revoked is not known.';
      const purpose = vc.credentialSubject?.statusPurpose;
      const bits = Bitstring.decode(String(vc.credentialSubject?.encodedList));
      return { issuer: String(payload.iss), purpose: String(purpose as StatusPurpose), bits };
    } catch {
      return 'Its status list could not be read.';
    }
  }
}
