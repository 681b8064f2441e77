// Providing credentials from a linked system's records, in a real browser against the real
// sandbox: a passport linked to the learning system, HR gets the latest records, ticks two core
// skills by keyboard, is stopped until the reasonable-care declaration is confirmed, then offers
// them; the test wallet scans the QR code from a screenshot and collects both, and the offer page
// follows by events to "accepted".
import { test, expect, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { checkPage, door, identityConfirmedThroughTheDoor, markPage, press, problem, scanQr, signInHrUserThroughTheDoor, startSignedIn, tabTo, type RunningApp, connectToSandboxThroughTheDoor } from './support.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { generatePopulation } from '../sandbox/population.ts';
import type { Person, Population } from '../sandbox/model.ts';
import type { CoreSkillsTraining } from '../../main/systems/dsp-types.ts';
import { TestWallet } from '../wallet/wallet.ts';

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
const plain = (text: string) => /^[A-Za-z]+$/.test(text);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Links the passport to the person's learning record through the door (matching has its own test). */
async function linkToLearning(page: Page, passportId: string, connectionId: string, employeeId: string): Promise<void> {
  const { lookupId, candidates } = await door<{ lookupId: string; candidates: Array<{ employeeId: string }> }>(page, 'matching.search', { passportId, connectionId });
  expect(candidates.map((candidate) => candidate.employeeId)).toContain(employeeId);
  await door(page, 'matching.decide', { lookupId, employeeId });
}

test('HR provides two core skills from the learning system by keyboard, declares reasonable care, and the wallet collects them from the QR code', async ({ page }) => {
  test.setTimeout(180_000);
  // Someone at the trust the learning system knows by the name and birth date on the passport,
  // with core skills that are still in date.
  const today = new Date().toISOString().slice(0, 10);
  const inDate = (p: Person) => (p.systems.learning?.records ?? []).filter((record): record is CoreSkillsTraining => record.recordType === 'CoreSkillsTraining' && (!('dateTo' in record) || !record.dateTo || record.dateTo > today));
  const person = population.people.find((p) => {
    const details = p.systems.learning?.details;
    return p.organisation === 'RHQ' && details && plain(p.legalFirstName) && plain(p.surname) && details.firstName === p.legalFirstName && details.surname === p.surname && details.birthDate === p.birthDate && inDate(p).length >= 3;
  })!;
  const name = `${person.legalFirstName} ${person.surname}`;
  const [first, second] = inDate(person).map((record) => record.competencyName!) as [string, string];

  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  const connectionId = await connectToSandboxThroughTheDoor(page, sandbox, 'learning', LEARNING);
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await identityConfirmedThroughTheDoor(page, {
    firstName: person.legalFirstName,
    lastName: person.surname,
    birthDate: person.birthDate,
    email: `${person.legalFirstName}.${person.surname}@nhs.net`.toLowerCase(),
    mobile: '07911 200001',
  });
  await linkToLearning(page, passportId, connectionId, person.systems.learning!.id);

  await page.goto(`${new URL(running.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText(name);
  await expect(page.getByTestId(`link-${LEARNING}`)).toContainText(`ID ${person.systems.learning!.id}`);

  // ---- Choose the records ----
  await press(page, page.getByTestId('passport-wallet').getByRole('link', { name: 'Provide credentials' }));
  await expect(h1(page)).toHaveText('Provide credentials');
  await press(page, page.getByRole('button', { name: 'Get the latest records' }));
  await expect(page.getByTestId('records-status')).toContainText('Latest records fetched at');
  await expect(page.getByTestId('records-problems')).toHaveCount(0);
  const coreSkills = page.getByRole('group', { name: 'Core skills training information' });
  await expect(coreSkills.getByRole('checkbox')).not.toHaveCount(0);
  // The label is the type's name and what the record is about: "Core skill: <competency> – level <n>".
  const skillBox = (competency: string) => coreSkills.getByRole('checkbox', { name: new RegExp(`Core skill: ${escape(competency)} – level \\d+$`) });
  const firstBox = skillBox(first);
  const secondBox = skillBox(second);
  await expect(firstBox).toBeVisible();
  await expect(secondBox).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`From ${LEARNING}.`);
  // How many can be provided, out of how many records: "12 of 13 records can be provided".
  const recordCount = await page.locator('[data-testid^="record-"]').count();
  const providableCount = await page.getByRole('group', { name: 'Which records do you want to provide?' }).getByRole('checkbox').count();
  expect(providableCount).toBeGreaterThanOrEqual(3);
  await expect(page.locator('#recordIds-hint')).toHaveText(`Select all that apply. ${providableCount} of ${recordCount} record${recordCount === 1 ? '' : 's'} can be provided.`);
  // What a record says has its dates written as UK dates, not as the ISO text the system sent.
  const firstRecord = coreSkills.locator('[data-testid^="record-"]').filter({ has: page.getByRole('checkbox', { name: new RegExp(`Core skill: ${escape(first)} – level \\d+$`) }) });
  await firstRecord.locator('details summary').click();
  const awarded = firstRecord.locator('.nhsuk-summary-list__row').filter({ has: page.locator('dt', { hasText: /^Date last awarded$/ }) }).locator('dd');
  await expect(awarded).toHaveText(/^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$/);
  await checkPage(page, 'wallet-provide-01-records');
  await firstRecord.locator('details summary').click();

  // Nothing ticked: Continue says so.
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(problem(page)).toContainText('Choose at least one record to provide');

  await tabTo(page, firstBox);
  await page.keyboard.press('Space');
  await tabTo(page, secondBox);
  await page.keyboard.press('Space');
  await expect(firstBox).toBeChecked();
  await expect(secondBox).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Continue' }));

  // ---- Check them and declare reasonable care ----
  await expect(h1(page)).toHaveText('Check the records before you provide them');
  const chosen = page.getByTestId('chosen-records');
  await expect(chosen.locator(':scope > .nhsuk-summary-list__row')).toHaveCount(2);
  await expect(chosen).toContainText(first);
  await expect(chosen).toContainText(second);
  await expect(page.getByRole('main')).toContainText(`${person.legalFirstName} gets 2 credentials made from these records, signed by your trust.`);
  const declaration = page.getByLabel('I confirm that I have taken reasonable care to check that this information is correct');
  await expect(declaration).not.toBeChecked();
  await press(page, page.getByRole('button', { name: 'Provide credentials' }));
  await expect(problem(page)).toContainText('Confirm that you have taken reasonable care to check this information');
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  await checkPage(page, 'wallet-provide-02-declaration-missing');
  await tabTo(page, declaration);
  await page.keyboard.press('Space');
  await expect(declaration).toBeChecked();
  await checkPage(page, 'wallet-provide-03-check-records');
  await press(page, page.getByRole('button', { name: 'Provide credentials' }));

  // ---- The offer, scanned and collected ----
  await expect(h1(page)).toHaveText(`Offer 2 credentials to ${name}`);
  const state = page.getByTestId('offer-state');
  await expect(state).toHaveAttribute('data-state', 'waiting');
  const offered = page.getByTestId('offer-credentials');
  await expect(offered).toContainText(first);
  await expect(offered).toContainText(second);
  await checkPage(page, 'wallet-provide-04-offer');
  const scanned = await scanQr(page.getByTestId('offer-qr'), 'wallet-provide-05-offer-qr');
  expect(scanned).toBe(await page.getByTestId('offer-link').inputValue());
  const txCode = (await page.getByTestId('offer-tx-code').innerText()).replace(/\s+/g, '');
  expect(txCode).toMatch(/^\d{6}$/);

  const unchanged = await markPage(page);
  const holder = await TestWallet.create(undefined, 'ES256');
  const collected = await holder.collect(scanned, { txCode });
  expect(collected).toHaveLength(2);
  const skills = collected.map((credential) => {
    expect(credential.types).toContain('NHSCoreSkillCredential');
    expect(decodeJwt(credential.jwt).sub).toBe(holder.did);
    return (decodeJwt(credential.jwt).vc as { credentialSubject: { competencyName: string } }).credentialSubject.competencyName;
  });
  expect(skills.sort()).toEqual([first, second].sort());

  await expect(state).toHaveAttribute('data-state', 'accepted');
  await expect(page.getByRole('heading', { name: 'Credentials accepted' })).toBeVisible();
  await expect(offered.locator('.nhsuk-tag')).toHaveText(['Accepted', 'Accepted']);
  await expect(page.getByTestId('offer-qr')).toHaveCount(0);
  expect(await unchanged(), 'the offer page was not loaded again').toBe(true);
  await checkPage(page, 'wallet-provide-06-accepted');

  // The passport lists both core skills under their category, as issued to the wallet and accepted.
  await press(page, page.getByRole('link', { name: `Back to ${name}’s passport` }));
  await expect(h1(page)).toHaveText(name);
  const issued = page.getByTestId('issued-core-skills');
  await expect(issued).toBeVisible();
  await expect(page.getByRole('list', { name: `Issued to ${person.legalFirstName}’s wallet` })).toHaveCount(1);
  const issuedItems = issued.locator(':scope > li');
  await expect(issuedItems).toHaveCount(2);
  await expect(issuedItems.filter({ hasText: new RegExp(`Core skill: ${escape(first)} – level \\d+`) })).toHaveCount(1);
  await expect(issuedItems.filter({ hasText: new RegExp(`Core skill: ${escape(second)} – level \\d+`) })).toHaveCount(1);
  await expect(issued.locator('.nhsuk-tag')).toHaveText(['Accepted', 'Accepted']);
  await expect(page.getByRole('region', { name: 'Core skills training information' })).not.toContainText('No credentials yet');
  await checkPage(page, 'wallet-provide-07-person-issued');
});
