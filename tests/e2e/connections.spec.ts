// Connections to authoritative systems in a real browser, against the real sandbox systems: an
// administrator adds ESR by keyboard alone (refused answers first), sees the event API key once,
// downloads the public key set and registers it with the sandbox, tests the connection (every
// step passes); a wrong client ID fails at the token step; a system that says it is down shows as
// not working on the connections list and on every user's home page, and the warning goes when it
// recovers, without reloading; changing a connection (with a stale version) and removing one.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPage, door, press, problem, tabTo, signInHrUserThroughTheDoor, startSignedIn, type RunningApp } from './support.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { generatePopulation } from '../sandbox/population.ts';

const READ = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records'] as const;

let sandbox: Sandbox;
let running: RunningApp | null = null;
let downloads: string;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11, population: generatePopulation({ seed: 11, size: 500 }) });
});
test.afterAll(async () => {
  await sandbox.close();
});
test.beforeEach(() => {
  downloads = mkdtempSync(join(tmpdir(), 'dsp-e2e-downloads-'));
  sandbox.faults.reset();
});
test.afterEach(async () => {
  await running?.stop();
  running = null;
  rmSync(downloads, { recursive: true, force: true });
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const success = (page: Page) => page.getByRole('alert').filter({ hasText: 'Success' });
const origin = () => new URL(running!.url).origin;

/** Adds a connection through the door (the screens for adding have their own test) and returns its id. */
async function addThroughTheDoor(page: Page, clientId: string, name = 'ESR'): Promise<{ connectionId: string; jwks: { keys: unknown[] } }> {
  const added = await door<{ connectionId: string; jwks: { content: string } }>(page, 'connections.add', {
    kind: 'esr',
    name,
    baseUrl: sandbox.systems.esr.baseUrl,
    organisation: 'RHQ',
    tokenUrl: sandbox.tokenUrl,
    clientId,
    operations: [...READ],
  });
  return { connectionId: added.connectionId, jwks: JSON.parse(added.jwks.content) as { keys: unknown[] } };
}

function register(clientId: string, jwks: { keys: unknown[] }): void {
  sandbox.registerClient({ clientId, jwks: jwks as Parameters<Sandbox['registerClient']>[0]['jwks'], permissions: [{ system: 'esr', organisation: 'RHQ', operations: [...READ] }] });
}

async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('an administrator adds ESR by keyboard, sees the event API key once, registers the key set and tests the connection', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();

  // From Home, by keyboard.
  await press(page, page.getByRole('main').getByRole('link', { name: 'Connections to other systems' }));
  await expect(h1(page)).toHaveText('Connections to other systems');
  await expect(page).toHaveTitle('Connections to other systems – Staff Passport');
  await expect(page.getByTestId('no-connections')).toBeVisible();
  await checkPage(page, 'connections-01-none');

  await press(page, page.getByRole('link', { name: 'Add a connection' }));
  await expect(h1(page)).toHaveText('Add a connection');
  await expect(h1(page)).toBeFocused();
  // The organisation starts as the trust's own; the usual read operations are ticked.
  await expect(page.getByLabel('Organisation (ODS code)')).toHaveValue('RHQ');
  await expect(page.getByLabel('Search for an employee')).toBeChecked();
  await expect(page.getByLabel('Add a record')).not.toBeChecked();

  // Nothing answered: each missing answer is named, in the form's order, and the summary has focus.
  await press(page, page.getByRole('button', { name: 'Add connection' }));
  const summary = problem(page);
  await expect(summary).toBeVisible();
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(summary.getByRole('listitem')).toHaveText(['Choose the kind of system', 'Enter a name for this connection', 'Enter the base URL', 'Enter the token URL', 'Enter the client ID the system gave you']);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('#name-error')).toContainText('Enter a name for this connection');
  await summary.getByRole('link', { name: 'Choose the kind of system' }).click();
  await expect(page.getByLabel('ESR')).toBeFocused();
  await checkPage(page, 'connections-02-add-errors');

  // The kind of system ticks what such systems usually allow: a learning system takes records too.
  await page.keyboard.press('Space');
  await expect(page.getByLabel('ESR')).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Learning management system')).toBeChecked();
  await expect(page.getByLabel('Add a record')).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByLabel('ESR')).toBeChecked();
  await expect(page.getByLabel('Add a record')).not.toBeChecked();

  // Wrong answers: each field's own message, as the main side gives it.
  await typeInto(page, page.getByLabel('Name', { exact: true }), 'ESR');
  await typeInto(page, page.getByLabel('Base URL'), 'esr.example.nhs.uk');
  await typeInto(page, page.getByLabel('Organisation (ODS code)'), 'R!');
  await typeInto(page, page.getByLabel('Token URL'), 'http://esr.example.nhs.uk/oauth2/token');
  await typeInto(page, page.getByLabel('Client ID'), 'staff passport');
  for (const label of ['Search for an employee', 'Get personal details', 'Get records']) {
    await tabTo(page, page.getByLabel(label));
    await page.keyboard.press('Space');
  }
  await press(page, page.getByRole('button', { name: 'Add connection' }));
  await expect(summary.getByRole('listitem')).toHaveText([
    'Enter the base URL as a full address, like https://esr.example.nhs.uk/dsp-api',
    'Enter an ODS code of 3 or 5 letters and numbers, like RHQ',
    'The token URL must start with https://',
    'The client ID cannot contain spaces or special characters',
    'Choose at least one thing Staff Passport may do',
  ]);
  await expect(page.locator('#operations-error')).toContainText('Choose at least one thing Staff Passport may do');
  await checkPage(page, 'connections-03-add-wrong-answers');

  // Right answers (the sandbox is on this computer, so http is allowed).
  const clientId = 'staff-passport-rhq-e2e-1';
  await typeInto(page, page.getByLabel('Base URL'), sandbox.systems.esr.baseUrl);
  await typeInto(page, page.getByLabel('Organisation (ODS code)'), 'rhq');
  await typeInto(page, page.getByLabel('Token URL'), sandbox.tokenUrl);
  await typeInto(page, page.getByLabel('Client ID'), clientId);
  for (const label of ['Search for an employee', 'Get personal details', 'Get records']) {
    await tabTo(page, page.getByLabel(label));
    await page.keyboard.press('Space');
  }
  await press(page, page.getByRole('button', { name: 'Add connection' }));

  // The key, shown this once, with what to do with it.
  await expect(h1(page)).toHaveText('Connection added');
  await expect(h1(page)).toBeFocused();
  const apiKey = (await page.getByTestId('events-api-key').textContent())!.trim();
  expect(apiKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  await expect(page.getByRole('main')).toContainText('Staff Passport will not show this key again. Give it to ESR’s administrators now, for their event notifications to Staff Passport.');
  await checkPage(page, 'connections-04-added-key-once');

  // The public key set, for ESR's administrators: registered with the sandbox, as they would.
  const downloading = page.waitForEvent('download');
  await press(page, page.getByRole('button', { name: 'Download the public key set (JWKS)' }));
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('esr-staff-passport-jwks.json');
  const saved = join(downloads, download.suggestedFilename());
  await download.saveAs(saved);
  const jwks = JSON.parse(readFileSync(saved, 'utf8')) as { keys: Array<Record<string, unknown>> };
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).not.toHaveProperty('d');
  register(clientId, jwks);

  // Test: every step passes.
  await press(page, page.getByRole('link', { name: 'Test the connection' }));
  await expect(h1(page)).toHaveText('Test the connection');
  await expect(page.getByTestId('test-verdict')).toHaveText('The connection to ESR is working.');
  await expect(page.getByTestId('step-status')).toContainText('Passed');
  await expect(page.getByTestId('step-token')).toContainText('Passed');
  await expect(page.getByTestId('step-token')).toContainText('ESR accepted this connection\'s key and gave Staff Passport a token.');
  await expect(page.getByTestId('step-search')).toContainText('Passed');
  await expect(page.getByTestId('connection-health')).toContainText('Working');
  await checkPage(page, 'connections-05-test-passed');

  // The connection's own page: its details and health, and nowhere the key.
  await press(page, page.getByRole('link', { name: 'Back to ESR' }));
  await expect(h1(page)).toHaveText('ESR');
  await expect(page.getByTestId('connection-health')).toContainText('Working');
  await expect(page.getByRole('main')).toContainText(sandbox.systems.esr.baseUrl);
  await expect(page.getByRole('main')).toContainText('Search for an employeeGet personal detailsGet records');
  await expect(page.getByRole('main')).not.toContainText(apiKey);
  await checkPage(page, 'connections-06-connection');

  // The list shows it working.
  await page.getByRole('link', { name: 'Back', exact: true }).click();
  await expect(page.getByTestId('health-ESR')).toContainText('Working');
  await expect(page.getByTestId('connection-ESR')).toContainText('RHQ');
  await expect(page.getByTestId('systems-warning')).toHaveCount(0);
  await checkPage(page, 'connections-07-list-working');

  // A new event API key, after a warning that the old one stops working at once.
  await page.getByRole('link', { name: 'ESR', exact: true }).click();
  await press(page, page.getByRole('link', { name: 'Make a new event API key' }));
  await expect(h1(page)).toHaveText('Make a new event API key');
  await expect(page.getByRole('heading', { name: 'Important: The current key stops working at once' })).toBeVisible();
  await checkPage(page, 'connections-08-new-key-confirm');
  await press(page, page.getByRole('button', { name: 'Make a new key' }));
  await expect(h1(page)).toHaveText('New event API key made');
  const newKey = (await page.getByTestId('events-api-key').textContent())!.trim();
  expect(newKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(newKey).not.toBe(apiKey);
  await checkPage(page, 'connections-09-new-key');

  // The key set can be downloaded again from the connection's page: the same public key.
  await page.getByRole('link', { name: 'Back to ESR' }).click();
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the public key set (JWKS)' }).click();
  const second = join(downloads, `again-${(await again).suggestedFilename()}`);
  await (await again).saveAs(second);
  expect(JSON.parse(readFileSync(second, 'utf8'))).toEqual(jwks);
});

