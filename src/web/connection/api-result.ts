/**
 * The answer of an injected API call. Failures are values, not exceptions (style.md 20): every caller branches on
 * the status. `status` is null for a network error or timeout; `retryAfterMs` comes from a `Retry-After` header.
 */
export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

export interface ApiFailure {
  ok: false;
  status: number | null;
  retryAfterMs: number | null;
  /** The server's `detail` when it was a string. */
  detail?: string | null;
}
