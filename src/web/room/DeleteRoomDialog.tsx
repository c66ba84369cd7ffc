import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './ConfirmDialog';
import { useDeleteRoom } from './room-actions';

/**
 * Delete room (admin), confirmed in-app (ui.md §3.1, §4.13): optimistic removal from the list; when it is the open
 * room the app goes to the next room or home. A failure puts it back, with a toast.
 */
export function DeleteRoomDialog({
  room,
  isOpenRoom,
  open,
  onOpenChange,
}: {
  room: { id: number; name: string };
  isOpenRoom: boolean;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation('room');
  const remove = useDeleteRoom();
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t('delete.title')}
      body={t('delete.body', { name: room.name })}
      confirmLabel={t('delete.confirm')}
      onConfirm={() => {
        onOpenChange(false);
        remove.mutate({ roomId: room.id, name: room.name, isOpen: isOpenRoom });
      }}
    />
  );
}
