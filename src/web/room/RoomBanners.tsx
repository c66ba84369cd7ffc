import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../shared/models';
import { api } from '../lib/endpoints';
import { queryKeys } from '../lib/query';
import { usePauseRoom } from './room-actions';

/**
 * The banners under the room header (ui.md §4.4.1); only the first that applies shows: Paused (with Resume),
 * Settled, No agents (with Add agents), Provider unavailable. They follow the room's cache entry, which the event
 * stream keeps current.
 */
export function RoomBanners({
  room,
  memberCount,
  membersLoaded,
  onAddAgents,
}: {
  room: RoomSummary;
  memberCount: number;
  membersLoaded: boolean;
  onAddAgents: () => void;
}) {
  const { t } = useTranslation('room');
  const pause = usePauseRoom(room.id);
  const providers = useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => api.providers(signal),
    staleTime: 60_000,
  });
  const provider = providers.data?.providers.find((p) => p.name === room.default_provider);

  const base = 'flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b px-4 py-2 text-sm';
  if (room.is_paused) {
    return (
      <div role="status" className={`${base} border-warning/30 bg-warning/10`}>
        <span className="flex-1">{t('banner.paused')}</span>
        <button
          type="button"
          onClick={() => pause.mutate(false)}
          className="rounded-control bg-warning px-3 py-1 font-medium text-white coarse:min-h-11"
        >
          {t('resume')}
        </button>
      </div>
    );
  }
  if (room.is_finished) {
    return (
      <div role="status" className={`${base} border-success/30 bg-success/10`}>
        {t('banner.settled')}
      </div>
    );
  }
  if (membersLoaded && memberCount === 0) {
    return (
      <div role="status" className={`${base} border-border bg-surface-2`}>
        <span className="flex-1">{t('banner.noAgents')}</span>
        <button type="button" onClick={onAddAgents} className="rounded-control bg-accent px-3 py-1 font-medium text-accent-fg coarse:min-h-11">
          {t('banner.addAgents')}
        </button>
      </div>
    );
  }
  if (provider && !provider.available) {
    return (
      <div role="status" className={`${base} border-danger/30 bg-danger/10`}>
        {t('banner.providerUnavailable', {
          provider: t(`common:providers.${provider.name}`, { defaultValue: provider.name }),
          reason: provider.reason ?? t('banner.noReason'),
        })}
      </div>
    );
  }
  return null;
}
