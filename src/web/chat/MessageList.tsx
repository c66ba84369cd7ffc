import { ArrowDown } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { Spinner } from '../components/Spinner';
import { createRowsSelector, selectNewestId } from '../timeline/timeline-selectors';
import type { Timeline } from '../timeline/timeline-types';
import { loadOlder, timelineStore, useTimeline } from './live-room';
import { transcriptKeyHandler } from './transcript-keys';
import { TranscriptRow, type RowContext } from './TranscriptRow';
import { buildTranscriptItems, unreadDividerId, type TranscriptItem } from './transcript-items';
import { dateFormat } from '../lib/format';

/** The list follows new content only while the reader is this close to the bottom (ui.md §4.4.2). */
export const FOLLOW_WITHIN_PX = 120;
/** Virtuoso's index space: prepending older pages counts down from here, so the view stays still. */
const FIRST_INDEX = 10_000_000;
/** When more rows than this are unread, the room opens at the divider instead of the bottom. */
const OPEN_AT_DIVIDER_AFTER = 12;
/**
 * Virtuoso positions the first paint at `initialTopMostItemIndex` only when the list can scroll that far; a shorter
 * list opens at its top and is then scrolled to the end, which is already where it is.
 */
const POSITION_INITIALLY_FROM = 20;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

const selectLoaded = (t: Timeline) => t.loaded;
const selectHasMore = (t: Timeline) => t.hasMoreBefore;
const selectLoadingBefore = (t: Timeline) => t.loadingBefore;

function ListHeader({ roomId, createdAt }: { roomId: number; createdAt: string | null }) {
  const { t, i18n } = useTranslation('chat');
  const hasMore = useTimeline(roomId, selectHasMore);
  const loading = useTimeline(roomId, selectLoadingBefore);
  if (loading || hasMore) {
    return (
      <p className="flex items-center justify-center gap-2 py-4 text-sm text-text-muted">
        {loading ? (
          <>
            <Spinner /> {t('loadingOlder')}
          </>
        ) : (
          <button type="button" onClick={() => void loadOlder(roomId)} className="rounded-control px-2 py-1 font-medium text-accent hover:underline coarse:min-h-11">
            {t('loadingOlder')}
          </button>
        )}
      </p>
    );
  }
  const date = createdAt === null ? '' : dateFormat(i18n.language, { dateStyle: 'long' }).format(new Date(createdAt));
  return <p className="py-4 text-center text-xs text-text-muted">{t('startOfConversation', { date })}</p>;
}

function Skeleton() {
  return (
    <div aria-hidden="true" className="mx-auto flex w-full max-w-3xl flex-col gap-4 px-4 py-6">
      {[0, 1, 2, 3].map((index) => (
        <div key={index} className={`flex gap-3 ${index % 2 === 1 ? 'flex-row-reverse' : ''}`}>
          <span className="size-9 shrink-0 rounded-full bg-surface-2" />
          <span className="h-14 w-2/3 rounded-bubble bg-surface-2 motion-safe:animate-pulse" />
        </div>
      ))}
    </div>
  );
}

export interface MessageListProps {
  roomId: number;
  ctx: RowContext;
  /** The room's `last_read_at` read when it opened, before marking it read (ui.md §3.8). */
  lastReadAt: string | null;
  createdAt: string | null;
  showPassed?: boolean;
  /** Changes when the user sends: the list scrolls to the bottom (ui.md §3.7 step 3). */
  scrollToEndKey: number;
  /** A finished message from someone else arrived while the reader was at the bottom (ui.md §3.8 mark read). */
  onSeenAtBottom?: () => void;
}

/**
 * The transcript (ui.md §4.4.2), virtualized with react-virtuoso: it opens at the bottom (or at the unread divider
 * when much is unread), follows new content near the bottom, pages older history at the top with `firstItemIndex`
 * keeping the view still, and offers Jump to latest with a count of what arrived while scrolled up.
 */