test('a wrong client ID fails at the token step; a system that is down shows on the list and on every home page until it recovers', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  const { connectionId, jwks } = await addThroughTheDoor(page, 'staff-passport-not-registered');
  // The key set is registered, but under another client ID than the connection uses.
  register('staff-passport-registered-elsewhere', jwks);

  await page.goto(`${origin()}/#/connections/${connectionId}/test`);
  await expect(h1(page)).toHaveText('Test the connection');
  await expect(page.getByTestId('test-verdict')).toHaveText('The connection to ESR is not working. The first step that failed says why.');
  await expect(page.getByTestId('step-status')).toContainText('Passed');
  await expect(page.getByTestId('step-token')).toContainText('Failed');
  await expect(page.getByTestId('step-search')).toContainText('Not tried');
  await expect(page.getByTestId('step-search')).toContainText('Not tried, because there is no token.');
  await checkPage(page, 'connections-10-test-wrong-client');

  // Registered properly: the same test passes.
  register('staff-passport-not-registered', jwks);
  await page.getByRole('button', { name: 'Test again' }).click();
  await expect(page.getByTestId('test-verdict')).toHaveText('The connection to ESR is working.');

  // ESR says it is down: the test shows it, the list and Home warn.
  sandbox.faults.add({ kind: 'statusFail', system: 'esr', note: 'Planned maintenance' });
  await page.getByRole('button', { name: 'Test again' }).click();
  await expect(page.getByTestId('step-status')).toContainText('Failed');
  await expect(page.getByTestId('connection-health')).toContainText('Not working');
  await page.goto(`${origin()}/#/connections`);
  await expect(page.getByTestId('health-ESR')).toContainText('Not working');
  await expect(page.getByTestId('health-ESR')).toContainText('Checked');
  await expect(page.getByTestId('systems-warning')).toContainText('Some systems are not working');
  await checkPage(page, 'connections-11-list-failing');

  await page.getByRole('link', { name: 'Home' }).first().click();
  const warning = page.getByTestId('systems-warning');
  await expect(warning).toContainText('Some systems are not working');
  await expect(warning).toContainText('ESR');
  await expect(warning.getByRole('link', { name: 'Check the connections to other systems' })).toBeVisible();
  await checkPage(page, 'connections-12-home-warning');

  // It recovers: the warning goes without reloading Home, when the status check says so.
  sandbox.faults.reset();
  await door(page, 'connections.test', { connectionId });
  await expect(warning).toHaveCount(0);

  // Down again: an HR user sees the warning too, but no connections screens.
  sandbox.faults.add({ kind: 'statusFail', system: 'esr' });
  await door(page, 'connections.test', { connectionId });
  await signInHrUserThroughTheDoor(page, running);
  await expect(warning).toContainText('ESR');
  await expect(warning).toContainText('If this goes on, tell a Senior Portal Administrator or your IT service desk.');
  await expect(page.getByRole('link', { name: 'Connections to other systems' })).toHaveCount(0);
  await checkPage(page, 'connections-13-home-warning-hr');
  await page.goto(`${origin()}/#/connections`);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  await expect(door(page, 'connections.add', { kind: 'esr', name: 'X', baseUrl: sandbox.systems.esr.baseUrl, organisation: 'RHQ', tokenUrl: sandbox.tokenUrl, clientId: 'x', operations: [...READ] })).rejects.toThrow(/forbidden/);
});

