import type { Logger } from 'pino';
import type { Message, Room, RoomSummary, RoomWithAgents } from '../../shared/models.js';
import type { RoomEventReason } from '../../shared/events.js';
import type { Identity } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';
import type { AgentQueries } from '../db/agents.js';
import type { MemberQueries } from '../db/members.js';
import type { MessageQueries, MessageWithAuthor } from '../db/messages.js';
import type { RoomChanges, RoomQueries } from '../db/rooms.js';
import type { AgentRow, RoomRow } from '../db/schema.js';
import type { EventBus } from '../events/bus.js';
import type { Engine, MentionMode, UserMessageTrigger } from '../engine/types.js';
import { toMessageDto, toRoomDto, toRoomSummaryDto, toRoomWithAgentsDto } from '../http/dto.js';
import { conflict } from '../http/errors.js';
import { reencodeToWebp, type MessageImageType } from './message-image.js';
import { createRoomLocks, type RoomLocks } from './room-locks.js';

export interface RoomServiceDeps {
  db: Db;
  rooms: RoomQueries;
  members: MemberQueries;
  messages: MessageQueries;
  agents: AgentQueries;
  bus: EventBus;
  engine: Engine;
  log: Logger;
  now?: () => Date;
  defaultProvider: () => string;
  agentJoinedNotice: (agentName: string) => string;
  imageWebpQuality: number;
  /** Shared with every other writer of messages (the engine) so inserts of one room are serialized. */
  roomLocks?: RoomLocks;
}

export interface UserMessageInput {
  content: string;
  participantType: 'user' | 'character' | 'situation_builder';
  participantName: string | null;
  image: { bytes: Buffer; mediaType: MessageImageType } | null;
  mentionedAgentIds: number[];
  mentionMode: MentionMode;
}

const ownerOf = (identity: Identity) => (identity.role === 'admin' ? 'admin' : identity.userId);
const duplicateName = (name: string) => conflict(`Room with name '${name}' already exists`);

/**
 * Room, membership and message operations that need no turn engine beyond its entry points (api.md §6–8).
 * Every write commits before its event is published (architecture.md §3).
 */
