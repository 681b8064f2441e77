// The staff passport journeys in a real browser: invite one person by form (by keyboard alone) and
// five by CSV; find them in the lists; resend; delete one and invite the same email again; confirm
// one identity face to face and see the passport in Credentials pending; decline one; edit a
// profile and see the change in the history. Also the invite form's answers to bad input.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADMIN, expectAccessible, keepScreenshot, type RunningApp, startSignedIn } from './support.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const FACE_PHOTO = `${FIXTURES}face.png`;
const FIVE_STAFF = `${FIXTURES}five-staff.csv`;

let running: RunningApp;
test.afterEach(async () => {
  await running.stop();
});

async function start(page: Page): Promise<string> {
  running = await startSignedIn(page);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return new URL(running.url).origin;
}

const problem = (page: Page) => page.getByRole('alert').filter({ hasText: 'There is a problem' });
const success = (page: Page) => page.locator('.nhsuk-notification-banner--success');
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** Presses Tab until the element matching `selector` has focus: proof it is reachable by keyboard. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await page.locator(`${selector}:focus`).count()) > 0) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Could not reach ${selector} with the Tab key`);
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Tabs into a radio group (none chosen yet), chooses the first, then moves down to the one wanted. */
async function chooseRadio(page: Page, groupId: string, index: number): Promise<void> {
  await tabTo(page, `#${groupId}`);
  await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
}

async function openFromList(page: Page, origin: string, list: 'identity' | 'pending', search: string, name: string): Promise<void> {
  if (list === 'identity') {
    await page.goto(`${origin}/#/identity-and-access`);
    await page.getByLabel('Search by name', { exact: true }).fill(search);
  } else {
    await page.goto(`${origin}/#/passports/pending`);
    await page.getByLabel('Search by name or registration number', { exact: true }).fill(search);
  }
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name, exact: true }).click();
  await expect(h1(page)).toHaveText(name);
}

async function inviteByForm(page: Page, origin: string, person: { first: string; last: string; day: string; month: string; year: string; email: string; mobile: string }): Promise<void> {
  await page.goto(`${origin}/#/identity-and-access/invite`);
  await page.getByLabel('First name').fill(person.first);
  await page.getByLabel('Last name').fill(person.last);
  await page.getByLabel('Day').fill(person.day);
  await page.getByLabel('Month').fill(person.month);
  await page.getByLabel('Year').fill(person.year);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Mobile phone number').fill(person.mobile);
  await page.getByLabel('Medical and Dental').check();
  await page.getByLabel('Temporary mover').check();
  await page.getByLabel('New starter').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(h1(page)).toHaveText('Check their details');
  await page.getByRole('button', { name: 'Yes, create this passport' }).click();
  await expect(success(page)).toContainText(`Invitation sent to ${person.first} ${person.last} by email and text message`);
}

test('the invite form refuses bad answers, each with its message in the error summary', async ({ page }) => {
  const origin = await start(page);
  await page.goto(`${origin}/#/identity-and-access/invite`);
  await expect(h1(page)).toHaveText('Invite a staff member');

  // Nothing answered: every required question is named.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(problem(page)).toContainText('Enter their first name');
  await expect(problem(page)).toContainText('Select their staff group');
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();

  await page.getByLabel('First name').fill('J@ne');
  await page.getByLabel('Last name').fill('Smith');
  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill('1990');
  await page.getByLabel('Email address').fill('jane.smith@');
  await page.getByLabel('Mobile phone number').fill('07911 12345A');
  await page.getByLabel('Nursing and Midwifery Registered').check();
  await page.getByLabel('Permanent or fixed term').check();
  await page.getByLabel('Current employee or leaver').check();
  await page.getByLabel('ESR assignment number (optional)').fill('1234');
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = problem(page);
  await expect(summary).toContainText('First name must only include letters, spaces, hyphens and apostrophes');
  await expect(summary).toContainText('Date of birth must be a real date');
  await expect(summary).toContainText('Enter an email address in the correct format, like name@example.com');
  await expect(summary).toContainText('Mobile phone number must only include numbers, spaces and a + at the start');
  await expect(summary).toContainText('ESR assignment number must be 8 numbers, like 12345678');
  await expect(summary).not.toContainText('staff group');
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  // The same message beside the field, and the summary's link lands on it.
  await expect(page.locator('#email-error')).toContainText('Enter an email address in the correct format');
  await summary.getByRole('link', { name: 'Date of birth must be a real date' }).click();
  await expect(page.locator('#dateOfBirth-day')).toBeFocused();
  await expect(page).toHaveTitle(/^Error: /);
  await expectAccessible(page, 'invite-errors');
  await keepScreenshot(page, 'staff-01-invite-errors');

  // Under 16.
  await page.getByLabel('First name').fill('Jane');
  await page.getByLabel('Day').fill('1');
  await page.getByLabel('Month').fill('1');
  await page.getByLabel('Year').fill(String(new Date().getFullYear() - 10));
  await page.getByLabel('Email address').fill('jane.smith@nhs.net');
  await page.getByLabel('Mobile phone number').fill('07700 900123');
  await page.getByLabel('ESR assignment number (optional)').fill('');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(summary).toContainText('They must be 16 or older');
  // A drama number is not a real mobile.
  await expect(summary).toContainText('Enter a mobile phone number, like 07911 123456');
  await expect(summary).not.toContainText('First name');
});

