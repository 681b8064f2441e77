// Switchable faults for the sandbox systems: what a real authoritative system or the proxy in front
// of it does on a bad day (slow answers, 5xx pages, hangs, broken or oversized bodies, a trickle).
// Each fault can be scoped to a system, an operation and an organisation, and fires at a rate drawn
// from a seeded PRNG, so a test that sets rate 0.3 sees the same requests fail on every run.
import { z } from 'zod';
import { SANDBOX_SYSTEMS, type SandboxSystem } from './model.ts';

/** The operations a fault can be scoped to: the standard's operationIds plus the token endpoint. */
export const FAULT_OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record', 'status', 'token'] as const;
export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

const scope = {
  /** Only this system (faults with a system never touch the token endpoint, which belongs to none). */
  system: z.enum(SANDBOX_SYSTEMS as [SandboxSystem, ...SandboxSystem[]]).optional(),
  /** Only this operation. Without one, a fault applies to the DSP operations but not to the token endpoint. */
  operation: z.enum(FAULT_OPERATIONS).optional(),
  /** Only requests for this organisation (ODS code). */
  organisation: z.string().min(1).max(20).optional(),
  /** Share of matching requests that get the fault, 0..1 (default 1: every one). */
  rate: z.number().min(0).max(1).optional(),
};

export const faultSchema = z.discriminatedUnion('kind', [
  /** Wait before answering: ms plus a uniform random extra of up to jitterMs. */
  z.strictObject({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000), jitterMs: z.number().int().min(0).max(600_000).optional(), ...scope }),
  /** Answer 500, 502 or 503 instead, as an OperationOutcome or as a proxy's HTML error page. */
  z.strictObject({ kind: z.literal('serverError'), status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(), body: z.enum(['operation-outcome', 'html']).optional(), ...scope }),
  /** Accept the request and never answer, until the client gives up (or the sandbox closes). */
  z.strictObject({ kind: z.literal('timeout'), ...scope }),
  /** Answer with the right status and content type but a body that is not JSON (cut off half way). */
  z.strictObject({ kind: z.literal('malformedJson'), ...scope }),
  /** A successful answer whose body breaks the schema: a required field missing, or wrong types. */
  z.strictObject({ kind: z.literal('schemaBreak'), variant: z.enum(['missing-required', 'wrong-types']).optional(), ...scope }),
  /** The real answer, sent chunkBytes at a time every intervalMs. */
  z.strictObject({ kind: z.literal('trickle'), chunkBytes: z.number().int().min(1).max(1_000_000).optional(), intervalMs: z.number().int().min(1).max(60_000).optional(), ...scope }),
  /** A successful answer padded to about `bytes` (default 10 MB), sent chunked unless declareLength. */
  z.strictObject({ kind: z.literal('oversized'), bytes: z.number().int().min(1).max(200 * 1024 * 1024).optional(), declareLength: z.boolean().optional(), ...scope }),
  /** _status answers status "fail" (with a note saying why). */
  z.strictObject({ kind: z.literal('statusFail'), note: z.string().max(500).optional(), ...scope }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];
export type RegisteredFault = Fault & { id: string };
/** A fault that replaces or reshapes the answer (every kind but latency and statusFail). */
export type AnswerFault = Exclude<RegisteredFault, { kind: 'latency' } | { kind: 'statusFail' }>;

/** What to do to one request. */
export interface FaultPlan {
  /** Total delay before answering. */
  latencyMs: number;
  /** At most one fault that changes the answer: the first matching one that fired. */
  answer: AnswerFault | null;
  /** For _status: the statusFail fault that fired. */
  statusFail: Extract<RegisteredFault, { kind: 'statusFail' }> | null;
}

export interface FaultTarget {
  system: SandboxSystem | null;
  operation: FaultOperation;
  organisation: string | null;
}

/** Parses one fault or a list of faults from JSON (HTTP control endpoint, --faults), with readable errors. */
export function parseFaults(input: unknown): { ok: true; faults: Fault[] } | { ok: false; error: string } {
  const list = Array.isArray(input) ? input : [input];
  const faults: Fault[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = faultSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return { ok: false, error: `Fault ${index + 1} is not valid${where}: ${issue?.message ?? 'unknown problem'}. Kinds: latency, serverError, timeout, malformedJson, schemaBreak, trickle, oversized, statusFail.` };
    }
    faults.push(parsed.data);
  }
  return { ok: true, faults };
}

