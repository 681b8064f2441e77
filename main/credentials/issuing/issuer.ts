// Issuing: checks the claims against the catalogue, builds a W3C verifiable credential (data model
// 1.1) for the holder's DID with its two status entries and its expiry, signs it as a JWT
// (jwt_vc_json) with the trust's current key, and records it, all in one transaction.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CredentialStatusReference } from '@veramo/core';
import { AppError } from '../../errors.ts';
import { definitionById, subjectSchema, type CredentialDefinition } from '../catalogue/index.ts';
import { vcDateTime, type StatusEntry, type StatusLists } from '../status/status-lists.ts';
import { holderDidProblem } from './holder-did.ts';
import { IssuedCredentials, type IssuedCredential } from './issued-credentials.ts';
import { VC_CONTEXT_V1, signCredential } from './signer.ts';
import { PassportsRepository } from '../../staff/passports.ts';
import { ukToday } from '../../staff/rules.ts';

export interface IssuerDeps {
  knex(): Knex;
  databaseKey(): Buffer;
  now(): Date;
  statusLists: StatusLists;
}

export interface IssueRequest {
  /** The catalogue's id for the type, e.g. "core-skill". */
  typeId: string;
  claims: unknown;
  provenance: unknown;
  holderDid: string;
  passportId: string;
}

export interface IssuedCredentialResult {
  id: string;
  /** The signed credential, compact JWS (jwt_vc_json). */
  jwt: string;
  kid: string;
  typeId: string;
  vcType: string;
  holderDid: string;
  passportId: string;
  issuedAt: string;
  expiresAt: string | null;
  statusIndex: number;
  credentialStatus: StatusEntry[];
}

const MAX_MESSAGE_ISSUES = 5;

function invalid(message: string, field: string, detail?: string): AppError {
  return new AppError('invalid-input', message, { fields: [{ field, message }], ...(detail ? { detail } : {}) });
}

/** The claims checked against the type's schema, with a message naming each claim that fails. */
function checkSubject(definition: CredentialDefinition, claims: unknown, provenance: unknown): Record<string, unknown> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw invalid(`The ${definition.displayName.toLowerCase()} claims must be a set of named values.`, 'claims');
  if ('provenance' in claims || 'id' in claims) throw invalid('The claims must not hold "provenance" or "id": give the provenance separately; the subject is the holder.', 'claims');
  const parsed = subjectSchema(definition).safeParse({ ...claims, provenance });
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const labels = definition.labels as Record<string, string>;
  const fields = parsed.error.issues.slice(0, 20).map((issue) => {
    const path = issue.path.map(String);
    const claim = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => key.slice(0, 60)).join(', ') : path.join('.');
    const named = path[0] === 'provenance' ? `provenance ${path.slice(1).join('.')}`.trim() : labels[path[0] ?? ''] ? `${labels[path[0]!]} (${claim})` : claim || 'claims';
    const message = issue.code === 'unrecognized_keys' ? `${claim}: not a claim of this type` : `${named}: ${issue.message.slice(0, 200)}`;
    return { field: path[0] === 'provenance' ? path.join('.') : `claims.${claim}`, message };
  });
  const shown = fields.slice(0, MAX_MESSAGE_ISSUES).map((field) => field.message).join('; ');
  throw new AppError('invalid-input', `The ${definition.displayName.toLowerCase()} claims are not valid: ${shown}.`, { fields });
}

export class Issuer {
  private readonly deps: IssuerDeps;

  constructor(deps: IssuerDeps) {
    this.deps = deps;
  }

  async issue(request: IssueRequest): Promise<IssuedCredentialResult> {
    const definition = typeof request.typeId === 'string' ? definitionById(request.typeId) : undefined;
    if (!definition) throw invalid('This type of credential is not one this service issues.', 'typeId', `type ${String(request.typeId).slice(0, 100)}`);
    const holderProblem = holderDidProblem(request.holderDid);
    if (holderProblem) throw invalid(holderProblem, 'holderDid');
    if (typeof request.passportId !== 'string' || request.passportId.length === 0 || request.passportId.length > 100) throw invalid('Say whose passport the credential is for.', 'passportId');
    const subject = checkSubject(definition, request.claims, request.provenance);
    const { provenance, ...claims } = subject;

    const now = this.deps.now();
    const today = ukToday(now);
    const refusal = definition.notIssuable?.(claims, today);
    if (refusal) throw new AppError('invalid-input', refusal, { detail: `${definition.id} not issuable on ${today}` });
    const validUntil = definition.validUntil(claims);
    if (validUntil !== null && validUntil < today) {
      throw new AppError('invalid-input', `This ${definition.displayName.toLowerCase()} ran out on ${validUntil}, so it cannot be issued.`, { detail: `${definition.id} valid until ${validUntil}, today ${today}` });
    }

    const id = `urn:uuid:${randomUUID()}`;
    const issuedAt = vcDateTime(now);
    const expiresAt = validUntil === null ? null : `${validUntil}T23:59:59Z`;
    const { statusLists } = this.deps;
    try {
      return await this.deps.knex().transaction(async (trx) => {
        if (!(await new PassportsRepository(trx).find(request.passportId))) throw new AppError('not-found', 'There is no staff passport with that reference.', { detail: `passport ${request.passportId}` });
        const reservation = await statusLists.reserve(trx);
        const { jwt, key } = await signCredential(trx, this.deps, (signer) => ({
          '@context': [VC_CONTEXT_V1],
          id,
          type: ['VerifiableCredential', definition.vcType],
          issuer: signer.did,
          issuanceDate: issuedAt,
          ...(expiresAt ? { expirationDate: expiresAt } : {}),
          credentialSubject: { id: request.holderDid, ...claims, provenance },
          // Two entries (revocation and suspension); Veramo's type allows only one, the JWT carries both.
          credentialStatus: reservation.credentialStatus as unknown as CredentialStatusReference,
        }));
        const record: Omit<IssuedCredential, 'state' | 'stateChangedAt' | 'stateReason'> = {
          id,
          typeId: definition.id,
          vcType: definition.vcType,
          passportId: request.passportId,
          holderDid: request.holderDid,
          kid: key.kid,
          statusGeneration: reservation.generation,
          statusIndex: reservation.index,
          issuedAt,
          expiresAt,
        };
        await new IssuedCredentials(trx).insert(record);
        await statusLists.assign(trx, reservation, id);
        return { ...record, jwt, statusIndex: reservation.index, credentialStatus: reservation.credentialStatus };
      });
    } catch (error) {
      statusLists.forgetAllocations();
      throw error;
    }
  }

  /** The record of an issued credential, or null. */
  async record(id: string): Promise<IssuedCredential | null> {
    return new IssuedCredentials(this.deps.knex()).get(id);
  }

}
