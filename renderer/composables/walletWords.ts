// How the wallet screens word things: offer and request states, what became of each offered
// credential, verification outcomes and HR's decisions, with the tag colour that goes with each
// (never colour alone: every tag says what it means in words). Also the credential types HR can
// ask for, how credentials and their claims are named, and how times left and transaction codes
// are written.
import type { OfferState, OfferedCredentialState, RequestState, SharedDecision } from '../../main/wallet/contract.ts';
import { CREDENTIAL_CATEGORIES, CREDENTIAL_TYPE_NAMES } from '../../main/staff/vocabulary.ts';
import { formatDate, formatDateTime, formatMonth } from '../format.ts';

type TagColour = 'green' | 'red' | 'yellow' | 'orange' | 'grey' | 'blue' | 'white' | 'aqua-green';
type CategoryCode = (typeof CREDENTIAL_CATEGORIES)[number]['value'];

export interface Tagged {
  label: string;
  tag: TagColour;
}

// The contract's state lists are runtime values in main/ (with zod); the renderer imports only
// types from there, so the lists it needs are checked against those types here instead.
const FINAL_OFFER_STATES = ['accepted', 'expired', 'cancelled', 'failed'] as const satisfies readonly OfferState[];
const FINAL_REQUEST_STATES = ['shared', 'expired', 'cancelled', 'failed'] as const satisfies readonly RequestState[];

export function isFinalOffer(state: OfferState): boolean {
  return (FINAL_OFFER_STATES as readonly OfferState[]).includes(state);
}

export function isFinalRequest(state: RequestState): boolean {
  return (FINAL_REQUEST_STATES as readonly RequestState[]).includes(state);
}

/** The offer is still waiting for the wallet: the QR code, the code and the countdown matter. */
export function isOpenOffer(state: OfferState): boolean {
  return state === 'waiting' || state === 'scanned';
}

export function isOpenRequest(state: RequestState): boolean {
  return state === 'waiting' || state === 'scanned';
}

/** Nothing more will come of it: HR can make the same offer again. */
export function isRenewableOffer(state: OfferState): boolean {
  return state === 'expired' || state === 'cancelled' || state === 'failed';
}

/** The credentials reached the staff member's wallet. */
export function isDeliveredOffer(state: OfferState): boolean {
  return state === 'collected' || state === 'accepted';
}

const OFFER_STATES: Record<OfferState, Tagged> = {
  waiting: { label: 'Waiting', tag: 'blue' },
  scanned: { label: 'Scanned', tag: 'yellow' },
  collected: { label: 'Collected', tag: 'aqua-green' },
  accepted: { label: 'Accepted', tag: 'green' },
  expired: { label: 'Expired', tag: 'grey' },
  cancelled: { label: 'Cancelled', tag: 'grey' },
  failed: { label: 'Failed', tag: 'red' },
};

export function offerStateTag(state: OfferState): Tagged {
  return OFFER_STATES[state];
}

/** What is happening now, in a sentence HR can read aloud. `who` is the staff member's first name. */
export function offerStateSentence(state: OfferState, who: string, reason: string | null): string {
  const because = reason ? ` ${withFullStop(reason)}` : '';
  switch (state) {
    case 'waiting':
      return `Waiting for ${who} to scan the QR code.`;
    case 'scanned':
      return `${who} has scanned the QR code. Waiting for their wallet to collect the credentials.`;
    case 'collected':
      return `${who}’s wallet has collected the credentials. Waiting for them to accept them in their wallet.`;
    case 'accepted':
      return `${who} has accepted the credentials in their wallet.`;
    case 'expired':
      return `This offer expired before ${who} collected the credentials.${because}`;
    case 'cancelled':
      return `This offer was cancelled.${because}`;
    case 'failed':
      return `This offer did not work.${because || ' Make a new offer and ask them to scan it again.'}`;
  }
}

const OFFERED_CREDENTIAL_STATES: Record<OfferedCredentialState, Tagged> = {
  offered: { label: 'Not collected yet', tag: 'blue' },
  issued: { label: 'Collected', tag: 'aqua-green' },
  accepted: { label: 'Accepted', tag: 'green' },
  deleted: { label: 'Deleted from the wallet', tag: 'orange' },
  failed: { label: 'Failed', tag: 'red' },
};

