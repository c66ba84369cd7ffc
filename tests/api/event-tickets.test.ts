import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTickets } from '../../src/server/db/schema.js';
import { openEventStream } from '../helpers/event-stream.js';
import { createRoom, manualClock, uniqueName } from '../helpers/room-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe.runIf(await databaseAvailable())('event tickets', () => {
  let t: TestServer;
  let admin: string;
  const clock = manualClock('2026-03-01T10:00:00.000Z');
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', now: clock.now, env: { RATE_LIMIT_EVENTS: '0' } });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  async function issue(roomId: number, token = admin): Promise<string> {
    const response = await t.request({ method: 'POST', url: `/rooms/${roomId}/events/ticket`, token });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { ticket: string }).ticket;
  }

  const redeem = (roomId: number, ticket: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url: `/rooms/${roomId}/events?ticket=${encodeURIComponent(ticket)}`, headers });

  it('returns a 43-character base64url ticket, its lifetime and the room, and stores only its hash', async () => {
    const room = await createRoom(t, admin, uniqueName('Ticket'));
    const response = await t.request({ method: 'POST', url: `/rooms/${room.id}/events/ticket`, token: admin });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { ticket: string; expires_in: number; room_id: number };
    expect(Object.keys(body).sort()).toEqual(['expires_in', 'room_id', 'ticket']);
    expect(body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({ expires_in: 60, room_id: room.id });

    const rows = await t.server.database.db.select().from(eventTickets);
    const row = rows.find((candidate) => candidate.ticketHash === createHash('sha256').update(body.ticket).digest('hex'));
    expect(row).toMatchObject({ roomId: room.id, role: 'admin', userId: 'admin' });
    expect(row?.expiresAt.toISOString()).toBe('2026-03-01T10:01:00.000Z');
    expect(rows.some((candidate) => candidate.ticketHash === body.ticket)).toBe(false);
  });

  it('answers 403 for another owner’s room and 404 for an unknown room', async () => {
    const room = await createRoom(t, admin, uniqueName('Not yours'));
    const guest = await t.login('guest');
    const forbidden = await t.request({ method: 'POST', url: `/rooms/${room.id}/events/ticket`, token: guest });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ detail: 'You do not have access to this room' });
    const missing = await t.request({ method: 'POST', url: '/rooms/999999/events/ticket', token: admin });
    expect(missing.statusCode).toBe(404);
  });

  it('opens the stream once, ignoring any other credential, then is spent', async () => {
    const room = await createRoom(t, admin, uniqueName('Once'));
    const ticket = await issue(room.id);
    const client = await openEventStream(t, `/rooms/${room.id}/events?ticket=${ticket}`, { 'x-api-key': 'not-a-token' });
    expect(client.response.status).toBe(200);
    const snapshot = await client.nextEvent();
    expect(snapshot.event).toBe('snapshot');
    client.close();

    const again = await redeem(room.id, ticket);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ detail: 'Invalid or expired ticket' });
  });

  it('is refused on another room, after its lifetime, and when unknown', async () => {
    const room = await createRoom(t, admin, uniqueName('Mine'));
    const other = await createRoom(t, admin, uniqueName('Other'));
    const elsewhere = await redeem(other.id, await issue(room.id));
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json()).toEqual({ detail: 'Invalid or expired ticket' });

    const late = await issue(room.id);
    clock.advance(61_000);
    const expired = await redeem(room.id, late);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ detail: 'Invalid or expired ticket' });

    const unknown = await redeem(room.id, 'A'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({ detail: 'Invalid or expired ticket' });
  });

  it('answers 404 when the room was deleted after the ticket was issued', async () => {
    const room = await createRoom(t, admin, uniqueName('Deleted later'));
    const ticket = await issue(room.id);
    expect((await t.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin })).statusCode).toBe(200);
    const response = await redeem(room.id, ticket);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: `Room with id ${room.id} not found` });
  });

  it('is accepted nowhere else', async () => {
    const room = await createRoom(t, admin, uniqueName('Elsewhere'));
    const ticket = await issue(room.id);
    const response = await t.request({ method: 'GET', url: `/rooms/${room.id}?ticket=${ticket}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid or missing authentication token' });
  });
});
