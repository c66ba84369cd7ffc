import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectLanguage, initI18n } from './i18n';
import { createQueryClient } from './lib/query';
import { getSettings } from './lib/settings';
import { followTheme } from './lib/theme';
import './styles.css';

followTheme();
const queryClient = createQueryClient();
// Only the language in use is loaded (ui.md §8); rendering waits for it so no key ever flashes. If its chunk
// cannot load, the app still renders (with keys) rather than stay blank.
await initI18n(detectLanguage(getSettings().language)).catch((error: unknown) => console.error('i18n', error));

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
