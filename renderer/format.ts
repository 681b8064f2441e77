// How values are written for HR staff: role names, dates and times, counts.
import type { Role } from '../main/api/contract.ts';

// The contract's ROLE_NAMES is a runtime value in main/; the renderer only imports types from
// there, so the names are checked against the Role type here instead.
const ROLE_NAMES = {
  administrator: 'Senior Portal Administrator',
  hr: 'HR user',
} as const satisfies Record<Role, string>;

export function roleName(role: Role | null | undefined): string {
  return role ? ROLE_NAMES[role] : '';
}

/** "a Senior Portal Administrator", "an HR user". */
export function roleWithArticle(role: Role): string {
  return `${role === 'hr' ? 'an' : 'a'} ${ROLE_NAMES[role]}`;
}

export const ROLE_DESCRIPTIONS = {
  hr: 'Day-to-day work on staff passports. Cannot manage HR users or settings.',
  administrator: 'Everything an HR user can do, plus managing HR users, settings, backups and the audit log.',
} as const satisfies Record<Role, string>;

const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "4 March 2025, 14:05" in the computer's time zone; the ISO text if it cannot be read. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "31 January 1990" for a YYYY-MM-DD date (a date of birth has no time zone). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : longDate.format(date);
}

const monthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** "March 2025" for a YYYY-MM month (a vaccination may be dated to the month only). */
export function formatMonth(isoMonth: string): string {
  const date = new Date(`${isoMonth.slice(0, 7)}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoMonth : monthYear.format(date);
}
