// The words of the authoritative-systems screens, as data: plain TypeScript with no imports, so
// the renderer can use it as well as the main side.

export const CONNECTION_KINDS = [
  { code: 'esr', label: 'ESR' },
  { code: 'learning', label: 'Learning management system' },
  { code: 'recruitment', label: 'Recruitment system' },
  { code: 'occupational-health', label: 'Occupational health system' },
  { code: 'other', label: 'Other system' },
] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number]['code'];

/** The operations a connection can be enabled for; the open status check is always allowed. */
export const CONNECTION_OPERATIONS = [
  { code: 'search-for-employee', label: 'Search for an employee' },
  { code: 'get-employee-personal-details', label: 'Get personal details' },
  { code: 'get-employee-records', label: 'Get records' },
  { code: 'add-employee-record', label: 'Add a record' },
] as const;
export type ConnectionOperation = (typeof CONNECTION_OPERATIONS)[number]['code'];

/** How HR reads a candidate's score band. */
export const MATCH_BANDS = [
  { code: 'strong', label: 'Strong match' },
  { code: 'possible', label: 'Possible match' },
  { code: 'weak', label: 'Weak match' },
] as const;
