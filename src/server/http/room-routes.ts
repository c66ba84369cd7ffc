import {
  CreateRoomBody,
  ExportQuery,
  RoomAgentParams,
  RoomIdParams,
  UpdateRoomBody,
} from '../../shared/requests.js';
import type { MessageQueries } from '../db/messages.js';
import type { MemberQueries } from '../db/members.js';
import type { RoomService } from '../rooms/room-service.js';
import { exportDisposition, renderRoomMarkdown } from '../rooms/room-export.js';
import { toAgentDto, toMessageDto } from './dto.js';
import { notFound } from './errors.js';
import { defineRoute, requireIdentity, requireRoom } from './route.js';

export interface RoomRouteDeps {
  rooms: RoomService;
  members: MemberQueries;
  messages: MessageQueries;
  userName: string;
  now?: () => Date;
}

export function roomRoutes(deps: RoomRouteDeps) {
  const now = deps.now ?? (() => new Date());
  return [
    defineRoute({
      method: 'GET',
      path: '/rooms',
      auth: 'token',
      docs: { summary: 'List rooms (unread first, then by recent activity)', tag: 'rooms', response: 'RoomSummary[]' },
      handler: async (context) => deps.rooms.list(requireIdentity(context)),
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms',
      auth: 'token',
      body: CreateRoomBody,
      docs: { summary: 'Create a room', tag: 'rooms', response: 'Room' },
      handler: async (context) => {
        const { body } = context;
        return deps.rooms.create(requireIdentity(context), {
          name: body.name,
          maxInteractions: body.max_interactions ?? null,
          provider: body.default_provider ?? body.provider,
          model: body.default_model ?? body.model ?? null,
          isPaused: body.is_paused ?? false,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'A room with its members and history', tag: 'rooms', response: 'Room' },
      handler: async (context) => deps.rooms.detail(requireRoom(context)),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/rooms/:room_id',
      auth: 'owner',
      params: RoomIdParams,
      body: UpdateRoomBody,
      docs: { summary: 'Rename, cap, pause/resume or (un)finish a room', tag: 'rooms', response: 'Room' },
      handler: async (context) => {
        const { body } = context;
        return deps.rooms.update(requireRoom(context), {
          name: body.name,
          maxInteractions: body.max_interactions,
          isPaused: body.is_paused,
          isFinished: body.is_finished,
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/rooms/:room_id',
      auth: 'admin',
      params: RoomIdParams,
      docs: { summary: 'Delete a room with its messages', tag: 'rooms', response: 'MessageResult' },
      handler: async ({ params }) => {
        if (!(await deps.rooms.remove(params.room_id))) throw notFound('Room not found');
        return { message: 'Room deleted successfully' };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/pause',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Pause a room (running turns are interrupted)', tag: 'rooms', response: 'Room' },
      handler: async (context) => deps.rooms.pause(requireRoom(context)),
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/resume',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Resume a room', tag: 'rooms', response: 'Room' },
      handler: async (context) => deps.rooms.resume(requireRoom(context)),
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/mark-read',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Mark a room as read', tag: 'rooms' },
      handler: async (context) => deps.rooms.markRead(requireRoom(context)),
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/export',
      auth: 'owner',
      params: RoomIdParams,
      query: ExportQuery,
      docs: {
        summary: 'Download the room as Markdown or JSON',
        tag: 'rooms',
        response: { contentType: 'text/markdown', description: 'The room transcript as a file download' },
      },
      handler: async (context) => {
        const room = requireRoom(context);
        const { query, reply } = context;
        const [withAgents, history] = await Promise.all([
          deps.rooms.withAgents(room),
          deps.messages.listMessagesByRoom({ roomId: room.id }),
        ]);
        const exportedAt = now().toISOString();
        const messages = history.map(toMessageDto);
        const format = query.format ?? 'markdown';
        reply.header('Cache-Control', 'no-store');
        if (format === 'json') {
          reply.header('Content-Type', 'application/json; charset=utf-8');
          reply.header('Content-Disposition', exportDisposition({ roomId: room.id, roomName: room.name, ext: 'json' }));
          return JSON.stringify({ format: 'chitchats.room.v1', exported_at: exportedAt, room: withAgents, messages });
        }
        reply.header('Content-Type', 'text/markdown; charset=utf-8');
        reply.header('Content-Disposition', exportDisposition({ roomId: room.id, roomName: room.name, ext: 'md' }));
        return renderRoomMarkdown({
          room: withAgents,
          messages,
          exportedAt,
          includeThinking: query.include_thinking ?? false,
          includeSkips: query.include_skips ?? false,
          userName: deps.userName,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/agents',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Members of a room', tag: 'members', response: 'Agent[]' },
      handler: async (context) => (await deps.members.listMembersByRoom(requireRoom(context).id)).map(toAgentDto),
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/agents/:agent_id',
      auth: 'owner',
      params: RoomAgentParams,
      docs: { summary: 'Add an agent to a room', tag: 'members', response: 'RoomWithAgents' },
      handler: async (context) => {
        const result = await deps.rooms.addMember(requireRoom(context), context.params.agent_id);
        if (!result) throw notFound('Room or Agent not found');
        return result;
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/rooms/:room_id/agents/:agent_id',
      auth: 'admin',
      params: RoomAgentParams,
      docs: { summary: 'Remove an agent from a room', tag: 'members', response: 'MessageResult' },
      handler: async ({ params }) => {
        const room = await deps.rooms.find(params.room_id);
        if (!room || !(await deps.rooms.removeMember(room, params.agent_id))) throw notFound('Room or Agent not found');
        return { message: 'Agent removed from room successfully' };
      },
    }),
  ];
}
