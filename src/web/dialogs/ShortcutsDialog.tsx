import { useTranslation } from 'react-i18next';
import { DialogFrame } from './DialogFrame';
import { ShortcutsTable } from './ShortcutsTable';

/** The shortcut list (ui.md §4.13), opened with `?` when focus is outside text fields. */
export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation('dialogs');
  return (
    <DialogFrame open={open} onOpenChange={onOpenChange} title={t('shortcuts.title')}>
      <ShortcutsTable />
    </DialogFrame>
  );
}