export function createRoomService(deps: RoomServiceDeps) {
  const { db, rooms, members, messages, agents, bus, engine, log } = deps;
  const now = deps.now ?? (() => new Date());
  const roomLocks = deps.roomLocks ?? createRoomLocks();

  async function withAgents(room: RoomRow): Promise<RoomWithAgents> {
    const running = engine.runningKind(room.id);
    return toRoomWithAgentsDto(room, await members.listMembersByRoom(room.id), running);
  }

  async function publishRoom(room: RoomRow, reason: RoomEventReason): Promise<RoomWithAgents> {
    const dto = await withAgents(room);
    bus.publish(room.id, { type: 'room', data: { reason, room: dto } });
    return dto;
  }

  function publishMessage(message: MessageWithAuthor): Message {
    const dto = toMessageDto(message);
    bus.publish(message.roomId, { type: 'message', data: dto });
    return dto;
  }

  async function detail(room: RoomRow): Promise<Room> {
    const [memberRows, history] = await Promise.all([
      members.listMembersByRoom(room.id),
      messages.listMessagesByRoom({ roomId: room.id }),
    ]);
    return toRoomDto(room, memberRows, history, engine.runningKind(room.id));
  }

  async function applyChanges(room: RoomRow, changes: RoomChanges, reason: RoomEventReason): Promise<RoomRow> {
    const changed = Object.entries(changes).some(([key, value]) => room[key as keyof RoomRow] !== value);
    if (!changed) return room;
    const updated = await rooms.updateRoom(room.id, changes);
    if (updated === 'duplicate') throw duplicateName(changes.name ?? room.name);
    if (updated === null) return room;
    await publishRoom(updated, reason);
    return updated;
  }

  async function pause(room: RoomRow): Promise<RoomRow> {
    const updated = await applyChanges(room, { isPaused: true }, 'paused');
    await engine.interruptRoom(room.id, { reason: 'pause' });
    return updated;
  }

  /** §5.11 rule 2: a paused room's unanswered user message is answered once it resumes. */
  async function resume(room: RoomRow): Promise<RoomRow> {
    const updated = await applyChanges(room, { isPaused: false, isFinished: false }, 'resumed');
    if (room.isPaused && !updated.isPaused) await engine.resumeRoom(updated);
    return updated;
  }

  /** api.md §8.3 step 4, under the room's insert lock; the trigger is null when the room is paused. */
  async function storeUserMessage(
    room: RoomRow,
    input: UserMessageInput,
    image: { bytes: Buffer; mediaType: string } | null,
  ): Promise<{ result: Message; trigger: UserMessageTrigger | null }> {
    const { stored, updated, dto } = await roomLocks.run(room.id, async () => {
      const at = now();
      const written = await db.transaction(async (tx) => {
        const scoped = tx as unknown as Db;
        const inserted = await messages.insertMessage(
          {
            roomId: room.id,
            content: input.content,
            role: 'user',
            participantType: input.participantType,
            participantName: input.participantName,
            imageData: image ? image.bytes.toString('base64') : null,
            imageMediaType: image ? image.mediaType : null,
            timestamp: at,
          },
          scoped,
        );
        const changed = await rooms.updateRoom(room.id, { lastActivityAt: at, isFinished: false }, scoped);
        return { stored: inserted, updated: changed === 'duplicate' ? null : changed };
      });
      if (room.isFinished && written.updated) await publishRoom(written.updated, 'updated');
      return { ...written, dto: publishMessage(written.stored) };
    });
    const trigger =
      updated && !updated.isPaused
        ? { room: updated, message: stored, mentionedAgentIds: input.mentionedAgentIds, mentionMode: input.mentionMode }
        : null;
    return { result: dto, trigger };
  }

  return {
    detail,
    withAgents,
    find: (roomId: number) => rooms.getRoomById(roomId),

    async list(identity: Identity): Promise<RoomSummary[]> {
      const rows = await rooms.listRooms({ ownerId: identity.role === 'admin' ? null : identity.userId });
      return rows.map((row) => toRoomSummaryDto(row, engine.runningKind(row.id)));
    },

    async create(
      identity: Identity,
      input: { name: string; maxInteractions: number | null; provider: string | undefined; model: string | null; isPaused: boolean },
    ): Promise<Room> {
      const room = await rooms.insertRoom({
        name: input.name,
        ownerId: ownerOf(identity),
        maxInteractions: input.maxInteractions,
        defaultProvider: input.provider ?? deps.defaultProvider(),
        defaultModel: input.model,
        isPaused: input.isPaused,
        now: now(),
      });
      if (room === 'duplicate') throw duplicateName(input.name);
      return toRoomDto(room, [], [], null);
    },

    /**
     * PATCH (api.md §6.4): every change is one UPDATE and one `room` event. `is_paused: true` on an unpaused room
     * behaves like pause (interrupt after the commit); `is_paused: false` like resume, which also clears
     * `is_finished` unless the body sets it explicitly.
     */
    async update(
      room: RoomRow,
      input: { name?: string; maxInteractions?: number | null; isPaused?: boolean; isFinished?: boolean },
    ): Promise<Room> {
      const changes: RoomChanges = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.maxInteractions !== undefined) changes.maxInteractions = input.maxInteractions;
      if (input.isFinished !== undefined) changes.isFinished = input.isFinished;
      if (input.isPaused === true) changes.isPaused = true;
      if (input.isPaused === false) {
        changes.isPaused = false;
        changes.isFinished = input.isFinished ?? false;
      }
      const pausing = input.isPaused === true && !room.isPaused;
      const resuming = input.isPaused === false && room.isPaused;
      const updated = await applyChanges(room, changes, pausing ? 'paused' : resuming ? 'resumed' : 'updated');
      if (pausing) await engine.interruptRoom(room.id, { reason: 'pause' });
      if (resuming) await engine.resumeRoom(updated);
      return detail(updated);
    },

    async pause(room: RoomRow): Promise<Room> {
      return detail(await pause(room));
    },

    async resume(room: RoomRow): Promise<Room> {
      return detail(await resume(room));
    },

    async markRead(room: RoomRow): Promise<{ message: string; last_read_at: string }> {
      const at = now();
      await rooms.updateRoom(room.id, { lastReadAt: at });
      return { message: 'Room marked as read', last_read_at: at.toISOString() };
    },

    async remove(roomId: number): Promise<boolean> {
      const room = await rooms.getRoomById(roomId);
      if (!room) return false;
      await engine.interruptRoom(roomId, { reason: 'delete' });
      const dto = await withAgents(room);
      if (!(await rooms.deleteRoom(roomId))) return false;
      bus.publish(roomId, { type: 'room', data: { reason: 'deleted', room: dto } });
      return true;
    },

    async clearMessages(roomId: number): Promise<boolean> {
      const room = await rooms.getRoomById(roomId);
      if (!room) return false;
      await engine.interruptRoom(roomId, { reason: 'clear' });
      const updated = await db.transaction(async (tx) => {
        const scoped = tx as unknown as Db;
        await messages.deleteMessagesByRoom(roomId, scoped);
        await members.deleteSessionsByRoom(roomId, scoped);
        return rooms.updateRoom(roomId, { isFinished: false }, scoped);
      });
      if (updated && updated !== 'duplicate') await publishRoom(updated, 'messages_cleared');
      return true;
    },

    /** Null when the agent does not exist. Re-adding a member is a no-op (no second notice). */
    async addMember(room: RoomRow, agentId: number): Promise<RoomWithAgents | null> {
      const agent = await agents.getAgentById(agentId);
      if (!agent) return null;
      return roomLocks.run(room.id, async () => {
        const joinedAt = now();
        const notice = await db.transaction(async (tx) => {
          const scoped = tx as unknown as Db;
          if (!(await members.addMember({ roomId: room.id, agentId, joinedAt }, scoped))) return 'unchanged' as const;
          if ((await messages.countMessagesByRoom(room.id, scoped)) === 0) return null;
          return messages.insertMessage(
            {
              roomId: room.id,
              content: deps.agentJoinedNotice(agent.name),
              role: 'assistant',
              participantType: 'system',
              timestamp: joinedAt,
            },
            scoped,
          );
        });
        if (notice === 'unchanged') return withAgents(room);
        if (notice) publishMessage(notice);
        return publishRoom(room, 'agent_added');
      });
    },

    async removeMember(room: RoomRow, agentId: number): Promise<boolean> {
      if (!(await members.isMember({ roomId: room.id, agentId }))) return false;
      await engine.interruptAgent(agentId, { roomId: room.id });
      if (!(await members.removeMember({ roomId: room.id, agentId }))) return false;
      await publishRoom(room, 'agent_removed');
      return true;
    },

    /** api.md §8.3 steps 2–6. */
    async sendUserMessage(room: RoomRow, input: UserMessageInput): Promise<Message> {
      const image = input.image
        ? await reencodeToWebp({ ...input.image, quality: deps.imageWebpQuality, log })
        : null;
      return engine.submitUserMessage(room.id, () => storeUserMessage(room, input, image));
    },

    async deleteMessage(room: RoomRow, messageId: number): Promise<boolean> {
      if (!(await messages.deleteMessageInRoom({ roomId: room.id, messageId }))) return false;
      bus.publish(room.id, { type: 'message_deleted', data: { room_id: room.id, message_id: messageId } });
      return true;
    },

    /** GET /agents/{id}/direct-room: the caller's one-on-one room with the agent, created on first use. */
    async directRoom(identity: Identity, agent: AgentRow, input: { provider?: string; model?: string }): Promise<Room> {
      const name = input.provider ? `Direct: ${agent.name} (${input.provider})` : `Direct: ${agent.name}`;
      const ownerId = ownerOf(identity);
      let room = await rooms.getRoomByOwnerAndName({ ownerId, name });
      if (!room) {
        const created = await rooms.insertRoom({
          name,
          ownerId,
          maxInteractions: null,
          defaultProvider: input.provider ?? deps.defaultProvider(),
          defaultModel: input.model ?? null,
          isPaused: false,
          now: now(),
        });
        // A concurrent request may have created it first; theirs is the room.
        room = created === 'duplicate' ? await rooms.getRoomByOwnerAndName({ ownerId, name }) : created;
        if (!room) throw new Error('direct room vanished after a name clash');
      }
      // No join notice here (api.md §10.8), but a re-added member is still a membership change for subscribers.
      if (await members.addMember({ roomId: room.id, agentId: agent.id, joinedAt: null })) await publishRoom(room, 'agent_added');
      return detail(room);
    },
  };
}

export type RoomService = ReturnType<typeof createRoomService>;
