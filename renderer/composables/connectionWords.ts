// How the authoritative-systems screens word things: kinds, operations, health, test steps, match
// bands and comparison levels, with the tag colour that goes with each (never colour alone: every
// tag says what it means in words, and the comparison levels carry a symbol too).
import type { CandidateView, ConnectionView } from '../../main/systems/contract.ts';
import { CONNECTION_KINDS, CONNECTION_OPERATIONS, MATCH_BANDS, type ConnectionKind, type ConnectionOperation } from '../../main/systems/vocabulary.ts';

type Health = ConnectionView['health'];
type Comparison = CandidateView['comparisons'][number];
type TagColour = 'green' | 'red' | 'yellow' | 'orange' | 'grey' | 'blue' | 'white';

export interface Tagged {
  label: string;
  tag: TagColour;
}

export function kindLabel(kind: ConnectionKind): string {
  return CONNECTION_KINDS.find((entry) => entry.code === kind)?.label ?? kind;
}

export function operationLabel(operation: ConnectionOperation): string {
  return CONNECTION_OPERATIONS.find((entry) => entry.code === operation)?.label ?? operation;
}

/** What a new connection of each kind is usually allowed to do; ESR takes no records from us. */
export function defaultOperations(kind: ConnectionKind | ''): ConnectionOperation[] {
  const read: ConnectionOperation[] = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records'];
  if (kind === 'learning' || kind === 'recruitment' || kind === 'occupational-health') return [...read, 'add-employee-record'];
  return read;
}

const HEALTH: Record<Health['state'], Tagged> = {
  pass: { label: 'Working', tag: 'green' },
  warn: { label: 'Not working properly', tag: 'orange' },
  fail: { label: 'Not working', tag: 'red' },
  unknown: { label: 'Not checked yet', tag: 'grey' },
};

export function healthTag(health: Health): Tagged {
  return HEALTH[health.state];
}

const STEPS: Record<'status' | 'token' | 'search', { label: string; what: string }> = {
  status: { label: 'Status check', what: 'Is the system answering?' },
  token: { label: 'Sign-in with the connection key', what: 'Does the system accept this connection’s key and client ID?' },
  search: { label: 'Test search', what: 'May Staff Passport search for staff? (The search is for nobody real.)' },
};

export function stepWords(step: keyof typeof STEPS): { label: string; what: string } {
  return STEPS[step];
}

const OUTCOMES: Record<'pass' | 'fail' | 'skipped', Tagged> = {
  pass: { label: 'Passed', tag: 'green' },
  fail: { label: 'Failed', tag: 'red' },
  skipped: { label: 'Not tried', tag: 'grey' },
};

export function outcomeTag(outcome: keyof typeof OUTCOMES): Tagged {
  return OUTCOMES[outcome];
}

const BAND_TAGS: Record<CandidateView['band'], TagColour> = { strong: 'green', possible: 'yellow', weak: 'grey' };

export function bandTag(band: CandidateView['band']): Tagged {
  return { label: MATCH_BANDS.find((entry) => entry.code === band)?.label ?? band, tag: BAND_TAGS[band] };
}

const LEVELS: Record<Comparison['level'], Tagged & { symbol: string }> = {
  exact: { label: 'Matches', tag: 'green', symbol: '✓' },
  close: { label: 'Nearly matches', tag: 'yellow', symbol: '≈' },
  different: { label: 'Does not match', tag: 'red', symbol: '✗' },
  missing: { label: 'Cannot compare', tag: 'grey', symbol: '–' },
};

export function levelTag(level: Comparison['level']): Tagged & { symbol: string } {
  return LEVELS[level];
}

/** "3 details match, 1 nearly matches and 1 does not match": the comparison in one line. */
export function comparisonSummary(comparisons: readonly Comparison[]): string {
  const count = (level: Comparison['level']) => comparisons.filter((row) => row.level === level).length;
  const parts: string[] = [];
  const exact = count('exact');
  const close = count('close');
  const different = count('different');
  const missing = count('missing');
  if (exact === 0 && close === 0 && different > 0) return missing > 0 ? `None of the details match, and ${missing} cannot be compared` : 'None of the details match';
  if (exact > 0) parts.push(`${exact} ${exact === 1 ? 'detail matches' : 'details match'}`);
  if (close > 0) parts.push(`${close} nearly ${close === 1 ? 'matches' : 'match'}`);
  if (different > 0) parts.push(`${different} ${different === 1 ? 'does' : 'do'} not match`);
  if (missing > 0) parts.push(`${missing} cannot be compared`);
  if (parts.length === 0) return 'No details to compare';
  const text = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return text[0]!.toUpperCase() + text.slice(1);
}
