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
import { VC_CONTEXT_V1, prepareSigner } from './signer.ts';
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
  statusGeneration: number;
  statusIndex: number;
  credentialStatus: StatusEntry[];
}

const MAX_MESSAGE_ISSUES = 5;
/** The most credentials issued in one transaction. */
export const MAX_BATCH = 500;

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

  /** Issues one credential: checked, signed, recorded and given its status index in one transaction. */
  async issue(request: IssueRequest): Promise<IssuedCredentialResult> {
    return (await this.issueAll([request]))[0]!;
  }

  /**
   * Issues several credentials at once (an offer of several, a batch), all or nothing, in one
   * transaction: the store's work per credential is then a share of three statements. With `db`
   * a transaction, the work is done in it, and an error must roll it back (let it propagate).
   */
  async issueAll(requests: readonly IssueRequest[], db?: Knex): Promise<IssuedCredentialResult[]> {
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > MAX_BATCH) {
      throw invalid(`Give between 1 and ${MAX_BATCH} credentials to issue at once.`, 'requests', `batch of ${Array.isArray(requests) ? requests.length : typeof requests}`);
    }
    const now = this.deps.now();
    const today = ukToday(now);
    const issuedAt = vcDateTime(now);
    const checked = requests.map((request, n) => {
      try {
        return this.check(request, today);
      } catch (error) {
        if (requests.length === 1 || !(error instanceof AppError)) throw error;
        throw new AppError(error.code, `Credential ${n + 1} of ${requests.length}: ${error.message}`, { fields: error.fields.map((field) => ({ ...field, field: `requests.${n}.${field.field}` })), ...(error.detail ? { detail: error.detail } : {}) });
      }
    });

    const { statusLists } = this.deps;
    try {
      // Inside the caller's transaction when given one (a wallet collecting: issued and handed over, or neither).
      const inTransaction = async (trx: Knex.Transaction) => {
        const passports = await new PassportsRepository(trx).existing(checked.map(({ request }) => request.passportId));
        const missing = checked.find(({ request }) => !passports.has(request.passportId));
        if (missing) throw new AppError('not-found', 'There is no staff passport with that reference.', { detail: `passport ${missing.request.passportId}` });
        const reservations = await statusLists.reserve(trx, checked.length);
        const sign = await prepareSigner(trx, this.deps);
        const results: IssuedCredentialResult[] = [];
        for (const [n, { request, definition, claims, provenance, validUntil }] of checked.entries()) {
          const reservation = reservations[n]!;
          const id = `urn:uuid:${randomUUID()}`;
          const expiresAt = validUntil === null ? null : `${validUntil}T23:59:59Z`;
          const { jwt, key } = await sign((signer) => ({
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
          results.push({
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
            jwt,
            credentialStatus: reservation.credentialStatus,
          });
        }
        await new IssuedCredentials(trx).insert(...results.map(({ jwt: _jwt, credentialStatus: _status, ...record }) => record));
        await statusLists.assign(trx, results.map((result, n) => ({ reservation: reservations[n]!, credentialId: result.id })));
        return results;
      };
      return db?.isTransaction ? await inTransaction(db as Knex.Transaction) : await (db ?? this.deps.knex()).transaction(inTransaction);
    } catch (error) {
      statusLists.forgetAllocations();
      throw error;
    }
  }

  /** One request checked against the catalogue and today's date; throws what HR must correct. */
  private check(request: IssueRequest, today: string) {
    const definition = typeof request.typeId === 'string' ? definitionById(request.typeId) : undefined;
    if (!definition) throw invalid('This type of credential is not one this service issues.', 'typeId', `type ${String(request.typeId).slice(0, 100)}`);
    const holderProblem = holderDidProblem(request.holderDid);
    if (holderProblem) throw invalid(holderProblem, 'holderDid');
    if (typeof request.passportId !== 'string' || request.passportId.length === 0 || request.passportId.length > 100) throw invalid('Say whose passport the credential is for.', 'passportId');
    const { provenance, ...claims } = checkSubject(definition, request.claims, request.provenance);
    const refusal = definition.notIssuable?.(claims, today);
    if (refusal) throw new AppError('invalid-input', refusal, { detail: `${definition.id} not issuable on ${today}` });
    const validUntil = definition.validUntil(claims);
    if (validUntil !== null && validUntil < today) {
      throw new AppError('invalid-input', `This ${definition.displayName.toLowerCase()} ran out on ${validUntil}, so it cannot be issued.`, { detail: `${definition.id} valid until ${validUntil}, today ${today}` });
    }
    return { request, definition, claims, provenance, validUntil };
  }

  /** The record of an issued credential, or null. */
  async record(id: string): Promise<IssuedCredential | null> {
    return new IssuedCredentials(this.deps.knex()).get(id);
  }

}
