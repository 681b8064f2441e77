// Loads one HR user for the user pages (the contract lists users; there is no single-user read).
import { onMounted, ref } from 'vue';
import type { OutputOf } from '../../main/api/contract.ts';
import { api } from '../api/client.ts';
import type { FormErrors } from './useErrors.ts';

export type HrUser = OutputOf<'users.list'>['users'][number];

export function useHrUser(userId: () => string, form: FormErrors) {
  const user = ref<HrUser | null>(null);
  const missing = ref(false);

  async function load(): Promise<void> {
    try {
      const { users } = await api.call('users.list', {});
      user.value = users.find((candidate) => candidate.id === userId()) ?? null;
      missing.value = user.value === null;
    } catch (error) {
      form.fromError(error);
    }
  }

  onMounted(load);
  return { user, missing, load };
}
