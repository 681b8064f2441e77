// Signing out from the header or the locked screen: the next page says so; a failure goes to the
// error page without leaving that message behind.
import { useNoticesStore } from '../stores/notices.ts';
import { useSessionStore } from '../stores/session.ts';
import { reportUnexpected } from './unexpected.ts';

export async function signOutWithNotice(): Promise<void> {
  const notices = useNoticesStore();
  try {
    notices.showOnNextPage({ heading: 'You have signed out' });
    await useSessionStore().signOut();
  } catch (error) {
    notices.takeSuccess();
    reportUnexpected(error);
  }
}
