import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSettings } from '../lib/settings';
import { useMarkRead } from '../rooms/rooms-data';
import type { Agent } from '../../shared/models';
import { selectRegenerableId, selectRetryAgent } from '../timeline/timeline-selectors';
import type { Timeline } from '../timeline/timeline-types';
import { timelineStore, useTimeline } from './live-room';
import { MessageAnnouncer, TypingLine } from './LiveLines';
import { MessageList } from './MessageList';
import type { RowContext } from './TranscriptRow';
import type { RoomTimeline } from './use-room-timeline';

const NO_MEMBERS: readonly Agent[] = [];
/** Mark read is throttled to once per 5 s, the first and the last call kept (ui.md §3.8). */
export const MARK_READ_EVERY_MS = 5_000;

/** A throttle that runs the first call at once and the last call of each window at its end. */
function useThrottledMarkRead(roomId: number): () => void {
  const { mutate } = useMarkRead();
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null });
  useEffect(() => {
    const current = state.current;
    return () => {
      if (current.timer !== null) clearTimeout(current.timer);
    };
  }, []);
  return useCallback(() => {
    const current = state.current;
    const wait = current.last + MARK_READ_EVERY_MS - Date.now();
    if (wait <= 0) {
      current.last = Date.now();
      mutate(roomId);
      return;
    }
    if (current.timer !== null) return;
    current.timer = setTimeout(() => {
      current.timer = null;
      current.last = Date.now();
      mutate(roomId);
    }, wait);
  }, [mutate, roomId]);
}

function selectRetryableKey(t: Timeline): string {
  return Object.keys(t.errorNotice)
    .map(Number)
    .filter((noticeId) => selectRetryAgent(t, noticeId) !== null)
    .join(',');
}

/**
 * The room's transcript area (ui.md §4.4.2, §4.4.4): the virtualized list, the polite announcer of finished
 * messages and the typing line that sits above the composer.
 */
export function RoomTranscript({
  chat,
  canAct,
  lastReadAt,
  createdAt,
}: {
  chat: RoomTimeline;
  /** Owner or admin. */
  canAct: boolean;
  lastReadAt: string | null;
  createdAt: string | null;
}) {
  const { roomId } = chat;
  const members = chat.room?.agents ?? NO_MEMBERS;
  const settings = useSettings();
  const regenerableId = useTimeline(roomId, selectRegenerableId);
  // Which error notices still offer Retry, as a string so the rows re-render only when that set changes.
  const retryableKey = useTimeline(roomId, selectRetryableKey);
  const retryable = useCallback(
    (noticeId: number) => selectRetryAgent(timelineStore.getSnapshot(roomId), noticeId),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [roomId, retryableKey],
  );

  // A finished message seen at the bottom of a visible, focused tab marks the room read (ui.md §3.8).
  const markRead = useThrottledMarkRead(roomId);
  const onSeenAtBottom = useCallback(() => {
    if (document.visibilityState === 'visible' && document.hasFocus()) markRead();
  }, [markRead]);

  const ctx = useMemo<RowContext>(
    () => ({
      roomId,
      members,
      canAct,
      regenerableId,
      retryable,
      onRetryAgent: chat.respondAgent,
      onRetrySend: chat.retrySend,
      onEditSend: chat.takeForEdit,
      onDiscardSend: chat.discardSend,
    }),
    [roomId, members, canAct, regenerableId, retryable, chat.respondAgent, chat.retrySend, chat.takeForEdit, chat.discardSend],
  );

  return (
    <>
      <MessageList
        roomId={roomId}
        ctx={ctx}
        lastReadAt={lastReadAt}
        createdAt={createdAt}
        scrollToEndKey={chat.sentCount}
        onSeenAtBottom={onSeenAtBottom}
        showPassed={settings.showPassed !== false}
      />
      <MessageAnnouncer roomId={roomId} enabled={settings.announce !== false} />
      <TypingLine roomId={roomId} />
    </>
  );
}
