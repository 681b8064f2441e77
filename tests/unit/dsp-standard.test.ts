// The official DSP documents as the app carries them: the generated copies match the YAML, and
// every published example validates against its operation's schema except for exactly the known
// faults that ../shared/specs/dsp-api/README.md lists. A new fault in a new revision fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, OUT_DIR, SPEC_DIR, moduleFor } from '../../build/sync-dsp-spec.ts';
import { DSP_EVENTS } from '../../main/systems/dsp-api/events.ts';
import { DSP_STANDARD } from '../../main/systems/dsp-api/standard.ts';
import { dspEvents, dspStandard, jsonMediaType, type OpenApiSchemas, type SchemaIssue } from '../../main/systems/dsp-schema.ts';

interface PublishedExample {
  file: string;
  operationId: string;
  /** A response status key ("200", "4XX") or "request". */
  part: string;
}

/** Every example file the document points at, with the operation and part it illustrates. */
function examplesOf(document: unknown): PublishedExample[] {
  const found: PublishedExample[] = [];
  const paths = (document as { paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses?: Record<string, unknown> }>> }).paths;
  const refsIn = (node: unknown): string[] => {
    if (node === null || typeof node !== 'object') return [];
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.endsWith('.json')) return [ref];
    return Object.values(node).flatMap(refsIn);
  };
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      if (!operation?.operationId) continue;
      const requestContents = (operation.requestBody as { content?: Record<string, { example?: unknown; examples?: unknown }> } | undefined)?.content;
      const requestContent = requestContents?.[jsonMediaType(requestContents) ?? ''];
      for (const file of refsIn([requestContent?.example, requestContent?.examples])) found.push({ file, operationId: operation.operationId, part: 'request' });
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const contents = (response as { content?: Record<string, { example?: unknown; examples?: unknown }> }).content;
        const content = contents?.[jsonMediaType(contents) ?? ''];
        for (const file of refsIn([content?.example, content?.examples])) found.push({ file, operationId: operation.operationId, part: status });
      }
    }
  }
  return found;
}

/** The README's known faults, by the shape of the issue they cause. */
function knownFault(issue: SchemaIssue): string | null {
  if (issue.keyword === 'type' && issue.message === 'must be boolean' && (issue.value === 'true' || issue.value === 'false')) return 'boolean written as a string';
  if (issue.keyword === 'enum' && issue.value === 'Not Detected') return '"Not Detected" where the enum says "Not detected"';
  return null;
}

function check(schemas: OpenApiSchemas, example: PublishedExample): string[] {
  const text = readFileSync(join(SPEC_DIR, example.file), 'utf8');
  let body: unknown;
  const found: string[] = [];
  try {
    body = JSON.parse(text);
  } catch {
    // A comma before a closing bracket is a fault of its own; the example is then checked as meant.
    try {
      body = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
      found.push('a trailing comma makes it not JSON');
    } catch {
      return ['the example is not JSON'];
    }
  }
  const status = example.part === 'request' ? null : example.part === '4XX' ? 400 : Number(example.part);
  const result = status === null ? schemas.checkRequest(example.operationId, body) : schemas.checkResponse(example.operationId, status, body);
  if (result.ok) return found;
  return [...found, ...result.issues.map((issue) => knownFault(issue) ?? `UNKNOWN: ${issue.path} ${issue.message} (${JSON.stringify(issue.value)})`)];
}

describe('the DSP documents the app carries', () => {
  it('are exactly the published YAML (npm run spec:sync regenerates them)', () => {
    for (const document of DOCUMENTS) expect(readFileSync(join(OUT_DIR, document.module), 'utf8'), document.module).toBe(moduleFor(document));
  });

  it('validate every published example, except exactly the known faults', () => {
    const faults: Record<string, string[]> = {};
    const all = [
      ...examplesOf(DSP_STANDARD).map((example) => ({ example, schemas: dspStandard() })),
      ...examplesOf(DSP_EVENTS).map((example) => ({ example, schemas: dspEvents() })),
    ];
    // Every example file in the folder is used by the documents.
    expect(all.length).toBe(30);
    for (const { example, schemas } of all) {
      const found = [...new Set(check(schemas, example))];
      if (found.length > 0) faults[example.file.split('/').pop()!] = found;
    }
    // The README's list, plus one it does not name: the event API's two examples have a trailing comma.
    expect(faults).toEqual({
      'AddEmployeeRecordRequestClinicalTest.json': ['"Not Detected" where the enum says "Not detected"'],
      'AddEmployeeRecordResponseClinicalTest.json': ['"Not Detected" where the enum says "Not detected"'],
      'PublishEventRequest.json': ['a trailing comma makes it not JSON'],
      'PublishEventResponse.json': ['a trailing comma makes it not JSON'],
      'AddEmployeeRecordRequestRightToWork.json': ['boolean written as a string'],
      'AddEmployeeRecordRequestDBSCheckSupportingInformation.json': ['boolean written as a string'],
      'AddEmployeeRecordRequestDBSCheckOutcome.json': ['boolean written as a string'],
      'AddEmployeeRecordResponseRightToWork.json': ['boolean written as a string'],
      'AddEmployeeRecordResponseDBSCheckSupportingInformation.json': ['boolean written as a string'],
      'AddEmployeeRecordResponseDBSCheckOutcome.json': ['boolean written as a string'],
      'GetEmployeeRecordsResponseDBSCheckOutcome.json': ['boolean written as a string'],
      'GetEmployeeRecordsResponseScreeningAndVaccination.json': ['"Not Detected" where the enum says "Not detected"'],
      'StatusDeepPingFail.json': ['the example is not JSON'],
    });
  });

  it('catch what breaks the schema, naming the field', () => {
    const records = (body: unknown) => dspStandard().checkResponse('get-employee-records', 200, body);
    expect(records({ id: '1', records: [] })).toEqual({ ok: true });
    expect(records({ id: '1', records: [{ recordType: 'Tattoo' }] })).toMatchObject({ ok: false, issues: [{ path: '/records/0', keyword: 'discriminator' }] });
    expect(records({ id: 1, records: [] })).toMatchObject({ ok: false, issues: [{ path: '/id', message: 'must be string' }] });
    expect(records({ records: [] })).toMatchObject({ ok: false, issues: [{ keyword: 'required', message: "must have required property 'id'" }] });
    expect(dspStandard().checkResponse('search-for-employee', 200, Array.from({ length: 51 }, (_, n) => ({ id: String(n), firstName: 'A', surname: 'B' })))).toMatchObject({ ok: false, issues: [{ keyword: 'maxItems' }] });
    expect(dspStandard().checkResponse('search-for-employee', 400, { resourceType: 'OperationOutcome' })).toMatchObject({ ok: false });
    expect(dspStandard().checkResponse('status', 500, {})).toMatchObject({ ok: false, issues: [{ keyword: 'status' }] });
  });
});
