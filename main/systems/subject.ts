// What a passport says about the person, in the shape the matcher compares with a system's
// records: the legal names of a confirmed identity check where there is one, and the names HR
// invited them under as the name they go by or a previous surname when those differ.
import type { MatchSubject } from '../matching/types.ts';
import type { PassportView } from '../staff/contract.ts';

const differs = (a: string, b: string) => a.trim().toLowerCase() !== b.trim().toLowerCase();

export function matchSubjectOf(passport: Pick<PassportView, 'profile' | 'identityCheck'>): MatchSubject {
  const { profile, identityCheck: check } = passport;
  if (!check) {
    return { firstName: profile.firstName, surname: profile.lastName, birthDate: profile.dateOfBirth, email: profile.email || null };
  }
  return {
    firstName: check.firstName,
    middleNames: check.middleNames,
    surname: check.lastName,
    previousSurname: differs(profile.lastName, check.lastName) ? profile.lastName : null,
    knownAs: differs(profile.firstName, check.firstName) ? profile.firstName : null,
    birthDate: check.dateOfBirth,
    email: profile.email || null,
  };
}
