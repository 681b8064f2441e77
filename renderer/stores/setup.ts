// The answers of the first-run wizard, kept in memory only until the trust is set up.
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { InputOf } from '../../main/api/contract.ts';
import { api, isDoorError, type FieldError } from '../api/client.ts';

export type SetupAnswers = InputOf<'setup.start'>;
export type SetupField = keyof SetupAnswers;

/** Which wizard page asks for which answer (the server's field names). */
export const SETUP_PAGES = [
  { route: 'setup-ods-code', fields: ['odsCode'] },
  { route: 'setup-trust-name', fields: ['trustName'] },
  { route: 'setup-your-details', fields: ['adminName', 'adminEmail'] },
  { route: 'setup-password', fields: ['password', 'confirmPassword'] },
] as const satisfies readonly { route: string; fields: readonly SetupField[] }[];

export function setupPageFor(field: string): (typeof SETUP_PAGES)[number]['route'] | null {
  return SETUP_PAGES.find((page) => (page.fields as readonly string[]).includes(field))?.route ?? null;
}

export const useSetupStore = defineStore('setup', () => {
  const answers = reactive<SetupAnswers>({ odsCode: '', trustName: '', adminName: '', adminEmail: '', password: '', confirmPassword: '' });
  /** Field errors from the last `setup.start`, until the page that owns the field is answered again. */
  const serverErrors = ref<FieldError[]>([]);
  const recoveryCode = ref<string | null>(null);
  const started = computed(() => recoveryCode.value !== null);

  function errorsFor(fields: readonly string[]): FieldError[] {
    return serverErrors.value.filter((error) => fields.includes(error.field));
  }

  function clearErrorsFor(fields: readonly string[]): void {
    serverErrors.value = serverErrors.value.filter((error) => !fields.includes(error.field));
  }

  /**
   * Sends the answers. On field errors they are kept for the pages to show and the first page
   * with an error is returned; any other failure is thrown.
   */
  async function start(): Promise<{ ok: true } | { ok: false; firstPage: string | null }> {
    try {
      const result = await api.call('setup.start', { ...answers });
      recoveryCode.value = result.recoveryCode;
      serverErrors.value = [];
      // The password has done its job; do not keep it in memory longer than needed.
      answers.password = '';
      answers.confirmPassword = '';
      return { ok: true };
    } catch (error) {
      if (isDoorError(error) && error.fields.length > 0) {
        serverErrors.value = error.fields;
        const firstPage = SETUP_PAGES.find((page) => errorsFor(page.fields).length > 0)?.route ?? null;
        return { ok: false, firstPage };
      }
      throw error;
    }
  }

  async function finish(): Promise<void> {
    await api.call('setup.finish', { recoveryCodeStored: true });
    recoveryCode.value = null;
    answers.odsCode = '';
    answers.trustName = '';
    answers.adminName = '';
    answers.adminEmail = '';
  }

  return { answers, serverErrors, recoveryCode, started, errorsFor, clearErrorsFor, start, finish };
});
