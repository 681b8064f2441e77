// Sending one form: a second press while the first is on its way does nothing, a refusal is shown
// in the form's error summary, and the button is marked busy (`sending`) until the answer arrives.
// Clearing the errors stays with each page, as it does so at its own moment (before a banner, say).
import { ref } from 'vue';
import type { FormErrors } from './useErrors.ts';

export interface SubmitOptions {
  /** Where a refusal that names no field is shown (see FormErrors.fromError). */
  fallbackFieldId?: string;
  /** Instead of `form.fromError`, for pages that place some refusals themselves. */
  onError?: (error: unknown) => void;
  /** After every attempt that was sent, whether it worked or not (clearing a password, say). */
  onSettled?: () => void;
}

export function useSubmit(form: FormErrors, options: SubmitOptions = {}) {
  const sending = ref(false);

  async function submit(action: () => Promise<unknown>): Promise<void> {
    if (sending.value) return;
    sending.value = true;
    try {
      await action();
    } catch (error) {
      if (options.onError) options.onError(error);
      else form.fromError(error, { fallbackFieldId: options.fallbackFieldId });
    } finally {
      options.onSettled?.();
      sending.value = false;
    }
  }

  return { sending, submit };
}
