// Playwright for the Electron shell: the first run through the real window (skipped with a clear
// reason where Electron's binary is absent), plus the shell's and packaging's checks that run in Node.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  testDir: here,
  testMatch: '**/*.spec.ts',
  outputDir: fileURLToPath(new URL('../e2e/artifacts/electron/test-results/', import.meta.url)),
  // One Electron at a time: each launch is a whole browser, and first-run scrypt is deliberately slow.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], [fileURLToPath(new URL('./skip-reasons-reporter.ts', import.meta.url))]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
