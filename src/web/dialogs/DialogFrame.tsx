import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A centred Radix dialog like components/Modal, with a chosen width: focus is trapped and returns to the opener,
 * Esc closes it.
 */
export function DialogFrame({
  open,
  onOpenChange,
  title,
  width = '36rem',
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  width?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <DialogContent
          aria-describedby={undefined}
          style={{ width: `min(${width}, calc(100vw - 2rem))` }}
          className="fixed left-1/2 top-1/2 z-50 flex max-h-[calc(100dvh-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-card border border-border bg-surface shadow-xl"
        >
          <div className="flex shrink-0 items-center justify-between gap-4 border-b border-border px-5 py-3">
            <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
            <Dialog.Close
              className="-m-1 rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-w-11"
              aria-label={t('actions.close')}
              title={t('actions.close')}
            >
              <X aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
            </Dialog.Close>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
