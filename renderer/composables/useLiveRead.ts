// One thing read from the main side and read again whenever the main side says it changed (an
// event that concerns it), never on a timer. Only the latest read counts: an older answer that
// arrives late is dropped. The subscription ends with the component (or effect scope).
// The events come from `api.on`, passed in: this file stays free of the door (and of the DOM), so
// that it is tested on its own.
import { onScopeDispose, ref, type Ref } from 'vue';
import type { EventName, EventPayload } from '../../main/api/contract.ts';

/** The part of ApiClient this needs. */
export interface EventFeed {
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

export interface LiveReadOptions<E extends EventName> {
  event: E;
  /** Whether an event is about the thing shown. */
  concerns: (payload: EventPayload<E>) => boolean;
  onError: (error: unknown) => void;
  /** Where the events come from: `api`. */
  events: EventFeed;
}

export function useLiveRead<T, E extends EventName>(read: () => Promise<T>, options: LiveReadOptions<E>) {
  const value = ref<T | null>(null) as Ref<T | null>;
  /** A read has answered at least once. */
  const loaded = ref(false);
  let latest = 0;

  async function reload(): Promise<void> {
    const reading = ++latest;
    try {
      const next = await read();
      if (reading !== latest) return;
      value.value = next;
      loaded.value = true;
    } catch (error) {
      if (reading === latest) options.onError(error);
    }
  }

  /** An answer from elsewhere (cancelling, say) replaces the value; reads still on their way are dropped. */
  function set(next: T): void {
    latest++;
    value.value = next;
    loaded.value = true;
  }

  const stop = options.events.on(options.event, (payload) => {
    if (options.concerns(payload)) void reload();
  });
  onScopeDispose(stop);

  return { value, loaded, reload, set };
}
