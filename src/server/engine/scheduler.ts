import type { Logger } from 'pino';
import type { SchedulerCandidateQuery } from '../db/runners.js';
import type { RoomRow } from '../db/schema.js';

export interface IntervalHandle {
  unref(): unknown;
}

/** The tick timer, injectable so tests fire ticks by hand (style.md rule 6). */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): IntervalHandle;
  // Method syntax on purpose: the system timers take Node's own handle type, which is what setInterval gave back.
  clearInterval(handle: IntervalHandle): void;
}

const systemTimers: IntervalTimers = {
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (handle: NodeJS.Timeout) => clearInterval(handle),
};

export interface SchedulerDeps {
  intervalMs: number;
  /** Concurrent scheduler runs allowed (behavior.md §6 rule 3); 0 = unlimited. */
  maxConcurrentRooms: number;
  activeWindowMs: number;
  now: () => Date;
  /** Rooms that pass the database's part of §6 rule 2, in the fairness order of §6 rule 4. */
  candidates: (query: SchedulerCandidateQuery) => Promise<RoomRow[]>;
  /** True while any run (user, scheduler, manual) holds the room. */
  isRoomBusy: (roomId: number) => boolean;
  /** Scheduler runs active now, cluster-wide (this process's plus other processes' live scheduler leases). */
  activeSchedulerRuns: () => number | Promise<number>;
  providerAvailable: (room: RoomRow) => Promise<boolean>;
  /** Starts one scheduler run in the background; false when the engine refused (busy, shutting down). */
  startRun: (room: RoomRow) => boolean;
  log: Logger;
  timers?: IntervalTimers;
}

export interface Scheduler {
  start(): void;
  /** Stops the timer and waits for a tick in progress; the tick starts nothing more. */
  stop(): Promise<void>;
  /** One tick; resolves once its runs are started, never waiting for them to finish. */
  tick(): Promise<void>;
}

/** behavior.md §6: the background scheduler that keeps eligible rooms talking, one follow-up round at a time. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { log, timers = systemTimers } = deps;
  let handle: IntervalHandle | null = null;
  let ticking: Promise<void> | null = null;
  let stopped = false;

  function freeSlots(active: number): number {
    if (deps.maxConcurrentRooms === 0) return Number.POSITIVE_INFINITY;
    return deps.maxConcurrentRooms - active;
  }

  /** Per-room failures are logged and the room skipped, so one broken room first in line cannot starve the rest. */
  async function tryStart(room: RoomRow): Promise<boolean> {
    const roomLog = log.child({ room_id: room.id });
    try {
      if (deps.isRoomBusy(room.id)) return false;
      if (!(await deps.providerAvailable(room))) {
        roomLog.debug({ provider: room.defaultProvider }, 'scheduler skipped a room whose provider is unavailable');
        return false;
      }
      if (stopped) return false;
      const started = deps.startRun(room);
      if (started) roomLog.debug('scheduler started a run');
      return started;
    } catch (err) {
      roomLog.error({ err }, 'scheduler could not start a run');
      return false;
    }
  }

  async function runTick(): Promise<void> {
    // A local count is used as is: awaiting it would move the selection a tick later for no reason.
    const counted = deps.maxConcurrentRooms === 0 ? 0 : deps.activeSchedulerRuns();
    const slots = freeSlots(typeof counted === 'number' ? counted : await counted);
    if (stopped || slots <= 0) return;
    const rooms = await deps.candidates({ now: deps.now(), activeWindowMs: deps.activeWindowMs });
    let started = 0;
    for (const room of rooms) {
      if (started >= slots || stopped) break;
      if (await tryStart(room)) started += 1;
    }
  }

  function tick(): Promise<void> {
    // §6 rule 1: a tick still selecting makes the next one a no-op rather than a second selection.
    if (ticking) {
      log.debug('scheduler tick skipped: the previous tick is still selecting');
      return Promise.resolve();
    }
    const current = runTick()
      .catch((err: unknown) => log.error({ err }, 'scheduler tick failed'))
      .finally(() => {
        ticking = null;
      });
    ticking = current;
    return current;
  }

  return {
    start() {
      if (handle) return;
      stopped = false;
      handle = timers.setInterval(() => void tick(), deps.intervalMs);
      // The scheduler never keeps the process alive on its own; shutdown stops it explicitly (§5.18).
      handle.unref();
    },

    async stop() {
      stopped = true;
      if (handle) {
        timers.clearInterval(handle);
        handle = null;
      }
      await ticking;
    },

    tick,
  };
}
