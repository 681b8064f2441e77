// The error-summary pattern for one form: field errors keyed by input id, a summary that links to
// each field, and "Error: " at the start of the page title while there are errors.
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { RouteLocationRaw } from 'vue-router';
import { isDoorError } from '../api/client.ts';
import { reportUnexpected } from './unexpected.ts';

export interface ShownError {
  message: string;
  /** The id of the input the message belongs to, if any. */
  fieldId?: string;
  /** Or a page to go to (an answer given on another page of a wizard). */
  to?: RouteLocationRaw;
}

export interface FormErrors {
  errors: Ref<ShownError[]>;
  has: Ref<boolean>;
  messageFor(fieldId: string): string | undefined;
  show(errors: ShownError[]): void;
  clear(): void;
  /** Shows a DoorError's field errors (or its message); anything else goes to the error page. */
  fromError(error: unknown, options?: { fallbackFieldId?: string }): void;
}

const ERROR_PREFIX = 'Error: ';

/** `fieldIds` maps the server's field names to input ids where they differ. */
export function useErrors(fieldIds: Record<string, string> = {}): FormErrors {
  const errors = ref<ShownError[]>([]);
  const has = computed(() => errors.value.length > 0);

  function messageFor(fieldId: string): string | undefined {
    return errors.value.find((error) => error.fieldId === fieldId)?.message;
  }

  function show(next: ShownError[]): void {
    errors.value = next;
  }

  function clear(): void {
    errors.value = [];
  }

  function fromError(error: unknown, options: { fallbackFieldId?: string } = {}): void {
    if (!isDoorError(error)) {
      reportUnexpected(error);
      return;
    }
    if (error.fields.length > 0) {
      show(error.fields.map((field) => ({ message: field.message, fieldId: fieldIds[field.field] ?? field.field })));
    } else {
      show([options.fallbackFieldId ? { message: error.message, fieldId: options.fallbackFieldId } : { message: error.message }]);
    }
  }

  watch(has, (now) => {
    const title = document.title.startsWith(ERROR_PREFIX) ? document.title.slice(ERROR_PREFIX.length) : document.title;
    document.title = now ? ERROR_PREFIX + title : title;
  });
  onBeforeUnmount(() => {
    if (document.title.startsWith(ERROR_PREFIX)) document.title = document.title.slice(ERROR_PREFIX.length);
  });

  return { errors, has, messageFor, show, clear, fromError };
}
