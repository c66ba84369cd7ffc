import {
  ROOM_EVENT_REASONS,
  TURN_OUTCOMES,
  type RoomEvent,
  type RoomEventName,
  type RoomEventPayloads,
} from '../../shared/events.js';
import type { Message, RoomWithAgents } from '../../shared/models.js';
import type { SseFrame } from '../../shared/sse-parser.js';

/**
 * Turns an SSE frame into a typed room event (api.md §9.3). The data is checked on the way in (style.md 27): the
 * fields the reducer keys on must have their wire types, or the event is dropped. The rest of each object is taken
 * as the server sent it; a full schema check of every delta would cost more than it protects.
 */

type Guard<T> = (value: unknown) => value is T;
type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableNumber = (value: unknown): value is number | null => value === null || isNumber(value);
const isNullableString = (value: unknown): value is string | null => value === null || isString(value);

function has(value: Fields, checks: Record<string, (field: unknown) => boolean>): boolean {
  return Object.entries(checks).every(([key, check]) => check(value[key]));
}

export function isMessage(value: unknown): value is Message {
  return (
    isObject(value) &&
    has(value, {
      id: isNumber,
      room_id: isNumber,
      agent_id: isNullableNumber,
      content: isString,
      role: (field) => field === 'user' || field === 'assistant',
      participant_type: isNullableString,
      participant_name: isNullableString,
      image_data: isNullableString,
      is_skip: (field) => typeof field === 'boolean',
      timestamp: isString,
    })
  );
}

function isRoom(value: unknown): value is RoomWithAgents {
  return (
    isObject(value) &&
    has(value, { id: isNumber, name: isString, is_paused: (field) => typeof field === 'boolean', agents: Array.isArray })
  );
}

function isGeneratingAgent(value: unknown): boolean {
  return (
    isObject(value) &&
    has(value, {
      agent_id: isNumber,
      agent_name: isString,
      turn_id: isString,
      attempt: isNumber,
      started_at: isString,
      thinking_text: isString,
      response_text: isString,
    })
  );
}

const GUARDS: { [Name in RoomEventName]: Guard<RoomEventPayloads[Name]> } = {
  snapshot: (value): value is RoomEventPayloads['snapshot'] =>
    isObject(value) &&
    has(value, {
      room_id: isNumber,
      room: isRoom,
      last_message_id: isNullableNumber,
      replay_truncated: (field) => typeof field === 'boolean',
      generating: (field) => Array.isArray(field) && field.every(isGeneratingAgent),
    }),
  message: isMessage,
  message_deleted: (value): value is RoomEventPayloads['message_deleted'] =>
    isObject(value) && has(value, { room_id: isNumber, message_id: isNumber }),
  room: (value): value is RoomEventPayloads['room'] =>
    isObject(value) &&
    has(value, { reason: (field) => ROOM_EVENT_REASONS.some((reason) => reason === field), room: isRoom }),
  agent_start: (value): value is RoomEventPayloads['agent_start'] =>
    isObject(value) &&
    has(value, {
      agent_id: isNumber,
      agent_name: isString,
      agent_profile_pic: isNullableString,
      turn_id: isString,
      attempt: isNumber,
    }),
  delta: (value): value is RoomEventPayloads['delta'] =>
    isObject(value) &&
    has(value, {
      agent_id: isNumber,
      turn_id: isString,
      kind: (field) => field === 'thinking' || field === 'response',
      text: isString,
    }),
  agent_end: (value): value is RoomEventPayloads['agent_end'] =>
    isObject(value) &&
    has(value, {
      agent_id: isNumber,
      turn_id: isString,
      outcome: (field) => TURN_OUTCOMES.some((outcome) => outcome === field),
      message_id: isNullableNumber,
    }),
  agent_error: (value): value is RoomEventPayloads['agent_error'] =>
    isObject(value) && has(value, { agent_id: isNumber, turn_id: isString, error: isString }),
  shutdown: (value): value is RoomEventPayloads['shutdown'] => isObject(value),
};

function isEventName(name: string): name is RoomEventName {
  return Object.hasOwn(GUARDS, name);
}

function build(type: RoomEventName, data: unknown): RoomEvent | null {
  switch (type) {
    case 'snapshot':
      return GUARDS.snapshot(data) ? { type, data } : null;
    case 'message':
      return GUARDS.message(data) ? { type, data } : null;
    case 'message_deleted':
      return GUARDS.message_deleted(data) ? { type, data } : null;
    case 'room':
      return GUARDS.room(data) ? { type, data } : null;
    case 'agent_start':
      return GUARDS.agent_start(data) ? { type, data } : null;
    case 'delta':
      return GUARDS.delta(data) ? { type, data } : null;
    case 'agent_end':
      return GUARDS.agent_end(data) ? { type, data } : null;
    case 'agent_error':
      return GUARDS.agent_error(data) ? { type, data } : null;
    case 'shutdown':
      return GUARDS.shutdown(data) ? { type, data } : null;
    default:
      return assertNever(type);
  }
}

function assertNever(name: never): never {
  throw new Error(`Unknown room event ${String(name)}`);
}

export type DecodeResult =
  | { kind: 'event'; event: RoomEvent }
  /** An event name this client does not know (a newer server): skipped without complaint. */
  | { kind: 'unknown'; name: string }
  | { kind: 'malformed'; name: string };

export function decodeRoomEvent(frame: Extract<SseFrame, { kind: 'event' }>): DecodeResult {
  if (!isEventName(frame.event)) return { kind: 'unknown', name: frame.event };
  let data: unknown;
  try {
    data = JSON.parse(frame.data);
  } catch {
    return { kind: 'malformed', name: frame.event };
  }
  const event = build(frame.event, data);
  return event === null ? { kind: 'malformed', name: frame.event } : { kind: 'event', event };
}
