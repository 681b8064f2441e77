// Pages whose heading arrives with their data: once it is there, start keyboard and screen-reader
// users on it (the router's own focus found no heading yet), unless they are already in a form or
// on an error summary. Also used when a page moves on to its next step without changing route.
import { nextTick, watch } from 'vue';

export async function focusHeading(): Promise<void> {
  await nextTick();
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

export function useHeadingFocusWhenLoaded(loaded: () => boolean): void {
  const stop = watch(
    loaded,
    async (now) => {
      if (!now) return;
      stop();
      await nextTick();
      if (document.activeElement?.closest('.nhsuk-error-summary, form')) return;
      await focusHeading();
    },
    { flush: 'post' },
  );
}
