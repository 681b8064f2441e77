// Locking at the desk, and a backup written on one computer restored on another with the recovery code.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, TRUST_NAME, expectAccessible, keepScreenshot, setUpThroughTheDoor, signIn, startWebApp, type RunningApp } from './support.ts';

const started: RunningApp[] = [];
let folder: string;
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'dsp-e2e-backups-'));
});
test.afterEach(async () => {
  for (const running of started.splice(0)) await running.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('lock at the desk, then unlock with the password', async ({ page }) => {
  const running = await startWebApp();
  started.push(running);
  await setUpThroughTheDoor(running);
  await page.goto(running.url);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  // The work on screen is hidden until the password is given again.
  await expect(page).toHaveURL(/#\/locked$/);
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText('Settings');
  await expectAccessible(page, 'locked');
  await keepScreenshot(page, 'lock-01-locked');

  await page.getByLabel('Password', { exact: true }).fill('not my password at all');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  // Back where the user was.
  await expect(page).toHaveURL(/#\/settings$/);
});

test('a backup made here restores on another computer with the recovery code', async ({ page }) => {
  const first = await startWebApp();
  started.push(first);
  const recoveryCode = await setUpThroughTheDoor(first);
  await page.goto(first.url);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation').getByRole('link', { name: 'Backups' }).click();
  await page.getByLabel('Folder to save the backup in').fill(join(folder, 'missing'));
  await page.getByRole('button', { name: 'Create backup' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('does not exist');
  await page.getByLabel('Folder to save the backup in').fill(folder);
  await page.getByRole('button', { name: 'Create backup' }).click();
  const backupFolder = (await page.getByTestId('backup-folder').textContent())!.trim();
  expect(readdirSync(backupFolder).sort()).toEqual(['staff-passport.db', 'staff-passport.keys.json']);
  await expectAccessible(page, 'backup');
  await keepScreenshot(page, 'backup-01-created');

  // Another computer: a new, empty data folder.
  const second = await startWebApp();
  started.push(second);
  await page.goto(second.url);
  await page.getByRole('link', { name: 'restore from a backup' }).click();
  await page.getByLabel('Backup folder').fill(backupFolder);
  await page.getByLabel('Recovery code').fill('0000-0000-0000-0000-0000-0000-0000-0000');
  await page.getByRole('button', { name: 'Restore backup' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expectAccessible(page, 'restore-error');
  await keepScreenshot(page, 'backup-02-restore-wrong-code');
  await page.getByLabel('Recovery code').fill(recoveryCode.toLowerCase());
  await page.getByRole('button', { name: 'Restore backup' }).click();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole('banner')).toContainText(TRUST_NAME);
});
