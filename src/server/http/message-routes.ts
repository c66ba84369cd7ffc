import type { z } from 'zod';
import type { IssueType } from '../../shared/validation.js';
import {
  MESSAGE_IMAGE_MEDIA_TYPES,
  MessagesQuery,
  PollQuery,
  RoomAgentParams,
  RoomIdParams,
  RoomMessageParams,
  SendMessageBody,
} from '../../shared/requests.js';
import type { MessageQueries } from '../db/messages.js';
import type { MemberQueries } from '../db/members.js';
import type { Engine, ManualTurnRefusal, MentionMode } from '../engine/types.js';
import type { RoomService } from '../rooms/room-service.js';
import { decodeMessageImage, splitDataUrl, type MessageImageType } from '../rooms/message-image.js';
import { toMessageDto } from './dto.js';
import { badRequest, conflict, notFound } from './errors.js';
import { defineRoute, requireRoom } from './route.js';

export interface MessageRouteDeps {
  rooms: RoomService;
  messages: MessageQueries;
  members: Pick<MemberQueries, 'isMember'>;
  engine: Pick<Engine, 'chattingAgents' | 'startManualTurn'>;
  maxImageBytes: number;
  defaultMentionMode: MentionMode;
}

const POLL_PAGE = 100;

const isImageType = (value: string): value is MessageImageType =>
  (MESSAGE_IMAGE_MEDIA_TYPES as readonly string[]).includes(value);

type DecodedBodyImage = { bytes: Buffer; mediaType: MessageImageType } | null;

function addIssue(ctx: z.core.$RefinementCtx, field: string, type: IssueType, message: string): null {
  ctx.addIssue({ code: 'custom', message, params: { type }, path: [field] });
  return null;
}

