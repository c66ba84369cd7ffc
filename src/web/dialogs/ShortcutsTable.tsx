import { useTranslation } from 'react-i18next';
import { isApple } from './keys';

const ROWS = ['send', 'switcher', 'rooms', 'scroll', 'escape', 'save', 'shortcuts'] as const;

/** The keyboard shortcuts of ui.md §4.13, with ⌘ on Apple devices and Ctrl elsewhere. */
export function ShortcutsTable() {
  const { t } = useTranslation('dialogs');
  const mod = isApple() ? '⌘' : 'Ctrl';
  return (
    <table className="w-full border-collapse text-sm">
      <thead className="sr-only">
        <tr>
          <th scope="col">{t('shortcuts.keys')}</th>
          <th scope="col">{t('shortcuts.action')}</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <tr key={row} className="border-b border-border last:border-0">
            <td className="py-2 pr-4 align-top whitespace-nowrap">
              <kbd className="rounded border border-border bg-surface-2 px-1.5 py-0.5 font-mono text-xs">{t(`shortcuts.rows.${row}.keys`, { mod })}</kbd>
            </td>
            <td className="py-2 text-text-muted">{t(`shortcuts.rows.${row}.action`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
