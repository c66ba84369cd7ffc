import { useQuery } from '@tanstack/react-query';
import { ChevronDown, Search, X } from 'lucide-react';
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { api } from '../lib/endpoints';
import type { matchKorean } from '../lib/korean-search';
import { queryKeys } from '../lib/query';
import { readStored, writeStored } from '../lib/storage';
import { useShell } from '../shell/shell-context';
import { parseDirectRoom } from './direct-rooms';
import { RoomList } from './RoomList';
import { useRooms } from './rooms-data';

type SectionId = 'rooms' | 'direct';
type Matcher = typeof matchKorean;

/** Until the Korean-aware matcher has loaded (on the first typed query), a plain case-insensitive substring match. */
const substringMatch: Matcher = (query, text) =>
  text.normalize('NFC').toLowerCase().includes(query.trim().normalize('NFC').toLowerCase()) ? 0 : null;

const LAYOUT_KEY = 'layout';
const LAYOUT_VERSION = 1;

function readCollapsed(): SectionId[] {
  const stored = readStored<{ collapsedRoomSections: SectionId[] }>(LAYOUT_KEY, LAYOUT_VERSION)?.collapsedRoomSections;
  return Array.isArray(stored) ? stored : [];
}

function writeCollapsed(collapsed: SectionId[]): void {
  writeStored(LAYOUT_KEY, LAYOUT_VERSION, { ...readStored<object>(LAYOUT_KEY, LAYOUT_VERSION), collapsedRoomSections: collapsed });
}

/**
 * The sidebar's Rooms tab (ui.md §4.2): a Korean-aware filter with a clear button, then two collapsible sections,
 * Rooms and Direct chats (§4.9), each in the server's order. Skeleton rows while loading; the empty state.
 */
export function RoomsSection() {
  const { t } = useTranslation('rooms');
  const session = useSession();
  const rooms = useRooms(session.isSuccess);
  const { openCreateRoom } = useShell();
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<SectionId[]>(readCollapsed);
  const filterId = useId();
  // The Korean-aware matcher loads when the filter is first used, keeping it out of the entry bundle.
  const [matcher, setMatcher] = useState<{ match: Matcher } | undefined>();
  useEffect(() => {
    if (query.trim() === '' || matcher) return;
    void import('../lib/korean-search').then((module) => setMatcher({ match: module.matchKorean }));
  }, [query, matcher]);
  const matchKorean = matcher?.match ?? substringMatch;

  const { groupRooms, directRooms } = useMemo(() => {
    const list = rooms.data ?? [];
    const matching = list.filter((room) => {
      const direct = parseDirectRoom(room.name);
      return matchKorean(query, room.name) !== null || (direct !== undefined && matchKorean(query, direct.agentName) !== null);
    });
    return {
      groupRooms: matching.filter((room) => parseDirectRoom(room.name) === undefined),
      directRooms: matching.filter((room) => parseDirectRoom(room.name) !== undefined),
    };
  }, [rooms.data, query, matchKorean]);
  // The agents' pictures for the Direct chats rows; only fetched when there are direct rooms.
  const agents = useQuery({
    queryKey: queryKeys.agents,
    queryFn: ({ signal }) => api.agents(signal),
    staleTime: 30_000,
    enabled: session.isSuccess && (rooms.data ?? []).some((room) => parseDirectRoom(room.name) !== undefined),
  });

  const toggle = (section: SectionId) =>
    setCollapsed((current) => {
      const next = current.includes(section) ? current.filter((s) => s !== section) : [...current, section];
      writeCollapsed(next);
      return next;
    });

  let body: ReactNode;
  if (rooms.data) {
    if (rooms.data.length === 0) {
      body = (
        <div className="px-2.5 py-3 text-sm text-text-muted">
          <p>{t('empty')}</p>
          <button type="button" onClick={openCreateRoom} className="mt-2 font-medium text-accent hover:underline">
            {t('createRoom')}
          </button>
        </div>
      );
    } else {
      const filtering = query.trim() !== '';
      body = (
        <>
          <Section id="rooms" title={t('heading')} count={groupRooms.length} collapsed={collapsed.includes('rooms') && !filtering} onToggle={toggle}>
            {groupRooms.length > 0 ? (
              <RoomList rooms={groupRooms} />
            ) : (
              <p className="px-2.5 py-1 text-sm text-text-muted">{filtering ? t('filter.none') : t('noGroupRooms')}</p>
            )}
          </Section>
          {(directRooms.length > 0 || !filtering) && (
            <Section id="direct" title={t('direct.heading')} count={directRooms.length} collapsed={collapsed.includes('direct') && !filtering} onToggle={toggle}>
              {directRooms.length > 0 ? (
                <RoomList rooms={directRooms} agents={agents.data ?? []} />
              ) : (
                <p className="px-2.5 py-1 text-sm text-text-muted">{t('direct.empty')}</p>
              )}
            </Section>
          )}
        </>
      );
    }
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
    <div aria-busy={rooms.isPending && session.isSuccess} className="px-2">
      {rooms.data && rooms.data.length > 0 && (
        <div className="relative px-0.5 pb-1 pt-2">
          <Search aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 mt-0.5 size-4 -translate-y-1/2 text-text-muted" strokeWidth={1.75} />
          <input
            id={filterId}
            type="text"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && query !== '' && !event.nativeEvent.isComposing) {
                event.stopPropagation();
                setQuery('');
              }
            }}
            placeholder={t('filter.placeholder')}
            aria-label={t('filter.label')}
            autoComplete="off"
            className="w-full rounded-control border border-border bg-bg py-1.5 pl-8 pr-8 text-sm"
          />
          {query !== '' && (
            <button
              type="button"
              onClick={() => setQuery('')}
              aria-label={t('filter.clear')}
              title={t('filter.clear')}
              className="absolute right-1.5 top-1/2 mt-0.5 -translate-y-1/2 rounded-control p-1 text-text-muted hover:text-text coarse:min-h-11 coarse:min-w-11"
            >
              <X aria-hidden="true" className="mx-auto size-4" strokeWidth={1.75} />
            </button>
          )}
        </div>
      )}
      {body}
    </div>
  );
}

function Section({
  id,
  title,
  count,
  collapsed,
  onToggle,
  children,
}: {
  id: SectionId;
  title: string;
  count: number;
  collapsed: boolean;
  onToggle: (id: SectionId) => void;
  children: ReactNode;
}) {
  const headingId = useId();
  const bodyId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="pt-2">
        <button
          type="button"
          onClick={() => onToggle(id)}
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          className="flex w-full items-center gap-1 rounded-control px-2.5 py-1 text-xs font-semibold uppercase tracking-wide text-text-muted hover:text-text coarse:min-h-11"
        >
          <ChevronDown aria-hidden="true" className={`size-3.5 transition-transform motion-reduce:transition-none ${collapsed ? '-rotate-90' : ''}`} strokeWidth={2} />
          <span className="flex-1 text-left">{title}</span>
          <span className="font-normal">{count}</span>
        </button>
      </h2>
      <div id={bodyId} hidden={collapsed}>
        {children}
      </div>
    </section>
  );
}
