// One-off messages carried across a change of page: a success banner for the next page, or the
// unexpected error the error page explains.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface SuccessNotice {
  heading: string;
  text?: string;
}

export const useNoticesStore = defineStore('notices', () => {
  const success = ref<SuccessNotice | null>(null);
  const unexpected = ref<string | null>(null);

  function showOnNextPage(notice: SuccessNotice): void {
    success.value = notice;
  }

  /** The page that shows the notice takes it, so it is shown once. */
  function takeSuccess(): SuccessNotice | null {
    const notice = success.value;
    success.value = null;
    return notice;
  }

  function recordUnexpected(message: string): void {
    unexpected.value = message;
  }

  return { success, unexpected, showOnNextPage, takeSuccess, recordUnexpected };
});
