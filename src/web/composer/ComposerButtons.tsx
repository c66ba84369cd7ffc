import { ImagePlus, SendHorizontal, Square } from 'lucide-react';
import { useRef, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPTED_IMAGE_TYPES } from './image-rules';

interface ComposerButtonsProps {
  onPick: (file: File) => void;
  replying: boolean;
  onStop: () => void;
  /** Why Send cannot send now, or undefined when it can. */
  blockedReason: string | undefined;
  /** Send was pressed and waits for the image to finish processing. */
  sending: boolean;
}

/** The end of the composer row (ui.md §4.4.5): Attach, Stop while agents reply, and Send (a submit button). */
export function ComposerButtons({ onPick, replying, onStop, blockedReason, sending }: ComposerButtonsProps) {
  const { t } = useTranslation('composer');
  const fileInput = useRef<HTMLInputElement>(null);

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file !== undefined) onPick(file);
    event.target.value = '';
  };

  return (
    <>
      <input ref={fileInput} type="file" accept={ACCEPTED_IMAGE_TYPES.join(',')} onChange={picked} className="hidden" tabIndex={-1} aria-hidden="true" />
      <button
        type="button"
        onClick={() => fileInput.current?.click()}
        aria-label={t('attach')}
        title={t('attach')}
        className="flex size-10 shrink-0 items-center justify-center rounded-full text-text-muted hover:bg-surface-2 hover:text-text coarse:size-11"
      >
        <ImagePlus aria-hidden="true" className="size-5" strokeWidth={1.75} />
      </button>
      {replying && (
        <button
          type="button"
          onClick={onStop}
          aria-label={t('stop')}
          title={t('stopHelp')}
          className="flex size-10 shrink-0 items-center justify-center rounded-full border border-border bg-surface text-text coarse:size-11"
        >
          <Square aria-hidden="true" className="size-4 fill-current" strokeWidth={1.75} />
        </button>
      )}
      <button
        type="submit"
        aria-disabled={blockedReason !== undefined}
        aria-busy={sending}
        aria-label={t('send')}
        title={blockedReason ?? t('send')}
        className="flex size-10 shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg aria-disabled:opacity-50 coarse:size-11"
      >
        <SendHorizontal aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
      </button>
    </>
  );
}
