import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';
import type { AttachedImage, ImageNotice } from './use-image-attachment';

interface ImageTrayProps {
  image: AttachedImage | null;
  replaced: AttachedImage | null;
  notice: ImageNotice | null;
  onRemove: () => void;
  onUndo: () => void;
  onDismissNotice: () => void;
}

/** Above the composer row: the image preview, the "replaced" note with Undo, and image problems (ui.md §4.4.6). */
export function ImageTray({ image, replaced, notice, onRemove, onUndo, onDismissNotice }: ImageTrayProps) {
  const { t } = useTranslation('composer');
  if (image === null && replaced === null && notice === null) return null;
  return (
    <div className="mx-auto mb-2 flex max-w-3xl flex-col gap-1.5">
      {image !== null && (
        <div className="flex items-end gap-2">
          <div className="relative size-16 shrink-0" title={image.name}>
            {image.previewUrl !== '' ? (
              <img src={image.previewUrl} alt={t('image.preview', { name: image.name })} className="size-16 rounded-control border border-border object-cover" />
            ) : (
              <span className="flex size-16 items-center justify-center rounded-control border border-border bg-surface-2 p-1 text-center text-[10px] break-all">
                {image.name}
              </span>
            )}
            {image.payload === null && (
              <span role="status" aria-label={t('image.processing', { name: image.name })} className="absolute inset-0 flex items-center justify-center rounded-control bg-bg/60">
                <Spinner />
              </span>
            )}
            <button
              type="button"
              onClick={onRemove}
              aria-label={t('image.remove', { name: image.name })}
              title={t('image.remove', { name: image.name })}
              className="absolute -right-2 -top-2 flex size-6 items-center justify-center rounded-full border border-border bg-surface text-text shadow coarse:size-9"
            >
              <X aria-hidden="true" className="size-3.5" strokeWidth={2} />
            </button>
          </div>
          {replaced !== null && (
            <p role="status" className="flex items-center gap-2 text-xs text-text-muted">
              {t('image.replaced', { name: replaced.name })}
              <button type="button" onClick={onUndo} className="font-medium text-accent hover:underline coarse:min-h-11">
                {t('image.undo')}
              </button>
            </p>
          )}
        </div>
      )}
      {notice !== null && (
        <div role="alert" className="flex items-center gap-2 rounded-control border border-danger/40 bg-danger/10 px-3 py-1.5 text-sm text-danger">
          <span className="flex-1">{t(`image.problem.${notice.kind}`, { name: notice.name })}</span>
          <button
            type="button"
            onClick={onDismissNotice}
            aria-label={t('image.dismiss')}
            className="flex size-6 items-center justify-center rounded-full coarse:size-11"
          >
            <X aria-hidden="true" className="size-3.5" strokeWidth={2} />
          </button>
        </div>
      )}
    </div>
  );
}
