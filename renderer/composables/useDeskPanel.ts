// What the offer and request panels share: reading the thing shown only when it belongs to this
// staff member, and keeping keyboard focus where people are as the page changes under them.
import { nextTick, onMounted, watch, type Ref } from 'vue';
import { isDoorError } from '../api/client.ts';
import { focusHeading } from './useHeadingFocus.ts';

/** What `read` finds when it is this passport's; null when there is none, or it is someone else's. */
export async function readOwned<T extends { passportId: string }>(passportId: string, read: () => Promise<T>): Promise<T | null> {
  try {
    const loaded = await read();
    // An offer or request is shown only on its own staff member's page.
    return loaded.passportId === passportId ? loaded : null;
  } catch (error) {
    if (isDoorError(error) && (error.code === 'not-found' || error.code === 'invalid-input')) return null;
    throw error;
  }
}

/**
 * Loads the panel and starts keyboard and screen-reader users at its heading (which arrives with
 * what was read); when the QR code, link and buttons go (the wallet answered, or the time ran
 * out), focus that was on one of them would fall to the page, so it goes to the state instead.
 */
export function useDeskPanel(open: Ref<boolean>, stateArea: Ref<HTMLElement | null>, load: () => Promise<void>): { focusState(): Promise<void> } {
  watch(open, async (now, before) => {
    if (!before || now) return;
    await nextTick();
    if (!document.activeElement || document.activeElement === document.body) stateArea.value?.focus();
  });

  onMounted(async () => {
    await load();
    await nextTick();
    if (!document.activeElement?.closest('.nhsuk-error-summary, form')) await focusHeading();
  });

  async function focusState(): Promise<void> {
    await nextTick();
    stateArea.value?.focus();
  }

  return { focusState };
}
