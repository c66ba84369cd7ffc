import type { GeneratingAgent, RoomEventPayloads } from '../../../../src/shared/events.js';
import type { Agent, Message, RoomWithAgents } from '../../../../src/shared/models.js';
import type { SendRequest } from '../../../../src/web/send/send-request.js';
import type { PendingSend } from '../../../../src/web/timeline/timeline-types.js';

/** Builders for wire objects with the fields a test cares about; everything else gets a plain default. */

export const ROOM_ID = 7;

export function agentMessage(id: number, agentId: number, content = `reply ${id}`, extra: Partial<Message> = {}): Message {
  return message(id, {
    agent_id: agentId,
    role: 'assistant',
    participant_type: null,
    content,
    agent_name: `Agent${agentId}`,
    provider: 'openai',
    model: 'm',
    ...extra,
  });
}

export function userMessage(id: number, content: string, extra: Partial<Message> = {}): Message {
  return message(id, { role: 'user', participant_type: 'user', content, ...extra });
}

export function notice(id: number, content: string): Message {
  return message(id, { role: 'assistant', participant_type: 'system', content });
}

export function message(id: number, extra: Partial<Message> = {}): Message {
  return {
    id,
    room_id: ROOM_ID,
    agent_id: null,
    content: `message ${id}`,
    role: 'user',
    participant_type: 'user',
    participant_name: null,
    thinking: null,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: null,
    model: null,
    is_skip: false,
    timestamp: `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}Z`,
    agent_name: null,
    agent_profile_pic: null,
    ...extra,
  };
}

export function agent(id: number, name = `Agent${id}`, patch: Partial<Agent> = {}): Agent {
  return {
    id,
    name,
    group: null,
    config_file: null,
    profile_pic: null,
    in_a_nutshell: null,
    characteristics: null,
    recent_events: null,
    is_critic: false,
    interrupt_every_turn: false,
    priority: 0,
    transparent: false,
    system_prompt: '',
    session_id: null,
    created_at: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

export function room(extra: Partial<RoomWithAgents> = {}): RoomWithAgents {
  return {
    id: ROOM_ID,
    name: 'Room',
    owner_id: 'admin',
    max_interactions: null,
    is_paused: false,
    is_finished: false,
    default_provider: 'openai',
    default_model: null,
    created_at: '2026-01-01T00:00:00Z',
    last_activity_at: '2026-01-01T00:00:00Z',
    last_read_at: null,
    running: null,
    agents: [agent(1, 'Mira'), agent(2, 'Tobin')],
    ...extra,
  };
}

export function snapshotData(
  extra: Partial<RoomEventPayloads['snapshot']> = {},
): RoomEventPayloads['snapshot'] {
  return { room_id: ROOM_ID, room: room(), last_message_id: null, replay_truncated: false, generating: [], ...extra };
}

export function generating(agentId: number, turnId: string, extra: Partial<GeneratingAgent> = {}): GeneratingAgent {
  return {
    agent_id: agentId,
    agent_name: `Agent${agentId}`,
    agent_profile_pic: null,
    turn_id: turnId,
    attempt: 1,
    started_at: '2026-01-01T00:00:00.000Z',
    thinking_text: '',
    response_text: '',
    ...extra,
  };
}

export function agentStart(agentId: number, turnId: string, attempt = 1): RoomEventPayloads['agent_start'] {
  return {
    agent_id: agentId,
    agent_name: `Agent${agentId}`,
    agent_profile_pic: null,
    turn_id: turnId,
    attempt,
    provider: 'openai',
    model: null,
  };
}

export function delta(
  agentId: number,
  turnId: string,
  kind: 'thinking' | 'response',
  text: string,
): RoomEventPayloads['delta'] {
  return { agent_id: agentId, turn_id: turnId, kind, text };
}

export function agentEnd(
  agentId: number,
  turnId: string,
  outcome: RoomEventPayloads['agent_end']['outcome'],
  messageId: number | null,
): RoomEventPayloads['agent_end'] {
  return { agent_id: agentId, agent_name: `Agent${agentId}`, turn_id: turnId, outcome, message_id: messageId };
}

export function agentError(agentId: number, turnId: string, error = 'boom'): RoomEventPayloads['agent_error'] {
  return { agent_id: agentId, agent_name: `Agent${agentId}`, turn_id: turnId, error };
}

export function sendBody(content: string, extra: Partial<SendRequest> = {}): SendRequest {
  return { content, role: 'user', participant_type: 'user', ...extra };
}

export function pendingSend(localId: string, content: string, extra: Partial<PendingSend> = {}): PendingSend {
  return {
    localId,
    body: sendBody(content),
    status: 'queued',
    createdAt: 1000,
    outcomeUnknown: false,
    afterId: null,
    ...extra,
  };
}
