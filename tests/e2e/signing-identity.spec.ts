// The trust's signing identity in a real browser: an administrator finds it from the home page,
// sees the DID and its one key, downloads the DID document, rotates the key by keyboard alone to
// a P-256 key, and sees the new key signing with the old one still listed; downloads a status list
// showing a credential revoked through the door; an HR user sees none of it.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, checkPage, door, press, signIn, startWebApp, tabTo, type RunningApp, signInHrUserThroughTheDoor, startSignedIn } from './support.ts';
import { Bitstring } from '../../main/credentials/status/bitstring.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DID = 'did:web:localhost:trusts:rhq';
const DOCUMENT_URL = 'https://localhost/trusts/rhq/did.json';

let running: RunningApp;
let downloads: string;
test.beforeEach(() => {
  downloads = mkdtempSync(join(tmpdir(), 'dsp-e2e-downloads-'));
});
test.afterEach(async () => {
  await running.stop();
  rmSync(downloads, { recursive: true, force: true });
});

function success(page: Page): Locator {
  return page.getByRole('alert').filter({ hasText: 'Success' });
}

/** Presses the download button and returns what the browser saved. */
async function downloadDidDocument(page: Page): Promise<{ fileName: string; document: { id: string; verificationMethod: Array<{ id: string; publicKeyJwk: { kty: string; crv: string } }> } }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the DID document' }).click();
  const download = await downloading;
  const saved = join(downloads, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(saved);
  return { fileName: download.suggestedFilename(), document: JSON.parse(readFileSync(saved, 'utf8')) as Awaited<ReturnType<typeof downloadDidDocument>>['document'] };
}

