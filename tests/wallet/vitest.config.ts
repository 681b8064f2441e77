// Runs the wallet's tests on their own (`npx vitest run -c tests/wallet/vitest.config.ts`) with the
// project's settings, until the root config's include names tests/wallet.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.ts';

export default defineConfig({ ...root, root: fileURLToPath(new URL('../..', import.meta.url)), test: { ...root.test, include: ['tests/wallet/**/*.test.ts'] } });
