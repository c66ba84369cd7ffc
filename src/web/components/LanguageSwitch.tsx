import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { updateSettings, type Language } from '../lib/settings';

/** `EN | 한국어` segmented switch (ui.md §4.1). The choice is saved; the other language loads on demand. */
export function LanguageSwitch({ className = '' }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const choose = (language: Language) => {
    updateSettings({ language });
    void i18n.changeLanguage(language);
  };
  return (
    <div role="group" aria-label={t('language.label')} className={`inline-flex rounded-control border border-border p-0.5 ${className}`}>
      {LANGUAGES.map((language) => {
        const active = i18n.language === language;
        return (
          <button
            key={language}
            type="button"
            lang={language}
            aria-pressed={active}
            onClick={() => choose(language)}
            className={`rounded-[6px] px-2.5 py-0.5 text-sm ${active ? 'bg-accent text-accent-fg' : 'text-text-muted hover:text-text'}`}
          >
            {t(`language.${language}`)}
          </button>
        );
      })}
    </div>
  );
}
