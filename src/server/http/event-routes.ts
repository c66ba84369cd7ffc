import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RoomEvent } from '../../shared/events.js';
import { EventsQuery, RoomIdParams } from '../../shared/requests.js';
import { parseLenientInt } from '../../shared/validation.js';
import type { Identity } from '../auth/tokens.js';
import type { EventTicketQueries } from '../db/event-tickets.js';
import type { MessageQueries } from '../db/messages.js';
import type { Engine } from '../engine/types.js';
import type { EventBus } from '../events/bus.js';
import type { RoomService } from '../rooms/room-service.js';
import { toMessageDto } from './dto.js';
import { invalidTicket, roomNotFound, tooManyStreams } from './errors.js';
import type { EventStreams } from './event-streams.js';
import { defineRoute, requireIdentity, requireRoom } from './route.js';
import { openSseStream } from './sse-writer.js';

/** More missed messages than this are not replayed; the client reloads the list instead (api.md §9.3 step 3). */
export const MAX_REPLAY = 1000;

export interface EventRouteDeps {
  rooms: RoomService;
  messages: MessageQueries;
  tickets: EventTicketQueries;
  bus: EventBus;
  engine: Engine;
  streams: EventStreams;
  log: Logger;
  now: () => Date;
  heartbeatSeconds: number;
  ticketTtlSeconds: number;
}

const hashTicket = (ticket: string) => createHash('sha256').update(ticket, 'utf8').digest('hex');

/** The header's resume point; a non-integer value is ignored (§9.3), unlike the query parameter's 422. */
function headerResumePoint(raw: string | string[] | undefined): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const parsed = parseLenientInt(raw.trim());
  return parsed.ok && parsed.value >= 0 ? parsed.value : undefined;
}

export function eventRoutes(deps: EventRouteDeps) {
  const { rooms, messages, tickets, bus, engine, streams, log, now } = deps;

  /**
   * The ticket credential (api.md §9.3). A presented ticket is spent whatever happens next; an unknown ticket on a
   * room that no longer exists answers ROOM404 (the ticket row went with the room's cascade delete).
   */
  async function redeemTicket(request: FastifyRequest): Promise<Identity | null> {
    const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
    if (ticket === undefined) return null;
    const rawRoomId = (request.params as { room_id?: string } | undefined)?.room_id ?? '';
    const roomId = /^\d{1,10}$/.test(rawRoomId) ? Number(rawRoomId) : null;
    const row = typeof ticket === 'string' && ticket !== '' ? await tickets.redeemTicket(hashTicket(ticket)) : null;
    const at = now().getTime();
    if (row && row.roomId === roomId && row.expiresAt.getTime() > at && row.credentialExpiresAt.getTime() > at) {
      return { role: row.role, userId: row.userId, expiresAt: row.credentialExpiresAt.getTime() };
    }
    if (!row && roomId !== null && !(await rooms.find(roomId))) throw roomNotFound(rawRoomId);
    throw invalidTicket();
  }

  return [
    defineRoute({
      method: 'POST',
      path: '/rooms/:room_id/events/ticket',
      auth: 'owner',
      rateLimit: 'events',
      params: RoomIdParams,
      docs: { summary: 'A one-use ticket for opening the event stream without headers', tag: 'events', response: 'EventTicket' },
      handler: async (context) => {
        const room = requireRoom(context);
        const identity = requireIdentity(context);
        const issuedAt = now();
        // 32 random bytes = 256 bits → 43 base64url characters without padding.
        const ticket = randomBytes(32).toString('base64url');
        await tickets.deleteExpiredTickets(issuedAt);
        await tickets.insertTicket({
          ticketHash: hashTicket(ticket),
          roomId: room.id,
          role: identity.role,
          userId: identity.userId,
          credentialExpiresAt: new Date(identity.expiresAt),
          expiresAt: new Date(issuedAt.getTime() + deps.ticketTtlSeconds * 1000),
        });
        return { ticket, expires_in: deps.ticketTtlSeconds, room_id: room.id };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/rooms/:room_id/events',
      auth: 'owner',
      rateLimit: 'events',
      params: RoomIdParams,
      query: EventsQuery,
      credential: redeemTicket,
      docs: {
        summary: 'Server-Sent Events of a room: snapshot, replay from Last-Event-ID, then live events',
        tag: 'events',
        response: { contentType: 'text/event-stream', description: 'An event stream (api.md §9.3)' },
      },
      handler: async (context) => {
        const room = requireRoom(context);
        const identity = requireIdentity(context);
        const { request, reply } = context;
        const resumeFrom = headerResumePoint(request.headers['last-event-id']) ?? context.query.last_event_id;
        if (!streams.tryReserve(identity.userId)) throw tooManyStreams();
        try {
          reply.header('X-Request-Id', request.id);
          reply.hijack();
          const stream = openSseStream(reply.raw, {
            headers: reply.getHeaders(),
            heartbeatMs: deps.heartbeatSeconds * 1000,
            format: streams.frameOf,
            stillAuthorized: () => identity.expiresAt > now().getTime(),
          });
          if (request.method === 'HEAD') {
            stream.close();
            return undefined;
          }
          streams.track(stream);

          // Step 1: subscribe and capture the in-flight turns in one synchronous step, so no event falls between.
          // Live events wait in `held` until the snapshot and the replay are out.
          let held: RoomEvent[] | null = [];
          let replayedUpTo = -1;
          const deliver = (event: RoomEvent) => {
            if (event.type === 'message' && event.data.id <= replayedUpTo) return;
            stream.send(event);
            if (event.type === 'room' && event.data.reason === 'deleted') stream.close();
          };
          const unsubscribe = bus.subscribe(room.id, (event) => {
            if (held === null) deliver(event);
            else if (held.push(event) > MAX_REPLAY) stream.close();
          });
          const generating = engine.generating(room.id);
          stream.onClose(unsubscribe);

          try {
            const [withAgents, newest, missed] = await Promise.all([
              rooms.withAgents(room),
              messages.listMessagesByRoom({ roomId: room.id, limit: 1 }),
              resumeFrom === undefined
                ? Promise.resolve([])
                : messages.listMessagesAfter({ roomId: room.id, afterId: resumeFrom, limit: MAX_REPLAY + 1 }),
            ]);
            const truncated = missed.length > MAX_REPLAY;
            stream.send({
              type: 'snapshot',
              data: {
                room_id: room.id,
                room: withAgents,
                last_message_id: newest[0]?.id ?? null,
                replay_truncated: truncated,
                generating,
              },
            });
            if (!truncated) {
              for (const row of missed) {
                stream.send({ type: 'message', data: toMessageDto(row) });
                replayedUpTo = row.id;
              }
            }
            const waiting = held;
            held = null;
            for (const event of waiting) deliver(event);
          } catch (err) {
            log.error({ err, roomId: room.id }, 'event stream failed to start');
            stream.close();
          }
          await stream.done;
          return undefined;
        } finally {
          streams.release(identity.userId);
        }
      },
    }),
  ];
}
