import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import { Download, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A message's image (ui.md §4.4.6): up to 320×320, fitted; loaded lazily and decoded asynchronously. Clicking it
 * opens a lightbox (Radix dialog: focus trapped, Esc or Close closes, focus goes back to the thumbnail) with
 * **Download**.
 */

function extensionOf(url: string): string {
  const type = /^data:image\/([a-z]+)/.exec(url)?.[1] ?? 'png';
  return type === 'jpeg' ? 'jpg' : type;
}

export function MessageImage({ url, sender, messageId }: { url: string; sender: string; messageId: number }) {
  const { t } = useTranslation('messages');
  const [open, setOpen] = useState(false);
  const alt = t('image.alt', { sender });
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button
          type="button"
          aria-label={t('image.open', { sender })}
          className="mt-2 block max-w-full overflow-hidden rounded-card border border-border bg-surface focus-visible:outline-2"
        >
          <img src={url} alt={alt} loading="lazy" decoding="async" className="block max-h-80 max-w-[min(320px,100%)] object-contain" />
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/80" />
        <DialogContent
          aria-describedby={undefined}
          className="fixed inset-0 z-50 flex flex-col items-center justify-center gap-3 p-4 pt-[max(1rem,env(safe-area-inset-top))] pb-[max(1rem,env(safe-area-inset-bottom))]"
          onClick={(event) => {
            if (event.target === event.currentTarget) setOpen(false);
          }}
        >
          <Dialog.Title className="sr-only">{alt}</Dialog.Title>
          <div className="flex w-full max-w-5xl justify-end gap-2">
            <a
              href={url}
              download={`chitchats-image-${messageId}.${extensionOf(url)}`}
              className="inline-flex items-center gap-1.5 rounded-control bg-surface px-3 py-1.5 text-sm font-medium text-text hover:bg-surface-2 coarse:min-h-11"
            >
              <Download aria-hidden="true" className="size-4" />
              {t('image.download')}
            </a>
            <Dialog.Close
              aria-label={t('image.close')}
              title={t('image.close')}
              className="rounded-control bg-surface p-1.5 text-text hover:bg-surface-2 coarse:min-h-11 coarse:min-w-11"
            >
              <X aria-hidden="true" className="mx-auto size-5" />
            </Dialog.Close>
          </div>
          <img src={url} alt={alt} decoding="async" className="max-h-[calc(100dvh-6rem)] max-w-full rounded-card object-contain" />
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
