import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { MoreHorizontal } from 'lucide-react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatch } from 'react-router';
import type { RoomSummary } from '../../shared/models';
import { useSession } from '../auth/session';
import { Modal } from '../components/Modal';
import { Spinner } from '../components/Spinner';
import { toast } from '../components/toast';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import { DeleteRoomDialog } from '../room/DeleteRoomDialog';
import { usePatchRoom } from '../room/room-actions';
import { useMarkRead } from './rooms-data';

const itemClass =
  'flex cursor-default select-none items-center rounded-control px-3 py-2 text-sm outline-none data-[highlighted]:bg-surface-2 coarse:min-h-11';
const NAME_MAX = 100;

/**
 * A room row's ⋯ menu (ui.md §4.2): Rename (owner or admin; guests only list their own rooms), Mark as read, Copy
 * link, Delete (admin). Loaded on first use (RoomRowMenu), so it opens at once when mounted.
 */
export default function RoomRowMenuContent({ room, triggerClass }: { room: RoomSummary; triggerClass: string }) {
  const { t } = useTranslation('rooms');
  const isAdmin = useSession().data?.role === 'admin';
  const markRead = useMarkRead();
  const open = useMatch(`/rooms/${room.id}`) !== null;
  const [menuOpen, setMenuOpen] = useState(true);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const copyLink = () => {
    const url = new URL(`/rooms/${room.id}`, window.location.origin).toString();
    const clipboard = navigator.clipboard;
    if (typeof clipboard?.writeText !== 'function') return void toast(t('row.copyFailed'), { tone: 'error' });
    clipboard.writeText(url).then(
      () => toast(t('row.linkCopied'), { tone: 'success' }),
      () => toast(t('row.copyFailed'), { tone: 'error' }),
    );
  };

  return (
    <>
      <DropdownMenu.Root open={menuOpen} onOpenChange={setMenuOpen}>
        <DropdownMenu.Trigger
          aria-label={t('row.menu', { name: room.name })}
          title={t('row.menuShort')}
          className={triggerClass}
        >
          <MoreHorizontal aria-hidden="true" className="mx-auto size-4" strokeWidth={1.75} />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-48 rounded-card border border-border bg-surface p-1 shadow-xl">
            <DropdownMenu.Item className={itemClass} onSelect={() => setTimeout(() => setRenaming(true), 0)}>
              {t('row.rename')}
            </DropdownMenu.Item>
            <DropdownMenu.Item className={itemClass} disabled={!room.has_unread} onSelect={() => markRead.mutate(room.id)}>
              {t('row.markRead')}
            </DropdownMenu.Item>
            <DropdownMenu.Item className={itemClass} onSelect={copyLink}>
              {t('row.copyLink')}
            </DropdownMenu.Item>
            {isAdmin && (
              <>
                <DropdownMenu.Separator className="my-1 h-px bg-border" />
                <DropdownMenu.Item className={`${itemClass} text-danger`} onSelect={() => setTimeout(() => setDeleting(true), 0)}>
                  {t('row.delete')}
                </DropdownMenu.Item>
              </>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <RenameRoomDialog room={room} open={renaming} onOpenChange={setRenaming} />
      {isAdmin && <DeleteRoomDialog room={room} isOpenRoom={open} open={deleting} onOpenChange={setDeleting} />}
    </>
  );
}

/** Rename from the room list: the same PATCH as the header's inline rename, with the error inline. */
function RenameRoomDialog({ room, open, onOpenChange }: { room: RoomSummary; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation('rooms');
  const patch = usePatchRoom(room.id);
  const [value, setValue] = useState(room.name);
  const [error, setError] = useState<string | undefined>();
  const fieldId = useId();
  const errorId = useId();

  useEffect(() => {
    if (open) {
      setValue(room.name);
      setError(undefined);
    }
  }, [open, room.name]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    const length = Array.from(trimmed).length;
    if (length === 0) return setError(t('create.nameRequired'));
    if (length > NAME_MAX) return setError(t('create.nameTooLong', { max: NAME_MAX }));
    if (trimmed === room.name) return onOpenChange(false);
    try {
      await patch.mutateAsync({ name: trimmed });
      onOpenChange(false);
    } catch (cause) {
      setError(isApiError(cause) && cause.status === 409 ? t('create.nameTaken') : t('row.renameFailed', { reason: errorText(t, cause) }));
    }
  };

  return (
    <Modal open={open} onOpenChange={(next) => !patch.isPending && onOpenChange(next)} title={t('row.renameTitle')}>
      <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-4">
        <div>
          <label htmlFor={fieldId} className="mb-1.5 block text-sm font-medium">
            {t('create.name')}
          </label>
          <input
            id={fieldId}
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              setError(undefined);
            }}
            autoComplete="off"
            aria-invalid={error !== undefined}
            aria-describedby={error ? errorId : undefined}
            className="w-full rounded-control border border-border bg-bg px-3 py-2 aria-[invalid=true]:border-danger"
          />
          {error && (
            <p id={errorId} role="alert" className="mt-1.5 text-sm text-danger">
              {error}
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2">
          <button type="button" onClick={() => onOpenChange(false)} disabled={patch.isPending} className="rounded-control border border-border px-3 py-1.5 coarse:min-h-11">
            {t('common:actions.cancel')}
          </button>
          <button
            type="submit"
            disabled={patch.isPending}
            aria-busy={patch.isPending}
            className="flex items-center gap-2 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-50 coarse:min-h-11"
          >
            {patch.isPending && <Spinner />}
            {t('row.renameSave')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
