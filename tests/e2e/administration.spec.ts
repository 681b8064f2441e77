// Administration in a real browser: HR users, roles, temporary passwords, settings and the audit
// log; an HR user's narrower view; and what a broken data folder shows.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRUST_NAME, expectAccessible, keepScreenshot, setUpThroughTheDoor, signIn, startWebApp, type RunningApp, startSignedIn } from './support.ts';

let running: RunningApp;
test.afterEach(async () => {
  await running.stop();
});

test('an administrator adds an HR user, who must choose a new password and sees no administration', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('banner')).toContainText(TRUST_NAME);

  await page.getByRole('navigation').getByRole('link', { name: 'HR users' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('HR users');
  await expectAccessible(page, 'users');
  await keepScreenshot(page, 'admin-01-users');
  await page.getByRole('link', { name: 'Add a user' }).click();

  // Bad input: field errors, nothing created.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expectAccessible(page, 'user-add-errors');
  await keepScreenshot(page, 'admin-02-add-user-errors');

  await page.getByLabel('Full name').fill('Ben Okafor');
  await page.getByLabel('Email address').fill('ben.okafor@nhs.net');
  await page.getByLabel('HR user').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  const temporaryPassword = (await page.getByTestId('temporary-password').textContent())!.trim();
  expect(temporaryPassword.length).toBeGreaterThan(15);
  await expectAccessible(page, 'temporary-password');
  await keepScreenshot(page, 'admin-03-temporary-password');

  await page.getByRole('link', { name: 'Back to HR users' }).click();
  await expect(page.getByRole('table')).toContainText('ben.okafor@nhs.net');

  // The role question on a user's own page, answered by keyboard-reachable radios.
  await page.getByRole('link', { name: 'Ben Okafor' }).click();
  await page.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('already');
  await page.getByLabel('Senior Portal Administrator').check();
  await page.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText('Ben Okafor is now a Senior Portal Administrator')).toBeVisible();
  await page.getByLabel('HR user').check();
  await page.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText('Ben Okafor is now an HR user')).toBeVisible();
  await expectAccessible(page, 'user-detail');

  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page, 'settings');
  await keepScreenshot(page, 'admin-04-settings');

  await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('table')).toContainText('users.add');
  await page.getByRole('button', { name: 'Check the audit log' }).click();
  await expect(page.getByText(/no entries have been changed|is complete|not been changed/i)).toBeVisible();
  await expectAccessible(page, 'audit');
  await keepScreenshot(page, 'admin-05-audit-log');

  // The new user signs in with the temporary password and must choose their own first.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'ben.okafor@nhs.net', temporaryPassword);
  await expect(page.getByLabel('Current password')).toBeVisible();
  await expectAccessible(page, 'change-password');
  await keepScreenshot(page, 'admin-06-change-password');
  await page.getByLabel('Current password').fill(temporaryPassword);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Confirm new password').fill('short');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('12 characters or more');
  // Password fields are emptied after an error, so they are all typed again.
  await page.getByLabel('Current password').fill(temporaryPassword);
  await page.getByLabel('New password', { exact: true }).fill('plum tractor lantern ocean');
  await page.getByLabel('Confirm new password').fill('plum tractor lantern ocean');
  await page.getByRole('button', { name: 'Save new password' }).click();

  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link')).toHaveText(['Home', 'Identity and access', 'Staff passports', 'Settings']);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'HR users' })).toHaveCount(0);
  await page.goto(`${new URL(running.url).origin}/#/users`);
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('HR users');
  await keepScreenshot(page, 'admin-07-hr-user-home');
});

test('a missing key file is named on screen, and the database is left alone', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dsp-e2e-'));
  running = await startWebApp({ dataDir });
  await setUpThroughTheDoor(running);
  await running.stop();
  const database = readFileSync(join(dataDir, 'staff-passport.db'));
  rmSync(join(dataDir, 'staff-passport.keys.json'));
  running = await startWebApp({ dataDir });
  await page.goto(running.url);
  await expect(page.getByTestId('problem')).toContainText(join(dataDir, 'staff-passport.keys.json'));
  await expectAccessible(page, 'unavailable');
  await keepScreenshot(page, 'unavailable-missing-key-file');
  await running.stop();
  expect(existsSync(join(dataDir, 'staff-passport.keys.json'))).toBe(false);
  expect(readFileSync(join(dataDir, 'staff-passport.db')).equals(database)).toBe(true);
  rmSync(dataDir, { recursive: true, force: true });
});
