// What the main side says about the app and the signed-in user, kept current by the replies to
// session operations and by the `session.changed` event (the main side locks after inactivity).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppStatus, InputOf } from '../../main/api/contract.ts';
import { api } from '../api/client.ts';

const HEARTBEAT_EVERY_MS = 60_000;

export const useSessionStore = defineStore('session', () => {
  const status = ref<AppStatus | null>(null);
  /** The user locked the session themselves (rather than it locking after inactivity). */
  const lockedOnRequest = ref(false);
  let lastHeartbeatAt = 0;
  let heartbeatInFlight = false;
  let listening = false;

  const state = computed(() => status.value?.state ?? null);
  const user = computed(() => (status.value?.state === 'signed-in' || status.value?.state === 'locked' ? status.value.user : null));
  const trust = computed(() => status.value?.trust ?? null);
  const isAdministrator = computed(() => user.value?.role === 'administrator');
  const passwordPolicy = computed(() => status.value?.passwordPolicy ?? '');

  function accept(next: AppStatus): AppStatus {
    if (next.state !== 'locked') lockedOnRequest.value = false;
    status.value = next;
    if (next.state === 'signed-in') lastHeartbeatAt = Date.now();
    return next;
  }

  async function refresh(): Promise<AppStatus> {
    return accept(await api.call('app.status', {}));
  }

  async function signIn(input: InputOf<'session.signIn'>): Promise<AppStatus> {
    return accept(await api.call('session.signIn', input));
  }

  async function unlock(input: InputOf<'session.unlock'>): Promise<AppStatus> {
    return accept(await api.call('session.unlock', input));
  }

  /** Lock now, as when leaving the desk: the locked screen follows from the new state. */
  async function lock(): Promise<AppStatus> {
    const next = await api.call('session.lock', {});
    lockedOnRequest.value = next.state === 'locked';
    return accept(next);
  }

  async function signOut(): Promise<AppStatus> {
    return accept(await api.call('session.signOut', {}));
  }

  async function changePassword(input: InputOf<'session.changePassword'>): Promise<AppStatus> {
    return accept(await api.call('session.changePassword', input));
  }

  /** Tell the main side the user is still working: at most once a minute, never awaited by callers. */
  function noteActivity(): void {
    if (status.value?.state !== 'signed-in' || heartbeatInFlight) return;
    const now = Date.now();
    if (now - lastHeartbeatAt < HEARTBEAT_EVERY_MS) return;
    lastHeartbeatAt = now;
    heartbeatInFlight = true;
    api
      .call('session.heartbeat', {})
      .catch((error: unknown) => {
        // A refused heartbeat means the session locked or ended: the session-refused hook
        // below refreshes the status; anything else is only worth a log line.
        console.warn('The activity heartbeat was not accepted', error);
      })
      .finally(() => {
        heartbeatInFlight = false;
      });
  }

  /** Subscribe once to what the main side pushes. */
  function listen(): void {
    if (listening) return;
    listening = true;
    api.on('session.changed', (next) => {
      accept(next);
    });
    api.onSessionRefused(() => {
      refresh().catch((error: unknown) => console.error('Could not read the app status', error));
    });
  }

  return {
    status,
    state,
    user,
    trust,
    isAdministrator,
    passwordPolicy,
    lockedOnRequest,
    refresh,
    signIn,
    unlock,
    lock,
    signOut,
    changePassword,
    noteActivity,
    listen,
  };
});
