import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { initI18n } from '../../src/web/i18n';
import { PATIENCE } from '../helpers/wait-for';

// findBy…/waitFor wait 1 s by default; a shared CI machine gets the same patience as the API suite (helpers/wait-for).
configure({ asyncUtilTimeout: 1000 * PATIENCE });

// Component tests render in English with the real translation files.
await initI18n('en');

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});
