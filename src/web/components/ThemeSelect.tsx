import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { updateSettings, useSettings, type Theme } from '../lib/settings';

const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** Light, dark or system theme (ui.md P5); until the Settings dialog exists it lives in the sidebar footer. */
export function ThemeSelect() {
  const { t } = useTranslation();
  const { theme } = useSettings();
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-text-muted">
        {t('theme.label')}
      </label>
      <select
        id={id}
        value={theme}
        onChange={(event) => updateSettings({ theme: event.target.value as Theme })}
        className="rounded-control border border-border bg-surface px-2 py-1 text-sm"
      >
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {t(`theme.${value}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