test('an administrator sees the signing identity, downloads the DID document and rotates the key by keyboard', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();

  await page.getByRole('main').getByRole('link', { name: "Your trust's signing identity" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Your trust's signing identity");
  await expect(page).toHaveTitle("Your trust's signing identity – Staff Passport");
  const summary = page.getByTestId('identity-summary');
  await expect(summary).toContainText(DID);
  await expect(summary).toContainText(`Where to publish the DID document${DOCUMENT_URL}`);
  await expect(summary).toContainText('Key last rotatedNever');
  const keys = page.getByRole('table', { name: 'Signing keys' }).getByRole('row');
  await expect(keys).toHaveCount(2); // the header and one key
  await expect(page.getByTestId('key-key-1')).toContainText('Ed25519');
  await expect(page.getByTestId('key-key-1')).toContainText('Signs new credentials');
  await expect(page.getByTestId('no-status-lists')).toHaveText('There are no status lists yet. Staff Passport starts them when it gives out the first credential.');
  await checkPage(page, 'signing-identity-01-one-key');

  // The document IT publishes: this DID, with its one key.
  const first = await downloadDidDocument(page);
  expect(first.fileName).toBe('did.json');
  expect(first.document.id).toBe(DID);
  expect(first.document.verificationMethod.map((method) => method.id)).toEqual([`${DID}#key-1`]);

  // Rotate, by keyboard alone: to the confirm page, choose P-256, confirm.
  await press(page, page.getByRole('link', { name: 'Rotate the signing key' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rotate the signing key');
  await expect(page.getByRole('main')).toContainText('A new key will sign new credentials. Credentials signed with earlier keys still verify');
  await expect(page.getByRole('main')).toContainText(`You must publish the new DID document at ${DOCUMENT_URL} straight after.`);
  await expect(page.getByRole('heading', { name: 'Important: Tell your IT team first' })).toBeVisible();
  await expect(page.getByLabel('Ed25519')).toBeChecked();
  await checkPage(page, 'signing-identity-02-rotate');

  await tabTo(page, page.getByLabel('Ed25519'));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('P-256')).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Rotate the key' }));

  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Your trust's signing identity");
  await expect(success(page)).toContainText('The signing key has been rotated');
  await expect(success(page)).toContainText('The new key, key-2, now signs new credentials.');
  await expect(success(page)).toContainText(`ask your IT team to publish it at ${DOCUMENT_URL} straight away`);
  await expect(keys).toHaveCount(3);
  await expect(page.getByTestId('key-key-2')).toContainText('P-256');
  await expect(page.getByTestId('key-key-2')).toContainText('Signs new credentials');
  await expect(page.getByTestId('key-key-1')).toContainText('Still verifies older credentials');
  await expect(summary).not.toContainText('Key last rotatedNever');
  await checkPage(page, 'signing-identity-03-rotated');

  // The document to publish now carries both keys, the new one on P-256.
  const second = await downloadDidDocument(page);
  expect(second.document.verificationMethod.map((method) => [method.id, method.publicKeyJwk.crv]).sort()).toEqual([
    [`${DID}#key-1`, 'Ed25519'],
    [`${DID}#key-2`, 'P-256'],
  ]);

  // Cancel leaves the keys as they are.
  await page.getByRole('link', { name: 'Rotate the signing key' }).click();
  await expect(page.getByLabel('P-256')).toBeChecked(); // the current key's type
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Your trust's signing identity");
  await expect(success(page)).toHaveCount(0);
  await expect(keys).toHaveCount(3);
});

/**
 * A data folder where the trust has already given one credential (there is no screen for that
 * yet), set up with the same administrator the browser signs in as. In a Node process of its own:
 * the store's driver does not load under Playwright's module loader.
 */
function dataFolderWithOneCredential(): { dataDir: string; credentialId: string; statusIndex: number } {
  const dataDir = mkdtempSync(join(tmpdir(), 'dsp-e2e-'));
  const seed = `
    import { setUpTrust, signInAdmin, startApp } from './tests/support/app.ts';
    import { invite, person } from './tests/support/staff.ts';
    import { CORE_SKILL, coreSkillRequest, newWallet } from './tests/support/credentials.ts';
    const app = await startApp(process.argv[1]);
    await setUpTrust(app);
    await signInAdmin(app);
    const passportId = await invite(app, person(1));
    const claims = { ...CORE_SKILL, dateLastAwarded: new Date().toISOString().slice(0, 10) };
    const issued = await app.credentials.issuer.issue(coreSkillRequest(passportId, (await newWallet()).did, { claims }));
    await app.close();
    process.stdout.write(JSON.stringify({ credentialId: issued.id, statusIndex: issued.statusIndex }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '--eval', seed, dataDir], { cwd: ROOT, encoding: 'utf8' });
  return { dataDir, ...(JSON.parse(out) as { credentialId: string; statusIndex: number }) };
}

test('the status lists download as the signed lists verifiers fetch, showing a revocation', async ({ page }) => {
  const seeded = dataFolderWithOneCredential();
  const started = await startWebApp({ dataDir: seeded.dataDir });
  running = {
    ...started,
    stop: async () => {
      await started.stop();
      rmSync(seeded.dataDir, { recursive: true, force: true });
    },
  };
  await page.goto(running.url);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();

  // Revoked through the door, as HR will from the passport screens (which come later).
  await door(page, 'credentials.revoke', { credentialId: seeded.credentialId, reason: 'left-organisation' });

  await page.getByRole('main').getByRole('link', { name: "Your trust's signing identity" }).click();
  await expect(page.getByTestId('no-status-lists')).toHaveCount(0);
  const revocations = page.getByTestId('status-list-revocation-1');
  await expect(revocations).toContainText('Revocation list');
  await expect(revocations).toContainText('1 credential');
  await expect(page.getByTestId('status-list-suspension-1')).toContainText('Suspension list');
  await checkPage(page, 'signing-identity-04-status-lists');

  const downloading = page.waitForEvent('download');
  await revocations.getByRole('button', { name: 'Download the revocation list' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^[0-9a-f-]{36}\.jwt$/);
  const saved = join(downloads, download.suggestedFilename());
  await download.saveAs(saved);
  const jwt = readFileSync(saved, 'utf8');
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string; vc: { credentialSubject: { statusPurpose: string; encodedList: string } } };
  expect(payload.iss).toBe(DID);
  expect(payload.vc.credentialSubject.statusPurpose).toBe('revocation');
  expect(Bitstring.decode(payload.vc.credentialSubject.encodedList).get(seeded.statusIndex)).toBe(true);
});

test('an HR user has no signing identity screens', async ({ page }) => {
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();

  await signInHrUserThroughTheDoor(page, running);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(page.getByRole('link', { name: "Your trust's signing identity" })).toHaveCount(0);

  for (const path of ['/#/signing-identity', '/#/signing-identity/rotate']) {
    await page.goto(`${new URL(running.url).origin}${path}`);
    await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  }
  await expect(door(page, 'signingIdentity.rotate', { confirm: true })).rejects.toThrow(/forbidden/);
});
