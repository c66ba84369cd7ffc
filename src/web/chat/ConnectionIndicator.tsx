import * as Popover from '@radix-ui/react-popover';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { connectionIndicator, nextAnnouncement, type Announcement } from '../connection/connection-indicator';
import type { ConnectionState } from '../connection/connection-types';
import { formatDateTime } from '../lib/format';

const DOT: Record<string, string> = {
  ok: 'bg-success',
  neutral: 'bg-text-muted',
  warning: 'bg-warning',
  danger: 'bg-danger',
};
const TEXT: Record<string, string> = {
  ok: 'text-text-muted',
  neutral: 'text-text-muted',
  warning: 'text-warning',
  danger: 'text-danger',
};

/** Re-renders every second while a countdown shows. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const handle = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(handle);
  }, [ticking]);
  return now;
}

/**
 * The header's connection indicator (ui.md §3.6): Live / Connecting / Reconnecting in N s / Server restarting /
 * Limited: polling / Offline, with a popover holding the state, the time of the last event and *Retry now*. Each
 * change of state is announced once in a polite live region.
 */
export function ConnectionIndicator({ state, onRetryNow }: { state: ConnectionState; onRetryNow: () => void }) {
  const { t, i18n } = useTranslation('chat');
  const now = useNow(state.status.kind === 'reconnecting');
  const indicator = connectionIndicator(state.status, now);

  const announced = useRef<ReturnType<typeof nextAnnouncement>['last']>(null);
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  useEffect(() => {
    const next = nextAnnouncement(announced.current, state.status);
    announced.current = next.last;
    if (next.announce !== null) setAnnouncement(next.announce);
  }, [state.status]);

  const region = (
    <span role="status" aria-live="polite" className="sr-only">
      {announcement === null ? '' : t(`connection.announce.${announcement}`)}
    </span>
  );
  if (indicator.kind === 'none') return region;

  const label = t(`connection.${indicator.kind}`, { seconds: indicator.seconds ?? 0 });
  const canRetry = indicator.kind !== 'live' && indicator.kind !== 'connecting';
  return (
    <>
      {region}
      <Popover.Root>
        <Popover.Trigger
          aria-label={t('connection.label', { state: label })}
          data-testid="connection-indicator"
          data-state-kind={indicator.kind}
          className={`flex shrink-0 items-center gap-1.5 rounded-full px-2 py-1 text-xs font-medium hover:bg-surface-2 coarse:min-h-11 ${TEXT[indicator.tone]}`}
        >
          <span aria-hidden="true" className={`size-2 rounded-full ${DOT[indicator.tone]} ${indicator.kind === 'connecting' ? 'motion-safe:animate-pulse' : ''}`} />
          <span aria-hidden="true" className={indicator.kind === 'live' || indicator.kind === 'paused' ? 'hidden sm:inline' : ''}>
            {label}
          </span>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            sideOffset={6}
            align="start"
            className="z-50 w-72 rounded-card border border-border bg-surface p-3 text-sm shadow-lg"
          >
            <p className="font-semibold">{label}</p>
            <p className="mt-1 text-text-muted">{t(`connection.help.${indicator.kind}`)}</p>
            <p className="mt-2 text-xs text-text-muted">
              {state.lastEventAt === null
                ? t('connection.noEvents')
                : t('connection.lastEvent', { time: formatDateTime(new Date(state.lastEventAt).toISOString(), i18n.language) })}
            </p>
            {canRetry && (
              <Popover.Close
                onClick={onRetryNow}
                className="mt-3 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg hover:opacity-90 coarse:min-h-11"
              >
                {t('connection.retryNow')}
              </Popover.Close>
            )}
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
    </>
  );
}
