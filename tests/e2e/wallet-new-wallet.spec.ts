// A lost phone, in a real browser: Jane's identity credential and access key are in her old wallet,
// and the old phone has started collecting a second offer. HR records by keyboard that she has a
// new wallet: the page asks for a reason first, then the offer the old phone started is cancelled
// (it cannot finish it), the history says so, and her new wallet collects a new offer.
import { test, expect, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { checkPage, door, identityConfirmedThroughTheDoor, press, problem, signInHrUserThroughTheDoor, startSignedIn, type RunningApp } from './support.ts';
import { TestWallet } from '../wallet/wallet.ts';
import type { OfferView } from '../../main/wallet/contract.ts';

let running: RunningApp | null = null;
test.afterEach(async () => {
  await running?.stop();
  running = null;
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const JANE = { firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@nhs.net', mobile: '07911 123456' };

/** What the old phone does with an offer before it is lost: scans it and redeems the code, but collects nothing. */
async function startCollecting(offer: OfferView): Promise<number> {
  const reference = decodeURIComponent(offer.offerUri!.split('credential_offer_uri=')[1]!);
  const object = (await (await fetch(reference)).json()) as { credential_issuer: string; grants: Record<string, { 'pre-authorized_code': string }> };
  const code = object.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, tx_code: offer.txCode! });
  const response = await fetch(`${object.credential_issuer}/oid4vci/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return response.status;
}

test('HR records that a staff member has a new wallet by keyboard; the offer the lost phone started is cancelled and the new wallet collects', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await identityConfirmedThroughTheDoor(page, JANE);

  const oldPhone = await TestWallet.create(undefined, 'ES256');
  const first = await door<OfferView>(page, 'wallet.offerIdentity', { passportId });
  await oldPhone.collect(first.offerUri!, { txCode: first.txCode! });
  const second = await door<OfferView>(page, 'wallet.offerIdentity', { passportId });
  expect(await startCollecting(second)).toBe(200);

  await page.goto(`${new URL(running.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText('Jane Smith');
  await press(page, page.getByRole('link', { name: 'They have a new wallet' }));
  await expect(h1(page)).toHaveText('Jane has a new wallet');
  await expect(page.getByText('Any offer their old wallet had started collecting is cancelled, so the old phone cannot finish it.')).toBeVisible();
  await checkPage(page, 'wallet-new-wallet-01-form');

  // No reason given: the page says what to do, and nothing is recorded.
  await press(page, page.getByRole('button', { name: 'Record the new wallet' }));
  await expect(problem(page)).toContainText('Enter why the staff member has a new wallet');
  await checkPage(page, 'wallet-new-wallet-02-no-reason');
  expect((await door<OfferView>(page, 'wallet.offer', { offerId: second.id })).state).toBe('scanned');

  await page.getByLabel('Why does Jane have a new wallet?').focus();
  await page.keyboard.type('She lost her phone on the train');
  await press(page, page.getByRole('button', { name: 'Record the new wallet' }));
  await expect(h1(page)).toHaveText('Jane Smith');
  await expect(page.getByText('Jane Smith’s new wallet is recorded')).toBeVisible();
  // The offer the old phone started is cancelled, and the history says why.
  await expect(page.getByTestId('passport-offers').locator('.nhsuk-tag')).toHaveText(['Cancelled', 'Accepted']);
  await expect(page.getByText('Recorded that the staff member has a new wallet: She lost her phone on the train')).toBeVisible();
  await expect(page.getByText('Credential offer the old wallet had started collecting cancelled')).toBeVisible();
  await checkPage(page, 'wallet-new-wallet-03-recorded');

  // Her new wallet collects a new offer; the old phone cannot collect from the cancelled one.
  const newPhone = await TestWallet.create(undefined, 'EdDSA');
  const third = await door<OfferView>(page, 'wallet.offerIdentity', { passportId });
  const collected = await newPhone.collect(third.offerUri!, { txCode: third.txCode! });
  expect(collected.every((credential) => decodeJwt(credential.jwt).sub === newPhone.did)).toBe(true);
  await expect(oldPhone.collect(second.offerUri!, { txCode: second.txCode! })).rejects.toThrow();
});
