/**
 * When batched deltas are applied (ui.md §2.3: once per animation frame). Injected, so tests flush by hand and the
 * timeline code needs no DOM.
 */
export interface FrameScheduler {
  /** Runs `callback` before the next paint; returns a function that cancels it. */
  request(callback: () => void): () => void;
}

/** The subset of `window` the production scheduler needs. */
export interface AnimationFrames {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(handle: number): void;
}

export function animationFrameScheduler(frames: AnimationFrames): FrameScheduler {
  return {
    request(callback) {
      const handle = frames.requestAnimationFrame(() => callback());
      return () => frames.cancelAnimationFrame(handle);
    },
  };
}
