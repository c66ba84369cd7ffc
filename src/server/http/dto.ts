import type { Agent, Message, Room, RoomSummary, RoomWithAgents, RunKind } from '../../shared/models.js';
import type { AgentRow, RoomRow } from '../db/schema.js';
import type { MessageWithAuthor } from '../db/messages.js';
import type { RoomSummaryRow } from '../db/rooms.js';

/** One mapper per aggregate: database rows → the snake_case wire models of api.md §3. */

const iso = (date: Date): string => date.toISOString();

export function toAgentDto(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    group: row.group,
    config_file: row.configFile,
    profile_pic: row.profilePic,
    in_a_nutshell: row.inANutshell,
    characteristics: row.characteristics,
    recent_events: row.recentEvents,
    is_critic: row.isCritic,
    interrupt_every_turn: row.interruptEveryTurn,
    priority: row.priority,
    transparent: row.transparent,
    system_prompt: row.systemPrompt,
    session_id: null,
    created_at: iso(row.createdAt),
  };
}

export function toMessageDto(row: MessageWithAuthor): Message {
  return {
    id: row.id,
    room_id: row.roomId,
    agent_id: row.agentId,
    content: row.content,
    role: row.role,
    participant_type: row.participantType,
    participant_name: row.participantName,
    thinking: row.thinking,
    anthropic_calls: row.anthropicCalls && row.anthropicCalls.length > 0 ? row.anthropicCalls : null,
    image_data: row.imageData,
    image_media_type: row.imageMediaType,
    provider: row.provider,
    model: row.model,
    is_skip: row.isSkip,
    timestamp: iso(row.timestamp),
    agent_name: row.agentName,
    agent_profile_pic: row.agentProfilePic,
  };
}

function roomFields(row: RoomRow, running: RunKind | null) {
  return {
    id: row.id,
    name: row.name,
    owner_id: row.ownerId,
    max_interactions: row.maxInteractions,
    is_paused: row.isPaused,
    is_finished: row.isFinished,
    default_provider: row.defaultProvider,
    default_model: row.defaultModel,
    created_at: iso(row.createdAt),
    last_activity_at: iso(row.lastActivityAt),
    last_read_at: row.lastReadAt ? iso(row.lastReadAt) : null,
    running,
  };
}

export function toRoomSummaryDto(row: RoomSummaryRow, running: RunKind | null): RoomSummary {
  return { ...roomFields(row, running), has_unread: row.hasUnread };
}

export function toRoomWithAgentsDto(row: RoomRow, members: AgentRow[], running: RunKind | null): RoomWithAgents {
  return { ...roomFields(row, running), agents: members.map(toAgentDto) };
}

export function toRoomDto(
  row: RoomRow,
  members: AgentRow[],
  history: MessageWithAuthor[],
  running: RunKind | null,
): Room {
  return { ...roomFields(row, running), agents: members.map(toAgentDto), messages: history.map(toMessageDto) };
}
