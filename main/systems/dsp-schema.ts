// The DSP API standard as a validator: every request body and response body that crosses the wire
// is checked against the official OpenAPI 3.0.3 document's schema for that operation and status
// (JSON Schema through Ajv). The document has no discriminator on its record unions (a known fault),
// so one is added here on recordType: a record is then checked against its own type's schema, and
// its errors name its own fields rather than every type's.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DSP_STANDARD } from './dsp-api/standard.ts';
import { DSP_EVENTS } from './dsp-api/events.ts';

export const DSP_OPERATIONS = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record', 'status'] as const;
export type DspOperation = (typeof DSP_OPERATIONS)[number];

export interface SchemaIssue {
  /** JSON pointer into the body, "" for the body itself. */
  path: string;
  keyword: string;
  message: string;
  /** The value found there (short values only). */
  value?: unknown;
}

export type SchemaCheck = { ok: true } | { ok: false; issues: SchemaIssue[] };

type Json = Record<string, unknown>;
type OpenApiDocument = { paths: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } };

const RECORD_UNIONS = ['EmployeeRecordGet', 'EmployeeRecordPost'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A copy of the document with the record unions discriminated by recordType. */
function withDiscriminators(source: unknown): OpenApiDocument {
  const document = structuredClone(source) as OpenApiDocument;
  for (const name of RECORD_UNIONS) {
    const union = document.components?.schemas?.[name];
    if (union && Array.isArray(union.oneOf)) union.discriminator = { propertyName: 'recordType' };
  }
  return document;
}

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function valueAt(body: unknown, pointer: string): unknown {
  let current = body;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function issuesOf(errors: ErrorObject[] | null | undefined, body: unknown): SchemaIssue[] {
  return (errors ?? []).slice(0, 50).map((error) => {
    const value = valueAt(body, error.instancePath);
    const shortValue = typeof value === 'string' ? value.slice(0, 100) : typeof value === 'number' || typeof value === 'boolean' || value === null ? value : undefined;
    const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : error.keyword === 'enum' ? ` (${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})` : '';
    return { path: error.instancePath, keyword: error.keyword, message: `${error.message ?? 'is not valid'}${extra}`, ...(shortValue !== undefined ? { value: shortValue } : {}) };
  });
}

/** Finds an operation by its operationId: its path template, method and OpenAPI object. */
function operationOf(document: OpenApiDocument, operationId: string): { path: string; method: string; operation: Json } {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation?.operationId === operationId) return { path, method, operation };
    }
  }
  throw new Error(`The DSP document has no operation ${operationId}`);
}

const escape = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

/** The JSON media type an OpenAPI content map uses (application/json, application/health+json, application/cloudevents+json). */
export function jsonMediaType(content: Record<string, unknown> | undefined): string | null {
  return Object.keys(content ?? {}).find((type) => type === 'application/json' || /^application\/[a-z.-]+\+json$/.test(type)) ?? null;
}

export class OpenApiSchemas {
  private readonly ajv: Ajv;
  private readonly document: OpenApiDocument;
  private readonly id: string;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(source: unknown, id: string) {
    this.document = withDiscriminators(source);
    this.id = id;
    // strict off: the document carries OpenAPI keywords (example, description) beside JSON Schema.
    this.ajv = new Ajv({ strict: false, allErrors: true, discriminator: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document as unknown as object, id);
  }

  /** The JSON pointer (into the document) of the schema for an operation's response with this status, or null when it has none. */
  responsePointer(operationId: string, status: number): string | null {
    const { path, method, operation } = operationOf(this.document, operationId);
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const key = [String(status), `${Math.floor(status / 100)}XX`, 'default'].find((candidate) => responses[candidate]);
    if (!key) return null;
    const content = responses[key]!.content as Record<string, Json> | undefined;
    const type = jsonMediaType(content);
    if (!type || !content?.[type]?.schema) return null;
    return `#/paths/${escape(path)}/${method}/responses/${escape(key)}/content/${escape(type)}/schema`;
  }

  /** The JSON pointer of the schema for an operation's JSON request body, or null. */
  requestPointer(operationId: string): string | null {
    const { path, method, operation } = operationOf(this.document, operationId);
    const content = (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
    const type = jsonMediaType(content);
    if (!type || !content?.[type]?.schema) return null;
    return `#/paths/${escape(path)}/${method}/requestBody/content/${escape(type)}/schema`;
  }

  /** The operation's response statuses as the document lists them ("200", "4XX"...). */
  responseKeys(operationId: string): string[] {
    return Object.keys((operationOf(this.document, operationId).operation.responses ?? {}) as Json);
  }

  checkResponse(operationId: string, status: number, body: unknown): SchemaCheck {
    const pointer = this.responsePointer(operationId, status);
    if (!pointer) return { ok: false, issues: [{ path: '', keyword: 'status', message: `the standard defines no JSON answer with status ${status} for ${operationId}` }] };
    return this.check(pointer, body);
  }

  checkRequest(operationId: string, body: unknown): SchemaCheck {
    const pointer = this.requestPointer(operationId);
    if (!pointer) return { ok: false, issues: [{ path: '', keyword: 'body', message: `the standard defines no JSON request body for ${operationId}` }] };
    return this.check(pointer, body);
  }

  /** Checks a body against the schema at a pointer into the document (a component, say: "#/components/schemas/Error"). */
  check(pointer: string, body: unknown): SchemaCheck {
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.getSchema(`${this.id}${pointer}`) ?? null;
      this.compiled.set(pointer, validate);
    }
    if (!validate) throw new Error(`The DSP document has no schema at ${pointer}`);
    return validate(body) ? { ok: true } : { ok: false, issues: issuesOf(validate.errors, body) };
  }
}

let standard: OpenApiSchemas | null = null;
let events: OpenApiSchemas | null = null;

/** The DSP API standard (what authoritative systems expose), compiled once. */
export function dspStandard(): OpenApiSchemas {
  standard ??= new OpenApiSchemas(DSP_STANDARD, 'dsp-standard');
  return standard;
}

/** The DSP event notification API (what authoritative systems send to POST /events), compiled once. */
export function dspEvents(): OpenApiSchemas {
  events ??= new OpenApiSchemas(DSP_EVENTS, 'dsp-events');
  return events;
}
