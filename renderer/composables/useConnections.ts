// The connections to authoritative systems and their health, kept current while a screen shows
// them: read once, and again whenever the main side says a status check changed its result.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import type { ConnectionView } from '../../main/systems/contract.ts';
import { api } from '../api/client.ts';
import type { FormErrors } from './useErrors.ts';

export type Connection = ConnectionView;

/** A system that is not working, or says it is not working properly. */
export const isFailing = (connection: Connection): boolean => connection.health.state === 'fail' || connection.health.state === 'warn';

export function useConnections(form: FormErrors, options: { live?: boolean } = {}) {
  const connections = ref<Connection[] | null>(null);
  const failing = computed(() => (connections.value ?? []).filter(isFailing));
  let latest = 0;

  async function load(): Promise<void> {
    const request = ++latest;
    try {
      const { connections: loaded } = await api.call('connections.list', {});
      // An older answer arriving after a newer one would show stale health.
      if (request === latest) connections.value = loaded;
    } catch (error) {
      if (request === latest) form.fromError(error);
    }
  }

  let stopListening: (() => void) | null = null;
  onMounted(() => {
    void load();
    if (options.live !== false) stopListening = api.on('systems.healthChanged', () => void load());
  });
  onBeforeUnmount(() => stopListening?.());

  return { connections, failing, load };
}

/**
 * One connection, for the pages about it: read on mount (then handed to `then`, to fill a form),
 * with `missing` once it is known there is no such connection.
 */
export function useConnection(connectionId: () => string, form: FormErrors, then?: (found: Connection) => void) {
  const connection = ref<Connection | null>(null);
  const loaded = ref(false);
  const missing = computed(() => loaded.value && connection.value === null);

  async function load(): Promise<Connection | null> {
    const { connections } = await api.call('connections.list', {});
    connection.value = connections.find((entry) => entry.id === connectionId()) ?? null;
    loaded.value = true;
    return connection.value;
  }

  onMounted(async () => {
    try {
      const found = await load();
      if (found) then?.(found);
    } catch (error) {
      form.fromError(error);
    }
  });

  return { connection, loaded, missing, load };
}