export function MessageList({ roomId, ctx, lastReadAt, createdAt, showPassed = true, scrollToEndKey, onSeenAtBottom }: MessageListProps) {
  const { t } = useTranslation('chat');
  const selectRows = useMemo(() => createRowsSelector(), []);
  const rows = useTimeline(roomId, selectRows);
  const loaded = useTimeline(roomId, selectLoaded);
  const virtuoso = useRef<VirtuosoHandle>(null);

  // The divider is placed once, when the history first arrives, and stays until the room is left.
  // A cached room places it in the first render, so the list draws without waiting for an effect.
  const [dividerId, setDividerId] = useState<number | null | undefined>(() =>
    loaded ? unreadDividerId(timelineStore.getSnapshot(roomId).messages, lastReadAt) : undefined,
  );
  useEffect(() => {
    if (!loaded || dividerId !== undefined) return;
    setDividerId(unreadDividerId(timelineStore.getSnapshot(roomId).messages, lastReadAt));
  }, [loaded, dividerId, roomId, lastReadAt]);

  const items = useMemo(
    () => buildTranscriptItems(rows, { dividerId: dividerId ?? null, showPassed }),
    [rows, dividerId, showPassed],
  );

  // Prepending keeps the view still: the first item's index moves down by the number of items put before it.
  const first = useRef<{ key: string | null; index: number }>({ key: null, index: FIRST_INDEX });
  const firstKey = items[0]?.key ?? null;
  if (firstKey !== first.current.key) {
    const previousKey = first.current.key;
    const at = previousKey === null ? -1 : items.findIndex((item) => item.key === previousKey);
    first.current = { key: firstKey, index: at > 0 ? first.current.index - at : first.current.index };
  }

  const [atBottom, setAtBottom] = useState(true);
  const [newestWhenLeft, setNewestWhenLeft] = useState<number | null>(null);
  const atBottomRef = useRef(true);
  const onBottomChange = useCallback(
    (bottom: boolean) => {
      if (bottom === atBottomRef.current) return;
      atBottomRef.current = bottom;
      setAtBottom(bottom);
      setNewestWhenLeft(bottom ? null : selectNewestId(timelineStore.getSnapshot(roomId)));
    },
    [roomId],
  );
  // Read from the scroller itself: whether the reader is within 120 px of the bottom.
  const detachScroller = useRef<(() => void) | null>(null);
  const scrollerElement = useRef<HTMLElement | null>(null);
  const scrollerRef = useCallback(
    (element: HTMLElement | Window | null) => {
      detachScroller.current?.();
      detachScroller.current = null;
      scrollerElement.current = element instanceof HTMLElement ? element : null;
      if (!(element instanceof HTMLElement)) return;
      const onScroll = () => onBottomChange(element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_WITHIN_PX);
      element.addEventListener('scroll', onScroll, { passive: true });
      detachScroller.current = () => element.removeEventListener('scroll', onScroll);
    },
    [onBottomChange],
  );
  const newCount = useMemo(() => {
    if (atBottom || newestWhenLeft === null) return 0;
    return rows.filter((row) => row.kind === 'message' && row.message.id > newestWhenLeft && row.message.role !== 'user').length;
  }, [rows, atBottom, newestWhenLeft]);

  // Live bubbles and your own sends never count; only finished messages from others that arrive after the open.
  // `undefined` until the history is loaded; `null` while it holds no message from others (the first reply counts).
  const newestSeen = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    if (!loaded) return;
    let newestOther: number | null = null;
    for (const row of rows) if (row.kind === 'message' && row.message.role !== 'user') newestOther = row.message.id;
    const before = newestSeen.current;
    newestSeen.current = newestOther;
    if (before === undefined || newestOther === null || (before !== null && newestOther <= before)) return;
    if (atBottomRef.current) onSeenAtBottom?.();
  }, [rows, loaded, onSeenAtBottom]);

  const jumpToLatest = useCallback(() => {
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }, []);

  const lastScrollKey = useRef(scrollToEndKey);
  useEffect(() => {
    if (scrollToEndKey === lastScrollKey.current) return;
    lastScrollKey.current = scrollToEndKey;
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [scrollToEndKey, items.length]);

  const initialIndex = useMemo(() => {
    if (dividerId === null || dividerId === undefined) return items.length - 1;
    const at = items.findIndex((item) => item.unread);
    return at >= 0 && items.length - at > OPEN_AT_DIVIDER_AFTER ? at : items.length - 1;
    // Only the first layout uses it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dividerId === undefined]);

  // Decided once, at the first paint of the history.
  const openMode = useRef<'index' | 'scroll' | null>(null);
  const ready = loaded && dividerId !== undefined;
  if (ready && openMode.current === null) openMode.current = items.length > POSITION_INITIALLY_FROM ? 'index' : 'scroll';
  useEffect(() => {
    if (ready && openMode.current === 'scroll') virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [ready]);

  const onKeyDown = useMemo(
    () =>
      transcriptKeyHandler({
        scroller: () => scrollerElement.current,
        scrollToEdge: (edge) =>
          new Promise((resolve) => {
            virtuoso.current?.scrollToIndex({ index: edge === 'first' ? 0 : 'LAST', align: edge === 'first' ? 'start' : 'end' });
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          }),
        focusComposer: () => document.querySelector<HTMLElement>('[data-composer-input]')?.focus(),
      }),
    [],
  );

  const itemContent = useCallback((_: number, item: TranscriptItem) => <TranscriptRow item={item} ctx={ctx} />, [ctx]);
  const computeItemKey = useCallback((_: number, item: TranscriptItem) => item.key, []);
  const Header = useCallback(() => <ListHeader roomId={roomId} createdAt={createdAt} />, [roomId, createdAt]);
  const components = useMemo(() => ({ Header }), [Header]);
  const followOutput = useCallback((bottom: boolean) => (bottom ? (prefersReducedMotion() ? 'auto' : 'smooth') : false), []);

  return (
    <section aria-label={t('transcript')} aria-busy={!ready} onKeyDown={onKeyDown} className="relative flex min-h-0 flex-1 flex-col">
      {!ready ? (
        <>
          <p className="sr-only">{t('loading')}</p>
          <Skeleton />
        </>
      ) : items.length === 0 ? (
        <p className="m-auto p-6 text-center text-text-muted">{t('empty')}</p>
      ) : (
        <Virtuoso<TranscriptItem>
          ref={virtuoso}
          className="min-h-0 flex-1"
          data={items}
          firstItemIndex={first.current.index}
          {...(openMode.current === 'index' ? { initialTopMostItemIndex: Math.max(0, initialIndex) } : {})}
          computeItemKey={computeItemKey}
          itemContent={itemContent}
          components={components}
          followOutput={followOutput}
          atBottomThreshold={FOLLOW_WITHIN_PX}
          scrollerRef={scrollerRef}
          startReached={() => void loadOlder(roomId)}
          increaseViewportBy={{ top: 400, bottom: 400 }}
          // A typical one-line row: the list lays out the first window without a measuring pass first.
          defaultItemHeight={72}
          tabIndex={0}
        />
      )}
      {ready && !atBottom && items.length > 0 && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 right-4 flex items-center gap-1.5 rounded-full border border-border bg-surface px-3 py-2 text-sm font-medium shadow-lg hover:bg-surface-2 coarse:min-h-11"
        >
          <ArrowDown aria-hidden="true" className="size-4" strokeWidth={1.75} />
          {t('jumpToLatest')}
          {newCount > 0 && <span className="rounded-full bg-accent px-1.5 text-xs text-accent-fg">{t('newCount', { count: newCount })}</span>}
        </button>
      )}
    </section>
  );
}
