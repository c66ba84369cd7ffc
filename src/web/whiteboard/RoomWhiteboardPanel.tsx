import { useCallback } from 'react';
import { loadFullHistory, useRoomHasMoreBefore, useRoomMessages } from '../messages/room-timeline';
import { WhiteboardPanel } from './WhiteboardPanel';

export { useRoomHasWhiteboard } from '../messages/room-timeline';

/**
 * The Whiteboard tab of a room's agent panel (ui.md §4.10), fed by the room's timeline store. Mount it as the
 * panel's `whiteboard` when `useRoomHasWhiteboard(roomId)` is true.
 */
export function RoomWhiteboardPanel({ roomId }: { roomId: number }) {
  const messages = useRoomMessages(roomId);
  const hasMoreBefore = useRoomHasMoreBefore(roomId);
  const loadAll = useCallback(() => loadFullHistory(roomId), [roomId]);
  return <WhiteboardPanel messages={messages} hasMoreBefore={hasMoreBefore} onLoadFullHistory={loadAll} />;
}
