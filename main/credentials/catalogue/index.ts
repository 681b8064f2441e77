// The catalogue of credential types, looked up by our id, by verifiable-credential type or by the
// DSP API standard's record type.
import { z } from 'zod';
import * as definitions from './definitions.ts';
import type { CredentialDefinition } from './definitions.ts';
import { provenanceSchema, type Provenance } from './shapes.ts';

export type { CredentialDefinition, CredentialCategory } from './definitions.ts';
export { provenanceSchema, PROVENANCE_LABELS, type Provenance } from './shapes.ts';

export const CATALOGUE: readonly CredentialDefinition[] = [
  definitions.accessKey,
  definitions.identity,
  definitions.rightToWork,
  definitions.dbsSupportingInformation,
  definitions.dbsCheckOutcome,
  definitions.professionalRegistration,
  definitions.employmentAssignment,
  definitions.temporaryPlacement,
  definitions.coreSkill,
  definitions.vaccination,
  definitions.clinicalTest,
  definitions.observation,
  definitions.newStarterInformation,
] as unknown as readonly CredentialDefinition[];

export function definitionById(id: string): CredentialDefinition | undefined {
  return CATALOGUE.find((definition) => definition.id === id);
}

export function definitionByVcType(vcType: string): CredentialDefinition | undefined {
  return CATALOGUE.find((definition) => definition.vcType === vcType);
}

export function definitionByRecordType(recordType: string): CredentialDefinition | undefined {
  return CATALOGUE.find((definition) => definition.record?.recordType === recordType);
}

const subjectSchemas = new WeakMap<CredentialDefinition, ReturnType<typeof buildSubjectSchema>>();

function buildSubjectSchema(definition: CredentialDefinition) {
  return definition.claims.extend({ provenance: provenanceSchema });
}

/** The credential subject's claims: the type's own claims plus the provenance block (built once per type: building costs more than parsing). */
export function subjectSchema(definition: CredentialDefinition) {
  let schema = subjectSchemas.get(definition);
  if (!schema) {
    schema = buildSubjectSchema(definition);
    subjectSchemas.set(definition, schema);
  }
  return schema;
}

export type RecordReading =
  | { ok: true; definition: CredentialDefinition; claims: Record<string, unknown> }
  | { ok: false; reason: string };

/** Reads one record from an authoritative system into claims, or says plainly why it cannot. */
export function claimsFromRecord(record: unknown): RecordReading {
  const recordType = z.object({ recordType: z.string() }).loose().safeParse(record);
  if (!recordType.success) return { ok: false, reason: 'The record has no record type.' };
  const definition = definitionByRecordType(recordType.data.recordType);
  if (!definition?.record) return { ok: false, reason: `Records of type "${recordType.data.recordType.slice(0, 60)}" are not known.` };
  try {
    return { ok: true, definition, claims: definition.record.fromRecord(record) as Record<string, unknown> };
  } catch (error) {
    const issues = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ') : String(error);
    return { ok: false, reason: `The ${definition.displayName.toLowerCase()} record is not valid: ${issues}` };
  }
}

export function validateSubject(definition: CredentialDefinition, subject: unknown): { ok: true; claims: Record<string, unknown>; provenance: Provenance } | { ok: false; reason: string } {
  const parsed = subjectSchema(definition).safeParse(subject);
  if (parsed.success) {
    const { provenance, ...claims } = parsed.data as Record<string, unknown> & { provenance: Provenance };
    return { ok: true, claims, provenance };
  }
  return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'claims'}: ${issue.message}`).join('; ') };
}