test('invite by form and by CSV, resend, delete and invite again, confirm an identity, decline, edit a profile', async ({ page }) => {
  test.setTimeout(240_000);
  const origin = await start(page);

  // ---- One person by form, by keyboard alone ----
  await page.goto(`${origin}/#/identity-and-access`);
  await page.getByRole('link', { name: 'Invite a staff member' }).focus();
  await page.keyboard.press('Enter');
  await expect(h1(page)).toHaveText('Invite a staff member');
  await expectAccessible(page, 'invite');
  await typeInto(page, '#firstName', 'Jane');
  await typeInto(page, '#lastName', 'Smith');
  await typeInto(page, '#dateOfBirth-day', '15');
  await typeInto(page, '#dateOfBirth-month', '6');
  await typeInto(page, '#dateOfBirth-year', '1990');
  await typeInto(page, '#email', 'jane.smith@nhs.net');
  await typeInto(page, '#mobile', '07911 123456');
  await chooseRadio(page, 'staffGroup', 7);
  await typeInto(page, '#jobRole', 'Staff nurse');
  await chooseRadio(page, 'employmentType', 0);
  await chooseRadio(page, 'employmentStatus', 1);
  await typeInto(page, '#esrAssignmentNumber', '12345678');
  await keepScreenshot(page, 'staff-02-invite-form');
  await tabTo(page, 'button[type="submit"]');
  await page.keyboard.press('Enter');

  await expect(h1(page)).toHaveText('Check their details');
  const answers = page.locator('.nhsuk-summary-list');
  await expect(answers).toContainText('15 June 1990');
  await expect(answers).toContainText('Nursing and Midwifery Registered');
  await expect(answers).toContainText('New starter');
  await expectAccessible(page, 'invite-check');
  await keepScreenshot(page, 'staff-03-invite-check');
  // Change an answer: the form keeps every other answer.
  await page.getByRole('link', { name: 'Change email address' }).click();
  await expect(page.getByLabel('Email address')).toBeFocused();
  await expect(page.getByLabel('First name')).toHaveValue('Jane');
  await expect(page.getByLabel('Nursing and Midwifery Registered')).toBeChecked();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('jane.smith@nhs.uk');
  await page.keyboard.press('Enter');
  await expect(h1(page)).toHaveText('Check their details');
  await expect(answers).toContainText('jane.smith@nhs.uk');
  await page.getByRole('button', { name: 'Yes, create this passport' }).focus();
  await page.keyboard.press('Enter');

  await expect(h1(page)).toHaveText('Jane Smith');
  await expect(success(page)).toContainText('Invitation sent to Jane Smith by email and text message');
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Invitation sent');
  await expect(page.getByTestId('what-is-needed')).toContainText('Check their identity');
  await expect(page.getByText('Email to jane.smith@nhs.uk')).toBeVisible();
  await expect(page.getByText('Text message to 07911 123456')).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Invited by email and text message');
  await expectAccessible(page, 'person-invited');
  await keepScreenshot(page, 'staff-04-person-invited');

  // ---- Resend ----
  await page.getByRole('button', { name: 'Resend invitation' }).click();
  await expect(success(page)).toContainText('Invitation sent again to Jane Smith');
  await expect(page.getByRole('table').locator('tbody tr').first()).toContainText('Invitation sent again by email and text message');
  await expect(page.getByText('Email to jane.smith@nhs.uk')).toHaveCount(2);

  // ---- Five by CSV ----
  await page.goto(`${origin}/#/identity-and-access/import`);
  await expect(h1(page)).toHaveText('Invite staff from a CSV file');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /Download the CSV template/ }).click();
  const template = await downloading;
  expect(template.suggestedFilename()).toBe('staff-passport-invitations-template.csv');
  const templateText = readFileSync((await template.path())!, 'utf8');
  expect(templateText).toContain('First name,Last name,Date of birth,Email address,Mobile phone number,Oriel PIN,ESR assignment number');
  expect(templateText).toContain("Amina,O'Neill-Khan,31/01/1990");

  // Nothing chosen: the batch questions and the file are all named.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(problem(page)).toContainText('Select the staff group for everyone in the file');
  await expect(problem(page)).toContainText('Select a CSV file');
  await page.getByLabel('Medical and Dental').check();
  await page.getByLabel('Job role (optional)').fill('Foundation doctor');
  await page.getByLabel('Temporary mover').check();
  await page.getByLabel('New starter').check();
  // Too large: refused before anything is read or sent.
  await page.getByLabel('CSV file').setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(2 * 1024 * 1024 + 1, 'a') });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(problem(page)).toContainText('The selected file must be smaller than 2MB');
  await expect(problem(page)).not.toContainText('staff group');
  // Not the template's headings.
  await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('Name,Email\nAmina,amina@nhs.net\n') });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(problem(page)).toContainText('The first row of the file must be the column headings from the template');
  await expectAccessible(page, 'import-errors');
  await keepScreenshot(page, 'staff-05-import-errors');

  await page.getByLabel('CSV file').setInputFiles(FIVE_STAFF);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(h1(page)).toHaveText('5 records will be uploaded');
  await expect(page.getByRole('heading', { name: 'Rows that will not be uploaded' })).toBeVisible();
  const badRow = page.getByRole('table').locator('tbody tr');
  await expect(badRow).toHaveCount(1);
  await expect(badRow.locator('td').first()).toHaveText('7');
  await expect(badRow).toContainText('Date of birth must be a real date');
  await expectAccessible(page, 'import-check');
  await keepScreenshot(page, 'staff-06-import-check');
  await page.getByRole('button', { name: 'Upload 5 records' }).click();
  await expect(h1(page)).toHaveText('Identity and access');
  await expect(success(page)).toContainText('5 staff invited');

  // ---- Find them in the list ----
  await page.getByLabel('Search by name', { exact: true }).fill('Kowalski');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Tomasz Kowalski', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Jane Smith', exact: true })).toHaveCount(0);

  // ---- Delete one, then invite the same email again ----
  await page.getByRole('link', { name: 'Tomasz Kowalski', exact: true }).click();
  await expect(h1(page)).toHaveText('Tomasz Kowalski');
  await expect(page.locator('.nhsuk-summary-list').first()).toContainText('Medical and Dental');
  await page.getByRole('link', { name: 'Delete this record' }).click();
  await expect(h1(page)).toHaveText('Are you sure you want to delete the record for Tomasz Kowalski?');
  await expect(page.getByRole('link', { name: 'No, go back and keep this record' })).toBeVisible();
  await expectAccessible(page, 'delete');
  await keepScreenshot(page, 'staff-07-delete');
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(h1(page)).toHaveText('Identity and access');
  await expect(success(page)).toContainText('The record for Tomasz Kowalski has been deleted');
  await inviteByForm(page, origin, { first: 'Tomasz', last: 'Kowalski', day: '14', month: '7', year: '1988', email: 'tomasz.kowalski@nhs.net', mobile: '07911 100002' });
  await expect(h1(page)).toHaveText('Tomasz Kowalski');

  // ---- Confirm one identity face to face ----
  await openFromList(page, origin, 'identity', 'Smith', 'Jane Smith');
  await page.getByRole('link', { name: 'Check identity face to face' }).click();
  await expect(h1(page)).toHaveText('Can you confirm their identity?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(problem(page)).toContainText('Select whether you can confirm their identity');
  await expectAccessible(page, 'identity-check');
  await keepScreenshot(page, 'staff-08-identity-check');
  await page.getByLabel('Yes', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(h1(page)).toHaveText('Record their confirmed identity');
  await expect(page.getByLabel('First name')).toHaveValue('Jane');
  await expect(page.getByLabel('Last name')).toHaveValue('Smith');
  await expect(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year')).toHaveValue('1990');
  await page.getByRole('button', { name: 'Confirm identity' }).click();
  await expect(problem(page)).toContainText('Upload a photo of them');
  await expect(problem(page)).toContainText('Enter their postcode');
  await problem(page).getByRole('link', { name: 'Enter their postcode' }).click();
  await expect(page.getByLabel('Postcode')).toBeFocused();
  await expectAccessible(page, 'identity-details-errors');

  await page.getByLabel('Photo of them').setInputFiles(FACE_PHOTO);
  await expect(page.getByRole('img', { name: /Preview of the photo you chose/ })).toBeVisible();
  await page.getByLabel('Female').check();
  await page.getByLabel('Nationality').fill('British');
  await page.getByLabel('Address line 1').fill('1 Park Row');
  await page.getByLabel('Town or city').fill('Leeds');
  await page.getByLabel('Postcode').fill('ls1 4ap');
  await page.getByLabel('Passport', { exact: true }).check();
  await page.getByLabel('Document number').fill('123456789');
  await page.getByLabel('Issuing country').fill('United Kingdom');
  const expiry = page.getByRole('group', { name: 'Expiry date' });
  await expiry.getByLabel('Day').fill('30');
  await expiry.getByLabel('Month').fill('6');
  await expiry.getByLabel('Year').fill(String(new Date().getFullYear() + 5));
  await expectAccessible(page, 'identity-details');
  await keepScreenshot(page, 'staff-09-identity-details');
  await page.getByRole('button', { name: 'Confirm identity' }).click();

  await expect(h1(page)).toHaveText('Jane Smith');
  await expect(success(page)).toContainText('Identity confirmed');
  await expect(success(page)).toContainText('Credentials pending');
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Credentials pending');
  for (const category of ['Identity and New Starter Information', 'Employment checks', 'Confirmation of assignment', 'Core skills training information', 'Health information – vaccinations and testing']) {
    await expect(page.getByRole('heading', { name: category })).toBeVisible();
  }
  await expect(page.getByText('No credentials yet')).toHaveCount(4);
  await expect(page.getByText(/Identity credential – due since/)).toBeVisible();
  await expect(page.getByText(/Access key – due since/)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Photo of Jane Smith, taken at the identity check' })).toBeVisible();
  await expect(page.getByText('For this trust only – never shared in a credential')).toBeVisible();
  await expect(page.getByText('LS1 4AP')).toBeVisible();
  await expectAccessible(page, 'person-credentials-pending');
  await keepScreenshot(page, 'staff-10-person-credentials-pending');
  await openFromList(page, origin, 'pending', 'Jane', 'Jane Smith');

  // Disable and enable again.
  await page.getByRole('link', { name: 'Disable passport' }).click();
  await expect(h1(page)).toHaveText('Are you sure you want to disable the passport for Jane Smith?');
  await expectAccessible(page, 'disable');
  await page.getByRole('button', { name: 'Disable passport' }).click();
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Disabled');
  await page.getByRole('link', { name: 'Enable passport' }).click();
  await expectAccessible(page, 'enable');
  await page.getByRole('button', { name: 'Enable passport' }).click();
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Credentials pending');

  // ---- Decline one ----
  await openFromList(page, origin, 'identity', 'Adeyemi', 'Grace Adeyemi');
  await page.getByRole('link', { name: 'Decline access' }).click();
  await expect(h1(page)).toHaveText('Decline access');
  await page.getByLabel('Other').check();
  await page.getByRole('button', { name: 'Decline access' }).click();
  await expect(problem(page)).toContainText('Enter why you are declining access');
  await expectAccessible(page, 'decline-errors');
  await keepScreenshot(page, 'staff-11-decline-errors');
  await page.getByLabel('Give more detail').fill('Her start date was withdrawn by the department.');
  await page.getByRole('button', { name: 'Decline access' }).click();
  await expect(h1(page)).toHaveText('Grace Adeyemi');
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Access declined');
  await expect(page.getByRole('table')).toContainText('Access declined: Other. Her start date was withdrawn by the department.');

  // ---- Appointment needed ----
  await openFromList(page, origin, 'identity', 'Llewellyn', 'Rhys Llewellyn');
  await page.getByRole('link', { name: 'Mark as appointment needed' }).click();
  await expectAccessible(page, 'appointment-needed');
  await keepScreenshot(page, 'staff-12-appointment-needed');
  await page.getByRole('button', { name: 'Mark as appointment needed' }).click();
  await expect(page.locator('.nhsuk-tag').first()).toHaveText('Appointment needed');

  // ---- Edit a profile and see the change in the history ----
  await openFromList(page, origin, 'identity', 'Amina', "Amina O'Neill-Khan");
  await page.getByRole('link', { name: 'Edit profile' }).click();
  await expect(h1(page)).toHaveText('Edit profile');
  await expect(page.getByLabel('Mobile phone number')).toHaveValue('07911 100001');
  await expect(page.getByLabel('Job role (optional)')).toHaveValue('Foundation doctor');
  await page.getByLabel('Professional body').selectOption('GMC');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(problem(page)).toContainText('Enter their registration number');
  await page.getByLabel('Registration number').fill('7654321');
  await page.getByLabel('Job role (optional)').fill('Specialty registrar');
  await expectAccessible(page, 'edit-profile');
  await keepScreenshot(page, 'staff-13-edit-profile');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(h1(page)).toHaveText("Amina O'Neill-Khan");
  await expect(success(page)).toBeVisible();
  const latest = page.getByRole('table').locator('tbody tr').first();
  await expect(latest).toContainText('Job role: Foundation doctor → Specialty registrar');
  await expect(latest).toContainText('Registration number: (none) → 7654321');
  await expect(latest).toContainText(ADMIN.name);
  await page.getByText('Show all details').click();
  await expect(page.getByText('General Medical Council (GMC)', { exact: true })).toBeVisible();
  await keepScreenshot(page, 'staff-14-person-edited');
});
