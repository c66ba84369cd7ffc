import { performance } from 'node:perf_hooks';

/**
 * How much longer than written every wait may take: `TEST_PATIENCE`, by default 3 on CI and 1 elsewhere. CI runs on a
 * machine it may share with other work, where a 5 s bound that an idle machine meets in 0.2 s can run out; a wait
 * ends as soon as its condition holds, so the factor costs nothing when the code works.
 */
export const PATIENCE = Math.max(1, Number(process.env.TEST_PATIENCE ?? (process.env.CI ? 3 : 1)) || 1);

export interface WaitForOptions {
  /** The bound, before `PATIENCE`: the condition must hold within this many milliseconds of `since`. */
  timeoutMs?: number;
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
  { timeoutMs: written = 3000, since = performance.now(), intervalMs = 25, what = 'condition' }: WaitForOptions = {},
): Promise<{ value: T; elapsedMs: number }> {
  const timeoutMs = written * PATIENCE;
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
