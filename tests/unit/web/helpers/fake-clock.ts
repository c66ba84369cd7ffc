import type { Timers } from '../../../../src/web/connection/timers.js';

/** A clock and timers moved by hand: `advance` runs due callbacks in time order, letting promises settle between. */
export function createFakeClock(start = 0) {
  let now = start;
  let nextId = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    schedule(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return () => pending.delete(id);
    },
  };
  return {
    timers,
    now: () => now,
    /** Delays currently scheduled, in ms from now. */
    scheduled: () => [...pending.values()].map((timer) => timer.at - now).sort((a, b) => a - b),
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      for (;;) {
        await settle();
        const due = [...pending.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
      await settle();
    },
  };
}

/** Lets every promise chain that is ready run to completion (no wall-clock time involved). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
