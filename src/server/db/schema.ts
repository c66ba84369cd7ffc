import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const utc = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const rooms = pgTable(
  'rooms',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    ownerId: text('owner_id').notNull(),
    maxInteractions: integer('max_interactions'),
    isPaused: boolean('is_paused').notNull().default(false),
    isFinished: boolean('is_finished').notNull().default(false),
    defaultProvider: text('default_provider').notNull(),
    defaultModel: text('default_model'),
    createdAt: utc('created_at').notNull(),
    lastActivityAt: utc('last_activity_at').notNull(),
    lastReadAt: utc('last_read_at'),
  },
  (table) => [uniqueIndex('rooms_owner_name_unique').on(table.ownerId, table.name)],
);
export type RoomRow = typeof rooms.$inferSelect;

export const agents = pgTable('agents', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique('agents_name_unique'),
  group: text('group'),
  configFile: text('config_file'),
  profilePic: text('profile_pic'),
  inANutshell: text('in_a_nutshell'),
  characteristics: text('characteristics'),
  recentEvents: text('recent_events'),
  isCritic: boolean('is_critic').notNull().default(false),
  isWhiteboard: boolean('is_whiteboard').notNull().default(false),
  interruptEveryTurn: boolean('interrupt_every_turn').notNull().default(false),
  priority: integer('priority').notNull().default(0),
  transparent: boolean('transparent').notNull().default(false),
  systemPrompt: text('system_prompt').notNull().default(''),
  createdAt: utc('created_at').notNull(),
});
export type AgentRow = typeof agents.$inferSelect;

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    content: text('content').notNull(),
    role: text('role', { enum: ['user', 'assistant'] }).notNull(),
    participantType: text('participant_type', { enum: ['user', 'character', 'situation_builder', 'system'] }),
    participantName: text('participant_name'),
    thinking: text('thinking'),
    anthropicCalls: jsonb('anthropic_calls').$type<string[]>(),
    imageData: text('image_data'),
    imageMediaType: text('image_media_type'),
    provider: text('provider'),
    model: text('model'),
    isSkip: boolean('is_skip').notNull().default(false),
    timestamp: utc('timestamp').notNull(),
  },
  (table) => [
    index('messages_room_timestamp_id').on(table.roomId, table.timestamp, table.id),
    index('messages_room_id_id').on(table.roomId, table.id),
    // The newest user message of a room (every turn's watermark, §5.7) without scanning the room's history.
    index('messages_room_role_id').on(table.roomId, table.role, table.id),
  ],
);
export type MessageRow = typeof messages.$inferSelect;

export const roomAgents = pgTable(
  'room_agents',
  {
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    joinedAt: utc('joined_at'),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.agentId] }), index('room_agents_agent').on(table.agentId)],
);

export const roomAgentSessions = pgTable(
  'room_agent_sessions',
  {
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    sessionId: text('session_id').notNull(),
    updatedAt: utc('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.agentId, table.provider] })],
);

export const eventTickets = pgTable('event_tickets', {
  ticketHash: text('ticket_hash').primaryKey(),
  roomId: integer('room_id')
    .notNull()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['admin', 'guest'] }).notNull(),
  userId: text('user_id').notNull(),
  credentialExpiresAt: utc('credential_expires_at').notNull(),
  expiresAt: utc('expires_at').notNull(),
});

/**
 * One runner row per room (behavior.md §5.1 rule 2): when its last run ended (scheduler fairness, §6 rule 4) and
 * until when the scheduler leaves it alone after a round that only failed (§6 rule 6). Created on first use.
 */
export const roomRunners = pgTable('room_runners', {
  roomId: integer('room_id')
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  lastRunEndedAt: utc('last_run_ended_at'),
  cooldownUntil: utc('cooldown_until'),
  // behavior.md §5.1 rule 2: the runner lease (PostgreSQL only; all null on the embedded database). A released or
  // never-taken lease has null holder and expiry; an expired one may be taken over by any process.
  leaseHolder: text('lease_holder'),
  leaseRunId: text('lease_run_id'),
  leaseKind: text('lease_kind'),
  leaseExpiresAt: utc('lease_expires_at'),
  cancelRequested: boolean('cancel_requested').notNull().default(false),
});
export type RoomRunnerRow = typeof roomRunners.$inferSelect;
