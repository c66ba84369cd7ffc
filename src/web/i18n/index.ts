import i18next, { type BackendModule, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../lib/settings';

/**
 * i18n (ui.md §8): i18next with one JSON file per language and namespace under `locales/`. Only the language in
 * use is loaded; another is fetched (a small lazy chunk) when the user switches. `<html lang>` follows it.
 */

export const LANGUAGES = ['en', 'ko'] as const satisfies readonly Language[];
export const NAMESPACES = ['common', 'auth', 'rooms', 'chat', 'agents', 'errors', 'room', 'composer', 'messages', 'manager', 'dialogs'] as const;
export type Namespace = (typeof NAMESPACES)[number];

type Resource = Record<string, unknown>;
const loaders = import.meta.glob<Resource>('./locales/*/*.json', { import: 'default' });

const lazyBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, callback) {
    const load = loaders[`./locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`no ${language}/${namespace} translations`), false);
      return;
    }
    load().then(
      (resource) => callback(null, resource),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

/** The language from settings; else the first browser language, where any `ko*` is Korean; else English. */
export function detectLanguage(saved: Language | undefined, browser: readonly string[] = navigator.languages ?? []): Language {
  if (saved) return saved;
  const first = browser[0] ?? navigator.language ?? '';
  return /^ko\b/i.test(first) ? 'ko' : 'en';
}

export async function initI18n(language: Language): Promise<I18n> {
  if (!i18next.isInitialized) {
    i18next.on('languageChanged', (lng) => {
      document.documentElement.lang = lng;
    });
    await i18next
      .use(lazyBackend)
      .use(initReactI18next)
      .init({
        lng: language,
        supportedLngs: [...LANGUAGES],
        fallbackLng: false,
        load: 'currentOnly',
        ns: [...NAMESPACES],
        defaultNS: 'common',
        interpolation: { escapeValue: false },
        returnNull: false,
        react: { useSuspense: false },
      });
  } else if (i18next.language !== language) {
    await i18next.changeLanguage(language);
  }
  document.documentElement.lang = language;
  return i18next;
}

export { i18next };
