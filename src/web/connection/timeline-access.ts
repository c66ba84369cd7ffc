import { selectNewestId, selectResumeId } from '../timeline/timeline-selectors.js';
import type { TimelineStore } from '../timeline/timeline-store.js';
import type { RoomTimelineAccess } from './room-reads.js';

/** Binds the connection of one room to its timeline in the store. */
export function timelineAccess(store: TimelineStore, roomId: number): RoomTimelineAccess {
  return {
    hasHistory: () => store.getSnapshot(roomId).loaded,
    resumeId: () => selectResumeId(store.getSnapshot(roomId)),
    newestId: () => selectNewestId(store.getSnapshot(roomId)),
    receive: (event) => store.receive(roomId, event),
    dispatch: (action) => store.dispatch(roomId, action),
  };
}
