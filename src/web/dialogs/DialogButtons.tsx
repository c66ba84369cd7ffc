import { CircleHelp, Search, Settings } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { openDialog } from './dialog-events';
import { isApple } from './keys';

const iconProps = { 'aria-hidden': true, className: 'size-[18px]', strokeWidth: 1.75 } as const;
const footerButton =
  'flex items-center gap-1.5 rounded-control px-2 py-1 text-sm text-text-muted hover:bg-surface-2 hover:text-text';

/** The sidebar footer's Settings and Help buttons (ui.md §4.2). */
export function SettingsHelpButtons() {
  const { t } = useTranslation('dialogs');
  return (
    <div className="flex items-center gap-1">
      <button type="button" onClick={() => openDialog('settings')} className={footerButton}>
        <Settings {...iconProps} />
        {t('settings.open')}
      </button>
      <button type="button" onClick={() => openDialog('help')} className={footerButton}>
        <CircleHelp {...iconProps} />
        {t('help.open')}
      </button>
    </div>
  );
}

/** The sidebar top's quick-switcher button, showing its shortcut. */
export function SwitcherButton() {
  const { t } = useTranslation('dialogs');
  const keys = isApple() ? '⌘K' : 'Ctrl K';
  return (
    <button
      type="button"
      onClick={() => openDialog('switcher')}
      aria-label={t('switcher.open')}
      aria-keyshortcuts={isApple() ? 'Meta+K' : 'Control+K'}
      title={`${t('switcher.open')} (${keys})`}
      className="flex items-center gap-1 rounded-control p-2 text-text-muted hover:bg-surface-2 hover:text-text"
    >
      <Search {...iconProps} />
      <kbd aria-hidden="true" className="hidden rounded border border-border px-1 font-sans text-[11px] leading-4 sm:inline">
        {keys}
      </kbd>
    </button>
  );
}
