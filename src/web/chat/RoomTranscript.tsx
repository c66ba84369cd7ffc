import { useCallback, useMemo } from 'react';
import type { Agent } from '../../shared/models';
import { selectRegenerableId, selectRetryAgent } from '../timeline/timeline-selectors';
import type { Timeline } from '../timeline/timeline-types';
import { timelineStore, useTimeline } from './live-room';
import { MessageAnnouncer, TypingLine } from './LiveLines';
import { MessageList } from './MessageList';
import type { RowContext } from './TranscriptRow';
import type { RoomTimeline } from './use-room-timeline';

const NO_MEMBERS: readonly Agent[] = [];

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
  const regenerableId = useTimeline(roomId, selectRegenerableId);
  // Which error notices still offer Retry, as a string so the rows re-render only when that set changes.
  const retryableKey = useTimeline(roomId, selectRetryableKey);
  const retryable = useCallback(
    (noticeId: number) => selectRetryAgent(timelineStore.getSnapshot(roomId), noticeId),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [roomId, retryableKey],
  );

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
      <MessageList roomId={roomId} ctx={ctx} lastReadAt={lastReadAt} createdAt={createdAt} scrollToEndKey={chat.sentCount} />
      <MessageAnnouncer roomId={roomId} />
      <TypingLine roomId={roomId} />
    </>
  );
}
