import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { PATIENCE } from './tests/helpers/wait-for.js';

// On CI a test that fails is run once more, and one that then passes is named FLAKY above the summary line
// (tests/helpers/summary-reporter.ts), so a flake stays visible without turning a shared machine's hiccup red.
const retry = process.env.CI ? 1 : 0;

// The API suite runs twice: once on embedded PGlite and once on the real PostgreSQL (quality.md §2).
// The web UI's component tests run in happy-dom with Testing Library (ui.md §9.1).
export default defineConfig({
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    testTimeout: 30_000 * PATIENCE,
    hookTimeout: 60_000 * PATIENCE,
    retry,
    env: { TEST_PATIENCE: String(PATIENCE) },
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'api-pglite',
          include: ['tests/api/**/*.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'api-postgres',
          include: ['tests/api/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['tests/web/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/web/setup.ts'],
        },
      },
    ],
  },
});
