import { Check, Pause } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { RoomSummary } from '../../shared/models';
import { ProviderChip } from '../components/ProviderChip';
import { formatRelative } from '../lib/format';

/** Sidebar room rows (ui.md §4.2 "Rooms tab"), in the server's order: unread first, then latest activity. */
export function RoomList({ rooms, now = Date.now() }: { rooms: readonly RoomSummary[]; now?: number }) {
  const { t, i18n } = useTranslation('rooms');
  return (
    <ul className="flex flex-col gap-0.5">
      {rooms.map((room) => (
        <li key={room.id}>
          <NavLink
            to={`/rooms/${room.id}`}
            className="group flex items-center gap-2.5 rounded-control px-2.5 py-2 hover:bg-surface-2 aria-[current=page]:bg-accent-tint"
          >
            <ProviderChip provider={room.default_provider} model={room.default_model} compact />
            <span className="min-w-0 flex-1">
              <span className={`block truncate ${room.has_unread ? 'font-semibold' : ''}`}>{room.name}</span>
              <span className="flex items-center gap-1 text-xs text-text-muted">
                <time dateTime={room.last_activity_at}>{formatRelative(room.last_activity_at, i18n.language, now)}</time>
                {room.is_paused ? (
                  <>
                    <Pause aria-hidden="true" className="size-3" strokeWidth={2} />
                    <span className="sr-only">{t('paused')}</span>
                  </>
                ) : room.is_finished ? (
                  <>
                    <Check aria-hidden="true" className="size-3" strokeWidth={2} />
                    <span className="sr-only">{t('settled')}</span>
                  </>
                ) : null}
              </span>
            </span>
            {room.has_unread && (
              <span data-testid="unread-dot" className="size-2 shrink-0 rounded-full bg-accent">
                <span className="sr-only">{t('unread')}</span>
              </span>
            )}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}
