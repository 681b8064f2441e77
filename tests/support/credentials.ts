// Test helpers for credentials: sample claims, holder wallets with real keys (did:jwk), and
// presentations signed by them, as a wallet would make them.
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { IssueRequest } from '../../main/credentials/issuing/issuer.ts';

export const CORE_SKILL = {
  competencyFramework: 'CSTF',
  subjectName: 'Information Governance and Data Security',
  competencyName: 'Information Governance and Data Security',
  subjectLevel: '1',
  renewalPeriodNumber: '2',
  renewalPeriodUnits: 'Years',
  attainmentStatus: 'ACHIEVED',
  awardingOrganisation: 'RHQ',
  dateLastAwarded: '2025-11-01',
};

export const PROVENANCE = {
  origin: 'Chambury Learning Solutions LMS',
  provider: { odsCode: 'RHQ', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' },
  pedigree: 'Authoritative',
  lastRefresh: '2026-11-20T12:00:00Z',
};

export interface Wallet {
  did: string;
  kid: string;
  privateKey: CryptoKey;
  alg: 'EdDSA' | 'ES256';
}

/** A holder key pair and its did:jwk, as a phone wallet makes one. */
export async function newWallet(alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<Wallet> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
  return { did, kid: `${did}#0`, privateKey, alg };
}

export function coreSkillRequest(passportId: string, holderDid: string, overrides: Partial<IssueRequest> = {}): IssueRequest {
  return { typeId: 'core-skill', claims: CORE_SKILL, provenance: PROVENANCE, holderDid, passportId, ...overrides };
}

/** A VP JWT (VC data model 1.1) holding the credentials, signed by the wallet for a request. */
export async function present(wallet: Wallet, credentials: string[], request: { nonce: string; audience: string }, at: Date): Promise<string> {
  return new SignJWT({
    nonce: request.nonce,
    vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials },
  })
    .setProtectedHeader({ alg: wallet.alg, kid: wallet.kid, typ: 'JWT' })
    .setIssuer(wallet.did)
    .setAudience(request.audience)
    .setIssuedAt(Math.floor(at.getTime() / 1000))
    .setExpirationTime(Math.floor(at.getTime() / 1000) + 300)
    .sign(wallet.privateKey);
}

export function decodePart(jwt: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[part]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same JWT with one part replaced by another JSON value, the signature kept. */
export function withPart(jwt: string, part: 0 | 1, value: unknown): string {
  const parts = jwt.split('.');
  parts[part] = Buffer.from(JSON.stringify(value)).toString('base64url');
  return parts.join('.');
}
