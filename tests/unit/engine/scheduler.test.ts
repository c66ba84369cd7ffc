import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RoomRow } from '../../../src/server/db/schema.js';
import type { SchedulerCandidateQuery } from '../../../src/server/db/runners.js';
import {
  createScheduler,
  type IntervalHandle,
  type IntervalTimers,
  type SchedulerDeps,
} from '../../../src/server/engine/scheduler.js';
import { waitFor } from '../../helpers/wait-for.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function room(id: number, provider = 'openai'): RoomRow {
  return {
    id,
    name: `Room ${id}`,
    ownerId: 'admin',
    maxInteractions: null,
    isPaused: false,
    isFinished: false,
    defaultProvider: provider,
    defaultModel: null,
    createdAt: NOW,
    lastActivityAt: NOW,
    lastReadAt: null,
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface LogLine {
  level: number;
  msg: string;
  room_id?: number;
  err?: { message: string };
}

/** A scheduler over fake edges: a fixed candidate list, recorded starts and captured log lines. */
function harness(overrides: Partial<SchedulerDeps> & { rooms?: RoomRow[] } = {}) {
  const { rooms = [], ...rest } = overrides;
  const started: number[] = [];
  const queries: SchedulerCandidateQuery[] = [];
  const logs: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const scheduler = createScheduler({
    intervalMs: 2000,
    maxConcurrentRooms: 5,
    activeWindowMs: 300_000,
    now: () => NOW,
    candidates: async (query) => {
      queries.push(query);
      return rooms;
    },
    isRoomBusy: () => false,
    activeSchedulerRuns: () => 0,
    providerAvailable: async () => true,
    startRun: (candidate) => {
      started.push(candidate.id);
      return true;
    },
    log,
    ...rest,
  });
  const errors = () => logs.filter((line) => line.level >= 50);
  return { scheduler, started, queries, logs, errors };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const registered: { callback: () => void; ms: number; unrefed: boolean; cleared: boolean }[] = [];
  const byHandle = new Map<IntervalHandle, (typeof registered)[number]>();
  const timers: IntervalTimers = {
    setInterval(callback, ms) {
      const entry = { callback, ms, unrefed: false, cleared: false };
      const handle: IntervalHandle = {
        unref() {
          entry.unrefed = true;
        },
      };
      registered.push(entry);
      byHandle.set(handle, entry);
      return handle;
    },
    clearInterval(handle) {
      const entry = byHandle.get(handle);
      if (entry) entry.cleared = true;
    },
  };
  return { timers, registered };
}

describe('createScheduler', () => {
  describe('slots and fairness', () => {
    it('starts rooms in candidate order until the free slots are used', async () => {
      const h = harness({ maxConcurrentRooms: 2, rooms: [room(3), room(1), room(2)] });
      await h.scheduler.tick();
      expect(h.started).toEqual([3, 1]);
    });

    it('subtracts the scheduler runs already active from the slots', async () => {
      const h = harness({ maxConcurrentRooms: 3, activeSchedulerRuns: () => 2, rooms: [room(1), room(2), room(3)] });
      await h.scheduler.tick();
      expect(h.started).toEqual([1]);
    });

    it('neither selects nor starts when every slot is taken', async () => {
      const h = harness({ maxConcurrentRooms: 2, activeSchedulerRuns: () => 3, rooms: [room(1)] });
      await h.scheduler.tick();
      expect(h.queries).toEqual([]);
      expect(h.started).toEqual([]);
    });

    it('starts every candidate when the limit is 0 (unlimited)', async () => {
      const rooms = [1, 2, 3, 4, 5, 6, 7].map((id) => room(id));
      const h = harness({ maxConcurrentRooms: 0, activeSchedulerRuns: () => 40, rooms });
      await h.scheduler.tick();
      expect(h.started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('asks for candidates with the current time and the active window', async () => {
      const h = harness({ activeWindowMs: 90_000 });
      await h.scheduler.tick();
      expect(h.queries).toEqual([{ now: NOW, activeWindowMs: 90_000 }]);
    });
  });

  describe('skipped rooms', () => {
    it('skips a busy room and gives its slot to the next candidate', async () => {
      const h = harness({ maxConcurrentRooms: 2, isRoomBusy: (id) => id === 1, rooms: [room(1), room(2), room(3)] });
      await h.scheduler.tick();
      expect(h.started).toEqual([2, 3]);
    });

    it('skips a room whose provider is unavailable', async () => {
      const h = harness({
        maxConcurrentRooms: 2,
        providerAvailable: async (candidate) => candidate.defaultProvider !== 'claude',
        rooms: [room(1, 'claude'), room(2), room(3, 'claude'), room(4)],
      });
      await h.scheduler.tick();
      expect(h.started).toEqual([2, 4]);
    });

    it('does not count a room the engine refused and tries the next one', async () => {
      const accepted: number[] = [];
      const h = harness({
        maxConcurrentRooms: 1,
        startRun: (candidate) => {
          if (candidate.id === 1) return false;
          accepted.push(candidate.id);
          return true;
        },
        rooms: [room(1), room(2), room(3)],
      });
      await h.scheduler.tick();
      expect(accepted).toEqual([2]);
    });
  });

  describe('overlapping ticks', () => {
    it('skips a tick while the previous one is still selecting', async () => {
      const pending = deferred<RoomRow[]>();
      let calls = 0;
      const h = harness({
        candidates: () => {
          calls += 1;
          return calls === 1 ? pending.promise : Promise.resolve([room(2)]);
        },
      });
      const first = h.scheduler.tick();
      await h.scheduler.tick();
      expect(calls).toBe(1);
      pending.resolve([room(1)]);
      await first;
      expect(h.started).toEqual([1]);
      await h.scheduler.tick();
      expect(calls).toBe(2);
      expect(h.started).toEqual([1, 2]);
    });
  });

  describe('errors', () => {
    it('logs a failed candidate query and keeps ticking afterwards', async () => {
      let calls = 0;
      const h = harness({
        candidates: async () => {
          calls += 1;
          if (calls === 1) throw new Error('database unreachable');
          return [room(1)];
        },
      });
      await expect(h.scheduler.tick()).resolves.toBeUndefined();
      expect(h.errors()).toMatchObject([{ msg: 'scheduler tick failed', err: { message: 'database unreachable' } }]);
      await h.scheduler.tick();
      expect(h.started).toEqual([1]);
    });

    it('logs a room whose provider check throws and still starts the rooms behind it', async () => {
      const h = harness({
        providerAvailable: async (candidate) => {
          if (candidate.id === 1) throw new Error('registry broke');
          return true;
        },
        rooms: [room(1), room(2)],
      });
      await h.scheduler.tick();
      expect(h.started).toEqual([2]);
      expect(h.errors()).toMatchObject([{ room_id: 1, err: { message: 'registry broke' } }]);
    });

    it('logs a room whose start throws and still starts the rooms behind it', async () => {
      const accepted: number[] = [];
      const h = harness({
        startRun: (candidate) => {
          if (candidate.id === 1) throw new Error('engine bug');
          accepted.push(candidate.id);
          return true;
        },
        rooms: [room(1), room(2)],
      });
      await h.scheduler.tick();
      expect(accepted).toEqual([2]);
      expect(h.errors()).toMatchObject([{ room_id: 1, err: { message: 'engine bug' } }]);
    });
  });

  describe('timer', () => {
    it('ticks on an unref’d interval of intervalMs and clears it on stop', async () => {
      const { timers, registered } = manualTimers();
      const h = harness({ intervalMs: 1234, timers, rooms: [room(1)] });
      h.scheduler.start();
      h.scheduler.start();
      expect(registered).toHaveLength(1);
      expect(registered[0]).toMatchObject({ ms: 1234, unrefed: true, cleared: false });
      registered[0]?.callback();
      await waitFor(() => h.started.length > 0, { timeoutMs: 1000, what: 'the timer tick started a run' });
      expect(h.started).toEqual([1]);
      await h.scheduler.stop();
      expect(registered[0]?.cleared).toBe(true);
    });

    it('logs a tick failure raised from the timer instead of rejecting', async () => {
      const { timers, registered } = manualTimers();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const h = harness({
          timers,
          candidates: async () => {
            throw new Error('boom');
          },
        });
        h.scheduler.start();
        registered[0]?.callback();
        await h.scheduler.stop();
        await new Promise((resolve) => setImmediate(resolve));
        expect(h.errors()).toMatchObject([{ msg: 'scheduler tick failed', err: { message: 'boom' } }]);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('waits for the tick in progress on stop and starts nothing after it', async () => {
      const asked = deferred<void>();
      const pending = deferred<boolean>();
      const h = harness({
        providerAvailable: () => {
          asked.resolve();
          return pending.promise;
        },
        rooms: [room(1), room(2)],
      });
      const tick = h.scheduler.tick();
      await asked.promise;
      let stopped = false;
      const stopping = h.scheduler.stop().then(() => {
        stopped = true;
      });
      await Promise.resolve();
      expect(stopped).toBe(false);
      pending.resolve(true);
      await Promise.all([tick, stopping]);
      expect(stopped).toBe(true);
      expect(h.started).toEqual([]);
      await h.scheduler.tick();
      expect(h.started).toEqual([]);
    });
  });
});
