import type { ApiFailure } from '../connection/api-result.js';
import type { SendFailure, SendFailureReason } from '../timeline/timeline-types.js';

/** ui.md §3.7 step 5: what a failed POST of a send means for it. */

export type SendOutcome =
  /** Network error, 5xx or 429: check whether it was stored, then retry once. */
  | { kind: 'transient'; retryAfterMs: number | null; outcomeUnknown: boolean }
  /** 413, 415, 422, 403 (and any other 4xx): Failed at once, with a reason. */
  | { kind: 'rejected' }
  /** The item stays queued, session expiry starts, and it is sent after the next login. */
  | { kind: 'unauthorized' };

export function classifySendFailure(failure: ApiFailure): SendOutcome {
  const { status } = failure;
  if (status === 401) return { kind: 'unauthorized' };
  if (status === null || status >= 500) return { kind: 'transient', retryAfterMs: failure.retryAfterMs, outcomeUnknown: true };
  // A 429 is refused before anything is stored.
  if (status === 429) return { kind: 'transient', retryAfterMs: failure.retryAfterMs, outcomeUnknown: false };
  return { kind: 'rejected' };
}

const REASONS: Record<number, SendFailureReason> = {
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  415: 'unsupported_media',
  422: 'invalid',
  429: 'rate_limited',
};

/** The reason a Failed row shows (localized by the UI from `reason`). */
export function sendFailureOf(failure: ApiFailure): SendFailure {
  const { status } = failure;
  const reason: SendFailureReason =
    status === null ? 'network' : status >= 500 ? 'server' : (REASONS[status] ?? 'rejected');
  return { reason, status, detail: failure.detail ?? null };
}

const DEFAULT_RETRY_DELAY_MS = 2_000;
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * "Retry once after 2 s, or after Retry-After if that is 10 s or less." A longer Retry-After means the retry would
 * fail the same way, so the send is marked Failed at once (null) and the user retries when they choose.
 */
export function automaticRetryDelayMs(retryAfterMs: number | null): number | null {
  if (retryAfterMs === null) return DEFAULT_RETRY_DELAY_MS;
  return retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : null;
}
