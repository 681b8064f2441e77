// The trusted-issuer list in a real browser: an administrator adds an NHS organisation with its DID
// and DID document (a real Ed25519 public key), exports the list, removes the organisation and
// imports the exported file to bring it back; an HR user sees none of it.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepScreenshot, type RunningApp, door, press, checkPage, problem, signInHrUserThroughTheDoor, startSignedIn } from './support.ts';

let running: RunningApp;
let downloads: string;
test.beforeEach(() => {
  downloads = mkdtempSync(join(tmpdir(), 'dsp-e2e-downloads-'));
});
test.afterEach(async () => {
  await running.stop();
  rmSync(downloads, { recursive: true, force: true });
});

const LEEDS = { odsCode: 'RR8', name: 'Leeds Teaching Hospitals NHS Trust', did: 'did:web:passport.leedsth.nhs.uk' };

/** A DID document as an NHS organisation publishes it: one Ed25519 public key, for signing credentials. */
function didDocumentFor(did: string): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } }],
    assertionMethod: [`${did}#key-1`],
  };
  return JSON.stringify(document, null, 2);
}

function success(page: Page): Locator {
  return page.getByRole('alert').filter({ hasText: 'Success' });
}

test('an administrator adds, exports, removes and imports a trusted issuer', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Trusted issuers' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Trusted issuers' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trusted issuers');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('main')).toContainText('Staff Passport accepts them only if the organisation that signed them is on this list.');
  await expect(page.getByText('No other organisations are on the list yet.')).toBeVisible();
  // This trust is on its own list from set-up, with its DID, and cannot be removed.
  const own = page.getByRole('row').filter({ hasText: 'did:web:localhost:trusts:rhq' });
  await expect(own).toContainText('Your trust');
  await expect(own.getByRole('link', { name: /Remove/ })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Trusted issuers' })).toHaveAttribute('aria-current', 'page');
  await checkPage(page, 'trusted-issuers-01-list-empty');

  // Add an organisation: nothing filled in, then a DID document that is not JSON.
  await page.getByRole('link', { name: 'Add an organisation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add an organisation');
  await expect(page.getByText('Starts with did:web:, for example did:web:passport.leedsth.nhs.uk')).toBeVisible();
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(problem(page)).toContainText('Enter the organisation name');
  await expect(problem(page).getByRole('link')).toHaveCount(4);

  await page.getByLabel('ODS code').fill(LEEDS.odsCode);
  await page.getByLabel('Organisation name').fill(LEEDS.name);
  await page.getByLabel('DID', { exact: true }).fill(LEEDS.did);
  await page.getByLabel('DID document').fill('{ "id": "did:web:passport.leedsth.nhs.uk", ');
  await press(page, page.getByRole('button', { name: 'Add organisation' }));
  await expect(problem(page)).toContainText('The DID document must be JSON');
  await expect(problem(page).getByRole('link')).toHaveCount(1);
  await expect(page).toHaveTitle(/^Error: /);
  await problem(page).getByRole('link', { name: /must be JSON/ }).click();
  await expect(page.getByLabel('DID document')).toBeFocused();
  await checkPage(page, 'trusted-issuers-02-add-errors');

  await page.getByLabel('DID document').fill(didDocumentFor(LEEDS.did));
  await keepScreenshot(page, 'trusted-issuers-03-add-filled');
  await press(page, page.getByRole('button', { name: 'Add organisation' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trusted issuers');
  await expect(success(page)).toContainText(`${LEEDS.name} has been added to the trusted issuers`);
  const row = page.getByTestId(`issuer-${LEEDS.odsCode}`);
  await expect(row).toContainText(`${LEEDS.name} (${LEEDS.odsCode})`);
  await expect(row).toContainText(`${LEEDS.did} (1 key)`);
  await expect(page.getByText('No other organisations are on the list yet.')).toHaveCount(0);
  await checkPage(page, 'trusted-issuers-04-list-added');

  // Export: the file the browser saves is the list, with the organisation's DID in it.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the list' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('trusted-issuers.json');
  const exported = join(downloads, download.suggestedFilename());
  await download.saveAs(exported);
  const content = readFileSync(exported, 'utf8');
  expect(content).toContain(LEEDS.did);
  const inFile = (JSON.parse(content) as { issuers: unknown[] }).issuers.length;

  // Remove, by keyboard alone.
  await press(page, page.getByRole('link', { name: `Remove ${LEEDS.name}` }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Are you sure you want to remove ${LEEDS.name} from the trusted issuers?`);
  await expect(page.getByRole('main')).toContainText('issuer not trusted');
  await expect(page.getByRole('link', { name: 'No, go back' })).toBeVisible();
  await checkPage(page, 'trusted-issuers-05-remove');
  await press(page, page.getByRole('button', { name: 'Yes, remove' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trusted issuers');
  await expect(success(page)).toContainText(`${LEEDS.name} has been removed from the trusted issuers`);
  await expect(row).toHaveCount(0);
  await expect(page.getByText('No other organisations are on the list yet.')).toBeVisible();

  // Import: a file that is not a list is refused on the file field; the exported file brings it back.
  await page.getByRole('button', { name: 'Import the list' }).click();
  await expect(problem(page)).toContainText('Select a trusted-issuer list file');
  await page.getByLabel('Upload a trusted-issuer list file').setInputFiles({ name: 'not-a-list.json', mimeType: 'application/json', buffer: Buffer.from('this is not JSON') });
  await page.getByRole('button', { name: 'Import the list' }).click();
  await expect(problem(page)).toContainText('not a trusted-issuer list');
  await problem(page).getByRole('link').click();
  await expect(page.getByLabel('Upload a trusted-issuer list file')).toBeFocused();
  await checkPage(page, 'trusted-issuers-06-import-error');

  await page.getByLabel('Upload a trusted-issuer list file').setInputFiles(exported);
  await page.getByRole('button', { name: 'Import the list' }).click();
  await expect(success(page)).toContainText(`${inFile} ${inFile === 1 ? 'organisation' : 'organisations'} added from the file`);
  await expect(problem(page)).toHaveCount(0);
  await expect(row).toContainText(`${LEEDS.did} (1 key)`);
  await checkPage(page, 'trusted-issuers-07-imported');
});

test('an HR user has no trusted-issuer list', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();

  // The HR user is made and signed in through the door; the screens are looked at afterwards.
  await signInHrUserThroughTheDoor(page, running);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Ben Okafor');
  await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link')).toHaveText(['Home', 'Identity and access', 'Staff passports', 'Settings']);
  await expect(page.getByRole('link', { name: 'Trusted issuers' })).toHaveCount(0);

  await page.goto(`${new URL(running.url).origin}/#/trusted-issuers`);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Trusted issuers');
  await expect(door(page, 'trustedIssuers.list', {})).rejects.toThrow(/trustedIssuers.list failed/);
});
