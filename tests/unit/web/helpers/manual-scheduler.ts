import type { FrameScheduler } from '../../../../src/web/timeline/frame-scheduler.js';

/** A frame scheduler a test runs by hand: `runFrame()` is the next animation frame. */
export function createManualScheduler(): FrameScheduler & { runFrame(): void; readonly requested: number } {
  let callbacks: (() => void)[] = [];
  let requested = 0;
  return {
    request(callback) {
      requested += 1;
      callbacks.push(callback);
      return () => {
        callbacks = callbacks.filter((queued) => queued !== callback);
      };
    },
    runFrame() {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback();
    },
    get requested() {
      return requested;
    },
  };
}
