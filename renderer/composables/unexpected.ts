// Errors nobody planned for (a bug, a broken reply) end on the error page with a plain message.
import { isDoorError } from '../api/client.ts';
import { useNoticesStore } from '../stores/notices.ts';
import { router } from '../router.ts';

export function reportUnexpected(error: unknown): void {
  console.error('Unexpected error', error);
  const message = isDoorError(error) ? error.message : null;
  useNoticesStore().recordUnexpected(message ?? 'Something went wrong inside Staff Passport.');
  router.replace({ name: 'error' }).catch((navigationError: unknown) => console.error('Could not show the error page', navigationError));
}
