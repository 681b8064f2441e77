// The published document's known faults, tolerated on input and derived from the document itself:
// booleans sent as strings ("true", "FALSE") in a record's boolean fields, an enum value in the
// wrong case ("Not Detected" for "Not detected"), and numbers the document types as numbers but
// the app holds as text (registrationNumber: HCPC numbers start with letters). Only the properties
// the document names are kept, so what the client hands on is exactly what the types describe.
import { DSP_STANDARD } from '../dsp-api/standard.ts';

interface SchemaNode {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
}

export interface Shape {
  properties: readonly string[];
  booleans: ReadonlySet<string>;
  enums: ReadonlyMap<string, readonly string[]>;
  /** Typed as number by the document, held as text by the app. */
  numbersAsText: ReadonlySet<string>;
}

const SCHEMAS = (DSP_STANDARD as { components: { schemas: Record<string, SchemaNode> } }).components.schemas;

function resolve(node: SchemaNode): SchemaNode {
  const prefix = '#/components/schemas/';
  if (node.$ref === undefined) return node;
  const target = node.$ref.startsWith(prefix) ? SCHEMAS[node.$ref.slice(prefix.length)] : undefined;
  if (!target) throw new Error(`The DSP document has no schema ${node.$ref}`);
  return target;
}

function shapeOf(schema: SchemaNode): Shape {
  const properties = Object.entries(schema.properties ?? {}).map(([name, node]) => [name, resolve(node)] as const);
  return {
    properties: properties.map(([name]) => name),
    booleans: new Set(properties.filter(([, node]) => node.type === 'boolean').map(([name]) => name)),
    enums: new Map(
      properties
        .filter(([, node]) => node.type === 'string' && Array.isArray(node.enum))
        .map(([name, node]) => [name, (node.enum ?? []).filter((value): value is string => typeof value === 'string')] as const),
    ),
    numbersAsText: new Set(properties.filter(([, node]) => node.type === 'number' || node.type === 'integer').map(([name]) => name)),
  };
}

function schemaNamed(name: string): SchemaNode {
  const schema = SCHEMAS[name];
  if (!schema) throw new Error(`The DSP document has no schema ${name}`);
  return schema;
}

/** Each record type's shape, by its recordType, from the members of the record union. */
export const RECORD_SHAPES: ReadonlyMap<string, Shape> = new Map(
  (schemaNamed('EmployeeRecordPost').oneOf ?? []).map((member) => {
    const schema = resolve(member);
    const recordType = schema.properties?.recordType?.enum?.[0];
    if (typeof recordType !== 'string') throw new Error('A DSP record schema has no recordType');
    return [recordType, shapeOf(schema)] as const;
  }),
);

export const PERSONAL_DETAILS_SHAPE = shapeOf(schemaNamed('EmployeePersonalDetails'));
export const RECORDS_SHAPE = shapeOf(schemaNamed('EmployeeRecords'));
export const STATUS_SHAPE = shapeOf(schemaNamed('Status'));

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The object's own properties that the shape names, in a fresh plain object. */
export function pick(value: unknown, shape: Shape): unknown {
  if (!isObject(value)) return value;
  const picked: Record<string, unknown> = {};
  for (const name of shape.properties) {
    if (Object.hasOwn(value, name) && value[name] !== undefined) picked[name] = value[name];
  }
  return picked;
}

/** A record the system sent, with the document's known faults put right (anything else is left for the validator). */
export function normaliseRecord(value: unknown): unknown {
  if (!isObject(value) || typeof value.recordType !== 'string') return value;
  const shape = RECORD_SHAPES.get(value.recordType);
  if (!shape) return value;
  const record = pick(value, shape) as Record<string, unknown>;
  for (const [name, field] of Object.entries(record)) {
    if (shape.booleans.has(name) && typeof field === 'string' && /^(true|false)$/i.test(field.trim())) {
      record[name] = field.trim().toLowerCase() === 'true';
    } else if (shape.numbersAsText.has(name) && typeof field === 'number' && Number.isFinite(field)) {
      record[name] = String(field);
    } else if (typeof field === 'string' && name !== 'recordType') {
      const allowed = shape.enums.get(name);
      if (allowed && !allowed.includes(field)) {
        const matches = allowed.filter((option) => option.toLowerCase() === field.trim().toLowerCase());
        if (matches.length === 1) record[name] = matches[0];
      }
    }
  }
  return record;
}

/** What get-employee-records sent, normalised: its id and each record. */
export function normaliseRecords(value: unknown): unknown {
  const picked = pick(value, RECORDS_SHAPE);
  if (isObject(picked) && Array.isArray(picked.records)) picked.records = picked.records.map(normaliseRecord);
  return picked;
}

/**
 * The copy of a record (or a body holding records) the validator sees: text where the document
 * wants a number stands in as a number, because the document's type is its known fault. Text that
 * is blank is left as it is, and fails.
 */
export function validationView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(validationView);
  if (!isObject(value)) return value;
  if (typeof value.recordType === 'string') {
    const shape = RECORD_SHAPES.get(value.recordType);
    if (!shape || shape.numbersAsText.size === 0) return value;
    const view: Record<string, unknown> = { ...value };
    for (const name of shape.numbersAsText) {
      const field = view[name];
      if (typeof field === 'string' && field.trim() !== '') view[name] = 0;
    }
    return view;
  }
  if (Array.isArray(value.records)) return { ...value, records: value.records.map(validationView) };
  return value;
}