export function offeredCredentialTag(state: OfferedCredentialState): Tagged {
  return OFFERED_CREDENTIAL_STATES[state];
}

/** The wallet collected it (it may have been accepted since, deleted, or failed to store it): it was issued, and stands until revoked. */
export function wasIssued(state: OfferedCredentialState): boolean {
  return state !== 'offered';
}

const REQUEST_STATES: Record<RequestState, Tagged> = {
  waiting: { label: 'Waiting', tag: 'blue' },
  scanned: { label: 'Scanned', tag: 'yellow' },
  shared: { label: 'Shared', tag: 'green' },
  expired: { label: 'Expired', tag: 'grey' },
  cancelled: { label: 'Cancelled', tag: 'grey' },
  failed: { label: 'Failed', tag: 'red' },
};

export function requestStateTag(state: RequestState): Tagged {
  return REQUEST_STATES[state];
}

export function requestStateSentence(state: RequestState, who: string, reason: string | null, sharedCount: number): string {
  const because = reason ? ` ${withFullStop(reason)}` : '';
  switch (state) {
    case 'waiting':
      return `Waiting for ${who} to scan the QR code.`;
    case 'scanned':
      return `${who} has scanned the QR code. Waiting for them to choose what to share in their wallet.`;
    case 'shared':
      return sharedCount === 0 ? `${who}’s wallet answered, but shared no credentials.` : `${who} shared ${countOf(sharedCount, 'credential')}.`;
    case 'expired':
      return `This request expired before ${who} shared anything.${because}`;
    case 'cancelled':
      return `This request was cancelled.${because}`;
    case 'failed':
      return `This request did not work.${because || ' Ask again and ask them to scan the new QR code.'}`;
  }
}

type Outcome = 'pass' | 'fail' | 'unknown';

const OUTCOMES: Record<Outcome, Tagged> = {
  pass: { label: 'Verified', tag: 'green' },
  fail: { label: 'Failed checks', tag: 'red' },
  unknown: { label: 'Could not fully check', tag: 'orange' },
};

/** A shared credential's verification as a whole. */
export function outcomeTag(outcome: Outcome): Tagged {
  return OUTCOMES[outcome];
}

const CHECK_OUTCOMES: Record<Outcome, Tagged> = {
  pass: { label: 'Passed', tag: 'green' },
  fail: { label: 'Failed', tag: 'red' },
  unknown: { label: 'Not known', tag: 'orange' },
};

/** One check of a shared credential (signature, issuer, status...). */
export function checkOutcomeTag(outcome: Outcome): Tagged {
  return CHECK_OUTCOMES[outcome];
}

const DECISIONS: Record<SharedDecision, Tagged> = {
  pending: { label: 'Waiting for your decision', tag: 'yellow' },
  accepted: { label: 'Accepted', tag: 'green' },
  rejected: { label: 'Rejected', tag: 'red' },
};

export function decisionTag(decision: SharedDecision): Tagged {
  return DECISIONS[decision];
}

/** The catalogue's credential types, in the order HR sees them, with a hint where the name alone does not say enough. */
export const CREDENTIAL_TYPES: ReadonlyArray<{ value: string; label: string; category: CategoryCode; hint?: string }> = CREDENTIAL_TYPE_NAMES.map((type) => ({
  value: type.id,
  label: type.displayName,
  category: type.category,
  ...(type.id === 'core-skill' ? { hint: 'Every core skill they hold, one credential for each' } : {}),
}));

export function credentialTypeLabel(typeId: string): string {
  return CREDENTIAL_TYPES.find((type) => type.value === typeId)?.label ?? typeId;
}

/** The category code of a catalogue type; undefined for a type we do not know. */
export function credentialTypeCategory(typeId: string): CategoryCode | undefined {
  return CREDENTIAL_TYPES.find((type) => type.value === typeId)?.category;
}

/** A type's name as HR asks for it: "Core skills" (a person may hold several), but "Identity". */
export function askedTypeName(typeId: string, displayName: string): string {
  return CREDENTIAL_TYPE_NAMES.find((type) => type.id === typeId)?.askedName ?? displayName;
}

/**
 * What a request asks for, inside a sentence: "identity and core skills" ("their identity and
 * core skills" with `their`); the number of kinds when there are more than 3.
 */
