// The time left before an offer or request expires, counted down on this screen once a second.
// This is display only: the state itself comes from the main side (its events, and one read when
// the time is up, as the main side may close the offer only when asked).
import { computed, onScopeDispose, ref, watch } from 'vue';
import { minutesLeftWords, timeLeftWords } from './walletWords.ts';

export interface CountdownOptions {
  /** Whether the countdown matters now (the offer is still open); the timer runs only then. */
  active: () => boolean;
  /** Called once when the time runs out while active. */
  onEnd?: () => void;
  /** For tests. */
  now?: () => number;
}

export function useCountdown(expiresAt: () => string | null | undefined, options: CountdownOptions) {
  const clock = options.now ?? Date.now;
  const now = ref(clock());
  let timer: ReturnType<typeof setInterval> | null = null;
  /** The expiry time onEnd was called for: once for each, however often the offer is read again. */
  let endedFor: string | null = null;

  const secondsLeft = computed<number | null>(() => {
    const at = expiresAt();
    if (!at) return null;
    const ends = Date.parse(at);
    if (Number.isNaN(ends)) return null;
    return Math.max(0, Math.ceil((ends - now.value) / 1000));
  });
  /** "Expires in 9 minutes 12 seconds", changing every second: shown, not announced. */
  const shown = computed(() => (secondsLeft.value === null ? '' : secondsLeft.value > 0 ? `Expires in ${timeLeftWords(secondsLeft.value)}` : 'Time is up'));
  /** "Expires in 9 minutes": changes once a minute, for an aria-live region. */
  const spoken = computed(() => (secondsLeft.value === null ? '' : secondsLeft.value > 0 ? `Expires in ${minutesLeftWords(secondsLeft.value)}` : 'Time is up'));

  function tick(): void {
    now.value = clock();
    const at = expiresAt() ?? null;
    if (at !== null && endedFor !== at && secondsLeft.value === 0) {
      endedFor = at;
      options.onEnd?.();
    }
  }

  function stop(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  watch(
    [options.active, expiresAt],
    ([active]) => {
      stop();
      if (!active) return;
      tick();
      timer = setInterval(tick, 1000);
    },
    { immediate: true },
  );
  onScopeDispose(stop);

  return { secondsLeft, shown, spoken };
}
