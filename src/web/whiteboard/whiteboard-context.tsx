import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import { boardStates, hasWhiteboardMarker, isPartialHistory, type BoardMessage, type BoardStates } from './whiteboard';

/**
 * The room's whiteboard as replayed over the loaded history (ui.md §4.10), shared by every diff card of the
 * transcript. The transcript mounts one `WhiteboardProvider` around its rows; a card outside one shows the board
 * its own message builds (and says the history is partial).
 */

export interface WhiteboardContextValue {
  states: BoardStates;
  /** The loaded history does not reach the start of the room. */
  partial: boolean;
  /** Loads every earlier page; absent when the host cannot. */
  loadFullHistory?: (() => void | Promise<void>) | undefined;
}

const WhiteboardContext = createContext<WhiteboardContextValue | null>(null);

export function useWhiteboard(): WhiteboardContextValue | null {
  return useContext(WhiteboardContext);
}

/** `boardStates` over messages, recomputed only when a diff message arrives, leaves or changes. */
export function useBoardStates(messages: readonly BoardMessage[]): BoardStates {
  const diffs = useMemo(() => messages.filter((message) => message.agent_id !== null && message.content.includes('diff]') && hasWhiteboardMarker(message.content)), [messages]);
  const previous = useRef<{ diffs: readonly BoardMessage[]; states: BoardStates } | null>(null);
  const held = previous.current;
  if (held && held.diffs.length === diffs.length && held.diffs.every((message, index) => message === diffs[index])) return held.states;
  const states = boardStates(diffs);
  previous.current = { diffs, states };
  return states;
}

export function WhiteboardProvider({
  messages,
  hasMoreBefore,
  onLoadFullHistory,
  children,
}: {
  messages: readonly BoardMessage[];
  hasMoreBefore: boolean;
  onLoadFullHistory?: () => void | Promise<void>;
  children: ReactNode;
}) {
  const states = useBoardStates(messages);
  const partial = isPartialHistory({ hasMoreBefore }, states);
  const value = useMemo(() => ({ states, partial, loadFullHistory: onLoadFullHistory }), [states, partial, onLoadFullHistory]);
  return <WhiteboardContext.Provider value={value}>{children}</WhiteboardContext.Provider>;
}
