// A refusal whose field names are paths into the input ("typeIds.0", "decisions.2.decision"):
// each message goes to the input the page says it belongs to, or to the summary alone.
import { isDoorError } from '../api/client.ts';
import type { FormErrors, ShownError } from './useErrors.ts';

export function showRefusal(form: FormErrors, error: unknown, fieldIdFor: (path: string[]) => string | undefined): void {
  if (!isDoorError(error) || error.fields.length === 0) {
    form.fromError(error);
    return;
  }
  const shown: ShownError[] = [];
  for (const field of error.fields) {
    const fieldId = fieldIdFor(field.field.split('.'));
    // One message per field: a list of ids can fail the same rule many times.
    if (shown.some((earlier) => earlier.message === field.message && earlier.fieldId === fieldId)) continue;
    shown.push(fieldId ? { message: field.message, fieldId } : { message: field.message });
  }
  form.show(shown);
}
