import type { Message } from '../../shared/models.js';
import type { ApiFailure, ApiResult } from './api-result.js';

/**
 * ui.md §3.6 "Gap fill": on the first connect without `Last-Event-ID`, the messages committed between the first
 * page's read and the stream's snapshot are fetched with `poll?since_id=` (100 per call, at most 10 calls). A gap
 * still open after that is too big to walk: the caller resets to the newest page instead.
 */

/** api.md §8.2: a poll returns at most 100 messages. */
export const POLL_PAGE_SIZE = 100;
export const GAP_FILL_MAX_CALLS = 10;

export interface GapFillDeps {
  poll(sinceId: number, signal: AbortSignal): Promise<ApiResult<readonly Message[]>>;
  onMessages(messages: readonly Message[]): void;
}

export type GapFillResult =
  | { kind: 'caught_up' }
  /** Still behind after the last call: reset to the newest page. */
  | { kind: 'too_far' }
  | { kind: 'failed'; failure: ApiFailure }
  | { kind: 'aborted' };

export async function fillGap(
  range: { sinceId: number; targetId: number },
  deps: GapFillDeps,
  signal: AbortSignal,
): Promise<GapFillResult> {
  let cursor = range.sinceId;
  for (let call = 0; call < GAP_FILL_MAX_CALLS; call += 1) {
    const result = await deps.poll(cursor, signal);
    if (signal.aborted) return { kind: 'aborted' };
    if (!result.ok) return { kind: 'failed', failure: result };
    const messages = result.value;
    deps.onMessages(messages);
    const last = messages[messages.length - 1];
    // Fewer than a full page means nothing more exists (the target itself may have been deleted meanwhile).
    if (last === undefined || messages.length < POLL_PAGE_SIZE) return { kind: 'caught_up' };
    cursor = last.id;
    if (cursor >= range.targetId) return { kind: 'caught_up' };
  }
  return { kind: 'too_far' };
}
