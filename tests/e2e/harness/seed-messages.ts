import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../../src/server/db/connect.js';
import { messages, rooms } from '../../../src/server/db/schema.js';

/**
 * Seeds a room with many user messages through the project's db layer, while its server is stopped (ui.md §9.2
 * "Fault injection"). Message i reads
 * `Seeded message i`, one second apart, ending now; the room's activity follows the newest.
 * Arguments come from the environment (`spawnTs` passes no argv): DATA_DIR, SEED_ROOM, SEED_COUNT.
 */

const dataDir = process.env.DATA_DIR;
const roomId = Number(process.env.SEED_ROOM);
const count = Number(process.env.SEED_COUNT);
if (!dataDir || !Number.isInteger(roomId) || !Number.isInteger(count) || count < 1) {
  console.error('usage: DATA_DIR=… SEED_ROOM=<room id> SEED_COUNT=<n> node --import tsx seed-messages.ts');
  process.exit(2);
}

const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
try {
  const end = Date.now();
  for (let start = 1; start <= count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start + 1) }, (_, offset) => {
      const i = start + offset;
      return {
        roomId,
        content: `Seeded message ${i}`,
        role: 'user' as const,
        participantType: 'user' as const,
        timestamp: new Date(end - (count - i) * 1000),
      };
    });
    await database.db.insert(messages).values(batch);
  }
  await database.db.update(rooms).set({ lastActivityAt: new Date(end) }).where(eq(rooms.id, roomId));
} finally {
  await database.close();
}
