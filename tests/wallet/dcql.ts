// Choosing what to share for a DCQL query (OpenID4VP 1.0 section 6), for jwt_vc_json credentials
// matched on `meta.type_values`. Pure: no keys, no I/O.
import { z } from 'zod';

const credentialQuerySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a credential query id is letters, digits, _ and - only'),
    format: z.string(),
    multiple: z.boolean().optional(),
    meta: z.object({ type_values: z.array(z.array(z.string()).min(1)).min(1).optional() }).loose().optional(),
  })
  .loose();

const credentialSetSchema = z
  .object({
    options: z.array(z.array(z.string()).min(1)).min(1),
    required: z.boolean().optional(),
  })
  .loose();

export const dcqlQuerySchema = z
  .object({
    credentials: z.array(credentialQuerySchema).min(1),
    credential_sets: z.array(credentialSetSchema).min(1).optional(),
  })
  .loose()
  .superRefine((query, context) => {
    const ids = query.credentials.map((credential) => credential.id);
    if (new Set(ids).size !== ids.length) context.addIssue({ code: 'custom', message: 'credential query ids must be unique' });
    for (const set of query.credential_sets ?? []) {
      for (const id of set.options.flat()) {
        if (!ids.includes(id)) context.addIssue({ code: 'custom', message: `credential set names "${id}", which is not a credential query` });
      }
    }
  });

export type DcqlQuery = z.infer<typeof dcqlQuerySchema>;
export type CredentialQuery = DcqlQuery['credentials'][number];

/** What matching needs to know of a held credential. */
export interface Candidate {
  id: string;
  types: readonly string[];
  /** For ordering: the newest is shared first when only one may be. */
  issuedAt: string;
}

export interface DcqlSelection<C extends Candidate> {
  /** Credentials to share, per credential query id, in the query's order. */
  byQuery: Map<string, C[]>;
  /** The types asked for by required credential sets (or queries) this wallet cannot satisfy. */
  unmet: string[];
}

/** Does the credential match the query: jwt_vc_json, and every type of one of `type_values`. */
export function matchesQuery(query: CredentialQuery, types: readonly string[]): boolean {
  if (query.format !== 'jwt_vc_json') return false;
  const typeValues = query.meta?.type_values;
  if (!typeValues) return true;
  return typeValues.some((wanted) => wanted.every((type) => types.includes(type)));
}

/** The held credentials each query matches, newest first; one only unless the query says `multiple`. */
export function candidatesFor<C extends Candidate>(query: CredentialQuery, held: readonly C[]): C[] {
  const matching = held.filter((credential) => matchesQuery(query, credential.types)).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  return query.multiple ? matching : matching.slice(0, 1);
}

function describe(query: CredentialQuery): string {
  const types = query.meta?.type_values?.map((values) => values.filter((type) => type !== 'VerifiableCredential').join(' + ') || values.join(' + '));
  return types && types.length > 0 ? types.join(' or ') : `${query.format} credential (${query.id})`;
}

/**
 * What to share: without credential sets, every query (each must be met); with them, for each set
 * the first option whose queries all match (a set not met is fine unless it is required). Queries
 * no set names are not asked for, as the specification says.
 */
export function selectForQuery<C extends Candidate>(query: DcqlQuery, held: readonly C[]): DcqlSelection<C> {
  const matches = new Map(query.credentials.map((credentialQuery) => [credentialQuery.id, candidatesFor(credentialQuery, held)]));
  const queryById = new Map(query.credentials.map((credentialQuery) => [credentialQuery.id, credentialQuery]));
  const chosen = new Set<string>();
  const unmet: string[] = [];
  if (!query.credential_sets) {
    for (const credentialQuery of query.credentials) {
      if (matches.get(credentialQuery.id)!.length > 0) chosen.add(credentialQuery.id);
      else unmet.push(describe(credentialQuery));
    }
  } else {
    for (const set of query.credential_sets) {
      const option = set.options.find((ids) => ids.every((id) => matches.get(id)!.length > 0));
      if (option) for (const id of option) chosen.add(id);
      else if (set.required !== false) unmet.push(set.options.map((ids) => ids.map((id) => describe(queryById.get(id)!)).join(' and ')).join(', or '));
    }
  }
  const byQuery = new Map<string, C[]>();
  for (const credentialQuery of query.credentials) {
    if (chosen.has(credentialQuery.id)) byQuery.set(credentialQuery.id, matches.get(credentialQuery.id)!);
  }
  return { byQuery, unmet };
}
