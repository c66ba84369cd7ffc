import type { RoomEvent } from '../../shared/events.js';
import type { TimelineAction } from './timeline-types.js';

/** Maps a stream event to its timeline action (ui.md §3.3). `shutdown` concerns only the connection. */
export function eventToAction(event: RoomEvent, at: number): TimelineAction | null {
  switch (event.type) {
    case 'snapshot':
      return { type: 'snapshot', data: event.data, at };
    case 'message':
      return { type: 'message', message: event.data, at };
    case 'message_deleted':
      return { type: 'deleted', data: event.data };
    case 'room':
      return { type: 'room', data: event.data };
    case 'agent_start':
      return { type: 'agentStart', data: event.data, at };
    case 'delta':
      return { type: 'deltaBatch', deltas: [event.data], at };
    case 'agent_end':
      return { type: 'agentEnd', data: event.data, at };
    case 'agent_error':
      return { type: 'agentError', data: event.data, at };
    case 'shutdown':
      return null;
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  throw new Error(`Unknown room event ${JSON.stringify(event)}`);
}
