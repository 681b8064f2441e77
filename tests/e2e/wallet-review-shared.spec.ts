// Asking a staff member's wallet to share, in a real browser: the wallet holds a core skill another
// trust issued (a second instance, on this trust's list of trusted issuers) and one signed by an
// issuer nobody trusts. HR asks for core skills by keyboard, the test wallet scans the request's QR
// code from a screenshot and answers; the request page follows by events to "shared"; HR reviews
// both with their checks, accepts the genuine one, rejects the other, and sees the decisions saved.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { checkPage, door, identityConfirmedThroughTheDoor, markPage, press, problem, scanQr, signInHrUserThroughTheDoor, startSignedIn, tabTo, type RunningApp } from './support.ts';
import { CORE_SKILL, PROVENANCE } from '../support/credentials.ts';
import { TestWallet } from '../wallet/wallet.ts';

const SOUTHAMPTON = { odsCode: 'RHM', trustName: 'University Hospital Southampton NHS Foundation Trust' };
const JANE = { firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@nhs.net', mobile: '07911 123456' };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let running: RunningApp | null = null;
let southampton: OtherTrust | null = null;
test.afterEach(async () => {
  await running?.stop();
  running = null;
  await southampton?.stop();
  southampton = null;
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

interface OtherTrust {
  did: string;
  didDocument: string;
  /** The core skill it issued to the holder. */
  coreSkill: string;
  stop(): Promise<void>;
}

/**
 * Another trust's Staff Passport: its own store, signing key and public server (where its status
 * list is), made with the integration tests' startApp, that issues a core skill to the holder. It
 * runs in a Node process of its own because Playwright's TypeScript loader applies the tsconfig
 * `paths`, which point better-sqlite3-multiple-ciphers at its type declarations.
 */
async function startSouthampton(holderDid: string): Promise<OtherTrust> {
  const script = `
    import { call, removeDir, startApp, tempDir } from './tests/support/app.ts';
    import { invite, person } from './tests/support/staff.ts';
    import { coreSkillRequest } from './tests/support/credentials.ts';
    const dir = tempDir('dsp-e2e-southampton-');
    const app = await startApp(dir);
    await app.startPublicServer({ address: '127.0.0.1', port: 0 });
    const admin = { adminName: 'Sam Lee', adminEmail: 'sam.lee@nhs.net', password: 'correct horse battery staple' };
    await call(app, 'setup.start', { odsCode: '${SOUTHAMPTON.odsCode}', trustName: '${SOUTHAMPTON.trustName}', ...admin, confirmPassword: admin.password });
    await call(app, 'setup.finish', { recoveryCodeStored: true });
    await call(app, 'session.signIn', { email: admin.adminEmail, password: admin.password });
    const passportId = await invite(app, person(1, { firstName: 'Jane', lastName: 'Smith' }));
    const { jwt } = await app.credentials.issuer.issue(coreSkillRequest(passportId, process.env.HOLDER_DID));
    const { did } = await app.credentials.identity.get();
    process.stdout.write(JSON.stringify({ did, didDocument: JSON.stringify(await app.credentials.didDocument()), coreSkill: jwt }) + '\\n');
    process.once('SIGTERM', async () => {
      await app.close();
      removeDir(dir);
      process.exit(0);
    });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { cwd: ROOT, env: { ...process.env, HOLDER_DID: holderDid }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the other trust did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the other trust exited (${code}): ${stderr}`)));
  });
  const started = JSON.parse(first) as Omit<OtherTrust, 'stop'>;
  return {
    ...started,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A core skill signed by an issuer on nobody's list (a did:jwk made up for the test). */
async function selfIssuedCoreSkill(subject: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const did = `did:jwk:${Buffer.from(JSON.stringify(await exportJWK(publicKey))).toString('base64url')}`;
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', 'NHSCoreSkillCredential'], credentialSubject: { id: subject, ...CORE_SKILL, provenance: PROVENANCE } },
  })
    .setProtectedHeader({ alg: 'ES256', kid: `${did}#0`, typ: 'JWT' })
    .setIssuer(did)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .sign(privateKey);
}

/** Opens a card's "The checks" and returns the list of checks. */
async function checksOf(card: Locator): Promise<Locator> {
  const details = card.locator('details').filter({ hasText: 'The checks' });
  await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
  return details.locator('.nhsuk-details__text');
}