function imageFromBody(
  body: { image_data?: string | null; image_media_type?: string | null },
  maxBytes: number,
  ctx: z.core.$RefinementCtx,
): DecodedBodyImage {
  if (!body.image_data) return null;
  const { data, mediaType: fromUrl } = splitDataUrl(body.image_data);
  const declared = body.image_media_type ?? fromUrl;
  if (!declared) return addIssue(ctx, 'image_media_type', 'missing', 'image_media_type is required with image_data');
  if (!isImageType(declared)) {
    return addIssue(ctx, 'image_media_type', 'enum', `Input should be ${MESSAGE_IMAGE_MEDIA_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  const decoded = decodeMessageImage({ data, mediaType: declared, maxBytes });
  if (!decoded.ok) return addIssue(ctx, 'image_data', 'value_error', `Value error, ${decoded.reason}`);
  return { bytes: decoded.bytes, mediaType: decoded.mediaType };
}

/**
 * The send body with its image decoded and checked during validation, so a bad image is a 422 before the room
 * access check like every other validation error (api.md §1.5); the size cap is a setting, hence a factory.
 */
function sendBodyWithImage(maxImageBytes: number) {
  return SendMessageBody.transform((body, ctx) => ({ ...body, image: imageFromBody(body, maxImageBytes, ctx) }));
}

export function messageRoutes(deps: MessageRouteDeps) {
  const sendBody = sendBodyWithImage(deps.maxImageBytes);
  return [
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/messages',
      auth: 'owner',
      params: RoomIdParams,
      query: MessagesQuery,
      docs: { summary: 'Messages of a room, ascending id (optionally the newest `limit` before `before_id`)', tag: 'messages', response: 'Message[]' },
      handler: async (context) => {
        const { query } = context;
        const rows = await deps.messages.listMessagesByRoom({
          roomId: requireRoom(context).id,
          beforeId: query.before_id,
          limit: query.limit,
        });
        return rows.map(toMessageDto);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/messages/poll',
      auth: 'owner',
      rateLimit: 'poll',
      params: RoomIdParams,
      query: PollQuery,
      docs: { summary: 'Up to 100 messages after `since_id` (or the newest 100)', tag: 'messages', response: 'Message[]' },
      handler: async (context) => {
        const { query } = context;
        const roomId = requireRoom(context).id;
        const rows =
          query.since_id === undefined
            ? await deps.messages.listMessagesByRoom({ roomId, limit: POLL_PAGE })
            : await deps.messages.listMessagesAfter({ roomId, afterId: query.since_id, limit: POLL_PAGE });
        return rows.map(toMessageDto);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/messages/send',
      auth: 'owner',
      rateLimit: 'send',
      params: RoomIdParams,
      body: sendBody,
      docs: { summary: 'Post a user message; agents answer in the background', tag: 'messages', response: 'Message' },
      handler: async (context) => {
        const { body } = context;
        const participantName = body.participant_name ? body.participant_name : null;
        return deps.rooms.sendUserMessage(requireRoom(context), {
          content: body.content,
          participantType: body.participant_type ?? 'user',
          participantName,
          image: body.image,
          mentionedAgentIds: body.mentioned_agent_ids ?? [],
          mentionMode: body.mention_mode ?? deps.defaultMentionMode,
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/rooms/:room_id/messages',
      auth: 'admin',
      params: RoomIdParams,
      docs: { summary: 'Delete every message of a room and its provider sessions', tag: 'messages', response: 'MessageResult' },
      handler: async ({ params }) => {
        if (!(await deps.rooms.clearMessages(params.room_id))) throw notFound('Room not found or no messages to delete');
        return { message: 'All messages cleared successfully' };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/rooms/:room_id/messages/:message_id',
      auth: 'owner',
      params: RoomMessageParams,
      docs: { summary: 'Delete one message', tag: 'messages', response: 'MessageResult' },
      handler: async (context) => {
        if (!(await deps.rooms.deleteMessage(requireRoom(context), context.params.message_id))) throw notFound('Message not found');
        return { message: 'Message deleted successfully' };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/messages/:message_id/regenerate',
      auth: 'owner',
      rateLimit: 'regenerate',
      params: RoomMessageParams,
      docs: { summary: "Replace the room's latest agent message with a new attempt by the same agent", tag: 'messages', response: 'MessageResult' },
      handler: async (context) => {
        const room = requireRoom(context);
        const target = await deps.messages.getMessageById(context.params.message_id);
        if (!target || target.roomId !== room.id) throw notFound('Message not found');
        if (target.agentId === null || target.role !== 'assistant' || target.participantType !== null) {
          throw badRequest('Only agent messages can be regenerated');
        }
        const newest = await deps.messages.newestConversationMessage(room.id);
        if (newest !== null && newest.id > target.id) throw conflict('Only the latest agent message can be regenerated');
        if (!(await deps.members.isMember({ roomId: room.id, agentId: target.agentId }))) {
          throw conflict('Agent is no longer a member of this room');
        }
        refuseManualTurn(await deps.engine.startManualTurn({ room, agentId: target.agentId, replaceMessageId: target.id }));
        context.reply.code(202);
        return { message: 'Regeneration started', deleted_message_id: target.id, agent_id: target.agentId };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/agents/:agent_id/respond',
      auth: 'owner',
      rateLimit: 'regenerate',
      params: RoomAgentParams,
      docs: { summary: 'Ask one member to reply now (one unguarded turn)', tag: 'messages', response: 'MessageResult' },
      handler: async (context) => {
        const room = requireRoom(context);
        const agentId = context.params.agent_id;
        if (!(await deps.members.isMember({ roomId: room.id, agentId }))) throw notFound('Room or Agent not found');
        refuseManualTurn(await deps.engine.startManualTurn({ room, agentId }));
        context.reply.code(202);
        return { message: 'Response started', agent_id: agentId };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/chatting-agents',
      auth: 'owner',
      rateLimit: 'chattingAgents',
      params: RoomIdParams,
      docs: { summary: 'Agents with a running provider call and their partial text, in start order', tag: 'messages', response: 'ChattingAgents' },
      handler: async (context) => ({ chatting_agents: deps.engine.chattingAgents(requireRoom(context).id) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/critic-messages',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Reports written by critic agents in this room', tag: 'messages', response: 'Message[]' },
      handler: async (context) => (await deps.messages.listCriticMessagesByRoom(requireRoom(context).id)).map(toMessageDto),
    }),
  ];
}

function refuseManualTurn(result: ManualTurnRefusal | 'started'): void {
  if (result === 'paused') throw conflict('Room is paused');
  if (result === 'busy') throw conflict('Room is busy');
}
