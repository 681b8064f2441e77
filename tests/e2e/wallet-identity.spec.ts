// The identity credential and access key, in a real browser: once HR has confirmed someone's
// identity, HR offers both from the person's page by keyboard, the test wallet scans the QR code
// from a screenshot, types the transaction code read off the screen and collects; the offer page
// follows by events alone (no reload) to "accepted", and the passport no longer shows them as due.
import { test, expect, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { TRUST_NAME, checkPage, identityConfirmedThroughTheDoor, markPage, press, scanQr, signInHrUserThroughTheDoor, startSignedIn, type RunningApp } from './support.ts';
import { TestWallet } from '../wallet/wallet.ts';

let running: RunningApp | null = null;
test.afterEach(async () => {
  await running?.stop();
  running = null;
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const JANE = { firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@nhs.net', mobile: '07911 123456' };

test('HR offers the identity credential and access key by keyboard; the wallet scans, collects and accepts; the page follows by events', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await identityConfirmedThroughTheDoor(page, JANE);

  // The person's page: both are due, and the button says so.
  await page.goto(`${new URL(running.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText('Jane Smith');
  const wallet = page.getByTestId('passport-wallet');
  await expect(wallet.getByTestId('passport-offers')).toContainText('No offers made yet.');
  await expect(page.getByText(/Identity credential – due since/)).toBeVisible();
  await expect(page.getByText(/Access key – due since/)).toBeVisible();
  await checkPage(page, 'wallet-identity-01-person-due');

  await press(page, wallet.getByRole('button', { name: 'Offer identity credential and access key' }));
  await expect(h1(page)).toHaveText('Offer identity and access key to Jane Smith');
  await expect(h1(page)).toBeFocused();
  const state = page.getByTestId('offer-state');
  await expect(state).toHaveAttribute('data-state', 'waiting');
  await expect(state).toContainText('Waiting for Jane to scan the QR code.');
  await expect(page.getByTestId('offer-credentials')).toContainText('Identity');
  await expect(page.getByTestId('offer-credentials')).toContainText('Access key');
  await expect(page.getByText(/^Expires in \d+ minutes? \d+ seconds?$/)).toBeVisible();
  await checkPage(page, 'wallet-identity-02-offer');

  // What a phone sees: the QR code as drawn on screen, and the code HR reads out.
  const scanned = await scanQr(page.getByTestId('offer-qr'), 'wallet-identity-03-offer-qr');
  expect(scanned).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=http%3A%2F%2Flocalhost%3A\d+%2F/);
  expect(scanned).toBe(await page.getByTestId('offer-link').inputValue());
  const shownCode = await page.getByTestId('offer-tx-code').innerText();
  expect(shownCode).toMatch(/^\d( \d){5}$/);
  const txCode = shownCode.replace(/\s+/g, '');

  const unchanged = await markPage(page);
  const holder = await TestWallet.create(undefined, 'ES256');
  const collected = await holder.collect(scanned, { txCode });
  expect(collected.map((credential) => credential.types.at(-1)).sort()).toEqual(['NHSAccessKeyCredential', 'NHSIdentityCredential']);
  for (const credential of collected) expect(decodeJwt(credential.jwt).sub).toBe(holder.did);

  // The page moves on by itself: the wallet said it accepted both.
  await expect(state).toHaveAttribute('data-state', 'accepted');
  await expect(state).toContainText('Jane has accepted the credentials in their wallet.');
  await expect(page.getByRole('heading', { name: 'Credentials accepted' })).toBeVisible();
  await expect(page.getByTestId('offer-qr')).toHaveCount(0);
  await expect(page.getByTestId('offer-tx-code')).toHaveCount(0);
  await expect(page.getByTestId('offer-link')).toHaveCount(0);
  await expect(page.getByTestId('offer-credentials').locator('.nhsuk-tag')).toHaveText(['Accepted', 'Accepted']);
  expect(await unchanged(), 'the offer page was not loaded again').toBe(true);
  await checkPage(page, 'wallet-identity-04-accepted');

  // The offer is over: the same link gets nothing more.
  await expect(holder.collect(scanned, { txCode })).rejects.toThrow();

  // Back on the passport: nothing due, no offer button, the offer listed as accepted.
  await press(page, page.getByRole('link', { name: 'Back to Jane Smith’s passport' }));
  await expect(h1(page)).toHaveText('Jane Smith');
  await expect(wallet.getByTestId('passport-offers')).toContainText('Offer of identity and access key');
  await expect(wallet.getByTestId('passport-offers').locator('.nhsuk-tag')).toHaveText('Accepted');
  await expect(page.getByText(/Identity credential – due since/)).toHaveCount(0);
  await expect(page.getByText(/Access key – due since/)).toHaveCount(0);
  await expect(wallet.getByRole('button', { name: /^Offer / })).toHaveCount(0);
  // Both credentials are listed under their category as issued to her wallet, and accepted.
  const issued = page.getByRole('list', { name: 'Issued to Jane’s wallet' });
  await expect(issued).toHaveCount(1);
  await expect(issued).toHaveAttribute('data-testid', 'issued-identity');
  await expect(issued.locator(':scope > li')).toHaveCount(2);
  await expect(issued.locator(':scope > li strong:not(.nhsuk-tag)')).toHaveText(['Identity', `Access key for ${TRUST_NAME}`]);
  await expect(issued.locator('.nhsuk-tag')).toHaveText(['Accepted', 'Accepted']);
  await expect(issued.locator('.dsp-issued__when')).toHaveText([/^Issued \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} – see the offer Identity came in$/, /^Issued .* – see the offer Access key for .* came in$/]);
  // Each link names its credential, so a screen reader's list of links tells them apart.
  await expect(issued.getByRole('link', { name: 'see the offer Identity came in' })).toHaveCount(1);
  await expect(issued.getByRole('link', { name: `see the offer Access key for ${TRUST_NAME} came in` })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Identity and New Starter Information' })).not.toContainText('No credentials yet');
  await checkPage(page, 'wallet-identity-05-person-after');
  // Each links to the offer it came in.
  await press(page, issued.getByRole('link').first());
  await expect(h1(page)).toHaveText('Offer identity and access key to Jane Smith');
});
