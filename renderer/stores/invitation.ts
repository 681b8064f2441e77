// The answers of an invitation between its form and its check page, and the CSV file and batch
// choices between the upload page and its check page. Kept in memory only; cleared after success.
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { InputOf, OutputOf } from '../../main/api/contract.ts';
import type { ProfileView } from '../../main/staff/contract.ts';

/** A profile as typed into the form: every answer a string, the date in its three parts. */
export interface ProfileAnswers {
  firstName: string;
  lastName: string;
  dateOfBirth: { day: string; month: string; year: string };
  email: string;
  mobile: string;
  staffGroup: string;
  jobRole: string;
  employmentType: string;
  employmentStatus: string;
  orielPin: string;
  esrAssignmentNumber: string;
  professionalBody: string;
  registrationNumber: string;
}

/** The service's field names that are not also the id of their input. */
export const PROFILE_FIELD_IDS: Record<string, string> = { dateOfBirth: 'dateOfBirth-day' };

export function emptyProfile(): ProfileAnswers {
  return {
    firstName: '',
    lastName: '',
    dateOfBirth: { day: '', month: '', year: '' },
    email: '',
    mobile: '',
    staffGroup: '',
    jobRole: '',
    employmentType: '',
    employmentStatus: '',
    orielPin: '',
    esrAssignmentNumber: '',
    professionalBody: '',
    registrationNumber: '',
  };
}

/** "1990-01-31" as the parts a date input shows: 31, 1, 1990. */
export function datePartsOf(isoDate: string): ProfileAnswers['dateOfBirth'] {
  const [year = '', month = '', day = ''] = isoDate.slice(0, 10).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** A stored profile as the edit form shows it. */
export function answersFrom(profile: ProfileView): ProfileAnswers {
  return {
    firstName: profile.firstName,
    lastName: profile.lastName,
    dateOfBirth: datePartsOf(profile.dateOfBirth),
    email: profile.email,
    mobile: profile.mobileDisplay,
    staffGroup: profile.staffGroup,
    jobRole: profile.jobRole ?? '',
    employmentType: profile.employmentType,
    employmentStatus: profile.employmentStatus,
    orielPin: profile.orielPin ?? '',
    esrAssignmentNumber: profile.esrAssignmentNumber ?? '',
    professionalBody: profile.professionalBody ?? '',
    registrationNumber: profile.registrationNumber ?? '',
  };
}

export type ProfileInput = InputOf<'staff.invite'>['profile'];

export function profileInput(answers: ProfileAnswers): ProfileInput {
  return { ...answers, dateOfBirth: { ...answers.dateOfBirth } };
}

export interface BatchAnswers {
  staffGroup: string;
  jobRole: string;
  employmentType: string;
  employmentStatus: string;
}

export interface CheckedFile {
  fileName: string;
  content: string;
  batch: BatchAnswers;
  preview: OutputOf<'staff.previewImport'>;
}

export const useInvitationStore = defineStore('invitation', () => {
  const profile = reactive<ProfileAnswers>(emptyProfile());
  /** The profile as the service read it on "Continue", for the check page. */
  const checked = ref<ProfileView | null>(null);

  const batch = reactive<BatchAnswers>({ staffGroup: '', jobRole: '', employmentType: '', employmentStatus: '' });
  const file = ref<CheckedFile | null>(null);

  function clearProfile(): void {
    Object.assign(profile, emptyProfile());
    checked.value = null;
  }

  function clearImport(): void {
    Object.assign(batch, { staffGroup: '', jobRole: '', employmentType: '', employmentStatus: '' });
    file.value = null;
  }

  return { profile, checked, batch, file, clearProfile, clearImport };
});
