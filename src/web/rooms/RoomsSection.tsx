import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { useShell } from '../shell/shell-context';
import { RoomList } from './RoomList';
import { useRooms } from './rooms-data';

/** The Rooms section of the sidebar: skeleton rows while loading, the empty state, or the list. */
export function RoomsSection() {
  const { t } = useTranslation('rooms');
  const session = useSession();
  const rooms = useRooms(session.isSuccess);
  const { openCreateRoom } = useShell();

  let body;
  if (rooms.data) {
    body =
      rooms.data.length === 0 ? (
        <div className="px-2.5 py-3 text-sm text-text-muted">
          <p>{t('empty')}</p>
          <button type="button" onClick={openCreateRoom} className="mt-2 font-medium text-accent hover:underline">
            {t('createRoom')}
          </button>
        </div>
      ) : (
        <RoomList rooms={rooms.data} />
      );
  } else if (rooms.isError) {
    body = (
      <div className="px-2.5 py-3 text-sm">
        <p className="text-danger">{t('loadError')}</p>
        <button type="button" onClick={() => void rooms.refetch()} className="mt-1 font-medium text-accent hover:underline">
          {t('common:actions.retry')}
        </button>
      </div>
    );
  } else {
    body = (
      <ul aria-hidden="true" className="flex flex-col gap-1 px-2.5 py-1">
        {[0, 1, 2, 3].map((i) => (
          <li key={i} className="h-9 animate-pulse rounded-control bg-surface-2" />
        ))}
      </ul>
    );
  }

  return (
    <section aria-labelledby="rooms-heading" aria-busy={rooms.isPending && session.isSuccess} className="px-2">
      <h2 id="rooms-heading" className="px-2.5 pb-1 pt-3 text-xs font-semibold uppercase tracking-wide text-text-muted">
        {t('heading')}
      </h2>
      {body}
    </section>
  );
}