test('an administrator changes a connection (another change in between is caught) and removes it', async ({ page }) => {
  test.setTimeout(120_000);
  running = await startSignedIn(page);
  await expect(page.getByRole('heading', { name: 'Invitations pending' })).toBeVisible();
  const { connectionId } = await addThroughTheDoor(page, 'staff-passport-change');

  await page.goto(`${origin()}/#/connections`);
  await expect(page.getByTestId('health-ESR')).toContainText('Not checked yet');
  await page.getByRole('link', { name: 'Change the connection to ESR' }).click();
  await expect(h1(page)).toHaveText('Change the connection');
  await expect(page.getByLabel('ESR')).toBeChecked();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('ESR');
  await expect(page.getByLabel('Client ID')).toHaveValue('staff-passport-change');

  // A wrong answer is refused with the field's own message.
  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByLabel('Token URL').fill('ftp://sandbox/token');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(problem(page).getByRole('listitem')).toHaveText(['Enter a name for this connection', 'The token URL must start with https://']);
  await checkPage(page, 'connections-14-change-errors');

  // Meanwhile another administrator renames it: saving now is refused, and the form shows theirs.
  const [current] = (await door<{ connections: Array<{ version: number }> }>(page, 'connections.list', {})).connections;
  await door(page, 'connections.update', {
    connectionId,
    version: current!.version,
    kind: 'esr',
    name: 'ESR (Sheffield)',
    baseUrl: sandbox.systems.esr.baseUrl,
    organisation: 'RHQ',
    tokenUrl: sandbox.tokenUrl,
    clientId: 'staff-passport-change',
    operations: [...READ],
  });
  await page.getByLabel('Name', { exact: true }).fill('Electronic Staff Record');
  await page.getByLabel('Token URL').fill(sandbox.tokenUrl);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(problem(page)).toContainText('Someone else changed this connection while you were working on it. The form now shows the connection as they saved it. Make your changes again, then save.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('ESR (Sheffield)');
  await checkPage(page, 'connections-15-change-stale');

  await page.getByLabel('Name', { exact: true }).fill('Electronic Staff Record');
  await page.getByLabel('Add a record').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(h1(page)).toHaveText('Electronic Staff Record');
  await expect(success(page)).toContainText('The connection to Electronic Staff Record has been changed');
  await expect(page.getByRole('main')).toContainText('Add a record');

  // Remove, after reading what it means.
  await page.getByRole('link', { name: 'Remove this connection' }).click();
  await expect(h1(page)).toHaveText('Are you sure you want to remove the connection to Electronic Staff Record?');
  await expect(page.getByRole('main')).toContainText('Links already made between staff passports and Electronic Staff Record end, and each passport’s history says so.');
  await checkPage(page, 'connections-16-remove');
  await page.getByRole('link', { name: 'No, go back' }).click();
  await expect(h1(page)).toHaveText('Electronic Staff Record');
  await page.getByRole('link', { name: 'Remove this connection' }).click();
  await page.getByRole('button', { name: 'Yes, remove the connection' }).click();
  await expect(h1(page)).toHaveText('Connections to other systems');
  await expect(success(page)).toContainText('The connection to Electronic Staff Record has been removed');
  await expect(page.getByTestId('no-connections')).toBeVisible();
  await checkPage(page, 'connections-17-removed');
});
