import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { RUN_DIR } from './harness/state.js';

/**
 * End-to-end tests in a real browser (ui.md §9.2): Debian's Chromium (never a downloaded browser), the real
 * server in production mode and the fake model API, both started by the global setup. `npm test` runs this after
 * Vitest (scripts/run-tests.ts); alone: `npx playwright test -c tests/e2e`.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUN = RUN_DIR;
const ci = Boolean(process.env.CI);
/** Stretches every timeout on a loaded workstation (`E2E_SLOW=4`); CI keeps the spec's 30 s per test. */
const slow = ci ? 1 : Math.max(1, Number(process.env.E2E_SLOW ?? 1));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: join(RUN, 'results'),
  globalSetup: './global-setup.ts',
  // 30 s per test on CI (ui.md §9.2).
  timeout: 30_000 * slow,
  expect: { timeout: 7_000 * slow },
  // On CI a failed test runs once more; one that then passes is named FLAKY above the summary (scripts/run-tests.ts).
  retries: ci ? 1 : 0,
  // One worker on CI: every spec shares one server whose embedded database answers one query at a time, and on a
  // 2-core machine two browsers plus that server made pages wait seconds for their first answers.
  workers: Number(process.env.E2E_WORKERS ?? (ci ? 1 : 2)),
  fullyParallel: false,
  forbidOnly: ci,
  reporter: [
    ['list'],
    ...(process.env.E2E_JSON ? [['json', { outputFile: process.env.E2E_JSON }] as const] : []),
  ],
  use: {
    ...devices['Desktop Chrome'],
    // The admin's session saved by the global setup; specs switch with `test.use({ storageState: sessions.… })`.
    storageState: join(RUN, 'admin.json'),
    viewport: { width: 1280, height: 800 },
    actionTimeout: 10_000 * slow,
    navigationTimeout: 20_000 * slow,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-US',
    timezoneId: 'Asia/Seoul',
    launchOptions: {
      executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
