import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../components/Modal';
import { Spinner } from '../components/Spinner';

/**
 * A confirmation for a destructive action (ui.md §4.13): a title, what will happen, **Cancel** (focused first) and
 * the destructive button. No key handler of its own: Enter activates only the focused button, Esc cancels, and F5
 * and browser shortcuts keep working. While `busy` the dialog waits for the call; `error` shows inside it.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  body,
  confirmLabel,
  onConfirm,
  busy = false,
  error,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={open}
      onOpenChange={(next) => !busy && onOpenChange(next)}
      title={title}
      description={body}
      onOpenAutoFocus={(event) => {
        event.preventDefault();
        cancel.current?.focus();
      }}
    >
      {error && (
        <p role="alert" className="mb-4 rounded-control bg-danger/10 px-3 py-2 text-sm text-danger">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button
          ref={cancel}
          type="button"
          onClick={() => onOpenChange(false)}
          disabled={busy}
          className="rounded-control border border-border px-3 py-1.5 coarse:min-h-11"
        >
          {t('actions.cancel')}
        </button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy}
          className="flex items-center gap-2 rounded-control bg-danger px-3 py-1.5 font-medium text-white disabled:opacity-60 coarse:min-h-11"
        >
          {busy && <Spinner />}
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
