import { Check, Pause } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Agent, RoomSummary } from '../../shared/models';
import { AgentAvatar } from '../components/AgentAvatar';
import { ProviderChip } from '../components/ProviderChip';
import { formatRelative } from '../lib/format';
import { parseDirectRoom } from './direct-rooms';
import { RoomRowMenu } from './RoomRowMenu';

/**
 * Sidebar room rows (ui.md §4.2 "Rooms tab"), in the server's order: unread first, then latest activity. Direct rooms
 * (§4.9) show their agent's avatar and name, with the provider chip telling providers apart.
 */
export function RoomList({
  rooms,
  agents = [],
  now = Date.now(),
}: {
  rooms: readonly RoomSummary[];
  /** For the avatars of direct rooms. */
  agents?: readonly Agent[];
  now?: number;
}) {
  const { t, i18n } = useTranslation('rooms');
  return (
    <ul className="flex flex-col gap-0.5">
      {rooms.map((room) => {
        const direct = parseDirectRoom(room.name);
        const agent = direct ? agents.find((a) => a.name === direct.agentName) : undefined;
        return (
          <li key={room.id} className="group relative">
            <NavLink
              to={`/rooms/${room.id}`}
              className="flex items-center gap-2.5 rounded-control py-2 pl-2.5 pr-9 hover:bg-surface-2 aria-[current=page]:bg-accent-tint"
            >
              {direct ? (
                <AgentAvatar name={direct.agentName} picture={agent?.profile_pic} size={24} />
              ) : (
                <ProviderChip provider={room.default_provider} model={room.default_model} compact />
              )}
              <span className="min-w-0 flex-1">
                <span className="flex items-center gap-1.5">
                  <span className={`truncate ${room.has_unread ? 'font-semibold' : ''}`}>{direct ? direct.agentName : room.name}</span>
                  {direct && <ProviderChip provider={room.default_provider} model={room.default_model} compact />}
                </span>
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
                <span data-testid="unread-dot" className="size-2 shrink-0 rounded-full bg-accent group-hover:invisible group-focus-within:invisible">
                  <span className="sr-only">{t('unread')}</span>
                </span>
              )}
            </NavLink>
            <RoomRowMenu room={room} />
          </li>
        );
      })}
    </ul>
  );
}