test('HR asks for core skills, the wallet shares a trusted and an untrusted one, HR accepts the genuine one and rejects the other', async ({ page }) => {
  test.setTimeout(180_000);
  // Jane's wallet: a core skill from Southampton, and one from an issuer nobody trusts.
  const holder = await TestWallet.create(undefined, 'ES256');
  southampton = await startSouthampton(holder.did);
  await holder.add(southampton.coreSkill);
  await holder.add(await selfIssuedCoreSkill(holder.did));

  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  // The administrator puts the other trust on the list (that screen has its own test).
  await door(page, 'trustedIssuers.add', { odsCode: SOUTHAMPTON.odsCode, name: SOUTHAMPTON.trustName, did: southampton.did, didDocument: southampton.didDocument });
  await signInHrUserThroughTheDoor(page, running);
  const passportId = await identityConfirmedThroughTheDoor(page, JANE);

  await page.goto(`${new URL(running.url).origin}/#/people/${passportId}`);
  await expect(h1(page)).toHaveText('Jane Smith');

  // ---- Ask, by keyboard ----
  await press(page, page.getByTestId('passport-wallet').getByRole('link', { name: 'Ask for credentials' }));
  await expect(h1(page)).toHaveText('Which credentials do you want Jane to share?');
  await press(page, page.getByRole('button', { name: 'Ask for these credentials' }));
  await expect(problem(page)).toContainText('Choose at least one type of credential to ask for');
  await checkPage(page, 'wallet-shared-01-ask-nothing-chosen');
  // Named in the plural: a person may hold several core skills, and every one is asked for.
  const coreSkill = page.getByRole('checkbox', { name: 'Core skills', exact: true });
  await tabTo(page, coreSkill);
  await page.keyboard.press('Space');
  await expect(coreSkill).toBeChecked();
  await checkPage(page, 'wallet-shared-02-ask');
  await press(page, page.getByRole('button', { name: 'Ask for these credentials' }));

  // ---- The request: scanned from the screen and answered ----
  await expect(h1(page)).toHaveText('Ask Jane Smith to share their core skills');
  const state = page.getByTestId('request-state');
  await expect(state).toHaveAttribute('data-state', 'waiting');
  await expect(page.getByTestId('request-asked')).toHaveText('Core skills');
  await checkPage(page, 'wallet-shared-03-request');
  const scanned = await scanQr(page.getByTestId('request-qr'), 'wallet-shared-04-request-qr');
  expect(scanned).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aweb%3A/);
  expect(scanned).toBe(await page.getByTestId('request-link').inputValue());
  // The trust's did:web names no port; its document is on the public server the link points at.
  const publicOrigin = new URL(new URL(scanned).searchParams.get('request_uri')!).origin;

  const unchanged = await markPage(page);
  const answer = await holder.present(scanned, { didWebOrigin: publicOrigin });
  expect(answer.status).toBe(200);
  expect(answer.shared.flatMap((entry) => entry.credentials)).toHaveLength(2);

  await expect(state).toHaveAttribute('data-state', 'shared');
  await expect(state).toContainText('Jane shared 2 credentials.');
  await expect(page.getByTestId('request-qr')).toHaveCount(0);
  await expect(page.getByTestId('request-link')).toHaveCount(0);
  expect(await unchanged(), 'the request page was not loaded again').toBe(true);
  await checkPage(page, 'wallet-shared-05-request-shared');

  // ---- Review ----
  await press(page, page.getByRole('link', { name: 'Review what they shared' }));
  await expect(h1(page)).toHaveText('Review shared credentials');
  const cards = page.locator('article[data-testid^="shared-"]');
  await expect(cards).toHaveCount(2);
  const trusted = cards.filter({ hasText: `${SOUTHAMPTON.trustName} (${SOUTHAMPTON.odsCode})` });
  const stranger = cards.filter({ hasText: 'Not an organisation Staff Passport knows' });
  await expect(trusted).toHaveCount(1);
  await expect(stranger).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Core skills training information' })).toBeVisible();

  // Each card is headed with the skill, not just "Core skill", and the decision names it for screen readers.
  const skill = `${CORE_SKILL.competencyName} – level ${CORE_SKILL.subjectLevel}`;
  await expect(cards.getByTestId('shared-title')).toHaveText([`Core skill: ${skill}`, `Core skill: ${skill}`]);
  await expect(trusted.getByRole('group', { name: `Do you accept this core skill credential (${skill})?` })).toBeVisible();
  // Dates are written as UK dates, not as the ISO text the credential carries.
  const claim = (card: Locator, label: string) => card.locator('.nhsuk-summary-list__row').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  expect(CORE_SKILL.dateLastAwarded).toBe('2025-11-01');
  await expect(claim(trusted, 'Date last awarded')).toHaveText('1 November 2025');
  expect(PROVENANCE.lastRefresh).toBe('2026-11-20T12:00:00Z');
  await expect(claim(trusted, 'Last updated from its source')).toHaveText(/^20 November 2026 at \d{2}:\d{2}$/);
  await expect(claim(stranger, 'Date last awarded')).toHaveText('1 November 2025');
  await expect(page.getByRole('main')).not.toContainText(CORE_SKILL.dateLastAwarded);
  await expect(page.getByRole('main')).not.toContainText('T12:00');

  await expect(trusted.getByTestId('shared-outcome')).toHaveText('Verified');
  await expect(trusted).toContainText(CORE_SKILL.competencyName);
  const trustedChecks = await checksOf(trusted);
  await expect(trustedChecks).toContainText(`Issued by ${SOUTHAMPTON.trustName} (${SOUTHAMPTON.odsCode}), which is on your list of trusted issuers.`);
  await expect(trustedChecks.locator('.nhsuk-tag').filter({ hasText: 'Failed' })).toHaveCount(0);

  await expect(stranger.getByTestId('shared-outcome')).toHaveText('Failed checks');
  const strangerChecks = await checksOf(stranger);
  const issuerCheck = strangerChecks.locator('li').filter({ hasText: 'Issuer is trusted' });
  await expect(issuerCheck).toContainText('Its issuer is not on your list of trusted issuers.');
  await expect(issuerCheck.locator('.nhsuk-tag')).toHaveText('Failed');
  // It cannot be accepted, and the page says why.
  await expect(stranger.getByRole('radio', { name: 'Accept' })).toBeDisabled();
  await expect(stranger).toContainText('You cannot accept it: only credentials that pass every check can be accepted.');
  await checkPage(page, 'wallet-shared-06-review');

  // Nothing chosen yet.
  await press(page, page.getByRole('button', { name: 'Confirm decisions' }));
  await expect(problem(page)).toContainText('Choose accept or reject for at least one credential');

  // Accept the genuine one, reject the other: by keyboard.
  await tabTo(page, trusted.getByRole('radio', { name: 'Accept' }));
  await page.keyboard.press('Space');
  await tabTo(page, stranger.getByRole('radio', { name: 'Reject' }));
  await page.keyboard.press('Space');
  await expect(trusted.getByRole('radio', { name: 'Accept' })).toBeChecked();
  await expect(stranger.getByRole('radio', { name: 'Reject' })).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Confirm decisions' }));

  const banner = page.locator('.nhsuk-notification-banner--success');
  await expect(banner).toContainText('Your decisions are saved');
  await expect(banner).toContainText('You accepted 1 credential and rejected 1 credential.');
  await expect(banner).toBeFocused();
  await expect(problem(page)).toHaveCount(0);
  await expect(trusted.locator('.nhsuk-tag').last()).toHaveText('Accepted');
  await expect(stranger.locator('.nhsuk-tag').last()).toHaveText('Rejected');
  await expect(page.getByRole('radio')).toHaveCount(0);
  await expect(page.getByText('There is nothing waiting for your decision.')).toBeVisible();
  await checkPage(page, 'wallet-shared-07-decided');

  // The passport lists the request by what was asked for, in the plural.
  await press(page, page.getByRole('link', { name: 'Back to Jane Smith’s passport' }));
  await expect(h1(page)).toHaveText('Jane Smith');
  await expect(page.getByTestId('passport-requests').locator('li a')).toHaveText(['Request for core skills']);

  // The decisions stay: read again from the main side.
  const { credentials } = await door<{ credentials: Array<{ issuer: { odsCode: string | null }; decision: string }> }>(page, 'wallet.sharedCredentials', { passportId });
  expect(credentials.map((credential) => [credential.issuer.odsCode, credential.decision]).sort()).toEqual([
    ['RHM', 'accepted'],
    [null, 'rejected'],
  ].sort());
});
