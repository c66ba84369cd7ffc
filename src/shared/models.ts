import { z } from 'zod';

/** Wire models of api.md §3, defined once: the server maps rows to these, the UI and OpenAPI read them. */

const datetime = z.string().meta({ format: 'date-time' });

export const AgentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    group: z.string().nullable(),
    config_file: z.string().nullable(),
    profile_pic: z.string().nullable(),
    in_a_nutshell: z.string().nullable(),
    characteristics: z.string().nullable(),
    recent_events: z.string().nullable(),
    is_critic: z.boolean(),
    interrupt_every_turn: z.boolean(),
    priority: z.number().int(),
    transparent: z.boolean(),
    system_prompt: z.string(),
    session_id: z.null(),
    created_at: datetime,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof AgentSchema>;

export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export const PARTICIPANT_TYPES = ['user', 'character', 'situation_builder', 'system'] as const;
export type ParticipantType = (typeof PARTICIPANT_TYPES)[number];

export const MessageSchema = z
  .object({
    id: z.number().int(),
    room_id: z.number().int(),
    agent_id: z.number().int().nullable(),
    content: z.string(),
    role: z.enum(MESSAGE_ROLES),
    participant_type: z.enum(PARTICIPANT_TYPES).nullable(),
    participant_name: z.string().nullable(),
    thinking: z.string().nullable(),
    anthropic_calls: z.array(z.string()).nullable(),
    image_data: z.string().nullable(),
    image_media_type: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    is_skip: z.boolean(),
    timestamp: datetime,
    agent_name: z.string().nullable(),
    agent_profile_pic: z.string().nullable(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof MessageSchema>;

export const RUN_KINDS = ['user', 'scheduler', 'manual'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

const roomFields = {
  id: z.number().int(),
  name: z.string(),
  owner_id: z.string(),
  max_interactions: z.number().int().nullable(),
  is_paused: z.boolean(),
  is_finished: z.boolean(),
  default_provider: z.string(),
  default_model: z.string().nullable(),
  created_at: datetime,
  last_activity_at: datetime,
  last_read_at: datetime.nullable(),
  running: z.enum(RUN_KINDS).nullable(),
};

export const RoomSummarySchema = z.object({ ...roomFields, has_unread: z.boolean() }).meta({ id: 'RoomSummary' });
export type RoomSummary = z.infer<typeof RoomSummarySchema>;

export const RoomWithAgentsSchema = z.object({ ...roomFields, agents: z.array(AgentSchema) }).meta({ id: 'RoomWithAgents' });
export type RoomWithAgents = z.infer<typeof RoomWithAgentsSchema>;

export const RoomSchema = z
  .object({ ...roomFields, agents: z.array(AgentSchema), messages: z.array(MessageSchema) })
  .meta({ id: 'Room' });
export type Room = z.infer<typeof RoomSchema>;

export const ChattingAgentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    profile_pic: z.string().nullable(),
    thinking_text: z.string(),
    response_text: z.string(),
  })
  .meta({ id: 'ChattingAgent' });
export type ChattingAgent = z.infer<typeof ChattingAgentSchema>;

export const ProviderInfoSchema = z
  .object({
    name: z.string(),
    available: z.boolean(),
    default_model: z.string().nullable(),
    models: z.array(z.string()),
    reason: z.string().nullable(),
    auth_mode: z.string().nullable(),
  })
  .meta({ id: 'ProviderInfo' });
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;

export const MessageResultSchema = z.object({ message: z.string() }).meta({ id: 'MessageResult' });
export type MessageResult = z.infer<typeof MessageResultSchema>;

export const HttpErrorSchema = z.object({ detail: z.string() }).meta({ id: 'HTTPError' });

export const ValidationErrorSchema = z
  .object({
    detail: z.array(
      z.object({
        type: z.string(),
        loc: z.array(z.union([z.string(), z.number().int()])),
        msg: z.string(),
        input: z.unknown().optional(),
      }),
    ),
  })
  .meta({ id: 'ValidationError' });
