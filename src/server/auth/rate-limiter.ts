/**
 * Fixed 60-second windows counted from the first request (api.md §2.7, binding resolution 16). Buckets are keyed
 * by (limit name, user or IP) exactly; shared counters are simply one limit name used by several routes.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(bucket: string, key: string, limit: number): RateDecision;
}

const WINDOW_MS = 60_000;

export function createRateLimiter({ now = Date.now }: { now?: () => number } = {}): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  let lastSweep = now();

  function sweep(at: number): void {
    if (at - lastSweep < WINDOW_MS) return;
    lastSweep = at;
    for (const [key, window] of windows) if (at - window.startedAt >= WINDOW_MS) windows.delete(key);
  }

  return {
    hit(bucket, key, limit) {
      const at = now();
      sweep(at);
      const id = `${bucket}\u0000${key}`;
      let window = windows.get(id);
      if (!window || at - window.startedAt >= WINDOW_MS) {
        window = { startedAt: at, count: 0 };
        windows.set(id, window);
      }
      window.count += 1;
      const resetSeconds = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - at) / 1000));
      return {
        allowed: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        resetSeconds,
      };
    },
  };
}