export function askedContents(asked: ReadonlyArray<{ typeId: string; displayName: string }>, their = false): string {
  if (asked.length === 0) return 'credentials';
  if (asked.length > 3) return `${asked.length} kinds of credential`;
  const names = listInWords(asked.map((type) => inSentence(askedTypeName(type.typeId, type.displayName))));
  return their ? `their ${names}` : names;
}

type SharedLike = { displayName: string; about: string };

/** What tells a shared credential apart from others of its type ("Fire Safety – level 1"); null when nothing says more than its type. */
export function sharedCredentialAbout(credential: SharedLike): string | null {
  return credential.about !== credential.displayName ? credential.about : null;
}

/** How a shared credential is headed: "Core skill: Fire Safety – level 1", "Vaccination: Hepatitis B"; the type's name alone when nothing says more. */
export function sharedCredentialTitle(credential: SharedLike): string {
  const about = sharedCredentialAbout(credential);
  return about ? `${credential.displayName}: ${about}` : credential.displayName;
}

function isRealDay(isoDate: string): boolean {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(isoDate);
}

/**
 * A claim's value as HR reads it. The contract gives every value as the text the credential
 * carries: ISO dates and times are written as UK dates ("1 March 2025", "20 November 2026 at
 * 10:00"), a month alone as "March 2025", true and false as Yes and No.
 */
export function claimValueWords(value: string): string {
  // A day that does not exist (30 February) is shown as it came, not moved to another day.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isRealDay(value) ? formatDate(value) : value;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return isRealDay(value.slice(0, 10)) ? formatDateTime(value) : value;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return formatMonth(value);
  if (value === 'true') return 'Yes';
  if (value === 'false') return 'No';
  return value;
}

export interface CategoryGroup<T> {
  /** A stable key, usable in element ids. */
  key: string;
  label: string;
  items: T[];
}

/**
 * Items grouped by credential category, in the passport's order, then categories we do not know
 * (alphabetically), then "Other". `category` may be the category's code or its label: the
 * contract gives labels for shared credentials and records.
 */
export function groupByCategory<T>(items: readonly T[], categoryOf: (item: T) => string): Array<CategoryGroup<T>> {
  const groups = new Map<string, CategoryGroup<T>>();
  for (const item of items) {
    const raw = categoryOf(item);
    const known = CREDENTIAL_CATEGORIES.find((category) => category.value === raw || category.label === raw);
    const key = known ? known.value : `other-${slug(raw)}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: known ? known.label : raw || 'Other', items: [] };
      groups.set(key, group);
    }
    group.items.push(item);
  }
  const rank = (group: CategoryGroup<T>) => {
    const index = CREDENTIAL_CATEGORIES.findIndex((category) => category.value === group.key);
    if (index >= 0) return index;
    return group.label === 'Other' ? CREDENTIAL_CATEGORIES.length + 1 : CREDENTIAL_CATEGORIES.length;
  };
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'other';
}

/** "1 credential", "3 credentials". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "Identity", "Identity and Access key", "Identity, Right to work and DBS check". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A name inside a sentence: "identity", "access key", but "DBS check" keeps its capitals. */
export function inSentence(name: string): string {
  return /^[A-Z]{2}/.test(name) ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** What an offer holds, for its heading: the names when few and different, else the count. */
export function offerContents(displayNames: readonly string[]): string {
  const distinct = [...new Set(displayNames)];
  if (displayNames.length === 0) return 'credentials';
  if (distinct.length === displayNames.length && distinct.length <= 3) return listInWords(distinct.map(inSentence));
  return countOf(displayNames.length, 'credential');
}

/** "4 8 2 9 1 7": one character at a time, as it is read out and typed. */
export function spacedCode(code: string): string {
  return [...code.replace(/\s+/g, '')].join(' ');
}

const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;

/** "9 minutes 12 seconds", "45 seconds", "1 hour 5 minutes"; "0 seconds" once the time is up. */
export function timeLeftWords(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  if (minutes > 0) return rest > 0 ? `${unit(minutes, 'minute')} ${unit(rest, 'second')}` : unit(minutes, 'minute');
  return unit(rest, 'second');
}

/** The same to the minute, for screen readers (announced once a minute, not every second). */
export function minutesLeftWords(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds === 0) return 'no time';
  if (seconds < 60) return 'less than a minute';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  return unit(minutes, 'minute');
}

function withFullStop(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
