// The screens and which app state each belongs to. The app state (from `app.status`, replies to
// session operations and the `session.changed` event) decides where the user may be: when it
// changes, the user is moved to the screen for the new state.
import { nextTick, watch } from 'vue';
import { createRouter, createWebHashHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router';
import type { AppStatus } from '../main/api/contract.ts';
import { useSessionStore } from './stores/session.ts';
import { useNoticesStore } from './stores/notices.ts';
import SetupOdsCode from './views/setup/SetupOdsCode.vue';
import SetupTrustName from './views/setup/SetupTrustName.vue';
import SetupYourDetails from './views/setup/SetupYourDetails.vue';
import SetupPassword from './views/setup/SetupPassword.vue';
import SetupCheckAnswers from './views/setup/SetupCheckAnswers.vue';
import SetupRecoveryCode from './views/setup/SetupRecoveryCode.vue';
import SetupRestoreBackup from './views/setup/SetupRestoreBackup.vue';
import SignIn from './views/SignIn.vue';
import ChangePassword from './views/ChangePassword.vue';
import Locked from './views/Locked.vue';
import Home from './views/Home.vue';
import Users from './views/admin/Users.vue';
import UserAdd from './views/admin/UserAdd.vue';
import UserDetail from './views/admin/UserDetail.vue';
import UserDeactivate from './views/admin/UserDeactivate.vue';
import Settings from './views/Settings.vue';
import AuditLog from './views/admin/AuditLog.vue';
import Backup from './views/admin/Backup.vue';
import TrustedIssuers from './views/admin/TrustedIssuers.vue';
import TrustedIssuerAdd from './views/admin/TrustedIssuerAdd.vue';
import TrustedIssuerRemove from './views/admin/TrustedIssuerRemove.vue';
import SigningIdentity from './views/admin/SigningIdentity.vue';
import SigningIdentityRotate from './views/admin/SigningIdentityRotate.vue';
import StaffIdentityAndAccess from './views/staff/IdentityAndAccess.vue';
import StaffPassports from './views/staff/Passports.vue';
import StaffSearch from './views/staff/Search.vue';
import StaffInvite from './views/staff/Invite.vue';
import StaffInviteCheck from './views/staff/InviteCheck.vue';
import StaffImport from './views/staff/Import.vue';
import StaffImportCheck from './views/staff/ImportCheck.vue';
import StaffPerson from './views/staff/Person.vue';
import StaffIdentityCheck from './views/staff/IdentityCheck.vue';
import StaffIdentityDetails from './views/staff/IdentityDetails.vue';
import StaffDecline from './views/staff/Decline.vue';
import StaffAppointmentNeeded from './views/staff/AppointmentNeeded.vue';
import StaffDelete from './views/staff/Delete.vue';
import StaffEditProfile from './views/staff/EditProfile.vue';
import StaffDisable from './views/staff/Disable.vue';
import StaffEnable from './views/staff/Enable.vue';
import Connections from './views/connections/Connections.vue';
import ConnectionAdd from './views/connections/ConnectionAdd.vue';
import ConnectionDetail from './views/connections/ConnectionDetail.vue';
import ConnectionEdit from './views/connections/ConnectionEdit.vue';
import ConnectionTest from './views/connections/ConnectionTest.vue';
import ConnectionNewKey from './views/connections/ConnectionNewKey.vue';
import ConnectionRemove from './views/connections/ConnectionRemove.vue';
import MatchEsr from './views/matching/MatchEsr.vue';
import MatchSearch from './views/matching/MatchSearch.vue';
import LinkRemove from './views/matching/LinkRemove.vue';
import WalletOffer from './views/wallet/Offer.vue';
import WalletRequest from './views/wallet/Request.vue';
import WalletAsk from './views/wallet/AskForCredentials.vue';
import WalletProvide from './views/wallet/ProvideCredentials.vue';
import WalletReviewShared from './views/wallet/ReviewShared.vue';
import WalletNewWallet from './views/wallet/NewWallet.vue';
import Unavailable from './views/Unavailable.vue';
import ErrorPage from './views/ErrorPage.vue';
import NotFound from './views/NotFound.vue';

type Gate = AppStatus['state'] | 'any';

declare module 'vue-router' {
  interface RouteMeta {
    /** The app state this screen belongs to. */
    gate: Gate;
    /** The page title, before " – Staff Passport". */
    title: string;
    /** Senior Portal Administrators only. */
    administrator?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'start', component: NotFound, meta: { gate: 'any', title: 'Staff Passport' } },

  { path: '/setup', name: 'setup-ods-code', component: SetupOdsCode, meta: { gate: 'needs-setup', title: 'Set up Staff Passport for your trust' } },
  { path: '/setup/trust-name', name: 'setup-trust-name', component: SetupTrustName, meta: { gate: 'needs-setup', title: 'Trust name – Set up Staff Passport' } },
  { path: '/setup/your-details', name: 'setup-your-details', component: SetupYourDetails, meta: { gate: 'needs-setup', title: 'Your details – Set up Staff Passport' } },
  { path: '/setup/password', name: 'setup-password', component: SetupPassword, meta: { gate: 'needs-setup', title: 'Create a password – Set up Staff Passport' } },
  { path: '/setup/check', name: 'setup-check', component: SetupCheckAnswers, meta: { gate: 'needs-setup', title: 'Check your answers – Set up Staff Passport' } },
  { path: '/setup/recovery-code', name: 'setup-recovery-code', component: SetupRecoveryCode, meta: { gate: 'needs-setup', title: 'Your recovery code – Set up Staff Passport' } },
  { path: '/setup/restore', name: 'setup-restore', component: SetupRestoreBackup, meta: { gate: 'needs-setup', title: 'Restore from a backup' } },

  { path: '/sign-in', name: 'sign-in', component: SignIn, meta: { gate: 'signed-out', title: 'Sign in' } },
  { path: '/locked', name: 'locked', component: Locked, meta: { gate: 'locked', title: 'Your session is locked' } },
  { path: '/unavailable', name: 'unavailable', component: Unavailable, meta: { gate: 'unavailable', title: 'Staff Passport cannot open' } },

  { path: '/home', name: 'home', component: Home, meta: { gate: 'signed-in', title: 'Home' } },
  { path: '/identity-and-access', name: 'identity-and-access', component: StaffIdentityAndAccess, meta: { gate: 'signed-in', title: 'Identity and access' } },
  { path: '/identity-and-access/invite', name: 'invite', component: StaffInvite, meta: { gate: 'signed-in', title: 'Invite a staff member' } },
  { path: '/identity-and-access/invite/check', name: 'invite-check', component: StaffInviteCheck, meta: { gate: 'signed-in', title: 'Check their details – Invite a staff member' } },
  { path: '/identity-and-access/import', name: 'import', component: StaffImport, meta: { gate: 'signed-in', title: 'Invite staff from a CSV file' } },
  { path: '/identity-and-access/import/check', name: 'import-check', component: StaffImportCheck, meta: { gate: 'signed-in', title: 'Check the file – Invite staff from a CSV file' } },
  { path: '/passports/:list(pending|reviewed)', name: 'passports', component: StaffPassports, props: true, meta: { gate: 'signed-in', title: 'Staff passports' } },
  { path: '/search', name: 'search', component: StaffSearch, meta: { gate: 'signed-in', title: 'Search results' } },
  { path: '/people/:passportId', name: 'person', component: StaffPerson, props: true, meta: { gate: 'signed-in', title: 'Staff member' } },
  { path: '/people/:passportId/identity-check', name: 'person-identity-check', component: StaffIdentityCheck, props: true, meta: { gate: 'signed-in', title: 'Can you confirm their identity?' } },
  { path: '/people/:passportId/identity-check/details', name: 'person-identity-details', component: StaffIdentityDetails, props: true, meta: { gate: 'signed-in', title: 'Record their confirmed identity' } },
  { path: '/people/:passportId/decline', name: 'person-decline', component: StaffDecline, props: true, meta: { gate: 'signed-in', title: 'Decline access' } },
  { path: '/people/:passportId/appointment-needed', name: 'person-appointment', component: StaffAppointmentNeeded, props: true, meta: { gate: 'signed-in', title: 'Appointment needed' } },
  { path: '/people/:passportId/delete', name: 'person-delete', component: StaffDelete, props: true, meta: { gate: 'signed-in', title: 'Delete this record' } },
  { path: '/people/:passportId/edit', name: 'person-edit', component: StaffEditProfile, props: true, meta: { gate: 'signed-in', title: 'Edit profile' } },
  { path: '/people/:passportId/disable', name: 'person-disable', component: StaffDisable, props: true, meta: { gate: 'signed-in', title: 'Disable this passport' } },
  { path: '/people/:passportId/enable', name: 'person-enable', component: StaffEnable, props: true, meta: { gate: 'signed-in', title: 'Enable this passport' } },
  { path: '/people/:passportId/connect-esr/:connectionId', name: 'person-connect-esr', component: MatchEsr, props: true, meta: { gate: 'signed-in', title: 'Connect to ESR' } },
  { path: '/people/:passportId/connect/:connectionId', name: 'person-connect', component: MatchSearch, props: true, meta: { gate: 'signed-in', title: 'Connect to another system' } },
  { path: '/people/:passportId/links/:linkId/remove', name: 'person-link-remove', component: LinkRemove, props: true, meta: { gate: 'signed-in', title: 'Remove a link' } },
  { path: '/people/:passportId/offers/:offerId', name: 'person-offer', component: WalletOffer, props: true, meta: { gate: 'signed-in', title: 'Credential offer' } },
  { path: '/people/:passportId/requests/:requestId', name: 'person-presentation-request', component: WalletRequest, props: true, meta: { gate: 'signed-in', title: 'Request to share credentials' } },
  { path: '/people/:passportId/request', name: 'person-ask', component: WalletAsk, props: true, meta: { gate: 'signed-in', title: 'Ask for credentials' } },
  { path: '/people/:passportId/provide', name: 'person-provide', component: WalletProvide, props: true, meta: { gate: 'signed-in', title: 'Provide credentials' } },
  { path: '/people/:passportId/shared', name: 'person-shared', component: WalletReviewShared, props: true, meta: { gate: 'signed-in', title: 'Review shared credentials' } },
  { path: '/people/:passportId/new-wallet', name: 'person-new-wallet', component: WalletNewWallet, props: true, meta: { gate: 'signed-in', title: 'They have a new wallet' } },
  { path: '/change-password', name: 'change-password', component: ChangePassword, meta: { gate: 'signed-in', title: 'Change your password' } },
  { path: '/settings', name: 'settings', component: Settings, meta: { gate: 'signed-in', title: 'Settings' } },
  { path: '/users', name: 'users', component: Users, meta: { gate: 'signed-in', title: 'HR users', administrator: true } },
  { path: '/users/add', name: 'user-add', component: UserAdd, meta: { gate: 'signed-in', title: 'Add a user', administrator: true } },
  { path: '/users/:userId', name: 'user', component: UserDetail, props: true, meta: { gate: 'signed-in', title: 'HR user', administrator: true } },
  { path: '/users/:userId/deactivate', name: 'user-deactivate', component: UserDeactivate, props: true, meta: { gate: 'signed-in', title: 'Deactivate a user', administrator: true } },
  { path: '/trusted-issuers', name: 'trusted-issuers', component: TrustedIssuers, meta: { gate: 'signed-in', title: 'Trusted issuers', administrator: true } },
  { path: '/trusted-issuers/add', name: 'trusted-issuer-add', component: TrustedIssuerAdd, meta: { gate: 'signed-in', title: 'Add an organisation – Trusted issuers', administrator: true } },
  { path: '/trusted-issuers/:odsCode/remove', name: 'trusted-issuer-remove', component: TrustedIssuerRemove, props: true, meta: { gate: 'signed-in', title: 'Remove an organisation – Trusted issuers', administrator: true } },
  { path: '/signing-identity', name: 'signing-identity', component: SigningIdentity, meta: { gate: 'signed-in', title: "Your trust's signing identity", administrator: true } },
  { path: '/signing-identity/rotate', name: 'signing-identity-rotate', component: SigningIdentityRotate, meta: { gate: 'signed-in', title: "Rotate the signing key – Your trust's signing identity", administrator: true } },
  { path: '/connections', name: 'connections', component: Connections, meta: { gate: 'signed-in', title: 'Connections to other systems', administrator: true } },
  { path: '/connections/add', name: 'connection-add', component: ConnectionAdd, meta: { gate: 'signed-in', title: 'Add a connection – Connections to other systems', administrator: true } },
  { path: '/connections/:connectionId', name: 'connection', component: ConnectionDetail, props: true, meta: { gate: 'signed-in', title: 'Connection – Connections to other systems', administrator: true } },
  { path: '/connections/:connectionId/edit', name: 'connection-edit', component: ConnectionEdit, props: true, meta: { gate: 'signed-in', title: 'Change the connection – Connections to other systems', administrator: true } },
  { path: '/connections/:connectionId/test', name: 'connection-test', component: ConnectionTest, props: true, meta: { gate: 'signed-in', title: 'Test the connection – Connections to other systems', administrator: true } },
  { path: '/connections/:connectionId/events-api-key', name: 'connection-new-key', component: ConnectionNewKey, props: true, meta: { gate: 'signed-in', title: 'Make a new event API key – Connections to other systems', administrator: true } },
  { path: '/connections/:connectionId/remove', name: 'connection-remove', component: ConnectionRemove, props: true, meta: { gate: 'signed-in', title: 'Remove a connection – Connections to other systems', administrator: true } },
  { path: '/backup', name: 'backup', component: Backup, meta: { gate: 'signed-in', title: 'Back up Staff Passport', administrator: true } },
  { path: '/audit', name: 'audit', component: AuditLog, meta: { gate: 'signed-in', title: 'Audit log', administrator: true } },

  { path: '/error', name: 'error', component: ErrorPage, meta: { gate: 'any', title: 'Sorry, there is a problem' } },
  { path: '/:unknown(.*)*', name: 'not-found', component: NotFound, meta: { gate: 'any', title: 'Page not found' } },
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

/** Where the user was when the session locked, to go back there after unlocking. */
let returnAfterUnlock: string | null = null;

/** The screen for an app state. */
export function screenFor(status: AppStatus): RouteLocationRaw {
  switch (status.state) {
    case 'needs-setup':
      return { name: 'setup-ods-code' };
    case 'signed-out':
      return { name: 'sign-in' };
    case 'locked':
      return { name: 'locked' };
    case 'unavailable':
      return { name: 'unavailable' };
    case 'signed-in':
      return status.user?.mustChangePassword ? { name: 'change-password' } : { name: 'home' };
  }
}

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.status) {
    try {
      await session.refresh();
    } catch (error) {
      if (to.name === 'error') return true;
      console.error('Could not read the app status', error);
      useNoticesStore().recordUnexpected(error instanceof Error ? error.message : 'Staff Passport did not answer.');
      return { name: 'error', replace: true };
    }
  }
  const status = session.status!;
  if (to.name === 'start') return { ...(screenFor(status) as object), replace: true };
  if (to.meta.gate === 'any') return true;
  if (to.meta.gate !== status.state) return { ...(screenFor(status) as object), replace: true };
  if (status.state === 'signed-in') {
    if (status.user?.mustChangePassword && to.name !== 'change-password') return { name: 'change-password', replace: true };
    if (to.meta.administrator && status.user?.role !== 'administrator') return { name: 'home', replace: true };
  }
  return true;
});

