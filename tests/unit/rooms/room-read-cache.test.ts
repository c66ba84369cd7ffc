import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../../src/server/db/connect.js';
import { createMessageQueries } from '../../../src/server/db/messages.js';
import { createRoomQueries } from '../../../src/server/db/rooms.js';
import { createInProcessBus } from '../../../src/server/events/bus.js';
import { createRoomReadCache } from '../../../src/server/rooms/room-read-cache.js';
import type { Message } from '../../../src/shared/models.js';

describe('room read cache', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
  }, 60_000);
  afterAll(async () => database?.close());

  function setup(clock = { t: 1_000_000 }) {
    const cache = createRoomReadCache({ now: () => clock.t });
    const plainRooms = createRoomQueries(database.db);
    const plainMessages = createMessageQueries(database.db);
    return { cache, clock, plainRooms, plainMessages, rooms: cache.wrapRooms(plainRooms), messages: cache.wrapMessages(plainMessages) };
  }

  async function newRoom(name: string) {
    const room = await createRoomQueries(database.db).insertRoom({
      name,
      ownerId: 'admin',
      maxInteractions: null,
      defaultProvider: 'claude',
      defaultModel: null,
      isPaused: false,
      now: new Date(),
    });
    if (room === 'duplicate') throw new Error('duplicate');
    return room;
  }

  const userMessage = (roomId: number, content: string) => ({
    roomId,
    content,
    role: 'user' as const,
    participantType: 'user' as const,
    timestamp: new Date(),
  });

  it('serves a repeated page from memory until the room changes', async () => {
    const { cache, messages } = setup();
    const room = await newRoom('cache-a');
    await messages.insertMessage(userMessage(room.id, 'one'));
    await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 });
    await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 });
    expect(cache.stats().hits).toBe(1);
    await messages.insertMessage(userMessage(room.id, 'two'));
    const page = await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 });
    expect(page.map((m) => m.content)).toEqual(['one', 'two']);
  });

  it('forgets a cached "no such room" once a room with that id is created', async () => {
    const { rooms } = setup();
    const existing = await newRoom('cache-before');
    const nextId = existing.id + 1;
    expect(await rooms.getRoomById(nextId)).toBeNull();
    const created = await rooms.insertRoom({
      name: 'cache-created',
      ownerId: 'admin',
      maxInteractions: null,
      defaultProvider: 'claude',
      defaultModel: null,
      isPaused: false,
      now: new Date(),
    });
    expect(created).not.toBe('duplicate');
    expect((await rooms.getRoomById(nextId))?.name).toBe('cache-created');
  });

  it('shows a write committed inside a transaction once its event is published', async () => {
    const { cache, messages, plainMessages } = setup();
    const bus = createInProcessBus({ onListenerError: (err) => { throw err; } });
    cache.followBus(bus);
    const room = await newRoom('cache-b');
    expect(await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 })).toEqual([]);
    const stored = await database.db.transaction(async (tx) => plainMessages.insertMessage(userMessage(room.id, 'in tx'), tx as unknown as Db));
    bus.publish(room.id, { type: 'message', data: { id: stored.id } as Message });
    const page = await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 });
    expect(page.map((m) => m.id)).toEqual([stored.id]);
  });

  it('forgets room rows on update and delete through the wrapper', async () => {
    const { rooms } = setup();
    const room = await newRoom('cache-d');
    expect((await rooms.getRoomById(room.id))?.isPaused).toBe(false);
    await rooms.updateRoom(room.id, { isPaused: true });
    expect((await rooms.getRoomById(room.id))?.isPaused).toBe(true);
    await rooms.deleteRoom(room.id);
    expect(await rooms.getRoomById(room.id)).toBeNull();
  });

  it('expires entries after their time to live, so other processes\' writes show up', async () => {
    const clock = { t: 5_000_000 };
    const { messages, plainMessages } = setup(clock);
    const room = await newRoom('cache-e');
    await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 });
    await plainMessages.insertMessage(userMessage(room.id, 'elsewhere'));
    expect(await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 })).toEqual([]);
    clock.t += 5_001;
    expect((await messages.listMessagesAfter({ roomId: room.id, afterId: 0, limit: 100 })).map((m) => m.content)).toEqual(['elsewhere']);
  });

  it('keys rooms exactly: a change in room 1 leaves room 10 cached', async () => {
    const { cache, messages } = setup();
    const first = await newRoom('cache-f1');
    const second = await newRoom('cache-f2');
    await messages.listMessagesAfter({ roomId: second.id, afterId: 0, limit: 100 });
    await messages.insertMessage(userMessage(first.id, 'x'));
    await messages.listMessagesAfter({ roomId: second.id, afterId: 0, limit: 100 });
    expect(cache.stats().hits).toBe(1);
  });
});
