// An offer nobody collected in time, in a real browser: IT has set offers to last a few seconds
// (a fraction of a minute, in the machine-wide configuration file); the offer page turns to
// "expired" with the reason by itself (no reload), the old QR code and code are gone and no longer
// work, and "Make a new offer" shows a new QR code that the test wallet collects.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPage, identityConfirmedThroughTheDoor, markPage, press, scanQr, signInHrUserThroughTheDoor, startSignedIn, type RunningApp } from './support.ts';
import { TestWallet } from '../wallet/wallet.ts';

/** Six seconds: the shortest IT may set. */
const OFFER_EXPIRY_MINUTES = 0.1;
const JANE = { firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@nhs.net', mobile: '07911 123456' };

let running: RunningApp | null = null;
let configDir: string | null = null;
test.afterEach(async () => {
  await running?.stop();
  running = null;
  if (configDir) rmSync(configDir, { recursive: true, force: true });
  configDir = null;
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('an offer expires on screen with the reason, and a new offer made from it can be collected', async ({ page }) => {
  test.setTimeout(120_000);
  configDir = mkdtempSync(join(tmpdir(), 'dsp-e2e-config-'));
  const machineConfig = join(configDir, 'config.json');
  writeFileSync(machineConfig, JSON.stringify({ offerExpiryMinutes: OFFER_EXPIRY_MINUTES }));
  running = await startSignedIn(page, { env: { STAFF_PASSPORT_CONFIG: machineConfig } });
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await identityConfirmedThroughTheDoor(page, JANE);

  await page.goto(`${new URL(running.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText('Jane Smith');
  await press(page, page.getByTestId('passport-wallet').getByRole('button', { name: 'Offer identity credential and access key' }));
  await expect(h1(page)).toHaveText('Offer identity and access key to Jane Smith');
  const state = page.getByTestId('offer-state');
  await expect(state).toHaveAttribute('data-state', 'waiting');
  const firstOfferUrl = page.url();
  // Read off the screen while it is there, to try it once the offer has expired.
  const oldLink = await scanQr(page.getByTestId('offer-qr'), 'wallet-expiry-01-offer-qr');
  const oldCode = (await page.getByTestId('offer-tx-code').innerText()).replace(/\s+/g, '');
  await expect(page.getByText(/^Expires in \d+ seconds?$/)).toBeVisible();

  // ---- Nobody scans it: the page says so by itself ----
  const unchanged = await markPage(page);
  await expect(state).toHaveAttribute('data-state', 'expired', { timeout: 20_000 });
  await expect(state.locator('.nhsuk-tag')).toHaveText('Expired');
  await expect(state).toContainText('This offer expired before Jane collected the credentials.');
  await expect(state).toContainText(/The offer was not collected within 6 seconds\./);
  await expect(page.getByTestId('offer-qr')).toHaveCount(0);
  await expect(page.getByTestId('offer-tx-code')).toHaveCount(0);
  await expect(page.getByTestId('offer-link')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel this offer' })).toHaveCount(0);
  await expect(page.getByTestId('offer-credentials').locator('.nhsuk-tag')).toHaveText(['Not collected yet', 'Not collected yet']);
  await expect(page.getByText('You can offer the credentials that were not collected again, with a new QR code.')).toBeVisible();
  expect(await unchanged(), 'the offer page was not loaded again').toBe(true);
  await checkPage(page, 'wallet-expiry-02-expired');

  // The expired offer's link gets nothing.
  const holder = await TestWallet.create(undefined, 'ES256');
  await expect(holder.collect(oldLink, { txCode: oldCode })).rejects.toThrow();
  expect(holder.list()).toEqual([]);

  // ---- A new offer, by keyboard, and collected at once ----
  await press(page, page.getByRole('button', { name: 'Make a new offer' }));
  await expect(page).not.toHaveURL(firstOfferUrl);
  await expect(h1(page)).toHaveText('Offer identity and access key to Jane Smith');
  await expect(state).toHaveAttribute('data-state', 'waiting');
  const newLink = await scanQr(page.getByTestId('offer-qr'), 'wallet-expiry-03-new-offer-qr');
  expect(newLink).not.toBe(oldLink);
  expect(newLink).toBe(await page.getByTestId('offer-link').inputValue());
  const newCode = (await page.getByTestId('offer-tx-code').innerText()).replace(/\s+/g, '');
  const collected = await holder.collect(newLink, { txCode: newCode });
  expect(collected.map((credential) => credential.types.at(-1)).sort()).toEqual(['NHSAccessKeyCredential', 'NHSIdentityCredential']);
  await expect(state).toHaveAttribute('data-state', 'accepted');
  await expect(page.getByRole('heading', { name: 'Credentials accepted' })).toBeVisible();
  await checkPage(page, 'wallet-expiry-04-new-offer-accepted');

  // The passport lists both offers: the expired one and the new one, accepted.
  await press(page, page.getByRole('link', { name: 'Back to Jane Smith’s passport' }));
  await expect(h1(page)).toHaveText('Jane Smith');
  const offers = page.getByTestId('passport-offers').locator('li');
  await expect(offers).toHaveCount(2);
  await expect(offers.locator('.nhsuk-tag')).toHaveText(['Accepted', 'Expired']);
  await expect(page.getByText(/Identity credential – due since/)).toHaveCount(0);
  // Only what the wallet collected is listed as issued: the two from the new offer, not the expired offer's.
  const issued = page.getByTestId('issued-identity');
  await expect(issued.locator(':scope > li')).toHaveCount(2);
  await expect(issued.locator('.nhsuk-tag')).toHaveText(['Accepted', 'Accepted']);
  await expect(issued).not.toContainText('Not collected yet');
  await checkPage(page, 'wallet-expiry-05-person-after');
});
