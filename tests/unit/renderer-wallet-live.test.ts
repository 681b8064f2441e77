// How the offer and request panels stay current: read again on each event about the thing shown
// (never on a timer), the latest read wins, the subscription ends with the screen; and the local
// countdown, which speaks once a minute and asks for one read when the time is up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import type { EventName, EventPayload } from '../../main/api/contract.ts';
import { useLiveRead, type EventFeed } from '../../renderer/composables/useLiveRead.ts';
import { useCountdown } from '../../renderer/composables/useCountdown.ts';

type Handler = (payload: unknown) => void;

/** Events as the door delivers them, with a count of who is listening. */
function fakeEvents() {
  const handlers = new Map<string, Set<Handler>>();
  const feed: EventFeed = {
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      const set = handlers.get(event) ?? new Set<Handler>();
      handlers.set(event, set);
      set.add(handler as Handler);
      return () => set.delete(handler as Handler);
    },
  };
  return {
    feed,
    emit: (event: EventName, payload: unknown) => {
      for (const handler of handlers.get(event) ?? []) handler(payload);
    },
    listening: (event: EventName) => handlers.get(event)?.size ?? 0,
  };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await nextTick();
};

describe('a live offer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads again only on events about it, and stops listening with the screen', async () => {
    const events = fakeEvents();
    let state = 'waiting';
    const read = vi.fn(async () => ({ id: 'offer-1', state }));
    const scope = effectScope();
    const live = scope.run(() => useLiveRead(read, { event: 'wallet.offerChanged', concerns: (changed) => changed.offerId === 'offer-1', onError: () => {}, events: events.feed }))!;
    await live.reload();
    expect(live.value.value).toEqual({ id: 'offer-1', state: 'waiting' });
    expect(live.loaded.value).toBe(true);
    expect(events.listening('wallet.offerChanged')).toBe(1);
    // No polling: time passing changes nothing.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(read).toHaveBeenCalledTimes(1);

    events.emit('wallet.offerChanged', { offerId: 'offer-2', passportId: 'p', state: 'scanned' });
    await flush();
    expect(read).toHaveBeenCalledTimes(1);

    state = 'scanned';
    events.emit('wallet.offerChanged', { offerId: 'offer-1', passportId: 'p', state: 'scanned' });
    await flush();
    expect(read).toHaveBeenCalledTimes(2);
    expect(live.value.value).toEqual({ id: 'offer-1', state: 'scanned' });

    scope.stop();
    expect(events.listening('wallet.offerChanged')).toBe(0);
  });

  it('keeps the latest answer when an older read arrives late', async () => {
    const events = fakeEvents();
    const answers: Array<(value: string) => void> = [];
    const read = () => new Promise<string>((resolve) => answers.push(resolve));
    const scope = effectScope();
    const live = scope.run(() => useLiveRead(read, { event: 'wallet.requestChanged', concerns: () => true, onError: () => {}, events: events.feed }))!;
    const first = live.reload();
    const second = live.reload();
    answers[1]!('scanned');
    await second;
    answers[0]!('waiting');
    await first;
    expect(live.value.value).toBe('scanned');
    // An answer from a button (cancelling) wins over reads still on their way.
    const third = live.reload();
    live.set('cancelled');
    answers[2]!('scanned');
    await third;
    expect(live.value.value).toBe('cancelled');
    scope.stop();
  });

  it('passes a failed read to the page', async () => {
    const events = fakeEvents();
    const failure = new Error('no answer');
    const onError = vi.fn();
    const scope = effectScope();
    const live = scope.run(() => useLiveRead(() => Promise.reject(failure), { event: 'wallet.offerChanged', concerns: () => true, onError, events: events.feed }))!;
    await live.reload();
    expect(onError).toHaveBeenCalledWith(failure);
    expect(live.loaded.value).toBe(false);
    scope.stop();
  });
});

describe('the countdown', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2025-03-04T14:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('shows seconds, speaks whole minutes, and asks for one read when the time is up', async () => {
    const expiresAt = ref('2025-03-04T14:01:05Z');
    const active = ref(true);
    const onEnd = vi.fn();
    const scope = effectScope();
    const countdown = scope.run(() => useCountdown(() => expiresAt.value, { active: () => active.value, onEnd }))!;
    expect(countdown.shown.value).toBe('Expires in 1 minute 5 seconds');
    expect(countdown.spoken.value).toBe('Expires in 1 minute');

    const spoken = new Set<string>();
    for (let second = 0; second < 64; second++) {
      await vi.advanceTimersByTimeAsync(1000);
      spoken.add(countdown.spoken.value);
    }
    expect(countdown.shown.value).toBe('Expires in 1 second');
    // Once a minute, not once a second.
    expect([...spoken]).toEqual(['Expires in 1 minute', 'Expires in less than a minute']);
    expect(onEnd).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(1000);
    expect(countdown.shown.value).toBe('Time is up');
    expect(onEnd).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onEnd).toHaveBeenCalledTimes(1);

    // The offer is over: the timer stops.
    active.value = false;
    await nextTick();
    expect(vi.getTimerCount()).toBe(0);
    scope.stop();
  });

  it('runs no timer once the screen has gone', () => {
    const scope = effectScope();
    scope.run(() => useCountdown(() => '2025-03-04T14:10:00Z', { active: () => true }));
    expect(vi.getTimerCount()).toBe(1);
    scope.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
