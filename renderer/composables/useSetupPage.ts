// Shared behaviour of the set-up wizard's question pages: show the server's errors for this page's
// answers, check that each answer was given, then go on (or back to "Check your answers").
import { onMounted } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSetupStore, type SetupField } from '../stores/setup.ts';
import { useErrors, type ShownError } from './useErrors.ts';

export function useSetupPage(fields: readonly SetupField[], nextRoute: string) {
  const setup = useSetupStore();
  const route = useRoute();
  const router = useRouter();
  const form = useErrors();
  const changing = route.query['change'] === '1';

  onMounted(() => {
    const fromServer = setup.errorsFor(fields);
    if (fromServer.length > 0) form.show(fromServer.map((error) => ({ message: error.message, fieldId: error.field })));
  });

  /** `required` gives the message for each answer that must not be empty. */
  function next(required: Partial<Record<SetupField, string>>, extra: ShownError[] = []): void {
    const missing: ShownError[] = [];
    for (const field of fields) {
      const message = required[field];
      if (message && setup.answers[field].trim() === '') missing.push({ message, fieldId: field });
    }
    const problems = [...missing, ...extra];
    if (problems.length > 0) {
      form.show(problems);
      return;
    }
    form.clear();
    setup.clearErrorsFor(fields);
    void router.push({ name: changing ? 'setup-check' : nextRoute });
  }

  return { setup, form, next, changing };
}