router.afterEach((to, from, failure) => {
  if (failure) return;
  document.title = `${to.meta.title} – Staff Passport`;
  // Move focus to the new page's heading so screen-reader and keyboard users start there, unless
  // the page put it on an error summary. Not on the first page: the skip link comes first there.
  if (from.matched.length === 0) return;
  void nextTick(() => {
    if (document.activeElement?.closest('.nhsuk-error-summary')) return;
    const heading = document.querySelector<HTMLElement>('main h1');
    if (!heading) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  });
});

/** Keep the screen in step with the app state, whatever changed it. */
export function followSession(): void {
  const session = useSessionStore();
  watch(
    () => session.status,
    (status, previous) => {
      if (!status) return;
      const current = router.currentRoute.value;
      // The first navigation is still under way (the status arrived from inside its guard): the
      // guard decides where it lands, so a reloaded page stays where it was.
      if (current.matched.length === 0) return;
      if (status.state === 'locked' && previous?.state === 'signed-in') returnAfterUnlock = current.fullPath;
      if (current.meta.gate === 'any' && current.name !== 'start') return;
      const fits =
        current.meta.gate === status.state &&
        !(status.state === 'signed-in' && status.user?.mustChangePassword && current.name !== 'change-password');
      if (fits) return;
      let target: RouteLocationRaw = screenFor(status);
      if (status.state === 'signed-in' && !status.user?.mustChangePassword && returnAfterUnlock && previous?.state === 'locked') {
        target = returnAfterUnlock;
      }
      returnAfterUnlock = status.state === 'locked' ? returnAfterUnlock : null;
      router.replace(target).catch((error: unknown) => console.error('Could not change screen', error));
    },
  );
}
