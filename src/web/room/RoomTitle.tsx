import { Pencil } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import { usePatchRoom } from './room-actions';

const NAME_MAX = 100;

/**
 * The room title as the page's `h1` (ui.md §4.4.1). Owners and admins rename it by clicking the title or its pencil:
 * an inline field saves on Enter or blur and cancels on Esc; errors (409: the name is taken) show inline.
 */
export function RoomTitle({
  roomId,
  name,
  display,
  canRename,
  focusTitle,
  editRequest,
}: {
  roomId: number;
  name: string;
  /** What the heading shows (a direct room shows its agent instead of the room name). */
  display?: React.ReactNode;
  canRename: boolean;
  focusTitle: boolean;
  /** Bumped to start editing from elsewhere (the ⋯ menu's Rename…). */
  editRequest: number;
}) {
  const { t } = useTranslation('room');
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | undefined>();
  const patch = usePatchRoom(roomId);
  const errorId = useId();
  const saving = useRef(false);
  const cancelled = useRef(false);

  useEffect(() => {
    if (focusTitle) heading.current?.focus({ preventScroll: true });
  }, [focusTitle]);

  const start = () => {
    setValue(name);
    setError(undefined);
    cancelled.current = false;
    setEditing(true);
  };
  useEffect(() => {
    if (editRequest > 0 && canRename) start();
    // Only a new request starts editing.
  }, [editRequest]);
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const stop = () => {
    setEditing(false);
    setError(undefined);
    requestAnimationFrame(() => heading.current?.focus({ preventScroll: true }));
  };

  const save = async () => {
    if (saving.current) return;
    const trimmed = value.trim();
    const length = Array.from(trimmed).length;
    if (trimmed === name) return stop();
    if (length === 0) return setError(t('rename.required'));
    if (length > NAME_MAX) return setError(t('rename.tooLong', { max: NAME_MAX }));
    saving.current = true;
    try {
      await patch.mutateAsync({ name: trimmed });
      stop();
    } catch (cause) {
      setError(isApiError(cause) && cause.status === 409 ? t('rename.taken') : t('rename.failed', { reason: errorText(t, cause) }));
      input.current?.focus();
    } finally {
      saving.current = false;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      cancelled.current = true;
      stop();
    }
  };

  if (editing) {
    return (
      <div className="relative min-w-0 flex-1 sm:max-w-sm">
        <h1 className="sr-only">{name}</h1>
        <input
          ref={input}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setError(undefined);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => !cancelled.current && void save()}
          aria-label={t('rename.label')}
          aria-invalid={error !== undefined}
          aria-describedby={error ? errorId : undefined}
          maxLength={NAME_MAX * 2}
          disabled={patch.isPending}
          className="w-full rounded-control border border-border bg-bg px-2 py-1 text-base font-semibold aria-[invalid=true]:border-danger"
        />
        {error && (
          <p id={errorId} role="alert" className="absolute left-0 top-full z-20 mt-1 rounded-control bg-surface px-2 py-1 text-sm text-danger shadow-md">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="flex min-w-0 items-center gap-1">
      <h1 ref={heading} tabIndex={-1} title={name} className="min-w-0 truncate text-base font-semibold outline-none">
        {canRename ? (
          <button type="button" onClick={start} className="max-w-full truncate rounded-control text-left" aria-description={t('rename.hint')}>
            {display ?? name}
          </button>
        ) : (
          (display ?? name)
        )}
      </h1>
      {canRename && (
        <button
          type="button"
          onClick={start}
          aria-label={t('rename.action')}
          title={t('rename.action')}
          // On a phone the title itself is the rename button and needs the room.
          className="hidden shrink-0 rounded-control p-1.5 text-text-muted hover:bg-surface-2 hover:text-text sm:block coarse:min-h-11 coarse:min-w-11"
        >
          <Pencil aria-hidden="true" className="mx-auto size-3.5" strokeWidth={1.75} />
        </button>
      )}
    </div>
  );
}