/** mulberry32: small, fast and good enough to decide which requests fail. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultController {
  private faults: RegisteredFault[] = [];
  private random: () => number;
  private seed: number;
  private nextId = 1;

  constructor(seed = 1, initial: Fault[] = []) {
    this.seed = seed;
    this.random = seededRandom(seed);
    for (const fault of initial) this.add(fault);
  }

  /** Adds a fault (checked against the schema); returns its id for remove(). */
  add(fault: Fault): string {
    const parsed = faultSchema.parse(fault);
    const id = `fault-${this.nextId++}`;
    this.faults.push({ ...parsed, id });
    return id;
  }

  /** Replaces every fault with these (the PRNG carries on where it was). */
  set(faults: Fault[]): string[] {
    const parsed = faults.map((fault) => faultSchema.parse(fault));
    this.faults = [];
    return parsed.map((fault) => this.add(fault));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  /** No faults, and the PRNG back at its seed (or a new one), so a test starts from a known state. */
  reset(seed?: number): void {
    if (seed !== undefined) this.seed = seed;
    this.faults = [];
    this.random = seededRandom(this.seed);
  }

  list(): RegisteredFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Decides what happens to one request. Draws from the PRNG once per matching fault, in order. */
  plan(target: FaultTarget): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, answer: null, statusFail: null };
    for (const fault of this.faults) {
      if (!matches(fault, target)) continue;
      const fires = this.random() < (fault.rate ?? 1);
      if (!fires) continue;
      if (fault.kind === 'latency') {
        plan.latencyMs += fault.ms + (fault.jitterMs ? Math.floor(this.random() * (fault.jitterMs + 1)) : 0);
      } else if (fault.kind === 'statusFail') {
        if (target.operation === 'status') plan.statusFail ??= fault;
      } else {
        plan.answer ??= fault;
      }
    }
    return plan;
  }
}

function matches(fault: RegisteredFault, target: FaultTarget): boolean {
  if (fault.operation ? fault.operation !== target.operation : target.operation === 'token') return false;
  if (fault.system && fault.system !== target.system) return false;
  if (fault.organisation && fault.organisation.toUpperCase() !== target.organisation) return false;
  return true;
}

/** A body that breaks the operation's response schema in the chosen way. */
export function breakSchema(operation: FaultOperation, body: unknown, variant: 'missing-required' | 'wrong-types'): unknown {
  const copy = structuredClone(body) as unknown;
  const withoutKey = (value: unknown, key: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) delete (value as Record<string, unknown>)[key];
    return value;
  };
  switch (operation) {
    case 'search-for-employee': {
      const people = Array.isArray(copy) && copy.length > 0 ? copy : [{ id: '00000000', firstName: 'Broken', surname: 'Answer' }];
      return variant === 'missing-required' ? people.map((person: unknown) => withoutKey(person, 'surname')) : people.map((person: Record<string, unknown>) => ({ ...person, id: Number(person.id) || 12345, birthDate: 19800101 }));
    }
    case 'get-employee-personal-details':
      return variant === 'missing-required' ? withoutKey(copy, 'surname') : { ...(copy as object), id: 12345, firstName: ['not', 'a', 'string'] };
    case 'get-employee-records':
      return variant === 'missing-required' ? withoutKey(copy, 'id') : { ...(copy as object), records: 'none' };
    case 'add-employee-record':
      return variant === 'missing-required' ? withoutKey(copy, 'recordType') : { ...(copy as object), recordType: 42 };
    case 'status':
      return variant === 'missing-required' ? {} : { status: true };
    case 'token':
      return variant === 'missing-required' ? withoutKey(copy, 'access_token') : { ...(copy as object), expires_in: 'soon', token_type: 7 };
  }
}

/** A proxy's error page, as a load balancer in front of a real system would send. */
export function proxyErrorPage(status: 500 | 502 | 503): string {
  const title = status === 502 ? '502 Bad Gateway' : status === 503 ? '503 Service Temporarily Unavailable' : '500 Internal Server Error';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
