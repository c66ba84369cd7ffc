import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { initI18n } from '../../src/web/i18n';

// findBy…/waitFor wait 1 s by default; a shared CI machine gets the same patience as the API suite (vitest.config.ts
// hands the factor of tests/helpers/wait-for.ts to every worker).
configure({ asyncUtilTimeout: 1000 * Number(import.meta.env.TEST_PATIENCE ?? 1) });

// Component tests render in English with the real translation files.
await initI18n('en');

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});
