// The staff lists in a real browser: Identity and access (search, filters, paging, all in the
// address), Staff passports (Pending and Reviewed tabs), the header's staff search, and the Home
// counters that lead into the lists. People are created through the door, not through the screens.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { TRUST_NAME, type RunningApp, door, tabTo, checkPage, startSignedIn } from './support.ts';

let running: RunningApp;
test.afterEach(async () => {
  await running.stop();
});

const CSV_HEADINGS = 'First name,Last name,Date of birth,Email address,Mobile phone number,Oriel PIN,ESR assignment number';
const FIRST_NAMES = ['Ava', 'Noah', 'Mia', 'Leo', 'Isla', 'Jack', 'Ruby', 'Ethan', 'Zara', 'Finn', 'Lily', 'Adam', 'Chloe', 'Omar', 'Erin'];
const LAST_NAMES = ['Patel', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke'];

interface Person {
  firstName: string;
  lastName: string;
}

/** `count` people with ordinary names; none contains "smi", so a search for it finds only the named ones. */
function people(count: number, offset: number, named: Person[]): Person[] {
  const list: Person[] = [...named];
  for (let i = list.length; i < count; i++) {
    const n = offset + i;
    list.push({ firstName: FIRST_NAMES[n % FIRST_NAMES.length]!, lastName: LAST_NAMES[Math.floor(n / 3) % LAST_NAMES.length]! });
  }
  return list;
}

function csv(list: Person[], offset: number): string {
  const lines = list.map((person, i) => {
    const n = offset + i;
    const dateOfBirth = `${(n % 28) + 1}/${(n % 12) + 1}/${1970 + (n % 30)}`;
    const email = `${person.firstName}.${person.lastName}.${n}@nhs.net`.toLowerCase();
    const mobile = `07911 ${123400 + n}`;
    return [person.firstName, person.lastName, dateOfBirth, email, mobile, '', ''].join(',');
  });
  return [CSV_HEADINGS, ...lines].join('\n');
}

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Row = { id: string; firstName: string; lastName: string };

async function find(page: Page, list: string, search: string): Promise<Row> {
  const { rows } = await door<{ rows: Row[] }>(page, 'staff.list', { list, search, page: 1, pageSize: 25 });
  expect(rows, `exactly one ${search} in ${list}`).toHaveLength(1);
  return rows[0]!;
}

async function confirmIdentity(page: Page, search: string): Promise<void> {
  const row = await find(page, 'identity', search);
  const passport = await door<{ version: number; profile: { dateOfBirth: string } }>(page, 'staff.get', { passportId: row.id });
  const [year, month, day] = passport.profile.dateOfBirth.split('-');
  await door(page, 'staff.confirmIdentity', {
    passportId: row.id,
    version: passport.version,
    identity: {
      photo: { mediaType: 'image/png', base64: PNG_1X1 },
      firstName: row.firstName,
      lastName: row.lastName,
      dateOfBirth: { day: day!, month: month!, year: year! },
      legalGender: 'unspecified',
      nationality: 'British',
      address: { line1: '1 Park Row', town: 'Leeds', postcode: 'LS1 4AP' },
      document: { type: 'passport', number: '123456789', issuingCountry: 'United Kingdom', expiryDate: { day: '1', month: '1', year: String(new Date().getFullYear() + 5) } },
    },
  });
}

async function markAppointmentNeeded(page: Page, search: string): Promise<void> {
  const row = await find(page, 'identity', search);
  const { version } = await door<{ version: number }>(page, 'staff.get', { passportId: row.id });
  await door(page, 'staff.markAppointmentNeeded', { passportId: row.id, version });
}

async function addRegistration(page: Page, search: string, professionalBody: string, registrationNumber: string): Promise<void> {
  const row = await find(page, 'pending', search);
  const { version, profile } = await door<{ version: number; profile: Record<string, string | null> }>(page, 'staff.get', { passportId: row.id });
  const [year, month, day] = profile.dateOfBirth!.split('-');
  await door(page, 'staff.updateProfile', {
    passportId: row.id,
    version,
    profile: {
      firstName: profile.firstName,
      lastName: profile.lastName,
      dateOfBirth: { day, month, year },
      email: profile.email,
      mobile: profile.mobile,
      staffGroup: profile.staffGroup,
      employmentType: profile.employmentType,
      employmentStatus: profile.employmentStatus,
      professionalBody,
      registrationNumber,
    },
  });
}

/**
 * 60 invited people in two batches: 40 new-starter doctors (permanent) and 20 current nurses
 * (temporary movers). Then 3 need an appointment (2 nurses, 1 doctor) and 3 have their identity
 * confirmed (2 doctors, 1 nurse), so: identity list 57, invitations pending 54, pending list 3.
 */
async function seed(page: Page): Promise<void> {
  const doctors = people(40, 0, [
    { firstName: 'Amelia', lastName: 'Smith' },
    { firstName: 'Oliver', lastName: 'Smith' },
    { firstName: 'Grace', lastName: 'Smithson' },
    { firstName: 'Priya', lastName: 'Sharma' },
    { firstName: 'Tom', lastName: 'Baker' },
  ]);
  const nurses = people(20, 40, [
    { firstName: 'Harry', lastName: 'Goldsmith' },
    { firstName: 'Nia', lastName: 'Okafor' },
    { firstName: 'Rosa', lastName: 'Lopez' },
    { firstName: 'Ben', lastName: 'Carter' },
  ]);
  const first = await door<{ created: number; invalid: unknown[] }>(page, 'staff.import', {
    fileName: 'doctors.csv',
    content: csv(doctors, 0),
    batch: { staffGroup: 'medical-dental', jobRole: 'Foundation doctor', employmentType: 'permanent-or-fixed-term', employmentStatus: 'new-starter' },
  });
  expect(first.invalid).toEqual([]);
  expect(first.created).toBe(40);
  const second = await door<{ created: number; invalid: unknown[] }>(page, 'staff.import', {
    fileName: 'nurses.csv',
    content: csv(nurses, 40),
    batch: { staffGroup: 'nursing-midwifery-registered', employmentType: 'temporary-mover', employmentStatus: 'current-or-leaver' },
  });
  expect(second.invalid).toEqual([]);
  expect(second.created).toBe(20);

  await markAppointmentNeeded(page, 'Nia Okafor');
  await markAppointmentNeeded(page, 'Rosa Lopez');
  await markAppointmentNeeded(page, 'Tom Baker');
  await confirmIdentity(page, 'Oliver Smith');
  await confirmIdentity(page, 'Priya Sharma');
  await confirmIdentity(page, 'Ben Carter');
  await addRegistration(page, 'Priya Sharma', 'GMC', '7654321');
}

function count(page: Page): Locator {
  return page.getByTestId('result-count');
}

function names(page: Page): Locator {
  return page.getByRole('main').getByRole('table').locator('tbody tr td:first-child');
}

test('HR finds staff in the lists: search, filters, paging, tabs, header search and Home counters', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TRUST_NAME);
  await seed(page);

  // Home: the counters, each leading to its filtered list.
  await page.reload();
  await expect(page.getByTestId('invitations-pending-count')).toHaveText('54');
  await expect(page.getByTestId('appointments-to-complete-count')).toHaveText('3');
  await expect(page.getByTestId('awaiting-credentials-count')).toHaveText('3');
  await expect(page.getByTestId('identities-to-verify-count')).toHaveText('0');
  const menu = page.getByRole('navigation', { name: 'Menu' });
  await expect(menu.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await checkPage(page, 'lists-01-home');

  await page.getByRole('link', { name: 'Appointments to complete' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Identity and access');
  await expect(page).toHaveURL(/#\/identity-and-access\?status=appointment-needed$/);
  await expect(count(page)).toHaveText('Showing 1 to 3 of 3 records');
  await expect(page.getByLabel('Appointment needed')).toBeChecked();
  await expect(names(page)).toHaveText(['Tom Baker', 'Rosa Lopez', 'Nia Okafor']);
  await expect(menu.getByRole('link', { name: 'Identity and access' })).toHaveAttribute('aria-current', 'page');

  await menu.getByRole('link', { name: 'Home' }).click();
  await page.getByRole('link', { name: 'Invitations pending' }).click();
  await expect(count(page)).toHaveText('Showing 1 to 25 of 54 records');

  // The whole list, 25 at a time.
  await menu.getByRole('link', { name: 'Identity and access' }).click();
  await expect(count(page)).toHaveText('Showing 1 to 25 of 57 records');
  await expect(names(page)).toHaveCount(25);
  await expect(page.getByRole('table')).toContainText('Medical and Dental');
  await expect(page.getByRole('table')).toContainText('Invitation sent');
  await expect(page.getByRole('table')).toContainText('Invited');
  await checkPage(page, 'lists-02-identity-and-access');
  const firstPage = await names(page).allTextContents();

  const pagination = page.getByRole('navigation', { name: 'Pages of results' });
  await pagination.getByRole('link', { name: 'Next' }).click();
  await expect(count(page)).toHaveText('Showing 26 to 50 of 57 records');
  await expect(page).toHaveURL(/page=2/);
  await expect(names(page)).toHaveCount(25);
  const secondPage = await names(page).allTextContents();
  expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
  await expect(pagination.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
  // Only the current page is marked as current (a router link to the same screen would be too).
  await expect(pagination.locator('[aria-current]')).toHaveCount(1);
  await pagination.getByRole('link', { name: 'Page 3' }).click();
  await expect(count(page)).toHaveText('Showing 51 to 57 of 57 records');
  await expect(names(page)).toHaveCount(7);
  await expect(pagination.getByRole('link', { name: 'Next' })).toHaveCount(0);
  await page.goBack();
  await expect(count(page)).toHaveText('Showing 26 to 50 of 57 records');
  await expect(names(page)).toHaveText(secondPage);
  await checkPage(page, 'lists-03-identity-page-2');

  // Search by part of a name: finds the Smiths still in this list, nobody else.
  await page.getByLabel('Search by name').fill('smi');
  await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
  await expect(count(page)).toHaveText('Showing 1 to 3 of 3 records');
  await expect(names(page)).toHaveText(['Harry Goldsmith', 'Amelia Smith', 'Grace Smithson']);
  await expect(page).toHaveURL(/q=smi/);
  await page.getByLabel('Search by name').fill('zzz');
  await page.getByLabel('Search by name').press('Enter');
  await expect(page.getByText('No records match your search. Check the spelling or clear the filters.')).toBeVisible();
  await expect(page.getByRole('main').getByRole('table')).toHaveCount(0);
  await checkPage(page, 'lists-04-identity-no-match');
  await page.getByLabel('Search by name').fill('');
  await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
  await expect(count(page)).toHaveText('Showing 1 to 25 of 57 records');

  // Two filters combine (AND across filters, OR within one), survive a reload, and clear.
  await page.getByLabel('Temporary mover').check();
  await page.getByLabel('Invitation sent').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(count(page)).toHaveText('Showing 1 to 17 of 17 records');
  await expect(page.getByRole('table')).not.toContainText('Permanent or fixed term');
  await expect(page.getByRole('table')).not.toContainText('Appointment needed');
  await page.getByLabel('Appointment needed').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(count(page)).toHaveText('Showing 1 to 19 of 19 records');
  await expect(page).toHaveURL(/employmentType=temporary-mover/);
  // The filters live in the address: away and back again, they are still applied and ticked.
  await menu.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TRUST_NAME);
  await page.goBack();
  await expect(count(page)).toHaveText('Showing 1 to 19 of 19 records');
  await expect(page.getByLabel('Temporary mover')).toBeChecked();
  await expect(page.getByLabel('Appointment needed')).toBeChecked();
  await expect(page.getByLabel('Permanent or fixed term')).not.toBeChecked();
  await checkPage(page, 'lists-05-identity-filtered');
  await expect(page.getByRole('link', { name: 'Clear filters' })).not.toHaveAttribute('aria-current');
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(count(page)).toHaveText('Showing 1 to 25 of 57 records');
  await expect(page.getByLabel('Temporary mover')).not.toBeChecked();
  await expect(page.getByRole('link', { name: 'Clear filters' })).toHaveCount(0);

  // By keyboard alone, starting from the page heading: search, tick a filter, apply.
  await page.getByRole('heading', { level: 1 }).focus();
  await tabTo(page, page.getByLabel('Search by name'));
  await page.keyboard.type('smith');
  await tabTo(page, page.getByRole('main').getByRole('button', { name: 'Search', exact: true }));
  await page.keyboard.press('Enter');
  await expect(count(page)).toHaveText('Showing 1 to 3 of 3 records');
  await tabTo(page, page.getByLabel('Temporary mover'));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Apply filters' }));
  await page.keyboard.press('Enter');
  await expect(count(page)).toHaveText('Showing 1 of 1 record');
  await expect(names(page)).toHaveText(['Harry Goldsmith']);

  // Staff passports: Pending and Reviewed tabs.
  await menu.getByRole('link', { name: 'Staff passports' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff passports');
  await expect(page.getByRole('link', { name: 'Pending', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(count(page)).toHaveText('Showing 1 to 3 of 3 records');
  await expect(names(page)).toHaveText(['Ben Carter', 'Priya Sharma', 'Oliver Smith']);
  const sharma = page.getByRole('row', { name: /Priya Sharma/ });
  await expect(sharma).toContainText('GMC 7654321');
  await expect(sharma).toContainText('Credentials pending');
  await expect(page.getByRole('row', { name: /Ben Carter/ })).toContainText('None');
  await checkPage(page, 'lists-06-passports-pending');
  await page.getByLabel('Search by name or registration number').fill('76543');
  await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
  await expect(names(page)).toHaveText(['Priya Sharma']);
  await page.getByLabel('Search by name or registration number').fill('');
  await page.getByRole('main').getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByLabel('Nursing and Midwifery Registered').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(names(page)).toHaveText(['Ben Carter']);
  await page.getByRole('link', { name: 'Reviewed', exact: true }).click();
  await expect(page).toHaveURL(/#\/passports\/reviewed$/);
  await expect(page.getByRole('link', { name: 'Reviewed', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('There are no reviewed staff passports.')).toBeVisible();
  await expect(page.getByLabel('Active')).toBeVisible();
  await expect(page.getByLabel('Credentials pending')).toHaveCount(0);
  await expect(menu.getByRole('link', { name: 'Staff passports' })).toHaveAttribute('aria-current', 'page');
  await checkPage(page, 'lists-07-passports-reviewed');

  // Home's "awaiting credentials" counter leads to the Pending tab with the same count.
  await menu.getByRole('link', { name: 'Home' }).click();
  await page.getByRole('link', { name: 'Passports awaiting credentials' }).click();
  await expect(page).toHaveURL(/#\/passports\/pending\?status=credentials-pending$/);
  await expect(count(page)).toHaveText('Showing 1 to 3 of 3 records');

  // The header search looks in every list.
  await page.getByLabel('Search staff by name').fill('smith');
  await page.getByRole('button', { name: 'Search staff' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search results');
  await expect(count(page)).toHaveText('Showing 1 to 4 of 4 records for ‘smith’');
  await expect(page.getByRole('row', { name: /Amelia Smith/ })).toContainText('Identity and access');
  await expect(page.getByRole('row', { name: /Amelia Smith/ })).toContainText('Invitation sent');
  await expect(page.getByRole('row', { name: /Oliver Smith/ })).toContainText('Staff passports: Pending');
  await expect(page.getByRole('row', { name: /Oliver Smith/ })).toContainText('Credentials pending');
  await expect(page.getByLabel('Search staff by name')).toHaveValue('smith');
  await checkPage(page, 'lists-08-search-results');
  await page.getByRole('link', { name: 'Oliver Smith' }).click();
  await expect(page).toHaveURL(/#\/people\//);
  await expect(menu.getByRole('link', { name: 'Staff passports' })).toHaveAttribute('aria-current', 'true');
  await page.goBack();
  await expect(count(page)).toHaveText('Showing 1 to 4 of 4 records for ‘smith’');
});

test('a list keeps its search, filters and page when the page is loaded again', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TRUST_NAME);
  const created = await door<{ created: number }>(page, 'staff.import', {
    fileName: 'rotation.csv',
    content: csv(people(30, 0, []), 0),
    batch: { staffGroup: 'medical-dental', employmentType: 'temporary-mover', employmentStatus: 'new-starter' },
  });
  expect(created.created).toBe(30);
  await page.goto(`${new URL(running.url).origin}/#/identity-and-access?status=invitation-sent&employmentType=temporary-mover&page=2`);
  await expect(count(page)).toHaveText('Showing 26 to 30 of 30 records', { timeout: 2_000 });
  await page.reload();
  await expect(count(page)).toHaveText('Showing 26 to 30 of 30 records', { timeout: 2_000 });
  await expect(page.getByLabel('Invitation sent')).toBeChecked();
});
