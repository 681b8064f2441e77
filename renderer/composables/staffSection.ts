// Which part of the menu a staff member's own pages belong to: the list the user came from
// (Identity and access, or Staff passports), or the list the page says the record is in.
import { ref } from 'vue';

export type StaffSection = 'identity' | 'passports';

const section = ref<StaffSection>('identity');

export function currentStaffSection(): StaffSection {
  return section.value;
}

/** Called by the list screens, and by a person's page once it knows the record's list. */
export function markStaffSection(next: StaffSection): void {
  section.value = next;
}
