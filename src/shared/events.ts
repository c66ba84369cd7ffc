import type { Message, RoomWithAgents } from './models.js';

/** Room event names and payloads (api.md §9.3), defined once for the bus, the SSE writer and the UI reducer. */

export const ROOM_EVENT_REASONS = [
  'updated',
  'paused',
  'resumed',
  'finished',
  'agent_added',
  'agent_removed',
  'messages_cleared',
  'deleted',
  'run_started',
  'run_ended',
] as const;
export type RoomEventReason = (typeof ROOM_EVENT_REASONS)[number];

export const TURN_OUTCOMES = ['responded', 'skipped', 'interrupted', 'error'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

export interface GeneratingAgent {
  agent_id: number;
  agent_name: string;
  agent_profile_pic: string | null;
  turn_id: string;
  attempt: number;
  started_at: string;
  thinking_text: string;
  response_text: string;
}

export interface RoomEventPayloads {
  snapshot: {
    room_id: number;
    room: RoomWithAgents;
    last_message_id: number | null;
    replay_truncated: boolean;
    generating: GeneratingAgent[];
  };
  message: Message;
  message_deleted: { room_id: number; message_id: number };
  room: { reason: RoomEventReason; room: RoomWithAgents };
  agent_start: {
    agent_id: number;
    agent_name: string;
    agent_profile_pic: string | null;
    turn_id: string;
    attempt: number;
    provider: string;
    model: string | null;
  };
  delta: { agent_id: number; turn_id: string; kind: 'thinking' | 'response'; text: string };
  agent_end: {
    agent_id: number;
    agent_name: string;
    turn_id: string;
    outcome: TurnOutcome;
    message_id: number | null;
  };
  agent_error: { agent_id: number; agent_name: string; turn_id: string; error: string };
  shutdown: { reason: 'server_shutdown' };
}

export type RoomEventName = keyof RoomEventPayloads;

export type RoomEvent = {
  [Name in RoomEventName]: { type: Name; data: RoomEventPayloads[Name] };
}[RoomEventName];
