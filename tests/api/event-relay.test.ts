import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../src/server/events/bus.js';
import { createPostgresRelayBus, type PostgresRelayBus } from '../../src/server/events/postgres-relay.js';
import type { RoomEvent, RoomEventPayloads } from '../../src/shared/events.js';
import type { Agent, Message } from '../../src/shared/models.js';
import { openEventStream, type SseClient } from '../helpers/event-stream.js';
import { createRoom, sendMessage, uniqueName } from '../helpers/room-api.js';
import { createTestDatabase, databaseAvailable, TEST_DB, type TestDatabase } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * api.md §9.3 "events are relayed between processes with LISTEN/NOTIFY": two servers composed in one test process
 * on the same PostgreSQL database; a stream on B follows a room written through A.
 */
describe.runIf(TEST_DB === 'postgres' && (await databaseAvailable()))('event relay between two servers on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  const open: SseClient[] = [];
  const env = { RATE_LIMIT_SEND: '0', RATE_LIMIT_EVENTS: '0', SSE_HEARTBEAT_SECONDS: '1', SCHEDULER_ENABLED: 'false' };

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestServer({ env, database });
    b = await startTestServer({ env, database });
    // Both servers share JWT_SECRET, so one token works on either.
    admin = await a.login('admin');
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  async function streamOnB(roomId: number): Promise<SseClient> {
    const client = await openEventStream(b, `/rooms/${roomId}/events`, { 'x-api-key': admin });
    open.push(client);
    expect(client.response.status).toBe(200);
    expect(await client.next()).toEqual({ kind: 'retry', value: 3000 });
    expect((await client.nextEvent()).event).toBe('snapshot');
    return client;
  }

  /** Every event frame until `quietMs` pass without one. */
  async function drain(client: SseClient, quietMs = 600) {
    const frames: { event: string; data: unknown }[] = [];
    for (;;) {
      try {
        frames.push(await client.nextEvent(quietMs));
      } catch {
        return frames;
      }
    }
  }

  function recordOn(t: TestServer, roomId: number) {
    const seen: RoomEvent[] = [];
    const all: RoomEvent[] = [];
    const stop = [t.server.bus.subscribe(roomId, (event) => seen.push(event)), t.server.bus.subscribeAll((id, event) => id === roomId && all.push(event))];
    return { seen, all, stop: () => stop.forEach((unsubscribe) => unsubscribe()) };
  }

  it('delivers messages sent through A to a stream on B, in order and exactly once', async () => {
    const room = await createRoom(a, admin, uniqueName('Relay'));
    const client = await streamOnB(room.id);
    const sent: Message[] = [];
    for (const text of ['one', 'two', 'three']) sent.push(await sendMessage(a, admin, room.id, text));
    const frames = await drain(client);
    expect(frames.map((frame) => frame.event)).toEqual(['message', 'message', 'message']);
    expect(frames.map((frame) => frame.data)).toEqual(sent);
  });

  it('rebuilds a message too large for a notification from the database', async () => {
    const room = await createRoom(a, admin, uniqueName('Large'));
    const client = await streamOnB(room.id);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 200, b: 90 } } }).png().toBuffer();
    const big = await sendMessage(a, admin, room.id, { content: 'x'.repeat(20_000), image_data: png.toString('base64'), image_media_type: 'image/png' });
    const small = await sendMessage(a, admin, room.id, 'after the large one');
    const frames = await drain(client);
    expect(frames).toEqual([
      { kind: 'event', event: 'message', data: big, id: String(big.id) },
      { kind: 'event', event: 'message', data: small, id: String(small.id) },
    ]);
    expect(big.content).toHaveLength(20_000);
    expect(big.image_data).toBeTruthy();
  });

  it('hands each relayed event once to the subscribers of B and never echoes it back to A', async () => {
    const room = await createRoom(a, admin, uniqueName('Once'));
    const onA = recordOn(a, room.id);
    const onB = recordOn(b, room.id);
    try {
      const fromA = await sendMessage(a, admin, room.id, 'from A');
      // Two processes publish independently, so only messages sent after the other side has seen the previous one
      // have an order to check.
      await waitFor(() => onB.seen.length >= 1, { timeoutMs: 5000, what: 'the message from A on B' });
      const fromB = await sendMessage(b, admin, room.id, { content: 'y'.repeat(9000) });
      await waitFor(() => onA.seen.length >= 2, { timeoutMs: 5000, what: 'the message from B on A' });
      // One marker from each side flushes the relays: one process's notifications arrive in order, so an echo or a
      // duplicate sent before a marker arrives before it.
      const markers = [await sendMessage(a, admin, room.id, 'marker from A'), await sendMessage(b, admin, room.id, 'marker from B')];
      const ids = (recorder: ReturnType<typeof recordOn>) => recorder.seen.map((event) => (event.type === 'message' ? event.data.id : -1));
      await waitFor(() => [onA, onB].every((recorder) => markers.every((marker) => ids(recorder).includes(marker.id))), {
        timeoutMs: 5000,
        what: 'both markers on both servers',
      });
      for (const recorder of [onA, onB]) {
        expect(recorder.seen.slice(0, 2)).toEqual([
          { type: 'message', data: fromA },
          { type: 'message', data: fromB },
        ]);
        expect(ids(recorder).sort((x, y) => x - y)).toEqual([fromA.id, fromB.id, ...markers.map((marker) => marker.id)]);
        expect(recorder.all).toEqual(recorder.seen);
      }
    } finally {
      onA.stop();
      onB.stop();
    }
  });

  it('keeps the read caches of B in step with writes through A', async () => {
    const room = await createRoom(a, admin, uniqueName('Cache'));
    const list = async () => {
      const response = await b.request({ method: 'GET', url: `/rooms/${room.id}/messages`, token: admin });
      expect(response.statusCode).toBe(200);
      return (response.json() as Message[]).map((message) => message.content);
    };
    expect(await list()).toEqual([]);
    const onB = recordOn(b, room.id);
    await sendMessage(a, admin, room.id, 'written on A');
    await waitFor(() => onB.all.length >= 1, { timeoutMs: 5000, what: 'the relayed message on B' });
    onB.stop();
    // Well inside the 5 s page TTL: only the relayed event can have dropped B's cached page.
    expect(await list()).toEqual(['written on A']);
  });

  it('relays room events whose agents make them too large, including the deletion', async () => {
    const agents = (await a.request({ method: 'GET', url: '/agents', token: admin })).json() as Agent[];
    expect(agents.length).toBeGreaterThan(3);
    const room = await createRoom(a, admin, { name: uniqueName('Members'), is_paused: true });
    const onB = recordOn(b, room.id);
    for (const agent of agents.slice(0, 4)) {
      const added = await a.request({ method: 'POST', url: `/rooms/${room.id}/agents/${agent.id}`, token: admin });
      expect(added.statusCode, added.body).toBe(200);
    }
    // Relaying is asynchronous: let the four `agent_added` events reach B before its stream opens.
    await waitFor(() => onB.all.filter((event) => event.type === 'room').length === 4, { timeoutMs: 5000, what: 'agent_added on B' });
    onB.stop();
    const client = await streamOnB(room.id);
    const renamed = await a.request({ method: 'PATCH', url: `/rooms/${room.id}`, token: admin, payload: { name: uniqueName('Renamed') } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const updated = await client.nextEvent(5000);
    const payload = updated.data as RoomEventPayloads['room'];
    expect(updated.event).toBe('room');
    expect(JSON.stringify(payload).length).toBeGreaterThan(8000);
    expect(payload.reason).toBe('updated');
    expect(payload.room.name).toBe((renamed.json() as { name: string }).name);
    expect(payload.room.agents.map((agent) => agent.id)).toEqual(agents.slice(0, 4).map((agent) => agent.id).sort((x, y) => x - y));
    expect(payload.room.agents[0]).toEqual(agents.find((agent) => agent.id === payload.room.agents[0]!.id));

    const removed = await a.request({ method: 'DELETE', url: `/rooms/${room.id}`, token: admin });
    expect(removed.statusCode).toBe(200);
    const deleted = await client.nextEvent(5000);
    expect(deleted.event).toBe('room');
    expect((deleted.data as RoomEventPayloads['room']).reason).toBe('deleted');
    expect((deleted.data as RoomEventPayloads['room']).room.agents).toHaveLength(4);
    await client.ended(5000);
  });

  /** Two relay buses on the test database, as two processes would have; B rebuilds messages sent by reference slowly. */
  async function twoRelays(): Promise<{ sender: PostgresRelayBus; receiver: PostgresRelayBus; close: () => Promise<void> }> {
    if (database.target.kind !== 'postgres') throw new Error('runs on PostgreSQL only');
    const url = database.target.url;
    const log = pino({ level: 'silent' });
    const slowRebuild = {
      message: async (id: number) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { id, content: 'rebuilt' } as Message;
      },
      agents: async () => [],
    };
    const relay = (processId: string) =>
      createPostgresRelayBus({ local: createInProcessBus({ onListenerError: () => undefined }), databaseUrl: url, processId, log, rebuild: slowRebuild });
    const [sender, receiver] = [relay('process-a'), relay('process-b')];
    await Promise.all([sender.ready, receiver.ready]);
    return { sender, receiver, close: async () => void (await Promise.all([sender.close(), receiver.close()])) };
  }

  it('catchUp resolves only once what another process flushed has reached the local subscribers (guarantee 3 across processes)', async () => {
    const { sender, receiver, close } = await twoRelays();
    try {
      const seen: number[] = [];
      receiver.subscribe(7, (event) => {
        if (event.type === 'message') seen.push(event.data.id);
      });
      // Too large to travel inline: B has to read it back (slowly) before its subscribers get it.
      sender.publish(7, { type: 'message', data: { id: 41, content: 'z'.repeat(9000) } as Message });
      await sender.flush();
      await receiver.catchUp(7);
      expect(seen).toEqual([41]);
    } finally {
      await close();
    }
  });

  it('relays events published in a burst in order, identical ones included (PostgreSQL folds duplicates of one statement)', async () => {
    const { sender, receiver, close } = await twoRelays();
    try {
      const seen: string[] = [];
      receiver.subscribe(8, (event) => {
        if (event.type === 'delta') seen.push(event.data.text);
      });
      const texts = ['la', 'la', 'la', 'land', ...Array.from({ length: 120 }, (_, i) => `w${i}`), 'end', 'end'];
      for (const text of texts) sender.publish(8, { type: 'delta', data: { agent_id: 1, turn_id: 't', kind: 'response', text } });
      await sender.flush();
      await receiver.catchUp(8);
      expect(seen).toEqual(texts);
    } finally {
      await close();
    }
  });

  it('reconnects its LISTEN connection after the database drops it', async () => {
    const listeners = async () => {
      const result = await a.server.database.db.execute(
        sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN chitchats_events'`,
      );
      return (result as unknown as { rows: { pid: number }[] }).rows.map((row) => row.pid).sort();
    };
    const before = await listeners();
    expect(before).toHaveLength(2);
    await a.server.database.db.execute(sql`SELECT pg_terminate_backend(pid) FROM unnest(${sql.raw(`ARRAY[${before.join(',')}]`)}::int[]) AS pid`);
    await waitFor(async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    }, { timeoutMs: 5000, what: 'both LISTEN connections re-established' });
    const room = await createRoom(a, admin, uniqueName('Reconnected'));
    const client = await streamOnB(room.id);
    const sent = await sendMessage(a, admin, room.id, 'after the reconnect');
    expect((await client.nextEvent(5000)).data).toEqual(sent);
  });
});
