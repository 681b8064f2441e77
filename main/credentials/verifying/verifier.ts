// The verifier: one function that takes a credential or presentation JWT and says, check by check,
// whether it can be trusted, each check pass / fail / unknown with a reason an HR user can read.
// It never throws on bad input.
import { decodeJwt, type JWTPayload } from 'jose';
import type { Logger } from '../../platform/log.ts';
import { definitionByVcType, validateSubject } from '../catalogue/index.ts';
import type { DidDocument } from '../trusted-issuers.ts';
import { Signatures, type DidWebFetchOptions, type Resolution, type Relationship } from './signatures.ts';
import { StatusChecker } from './status-check.ts';

export type CheckOutcome = 'pass' | 'fail' | 'unknown';
export interface Check {
  outcome: CheckOutcome;
  reason: string;
}

export const CREDENTIAL_CHECKS = ['format', 'signature', 'issuerResolved', 'issuerTrusted', 'validity', 'status', 'claims'] as const;
export type CredentialCheckName = (typeof CREDENTIAL_CHECKS)[number] | 'holder';
const SUMMARY_ORDER: readonly CredentialCheckName[] = ['format', 'signature', 'issuerTrusted', 'issuerResolved', 'validity', 'status', 'claims', 'holder'];
export const PRESENTATION_CHECKS = ['format', 'signature', 'validity', 'holderBinding'] as const;
export type PresentationCheckName = (typeof PRESENTATION_CHECKS)[number];

/** What a credential says, once it could be read (whether or not it verified). */
export interface CredentialContents {
  id: string | null;
  types: string[];
  /** The catalogue's id and name for the type, or null when the type is not one we know. */
  typeId: string | null;
  displayName: string | null;
  issuer: { did: string; odsCode: string | null; name: string | null };
  subjectDid: string | null;
  claims: Record<string, unknown>;
  issuedAt: string | null;
  expiresAt: string | null;
}

export interface CredentialVerification {
  kind: 'credential';
  outcome: CheckOutcome;
  summary: string;
  /** In the order CREDENTIAL_CHECKS lists; 'holder' only inside a presentation. */
  checks: Partial<Record<CredentialCheckName, Check>> & Record<(typeof CREDENTIAL_CHECKS)[number], Check>;
  credential: CredentialContents | null;
}

export interface PresentationVerification {
  kind: 'presentation';
  outcome: CheckOutcome;
  summary: string;
  checks: Record<PresentationCheckName, Check>;
  holderDid: string | null;
  credentials: CredentialVerification[];
}

export type Verification = CredentialVerification | PresentationVerification;

export interface ExpectedRequest {
  /** The nonce the presentation request carried; a presentation with another is a replay. */
  nonce: string;
  /** Who the presentation must be addressed to (the request's client_id). */
  audience: string;
}

export interface VerifierOptions {
  trustedIssuer(did: string): Promise<{ odsCode: string; name: string; didDocument: DidDocument } | undefined>;
  now(): Date;
  log: Logger;
  /** Seconds of difference between clocks tolerated on validity dates. */
  clockSkewSeconds: number;
  didWeb: DidWebFetchOptions;
  statusTimeoutMs: number;
  statusCacheSeconds: number;
  /** PEM bundle of extra certificate authorities for fetching DID documents and status lists. */
  ca?: string;
}

export const DEFAULT_VERIFIER_OPTIONS = {
  clockSkewSeconds: 60,
  didWeb: { enabled: false, timeoutMs: 5000, cacheSeconds: 3600 },
  statusTimeoutMs: 5000,
  statusCacheSeconds: 300,
} satisfies Partial<VerifierOptions>;

/** Longer than any credential we issue (a photo is at most 2 MB, base64) and far short of harm. */
export const MAX_CREDENTIAL_LENGTH = 3 * 1024 * 1024;
const MAX_PRESENTATION_LENGTH = 8 * 1024 * 1024;
const MAX_CREDENTIALS_IN_PRESENTATION = 50;
// The signature part may be empty only so that an unsigned ("alg: none") JWT is named as such.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const pass = (reason: string): Check => ({ outcome: 'pass', reason });
const fail = (reason: string): Check => ({ outcome: 'fail', reason });
const unknown = (reason: string): Check => ({ outcome: 'unknown', reason });
const NOT_CHECKED = (because: string): Check => unknown(`Not checked, because ${because}.`);

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const whenText = (seconds: number) => longDate.format(new Date(seconds * 1000));

