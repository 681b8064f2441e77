// Matching staff to their records in the authoritative systems, in a real browser against the real
// sandbox: connect a passport to ESR by assignment number by keyboard alone (an unknown number, a
// wrong one, the passport and ESR side by side with what agrees and differs, "No" going back, "Yes"
// linking), change the number (replacing the link after a warning) and remove the link; connect to
// a learning system by search (ranked candidates with bands and reasons, pick one, then "None of
// these" on a second search), and a search that finds nobody.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { checkPage, door, press, problem, tabTo, signInHrUserThroughTheDoor, startSignedIn, type RunningApp, connectToSandboxThroughTheDoor } from './support.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { generatePopulation } from '../sandbox/population.ts';
import type { Person, Population } from '../sandbox/model.ts';

const LEARNING = 'Kallidus Learn';

let population: Population;
let sandbox: Sandbox;
let running: RunningApp | null = null;

test.beforeAll(async () => {
  population = generatePopulation({ seed: 7, size: 2000 });
  sandbox = await startSandbox({ port: 0, seed: 7, population });
});
test.afterAll(async () => {
  await sandbox.close();
});
test.afterEach(async () => {
  await running?.stop();
  running = null;
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const success = (page: Page) => page.getByRole('alert').filter({ hasText: 'Success' });
const plain = (text: string) => /^[A-Za-z]+$/.test(text);
const atTrust = (person: Person) => person.organisation === 'RHQ';
const pad = (n: number) => String(n).padStart(2, '0');

/** Invites a staff member through the door and returns their passport id. */
async function invite(page: Page, n: number, who: { firstName: string; lastName: string; birthDate: string; esrAssignmentNumber?: string }): Promise<string> {
  const [year, month, day] = who.birthDate.split('-');
  const { passportId } = await door<{ passportId: string }>(page, 'staff.invite', {
    profile: {
      firstName: who.firstName,
      lastName: who.lastName,
      dateOfBirth: { day: day!, month: month!, year: year! },
      email: `${who.firstName}.${who.lastName}.${n}@nhs.net`.toLowerCase(),
      mobile: `07911 ${String(200000 + n)}`,
      staffGroup: 'nursing-midwifery-registered',
      employmentType: 'permanent-or-fixed-term',
      employmentStatus: 'current-or-leaver',
      ...(who.esrAssignmentNumber ? { esrAssignmentNumber: who.esrAssignmentNumber } : {}),
    },
  });
  return passportId;
}

async function openPerson(page: Page, passportId: string, name: string): Promise<void> {
  await page.goto(`${new URL(running!.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText(name);
  await expect(page.getByTestId('passport-links')).not.toContainText('Loading…');
}

function row(page: Page, field: string): Locator {
  return page.getByTestId(`comparison-${field}`);
}

test('HR connects a passport to ESR by assignment number by keyboard, changes the number and removes the link', async ({ page }) => {
  test.setTimeout(180_000);
  // Someone ESR knows under their legal first name, invited under the name they go by.
  const person = population.people.find(
    (p) =>
      atTrust(p) &&
      p.systems.esr &&
      p.knownAs &&
      plain(p.knownAs) &&
      plain(p.surname) &&
      p.systems.esr.details.firstName === p.legalFirstName &&
      p.systems.esr.details.surname === p.surname &&
      p.systems.esr.details.birthDate === p.birthDate &&
      p.systems.esr.details.email,
  )!;
  const other = population.people.find((p) => atTrust(p) && p.systems.esr && p.surname !== person.surname && p.systems.esr.details.surname !== person.surname && p.systems.esr.details.birthDate && p.systems.esr.details.birthDate !== person.birthDate)!;
  const esr = person.systems.esr!;
  const name = `${person.knownAs} ${person.surname}`;

  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await connectToSandboxThroughTheDoor(page, sandbox, 'esr', 'ESR');
  await connectToSandboxThroughTheDoor(page, sandbox, 'learning', LEARNING);
  const passportId = await invite(page, 1, { firstName: person.knownAs!, lastName: person.surname, birthDate: person.birthDate, esrAssignmentNumber: esr.id });

  // The person's page lists each system, none linked yet.
  await openPerson(page, passportId, name);
  const esrRow = page.getByTestId('link-ESR');
  await expect(esrRow).toContainText('Not linked');
  await expect(page.getByTestId(`link-${LEARNING}`)).toContainText('Not linked');
  await checkPage(page, 'matching-01-person-not-linked');

  // By keyboard: to "Connect to ESR"; the number is there from the passport.
  await press(page, page.getByRole('link', { name: 'Connect to ESR' }));
  await expect(h1(page)).toHaveText('Connect to ESR');
  await expect(h1(page)).toBeFocused();
  const number = page.getByLabel(`${person.knownAs}’s assignment number`);
  await expect(number).toHaveValue(esr.id);

  // A number ESR does not know: the main side's message, in the summary and on the field.
  const unknown = esr.id === '99999999' ? '99999998' : '99999999';
  await tabTo(page, number);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(unknown);
  await page.keyboard.press('Enter');
  await expect(problem(page)).toContainText(`ESR has no record with assignment number ${unknown}`);
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(page.locator('#assignmentNumber-error')).toContainText(`ESR has no record with assignment number ${unknown}`);
  await expect(page).toHaveTitle(/^Error: /);
  await checkPage(page, 'matching-02-esr-unknown-number');

  // Not 8 digits.
  await tabTo(page, number);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await expect(problem(page)).toContainText('Enter an assignment number of 8 digits, like 12345678');

  // The right number: the passport beside ESR, detail by detail.
  await tabTo(page, number);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(esr.id);
  await press(page, page.getByRole('button', { name: 'Look up in ESR' }));
  await expect(h1(page)).toHaveText('Check ESR’s record against the passport');
  await expect(h1(page)).toBeFocused();
  await expect(page.getByRole('main')).toContainText(`ESR’s record for assignment number ${esr.id} is ${esr.details.firstName} ${esr.details.surname}.`);
  const table = page.getByRole('table', { name: 'The passport beside ESR' });
  await expect(table.getByRole('columnheader')).toHaveText(['Detail', 'On the passport', 'In ESR', 'Result']);
  await expect(row(page, 'firstName')).toHaveAttribute('data-level', 'close');
  await expect(row(page, 'firstName')).toContainText(`${person.knownAs}${esr.details.firstName}≈ Nearly matches`);
  await expect(row(page, 'surname')).toHaveAttribute('data-level', 'exact');
  await expect(row(page, 'surname')).toContainText('✓ Matches');
  await expect(row(page, 'birthDate')).toHaveAttribute('data-level', 'exact');
  await expect(row(page, 'email')).toHaveAttribute('data-level', 'different');
  await expect(row(page, 'email')).toContainText('✗ Does not match');
  if (esr.details.furtherInformation) await expect(page.getByTestId('further-information')).toContainText(esr.details.furtherInformation);
  await expect(page.getByTestId('match-summary')).toContainText(/match/);
  await checkPage(page, 'matching-03-esr-side-by-side');

  // No answer, then "No": back to the number.
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(problem(page)).toContainText('Select yes if this is the correct staff member');
  await checkPage(page, 'matching-04-esr-no-answer');
  await tabTo(page, page.getByLabel('Yes, this is the correct staff member'));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('No, this is not them')).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(h1(page)).toHaveText('Connect to ESR');
  await expect(h1(page)).toBeFocused();

  // Look up again and say yes: linked.
  await press(page, page.getByRole('button', { name: 'Look up in ESR' }));
  await expect(h1(page)).toHaveText('Check ESR’s record against the passport');
  await tabTo(page, page.getByLabel('Yes, this is the correct staff member'));
  await page.keyboard.press('Space');
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(h1(page)).toHaveText(name);
  await expect(success(page)).toContainText(`${name} is now linked to ESR`);
  await expect(success(page)).toContainText(`The passport is linked to ESR assignment number ${esr.id} (${esr.details.firstName} ${esr.details.surname}).`);
  await expect(esrRow).toContainText(`${esr.details.firstName} ${esr.details.surname}`);
  await expect(esrRow).toContainText(`Assignment number ${esr.id}`);
  await expect(esrRow).toContainText('By assignment number');
  await expect(esrRow).toContainText('by Asha Patel');
  await checkPage(page, 'matching-05-esr-linked');

  // Change the number: the page says there is a link, and confirming another record replaces it.
  await press(page, page.getByRole('link', { name: 'Change the link to ESR' }));
  await expect(h1(page)).toHaveText('Connect to ESR');
  await expect(page.getByTestId('existing-link')).toContainText(`This passport is already linked to ESR assignment number ${esr.id}`);
  await checkPage(page, 'matching-06-esr-change');
  const otherEsr = other.systems.esr!;
  await tabTo(page, number);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(otherEsr.id);
  await page.keyboard.press('Enter');
  await expect(h1(page)).toHaveText('Check ESR’s record against the passport');
  await expect(row(page, 'surname')).toHaveAttribute('data-level', 'different');
  await expect(row(page, 'birthDate')).toHaveAttribute('data-level', 'different');
  await expect(page.getByTestId('match-summary')).toContainText('Weak match');
  await expect(page.getByTestId('weak-match')).toContainText(`Few details match. Check the assignment number with ${person.knownAs} before you confirm.`);
  await expect(page.getByTestId('replaces-link')).toContainText(`The passport is linked to assignment number ${esr.id}`);
  await expect(page.getByText(`This replaces the link to assignment number ${esr.id}`)).toBeVisible();
  await checkPage(page, 'matching-07-esr-replaces');
  await tabTo(page, page.getByLabel('Yes, this is the correct staff member'));
  await page.keyboard.press('Space');
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(success(page)).toContainText(`This replaces the link to assignment number ${esr.id}.`);
  await expect(esrRow).toContainText(`Assignment number ${otherEsr.id}`);
  await expect(esrRow).not.toContainText(`Assignment number ${esr.id}`);

  // Remove the link, after confirming.
  await press(page, page.getByRole('link', { name: 'Remove link to ESR' }));
  await expect(h1(page)).toHaveText('Are you sure you want to remove the link to ESR?');
  await expect(page.getByRole('main')).toContainText(`assignment number ${otherEsr.id}`);
  await checkPage(page, 'matching-08-remove-link');
  await press(page, page.getByRole('button', { name: 'Yes, remove the link' }));
  await expect(h1(page)).toHaveText(name);
  await expect(success(page)).toContainText(`${name} is no longer linked to ESR`);
  await expect(esrRow).toContainText('Not linked');
  await expect(page.getByRole('link', { name: 'Connect to ESR' })).toBeVisible();
});

test('HR connects a passport to a learning system by search: ranked candidates with their reasons, pick one, then none of these', async ({ page }) => {
  test.setTimeout(180_000);
  // Two people the learning system knows by the same name, born on different days.
  const inLearning = population.people.filter((p) => {
    const details = p.systems.learning?.details;
    return atTrust(p) && details && plain(p.legalFirstName) && plain(p.surname) && details.firstName === p.legalFirstName && details.surname === p.surname && details.birthDate === p.birthDate;
  });
  const namesakes = (p: Person, q: Person) => q !== p && q.legalFirstName === p.legalFirstName && q.surname === p.surname && q.birthDate !== p.birthDate;
  const person = inLearning.find((p) => inLearning.some((q) => namesakes(p, q)))!;
  const twin = inLearning.find((q) => namesakes(person, q))!;
  const name = `${person.legalFirstName} ${person.surname}`;
  // Someone nobody in the sandbox could be: a made-up name, born on a day nobody was.
  const birthDays = new Set(population.people.map((p) => p.birthDate));
  let unborn = 1;
  while (birthDays.has(`1950-01-${pad(unborn)}`)) unborn++;

  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await connectToSandboxThroughTheDoor(page, sandbox, 'esr', 'ESR');
  await connectToSandboxThroughTheDoor(page, sandbox, 'learning', LEARNING);
  // The rest is an HR user's work.
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await invite(page, 2, { firstName: person.legalFirstName, lastName: person.surname, birthDate: person.birthDate });
  const nobodyId = await invite(page, 3, { firstName: 'Zebedee', lastName: 'Quillfeather', birthDate: `1950-01-${pad(unborn)}` });

  await openPerson(page, passportId, name);
  await press(page, page.getByRole('link', { name: `Connect to ${LEARNING}` }));
  await expect(h1(page)).toHaveText(`Connect to ${LEARNING}`);
  const status = page.getByTestId('search-status');
  await expect(status).toContainText(/Staff Passport ran \d+ searches of Kallidus Learn with the name and date of birth on the passport, and found \d+ records that could be them\./);
  const first = page.getByTestId('candidate-1');
  await expect(first).toContainText(name);
  await expect(first).toContainText('Strong match');
  await expect(first).toContainText(`ID ${person.systems.learning!.id}`);
  await expect(first.getByTestId('comparison-birthDate')).toHaveAttribute('data-level', 'exact');
  await expect(first.getByTestId('comparison-surname')).toContainText('✓ Matches');
  // The namesake comes later, with a weaker band and the date of birth marked as not matching.
  const candidates = page.locator('[data-testid^="candidate-"]');
  const twinCandidate = candidates.filter({ hasText: `ID ${twin.systems.learning!.id}` });
  await expect(twinCandidate).toHaveCount(1);
  await expect(twinCandidate).not.toContainText('Strong match');
  await expect(twinCandidate).toContainText(/Possible match|Weak match/);
  // A weak match keeps its comparison folded away until asked for.
  const twinDetails = twinCandidate.locator('details');
  if ((await twinDetails.getAttribute('open')) === null) await twinCandidate.locator('summary').click();
  await expect(twinCandidate.getByTestId('comparison-birthDate')).toBeVisible();
  await expect(twinCandidate.getByTestId('comparison-birthDate')).toHaveAttribute('data-level', 'different');
  await expect(twinCandidate.getByTestId('comparison-birthDate')).toContainText('✗ Does not match');
  if (person.systems.learning!.details.furtherInformation) await expect(first).toContainText(person.systems.learning!.details.furtherInformation);
  await expect(page.getByLabel('None of these')).toBeVisible();
  await checkPage(page, 'matching-09-search-candidates');

  // Nothing chosen.
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(problem(page)).toContainText(`Select the record that is ${name}, or select ‘None of these’`);
  await checkPage(page, 'matching-10-search-nothing-chosen');

  // The best match.
  await page.getByRole('radio', { name: new RegExp(`^1\\. ${name}`) }).check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(h1(page)).toHaveText(name);
  await expect(success(page)).toContainText(`${name} is now linked to ${LEARNING}`);
  const learningRow = page.getByTestId(`link-${LEARNING}`);
  await expect(learningRow).toContainText(`ID ${person.systems.learning!.id}`);
  await expect(learningRow).toContainText('From a search');
  await expect(learningRow).toContainText('by Ben Okafor');
  await expect(page.getByTestId('link-ESR')).toContainText('Not linked');
  // The passport's history says who linked it to which record.
  await expect(page.getByText(`Linked to ${LEARNING} record ${person.systems.learning!.id} (${name})`)).toBeVisible();
  await checkPage(page, 'matching-11-search-linked');

  // Searching again and choosing "None of these" records the decision and keeps the link.
  await page.getByRole('link', { name: `Change the link to ${LEARNING}` }).click();
  await expect(page.getByTestId('existing-link')).toContainText(`This passport is already linked to ${name} (ID ${person.systems.learning!.id})`);
  await expect(first).toContainText('linked now');
  await page.getByLabel('None of these').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(success(page)).toContainText(`No link made to ${LEARNING}`);
  await expect(success(page)).toContainText('The existing link has not changed.');
  await expect(learningRow).toContainText(`ID ${person.systems.learning!.id}`);

  // Nobody found: said plainly, and "None of these" records it.
  await openPerson(page, nobodyId, 'Zebedee Quillfeather');
  // The last person's success message does not follow HR to the next person's page.
  await expect(success(page)).toHaveCount(0);
  await page.getByRole('link', { name: `Connect to ${LEARNING}` }).click();
  await expect(status).toContainText('and found no records that could be them.');
  await expect(page.getByRole('group', { name: `${LEARNING} has no record that could be Zebedee Quillfeather` })).toBeVisible();
  await expect(page.locator('[data-testid^="candidate-"]')).toHaveCount(0);
  await checkPage(page, 'matching-12-search-nobody');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(problem(page)).toContainText('Select ‘None of these’ to record your decision');
  await page.getByLabel('None of these').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(success(page)).toContainText(`No link made to ${LEARNING}`);
  await expect(success(page)).toContainText(`Your decision that ${LEARNING} has no record for Zebedee Quillfeather has been recorded.`);
  await expect(page.getByTestId(`link-${LEARNING}`)).toContainText('Not linked');
});
