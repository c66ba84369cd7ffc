import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from './DialogContent';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A centred modal dialog (Radix): focus is trapped inside and returns to the opener on close; Esc closes it.
 * Screens that are dialogs (Create room, confirmations) leave browser history alone (ui.md §2.2).
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  onOpenAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
  onOpenAutoFocus?: (event: Event) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <DialogContent
          onOpenAutoFocus={onOpenAutoFocus}
          {...(description ? {} : { 'aria-describedby': undefined })}
          className="fixed left-1/2 top-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-card border border-border bg-surface p-5 shadow-xl"
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
              {description && <Dialog.Description className="mt-1 text-sm text-text-muted">{description}</Dialog.Description>}
            </div>
            <Dialog.Close
              className="-m-1 rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text"
              aria-label={t('actions.close')}
              title={t('actions.close')}
            >
              <X aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
            </Dialog.Close>
          </div>
          {children}
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
