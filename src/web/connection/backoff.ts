/** Waiting rules of ui.md §3.6 and §3.7, as plain functions of their inputs. */

const SECOND = 1_000;
export const MAX_RECONNECT_DELAY_MS = 30 * SECOND;
const POLL_RETRY_DELAYS_MS = [3 * SECOND, 6 * SECOND, 12 * SECOND, 30 * SECOND] as const;

/**
 * `min(30 s, 2^(n−1) s) × random(0.8–1.2)`, where n counts consecutive failures (n ≥ 1). The jitter spreads the
 * reconnects of many tabs after a server restart. `random` is a draw in [0, 1).
 */
export function reconnectDelayMs(failures: number, random: number): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, 2 ** (Math.max(1, failures) - 1) * SECOND);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Poll errors back off 3, 6, 12, then 30 s (`failures` ≥ 1 consecutive errors). */
export function pollRetryDelayMs(failures: number): number {
  const index = Math.min(Math.max(1, failures), POLL_RETRY_DELAYS_MS.length) - 1;
  return POLL_RETRY_DELAYS_MS[index] ?? MAX_RECONNECT_DELAY_MS;
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
