// The sandbox's population as the sandbox systems serve it: one generated person appears in every
// system under that system's own id and with that system's own view of their name (an LMS that
// knows a nickname, an occupational-health record still under a maiden name...). The generator
// (population.ts) makes it from a seed; the server (server.ts) only indexes and serves it.
import type { DBSCheckOutcome, CoreSkillsTraining, ClinicalTest, EmployeePersonalDetails, EmployeeRecordGet, Observation, Vaccination } from '../../main/systems/dsp-types.ts';

export type SandboxSystem = 'esr' | 'learning' | 'recruitment' | 'occupational-health';
export const SANDBOX_SYSTEMS: readonly SandboxSystem[] = ['esr', 'learning', 'recruitment', 'occupational-health'];

/** The two organisations every sandbox serves. Their staff are split between them. */
export const SANDBOX_ORGANISATIONS = [
  { odsCode: 'RHQ', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' },
  { odsCode: 'RCB', name: 'York and Scarborough Teaching Hospitals NHS Foundation Trust' },
] as const;
export type SandboxOrganisation = (typeof SANDBOX_ORGANISATIONS)[number]['odsCode'];

/** One person as one system knows them. */
export interface SystemEntry {
  /** The system's employee id: in ESR the 8-digit assignment number. */
  id: string;
  details: EmployeePersonalDetails;
  /** What get-employee-records returns (empty for systems that hold none for this person). */
  records: EmployeeRecordGet[];
  /** A leaver: records are still read, but adding one answers 409 conflict. */
  leaver: boolean;
}

/** The truth about one generated person, which the matching benchmark labels its set with. */
export interface Person {
  /** Index in the population: stable for a seed and size. */
  key: number;
  organisation: SandboxOrganisation;
  sex: 'female' | 'male';
  legalFirstName: string;
  middleNames: string | null;
  /** Current legal surname. */
  surname: string;
  /** Surname before a change (marriage, deed poll), when there was one. */
  previousSurname: string | null;
  /** What colleagues call them, when it differs from the legal first name. */
  knownAs: string | null;
  birthDate: string;
  email: string | null;
  gmcNumber: string | null;
  staffGroup: string;
  jobRole: string;
  /** How each system knows them; a person need not be in every system. */
  systems: Partial<Record<SandboxSystem, SystemEntry>>;
}

export interface Population {
  seed: number;
  size: number;
  people: Person[];
}

export type { DBSCheckOutcome, CoreSkillsTraining, ClinicalTest, Observation, Vaccination };
