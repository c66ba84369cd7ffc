import { performance } from 'node:perf_hooks';

export interface WaitForOptions {
  /** The bound: the condition must hold within this many milliseconds of `since`. */
  timeoutMs: number;
  /** `performance.now()` at the moment the awaited change was made (e.g. the file write); defaults to now. */
  since?: number;
  intervalMs?: number;
  /** Names the awaited condition in the timeout error. */
  what?: string;
}

/**
 * Polls `probe` until it returns something other than undefined, null or false, and returns that value with
 * the time it took from `since`. Throws once `timeoutMs` has passed — tests never sleep for a fixed time.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  { timeoutMs, since = performance.now(), intervalMs = 25, what = 'condition' }: WaitForOptions,
): Promise<{ value: T; elapsedMs: number }> {
  const deadline = since + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) {
        const elapsedMs = performance.now() - since;
        if (elapsedMs > timeoutMs) break;
        return { value, elapsedMs };
      }
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`, lastError === null ? undefined : { cause: lastError });
}