function overall(checks: Check[]): CheckOutcome {
  if (checks.some((check) => check.outcome === 'fail')) return 'fail';
  if (checks.some((check) => check.outcome === 'unknown')) return 'unknown';
  return 'pass';
}

function summaryOf(outcome: CheckOutcome, checks: Check[], what: string): string {
  if (outcome === 'pass') return `This ${what} is genuine and current: every check passed.`;
  const first = checks.find((check) => check.outcome === outcome)!;
  return outcome === 'fail' ? `This ${what} cannot be trusted. ${first.reason}` : `This ${what} could not be fully checked. ${first.reason}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Seconds since the epoch from a JWT time or a VC date string; undefined when absent, NaN when broken. */
function seconds(jwtTime: unknown, vcDate: unknown): number | undefined {
  let value: number;
  if (jwtTime !== undefined) value = typeof jwtTime === 'number' ? jwtTime : NaN;
  else if (vcDate !== undefined) value = typeof vcDate === 'string' ? Date.parse(vcDate) / 1000 : NaN;
  else return undefined;
  // Beyond what a Date can hold (year 275760) is not a date either.
  return Number.isFinite(new Date(value * 1000).getTime()) ? value : NaN;
}

/** The JWT's claims, unverified, or null when they cannot be read. */
function readPayload(jwt: string): JWTPayload | null {
  try {
    return decodeJwt(jwt);
  } catch {
    return null;
  }
}

export class Verifier {
  private readonly options: VerifierOptions;
  private readonly signatures: Signatures;
  private readonly status: StatusChecker;

  constructor(options: Partial<VerifierOptions> & Pick<VerifierOptions, 'trustedIssuer' | 'now' | 'log'>) {
    this.options = { ...DEFAULT_VERIFIER_OPTIONS, ...options, didWeb: { ...DEFAULT_VERIFIER_OPTIONS.didWeb, ...options.didWeb } } as VerifierOptions;
    const ca = this.options.ca ? { ca: this.options.ca } : {};
    this.signatures = new Signatures({ trustedDid: this.options.trustedIssuer, web: { ...this.options.didWeb, ...ca }, now: this.options.now });
    this.status = new StatusChecker({ timeoutMs: this.options.statusTimeoutMs, cacheSeconds: this.options.statusCacheSeconds, ...ca }, this.signatures, this.options.now);
  }

  /** After the trusted-issuer list changed. */
  forgetIssuers(): void {
    this.signatures.forgetTrusted();
  }

  /** After this trust revoked, suspended or reinstated one of its own credentials. */
  forgetStatusLists(): void {
    this.status.forget();
  }

  /**
   * Verifies a credential JWT, or a presentation JWT with every credential in it. A presentation
   * is checked against the request it answers; without one its holder binding is unknown.
   */
  async verify(jwt: unknown, expected?: ExpectedRequest): Promise<Verification> {
    try {
      const payload = typeof jwt === 'string' && jwt.length <= MAX_PRESENTATION_LENGTH && COMPACT_JWS.test(jwt) ? readPayload(jwt) : null;
      if (payload && isRecord(payload.vp)) return await this.verifyPresentation(jwt as string, payload, expected);
      // A request asked the wallet for a presentation; a credential on its own proves nothing about who holds it.
      if (expected) return this.unreadablePresentation('It is not a presentation from a wallet: a credential sent on its own does not show that the sender holds it.');
      return await this.verifyCredential(jwt, undefined, payload);
    } catch (error) {
      this.options.log.warn('verification stopped on unexpected input', { detail: String(error).slice(0, 300) });
      return this.unreadableCredential('It could not be read as a credential.');
    }
  }

  /**
   * Checks a JWS a wallet signed with its own key (an OID4VCI proof): `didUrl` names a did:jwk or
   * did:key and, after '#', the key. Says which public key it was, for binding a credential to it.
   */
  async checkHolderSignature(jws: string, didUrl: string): Promise<{ ok: true; did: string; publicJwk: Record<string, unknown> } | { ok: false; reason: string }> {
    const did = didUrl.split('#')[0] ?? '';
    if (!did.startsWith('did:jwk:') && !did.startsWith('did:key:')) return { ok: false, reason: 'A wallet key must be a did:jwk or did:key.' };
    const resolution = await this.signatures.resolve(did);
    if (!resolution.ok) return { ok: false, reason: resolution.reason };
    const checked = await this.signatures.check(jws, did, 'authentication', resolution.resolved);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    return { ok: true, did, publicJwk: (checked.method.publicKeyJwk ?? {}) as Record<string, unknown> };
  }

  /** `payload`, when the caller has already read the JWT's claims, saves reading them again. */
  async verifyCredential(jwt: unknown, holderDid?: string, payload?: JWTPayload | null): Promise<CredentialVerification> {
    try {
      return await this.credential(jwt, holderDid, payload ?? undefined);
    } catch (error) {
      this.options.log.warn('credential verification stopped on unexpected input', { detail: String(error).slice(0, 300) });
      return this.unreadableCredential('It could not be read as a credential.');
    }
  }

  private unreadableCredential(reason: string): CredentialVerification {
    const rest = NOT_CHECKED('it could not be read');
    const checks = Object.fromEntries(CREDENTIAL_CHECKS.map((name) => [name, name === 'format' ? fail(reason) : rest])) as CredentialVerification['checks'];
    return { kind: 'credential', outcome: 'fail', summary: summaryOf('fail', [checks.format], 'credential'), checks, credential: null };
  }

  private unreadablePresentation(reason: string): PresentationVerification {
    const format = fail(reason);
    const rest = NOT_CHECKED('it could not be read');
    return { kind: 'presentation', outcome: 'fail', summary: summaryOf('fail', [format], 'presentation'), checks: { format, signature: rest, validity: rest, holderBinding: rest }, holderDid: null, credentials: [] };
  }

  private async credential(jwt: unknown, holderDid: string | undefined, alreadyRead: JWTPayload | undefined): Promise<CredentialVerification> {
    if (typeof jwt !== 'string' || jwt.length === 0) return this.unreadableCredential('It is empty or not text.');
    if (jwt.length > MAX_CREDENTIAL_LENGTH) return this.unreadableCredential('It is far too large to be a credential.');
    if (!alreadyRead && !COMPACT_JWS.test(jwt)) return this.unreadableCredential('It is not a signed credential (a JWT in three parts).');
    const payload = alreadyRead ?? readPayload(jwt);
    if (!payload) return this.unreadableCredential('Its contents could not be read.');
    const vc = payload.vc;
    if (!isRecord(vc)) return this.unreadableCredential('It is a JWT but not a verifiable credential (it has no "vc" claim).');

    // Format: the JWT claims and the credential agree, as the VC-JWT rules of the data model 1.1 require.
    const vcIssuer = isRecord(vc.issuer) ? vc.issuer.id : vc.issuer;
    const issuerDid = typeof payload.iss === 'string' ? payload.iss : typeof vcIssuer === 'string' ? vcIssuer : '';
    const subject = isRecord(vc.credentialSubject) ? vc.credentialSubject : null;
    const subjectDid = typeof payload.sub === 'string' ? payload.sub : typeof subject?.id === 'string' ? subject.id : null;
    const types = Array.isArray(vc.type) ? vc.type.filter((type): type is string => typeof type === 'string').slice(0, 10) : [];
    const problems: string[] = [];
    if (!issuerDid.startsWith('did:')) problems.push('it names no issuer DID');
    if (vcIssuer !== undefined && vcIssuer !== issuerDid) problems.push('its issuer and its JWT issuer differ');
    if (!subject) problems.push('it has no credential subject');
    if (subject && subject.id !== undefined && subject.id !== subjectDid) problems.push('its subject and its JWT subject differ');
    if (typeof vc.id === 'string' && typeof payload.jti === 'string' && vc.id !== payload.jti) problems.push('its id and its JWT id differ');
    if (!types.includes('VerifiableCredential')) problems.push('it is not typed as a verifiable credential');
    const issuedAt = seconds(payload.nbf ?? payload.iat, vc.issuanceDate ?? vc.validFrom);
    const expiresAt = seconds(payload.exp, vc.expirationDate ?? vc.validUntil);
    if (issuedAt !== undefined && Number.isNaN(issuedAt)) problems.push('its issue date is not a date');
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) problems.push('its expiry date is not a date');

    const vcType = types.find((type) => type !== 'VerifiableCredential') ?? null;
    const definition = vcType ? definitionByVcType(vcType) : undefined;
    const claims = subject ? Object.fromEntries(Object.entries(subject).filter(([name]) => name !== 'id')) : {};
    const contents: CredentialContents = {
      id: typeof payload.jti === 'string' ? payload.jti : typeof vc.id === 'string' ? vc.id : null,
      types,
      typeId: definition?.id ?? null,
      displayName: definition?.displayName ?? null,
      issuer: { did: issuerDid, odsCode: null, name: null },
      subjectDid,
      claims,
      issuedAt: issuedAt !== undefined && !Number.isNaN(issuedAt) ? new Date(issuedAt * 1000).toISOString() : null,
      expiresAt: expiresAt !== undefined && !Number.isNaN(expiresAt) ? new Date(expiresAt * 1000).toISOString() : null,
    };
    const format = problems.length === 0 ? pass('It is a well-formed verifiable credential.') : fail(`It is not a well-formed credential: ${problems.join('; ')}.`);

    // Issuer resolved, signature.
    let issuerResolved: Check;
    let signature: Check;
    const resolution: Resolution = issuerDid.startsWith('did:') ? await this.signatures.resolve(issuerDid) : { ok: false, reason: 'It names no issuer.' };
    if (resolution.ok) {
      issuerResolved = pass(
        resolution.resolved.source === 'trusted-list'
          ? 'Its issuer\u2019s DID document is on your list of trusted issuers.'
          : resolution.resolved.source === 'web'
            ? 'Its issuer\u2019s DID document was fetched from the issuer\u2019s website.'
            : 'Its issuer\u2019s DID holds its own public key.',
      );
      const checked = await this.signatures.check(jwt, issuerDid, 'assertionMethod', resolution.resolved);
      signature = checked.ok ? pass('Its signature is valid: it has not been changed since its issuer signed it.') : fail(checked.reason);
    } else {
      issuerResolved = resolution.unknown ? unknown(resolution.reason) : fail(`Its issuer is unknown. ${resolution.reason}`);
      signature = NOT_CHECKED('its issuer\u2019s keys could not be found');
    }

    // Issuer trusted.
    const trusted = issuerDid.startsWith('did:') ? await this.signatures.trustedEntry(issuerDid) : undefined;
    if (trusted) contents.issuer = { did: issuerDid, odsCode: trusted.odsCode, name: trusted.name };
    const issuerTrusted = trusted ? pass(`Issued by ${trusted.name} (${trusted.odsCode}), which is on your list of trusted issuers.`) : fail('Its issuer is not on your list of trusted issuers.');

    // Validity window.
    const now = this.options.now().getTime() / 1000;
    const skew = this.options.clockSkewSeconds;
    let validity: Check;
    if (issuedAt !== undefined && !Number.isNaN(issuedAt) && issuedAt > now + skew) validity = fail(`It is not valid until ${whenText(issuedAt)}.`);
    else if (expiresAt !== undefined && !Number.isNaN(expiresAt) && expiresAt < now - skew) validity = fail(`It expired on ${whenText(expiresAt)}.`);
    else if ((issuedAt !== undefined && Number.isNaN(issuedAt)) || (expiresAt !== undefined && Number.isNaN(expiresAt))) validity = fail('Its dates cannot be read.');
    else validity = pass(expiresAt === undefined ? 'It is valid and does not expire.' : `It is valid until ${whenText(expiresAt)}.`);

    // Status: only for a genuine credential from a trusted issuer, so that a forged one cannot make this computer fetch addresses of its choosing.
    let status: Check;
    if (signature.outcome !== 'pass') status = NOT_CHECKED('its signature is not valid');
    else if (!trusted) status = NOT_CHECKED('its issuer is not trusted');
    else {
      const checked = await this.status.check(vc.credentialStatus, issuerDid);
      status = { outcome: checked.outcome, reason: checked.reason };
    }

    // Claims.
    let claimsCheck: Check;
    contents.claims = {};
    if (!subject) claimsCheck = fail('It has no claims.');
    else if (!vcType || !definition) claimsCheck = unknown(`It is a type of credential this service does not know (${(vcType ?? 'no type').slice(0, 80)}), so its claims were not checked.`);
    else {
      const valid = validateSubject(definition, claims);
      // Only claims that passed the catalogue's schema are handed on (bounded, of known shape).
      contents.claims = valid.ok ? { ...valid.claims, provenance: valid.provenance } : {};
      claimsCheck = valid.ok ? pass(`Its claims are valid for a ${definition.displayName.toLowerCase()} credential.`) : fail(`Its claims are not valid for a ${definition.displayName.toLowerCase()} credential: ${valid.reason.slice(0, 300)}.`);
    }

    const checks: CredentialVerification['checks'] = { format, signature, issuerResolved, issuerTrusted, validity, status, claims: claimsCheck };
    if (holderDid !== undefined) {
      checks.holder = subjectDid === holderDid ? pass('It was issued to the person who shared it.') : fail('It was issued to someone else: the wallet that shared it does not hold its key.');
    }
    // The summary names the first problem in the order HR would want to hear it: an issuer not
    // on the list matters more than its DID not being found there.
    const list = SUMMARY_ORDER.map((name) => checks[name]).filter((check): check is Check => check !== undefined);
    const outcome = overall(list);
    return { kind: 'credential', outcome, summary: summaryOf(outcome, list, 'credential'), checks, credential: contents };
  }

  private async verifyPresentation(jwt: string, payload: JWTPayload, expected: ExpectedRequest | undefined): Promise<PresentationVerification> {
    const vp = payload.vp as Record<string, unknown>;
    const holderDid = typeof payload.iss === 'string' ? payload.iss : typeof vp.holder === 'string' ? vp.holder : null;
    const problems: string[] = [];
    if (!holderDid?.startsWith('did:')) problems.push('it names no holder DID');
    if (vp.holder !== undefined && vp.holder !== holderDid) problems.push('its holder and its JWT issuer differ');
    const types = Array.isArray(vp.type) ? vp.type : [vp.type];
    if (!types.includes('VerifiablePresentation')) problems.push('it is not typed as a verifiable presentation');
    const raw = vp.verifiableCredential === undefined ? [] : Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [vp.verifiableCredential];
    if (raw.length === 0) problems.push('it holds no credentials');
    if (raw.length > MAX_CREDENTIALS_IN_PRESENTATION) problems.push(`it holds more than ${MAX_CREDENTIALS_IN_PRESENTATION} credentials`);
    const format = problems.length === 0 ? pass('It is a well-formed verifiable presentation.') : fail(`It is not a well-formed presentation: ${problems.join('; ')}.`);

    let signature: Check = NOT_CHECKED('it names no holder');
    if (holderDid?.startsWith('did:')) {
      const resolution = await this.signatures.resolve(holderDid);
      if (!resolution.ok) signature = (resolution.unknown ? unknown : fail)(`The wallet\u2019s DID could not be resolved. ${resolution.reason}`);
      else {
        const purpose: Relationship = 'authentication';
        const checked = await this.signatures.check(jwt, holderDid, purpose, resolution.resolved);
        signature = checked.ok ? pass('It is signed by the wallet that holds the credentials.') : fail(checked.reason);
      }
    }

    const now = this.options.now().getTime() / 1000;
    const skew = this.options.clockSkewSeconds;
    let validity: Check = pass('It is current.');
    if (payload.exp !== undefined && (typeof payload.exp !== 'number' || payload.exp < now - skew)) validity = fail('It has expired.');
    else if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + skew)) validity = fail('It is not valid yet.');
    else if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now + skew)) validity = fail('It says it was made in the future.');

    let holderBinding: Check;
    const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud];
    if (!expected) holderBinding = unknown('It was not checked against a request, so it may be a copy of an earlier answer.');
    else if (payload.nonce !== expected.nonce) holderBinding = fail('It does not answer this request (its nonce is different): it may be a replay of an earlier answer.');
    else if (!audiences.includes(expected.audience)) holderBinding = fail('It was made for someone else (its audience is not this trust).');
    else if (signature.outcome !== 'pass') holderBinding = NOT_CHECKED('its signature is not valid');
    else holderBinding = pass('It answers this request and was signed by the wallet, with the right nonce and audience.');

    const credentials: CredentialVerification[] = [];
    for (const entry of raw.slice(0, MAX_CREDENTIALS_IN_PRESENTATION)) credentials.push(await this.verifyCredential(entry, holderDid ?? ''));
    const checks = { format, signature, validity, holderBinding };
    const own = Object.values(checks);
    const outcome = overall([...own, ...credentials.map((credential) => ({ outcome: credential.outcome, reason: credential.summary }))]);
    const summary =
      overall(own) !== 'pass'
        ? summaryOf(overall(own), own, 'presentation')
        : outcome === 'pass'
          ? 'The wallet shared these credentials for this request, and every one of them is genuine and current.'
          : 'The wallet shared these credentials for this request, but not every one of them could be trusted: see each credential.';
    return { kind: 'presentation', outcome, summary, checks, holderDid, credentials };
  }
}
