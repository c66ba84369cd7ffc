/** Injected timers so deadline tests can use short real delays or fake clocks (architecture: no hidden globals). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** behavior.md §5.16 rule 1 / README resolution 6, in milliseconds. */
export interface TurnDeadlines {
  firstEventMs: number;
  idleMs: number;
  turnMs: number;
}

export type DeadlineName = 'first_event' | 'idle' | 'turn';

/**
 * Arms the three turn deadlines. `activity()` marks a provider event: it disarms the first-event deadline and
 * restarts the idle one. `clear()` must run in a `finally` so no timer outlives the turn.
 */
export function armDeadlines(timers: Timers, deadlines: TurnDeadlines, onExpire: (name: DeadlineName) => void) {
  let expired = false;
  const fire = (name: DeadlineName) => {
    if (expired) return;
    expired = true;
    onExpire(name);
  };
  let firstEvent: unknown = timers.setTimeout(() => fire('first_event'), deadlines.firstEventMs);
  let idle: unknown = null;
  const turn = timers.setTimeout(() => fire('turn'), deadlines.turnMs);
  return {
    activity() {
      if (firstEvent !== null) {
        timers.clearTimeout(firstEvent);
        firstEvent = null;
      }
      if (idle !== null) timers.clearTimeout(idle);
      idle = timers.setTimeout(() => fire('idle'), deadlines.idleMs);
    },
    clear() {
      if (firstEvent !== null) timers.clearTimeout(firstEvent);
      if (idle !== null) timers.clearTimeout(idle);
      timers.clearTimeout(turn);
      firstEvent = idle = null;
    },
  };
}
