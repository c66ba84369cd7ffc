import { getSettings, subscribeSettings, type Theme } from './settings';

/** Applies the theme class on <html> (ui.md P5) and keeps it current with the setting and the system. */

const DARK_QUERY = '(prefers-color-scheme: dark)';

function systemIsDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

export function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'system' && systemIsDark());
  const root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
}

/** Starts following the theme setting and the system preference; returns the function that stops it. */
export function followTheme(): () => void {
  let last = getSettings().theme;
  applyTheme(last);
  const unsubscribe = subscribeSettings(() => {
    const theme = getSettings().theme;
    if (theme !== last) applyTheme((last = theme));
  });
  const media = typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : undefined;
  const onSystemChange = () => applyTheme(getSettings().theme);
  media?.addEventListener('change', onSystemChange);
  return () => {
    unsubscribe();
    media?.removeEventListener('change', onSystemChange);
  };
}
