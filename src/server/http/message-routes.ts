import { MESSAGE_IMAGE_MEDIA_TYPES, MessagesQuery, PollQuery, RoomIdParams, RoomMessageParams, SendMessageBody } from '../../shared/requests.js';
import type { MessageQueries } from '../db/messages.js';
import type { MentionMode } from '../engine/types.js';
import type { RoomService } from '../rooms/room-service.js';
import { decodeMessageImage, splitDataUrl, type MessageImageType } from '../rooms/message-image.js';
import { toMessageDto } from './dto.js';
import { notFound, validationFailed } from './errors.js';
import { defineRoute, requireRoom } from './route.js';

export interface MessageRouteDeps {
  rooms: RoomService;
  messages: MessageQueries;
  maxImageBytes: number;
  defaultMentionMode: MentionMode;
}

const POLL_PAGE = 100;

const isImageType = (value: string): value is MessageImageType =>
  (MESSAGE_IMAGE_MEDIA_TYPES as readonly string[]).includes(value);

function imageFromBody(
  body: { image_data?: string | null; image_media_type?: string | null },
  maxBytes: number,
): { bytes: Buffer; mediaType: MessageImageType } | null {
  if (!body.image_data) return null;
  const { data, mediaType: fromUrl } = splitDataUrl(body.image_data);
  const declared = body.image_media_type ?? fromUrl;
  if (!declared) {
    throw validationFailed([
      { type: 'missing', loc: ['body', 'image_media_type'], msg: 'image_media_type is required with image_data' },
    ]);
  }
  if (!isImageType(declared)) {
    throw validationFailed([
      {
        type: 'enum',
        loc: ['body', 'image_media_type'],
        msg: `Input should be ${MESSAGE_IMAGE_MEDIA_TYPES.map((t) => `'${t}'`).join(', ')}`,
        input: declared,
      },
    ]);
  }
  const decoded = decodeMessageImage({ data, mediaType: declared, maxBytes });
  if (!decoded.ok) throw validationFailed([{ type: 'value_error', loc: ['body', 'image_data'], msg: `Value error, ${decoded.reason}` }]);
  return { bytes: decoded.bytes, mediaType: decoded.mediaType };
}

export function messageRoutes(deps: MessageRouteDeps) {
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
      body: SendMessageBody,
      docs: { summary: 'Post a user message; agents answer in the background', tag: 'messages', response: 'Message' },
      handler: async (context) => {
        const { body } = context;
        const image = imageFromBody(body, deps.maxImageBytes);
        const participantName = body.participant_name ? body.participant_name : null;
        return deps.rooms.sendUserMessage(requireRoom(context), {
          content: body.content,
          participantType: body.participant_type ?? 'user',
          participantName,
          image,
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
      method: 'GET',
      path: '/rooms/:room_id/critic-messages',
      auth: 'owner',
      params: RoomIdParams,
      docs: { summary: 'Reports written by critic agents in this room', tag: 'messages', response: 'Message[]' },
      handler: async (context) => (await deps.messages.listCriticMessagesByRoom(requireRoom(context).id)).map(toMessageDto),
    }),
  ];
}
