// The answers of the add and change connection forms, what is sent for them, and the main side's
// refusals placed on the fields in the order the form asks them.
import { reactive } from 'vue';
import type { InputOf } from '../../main/api/contract.ts';
import type { ConnectionView } from '../../main/systems/contract.ts';
import type { ConnectionKind, ConnectionOperation } from '../../main/systems/vocabulary.ts';
import { isDoorError } from '../api/client.ts';
import { defaultOperations } from './connectionWords.ts';
import { useErrors, type ShownError } from './useErrors.ts';

export interface ConnectionDraft {
  kind: ConnectionKind | '';
  name: string;
  baseUrl: string;
  organisation: string;
  tokenUrl: string;
  clientId: string;
  operations: ConnectionOperation[];
}

/** The form's questions, in the order they are asked (and their errors listed). */
export const CONNECTION_FIELDS = ['kind', 'name', 'baseUrl', 'organisation', 'tokenUrl', 'clientId', 'operations'] as const;

export function useConnectionForm(organisation = '') {
  const form = useErrors();
  const draft = reactive<ConnectionDraft>({ kind: '', name: '', baseUrl: '', organisation, tokenUrl: '', clientId: '', operations: defaultOperations('') });

  function fill(connection: ConnectionView): void {
    Object.assign(draft, {
      kind: connection.kind,
      name: connection.name,
      baseUrl: connection.baseUrl,
      organisation: connection.organisation,
      tokenUrl: connection.tokenUrl,
      clientId: connection.clientId,
      operations: [...connection.operations],
    });
  }

  /** What the contract takes; an unanswered kind is sent as it is, for the main side to name. */
  function input(): InputOf<'connections.add'> {
    return {
      kind: draft.kind as ConnectionKind,
      name: draft.name,
      baseUrl: draft.baseUrl,
      organisation: draft.organisation,
      tokenUrl: draft.tokenUrl,
      clientId: draft.clientId,
      operations: [...draft.operations],
    };
  }

  /** One message per field ("operations.0" belongs to "operations"), in the form's order. */
  function showRefusal(error: unknown): void {
    if (!isDoorError(error) || error.fields.length === 0) {
      form.fromError(error);
      return;
    }
    const byField = new Map<string, ShownError>();
    const others: ShownError[] = [];
    for (const field of error.fields) {
      const name = field.field.split('.')[0]!;
      if ((CONNECTION_FIELDS as readonly string[]).includes(name)) {
        if (!byField.has(name)) byField.set(name, { message: field.message, fieldId: name });
      } else others.push({ message: field.message });
    }
    form.show([...CONNECTION_FIELDS.flatMap((name) => byField.get(name) ?? []), ...others]);
  }

  return { form, draft, fill, input, showRefusal };
}
