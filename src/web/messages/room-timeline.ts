import { useMemo } from 'react';
import { loadOlder, timelineStore, useTimeline } from '../chat/live-room';
import { selectOldestId } from '../timeline/timeline-selectors';
import type { Timeline, TimelineAction } from '../timeline/timeline-types';
import { boardStates, isPartialHistory, type BoardStates } from '../whiteboard/whiteboard';
import type { WhiteboardContextValue } from '../whiteboard/whiteboard-context';

/**
 * What message bodies and actions read from the room's timeline store (ui.md §2.3) when the transcript does not
 * hand it to them: how long an agent thought, the room's provider, the whiteboard replay, and where optimistic
 * changes go.
 */

export function dispatchToTimeline(roomId: number, action: TimelineAction): void {
  timelineStore.dispatch(roomId, action);
}

const noThought = () => undefined;

export function useThoughtMs(roomId: number, messageId: number): number | undefined {
  return useTimeline(roomId, messageId > 0 ? (t: Timeline) => t.thoughtMs[messageId] : noThought);
}

const noKey = () => undefined;

/** The row key a message took over from the live bubble it replaced, if it replaced one. */
export function useInheritedRowKey(roomId: number, messageId: number): string | undefined {
  return useTimeline(roomId, messageId > 0 ? (t: Timeline) => t.rowKey[messageId] : noKey);
}

export function useRoomProvider(roomId: number): string | null {
  return useTimeline(roomId, (t: Timeline) => t.room?.default_provider ?? null);
}

/** One replay per messages array, shared by every card of the room. */
const replays = new WeakMap<readonly Timeline['messages'][number][], BoardStates>();

function replayOf(messages: Timeline['messages']): BoardStates {
  let states = replays.get(messages);
  if (states === undefined) {
    states = boardStates(messages);
    replays.set(messages, states);
  }
  return states;
}

const noMessages: Timeline['messages'] = [];
const selectMessages = (t: Timeline) => t.messages;
const selectNone = () => noMessages;
const selectHasMore = (t: Timeline) => t.hasMoreBefore;

/** Loads every earlier page of the room, one after another (whiteboard "Load full history"). */
export async function loadFullHistory(roomId: number): Promise<void> {
  for (let pages = 0; pages < 10_000; pages += 1) {
    const t = timelineStore.getSnapshot(roomId);
    if (!t.hasMoreBefore) return;
    if (t.loadingBefore) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const oldest = selectOldestId(t);
    await loadOlder(roomId);
    const after = timelineStore.getSnapshot(roomId);
    if (after.hasMoreBefore && selectOldestId(after) === oldest && !after.loadingBefore) throw new Error('older page failed');
  }
}

/** The room's whiteboard from the store (`enabled` false: nothing is read). */
export function useRoomWhiteboard(roomId: number, enabled: boolean): WhiteboardContextValue | null {
  const messages = useTimeline(roomId, enabled ? selectMessages : selectNone);
  const hasMoreBefore = useTimeline(roomId, selectHasMore);
  return useMemo(() => {
    if (!enabled || messages.length === 0) return null;
    const states = replayOf(messages);
    return { states, partial: isPartialHistory({ hasMoreBefore }, states), loadFullHistory: () => loadFullHistory(roomId) };
  }, [enabled, messages, hasMoreBefore, roomId]);
}

/** The room's held messages (for the whiteboard panel). */
export function useRoomMessages(roomId: number): Timeline['messages'] {
  return useTimeline(roomId, selectMessages);
}

export function useRoomHasMoreBefore(roomId: number): boolean {
  return useTimeline(roomId, selectHasMore);
}

/** The loaded history holds at least one whiteboard diff (the agent panel then shows its Whiteboard tab). */
export function useRoomHasWhiteboard(roomId: number): boolean {
  return useTimeline(roomId, (t: Timeline) => replayOf(t.messages).latestId !== null);
}
