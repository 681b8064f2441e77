// The first run in a real browser: empty data folder → set-up wizard → recovery code → sign in →
// home page with the trust name. Every screen is checked with axe and kept as a screenshot.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { startWebApp, type RunningApp, tabTo, press, problem, checkPage } from './support.ts';

const TRUST = 'Sheffield Teaching Hospitals NHS Foundation Trust';
const PASSWORD = 'correct horse battery staple';

let running: RunningApp;
test.beforeEach(async () => {
  running = await startWebApp();
});
test.afterEach(async () => {
  await running.stop();
});

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

test('first run by keyboard alone: set up, store the recovery code, sign in, see the home page', async ({ page }) => {
  await page.goto(running.url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await checkPage(page, '01-setup-ods-code');

  // A bad ODS code goes through the page (the main side is the authority on its format) and is
  // caught when the answers are sent: the user is shown the error and fixes it.
  await typeInto(page, page.getByLabel('ODS code'), 'R!');
  await press(page, page.getByRole('button', { name: 'Continue' }));

  await typeInto(page, page.getByLabel('Trust name'), TRUST);
  await checkPage(page, '03-setup-trust-name');
  await press(page, page.getByRole('button', { name: 'Continue' }));

  await typeInto(page, page.getByLabel('Full name'), 'Asha Patel');
  await typeInto(page, page.getByLabel('Email address'), 'asha.patel@nhs.net');
  await checkPage(page, '04-setup-your-details');
  await press(page, page.getByRole('button', { name: 'Continue' }));

  await typeInto(page, page.getByLabel('Password', { exact: true }), PASSWORD);
  await typeInto(page, page.getByLabel('Confirm password'), PASSWORD);
  await checkPage(page, '05-setup-password');
  await press(page, page.getByRole('button', { name: 'Continue' }));

  await checkPage(page, '06-setup-check-answers');
  await press(page, page.getByRole('button', { name: 'Set up Staff Passport' }));
  await expect(problem(page)).toContainText('There is a problem');
  await expect(problem(page)).toContainText('Enter an ODS code of 3 or 5 letters and numbers, like RHQ');
  await checkPage(page, '07-setup-ods-code-error');
  // The error links to the answer to change; fix it and send again.
  await press(page, problem(page).getByRole('link'));
  await expect(page.getByLabel('ODS code')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('rhq');
  await page.keyboard.press('Enter');
  await expect(page.getByText('RHQ')).toBeVisible();
  await press(page, page.getByRole('button', { name: 'Set up Staff Passport' }));

  const code = page.getByTestId('recovery-code');
  await expect(code).toHaveText(/([0-9A-Z]{4}[\s-]*){8}/);
  await checkPage(page, '08-recovery-code');
  // Continuing without confirming is refused.
  await press(page, page.getByRole('button', { name: 'Continue' }));
  await expect(problem(page)).toBeVisible();
  await tabTo(page, page.getByLabel('I have stored the recovery code somewhere safe'));
  await page.keyboard.press('Space');
  await press(page, page.getByRole('button', { name: 'Continue' }));

  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await checkPage(page, '09-sign-in');

  // A wrong password shows an error and keeps the user on the sign-in page.
  await typeInto(page, page.getByLabel('Email address'), 'asha.patel@nhs.net');
  await typeInto(page, page.getByLabel('Password'), 'this is not my password');
  await press(page, page.getByRole('button', { name: 'Sign in' }));
  await expect(problem(page)).toContainText(/not correct/);
  await checkPage(page, '10-sign-in-wrong-password');

  await page.getByLabel('Password').fill('');
  await typeInto(page, page.getByLabel('Password'), PASSWORD);
  await press(page, page.getByRole('button', { name: 'Sign in' }));

  await expect(page.getByRole('banner')).toContainText(TRUST);
  await expect(page.getByRole('banner')).toContainText('Asha Patel');
  // Home: the work-queue counters (nothing to do yet on a new trust), each a link to its list.
  for (const queue of ['Invitations pending', 'Identities to verify', 'Appointments to complete', 'Passports awaiting credentials']) {
    await expect(page.getByRole('heading', { name: queue })).toBeVisible();
    await expect(page.getByRole('link', { name: queue })).toBeVisible();
  }
  await expect(page.getByTestId('invitations-pending-count')).toHaveText('0');
  const menu = page.getByRole('navigation', { name: 'Menu' });
  await expect(menu.getByRole('link')).toHaveText(['Home', 'Identity and access', 'Staff passports', 'HR users', 'Trusted issuers', 'Settings', 'Backups', 'Audit log']);
  await checkPage(page, '11-home');
});
