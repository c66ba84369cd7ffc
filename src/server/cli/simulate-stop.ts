import type { SimMessage, SimRoom } from './simulate-api.js';

/** When a simulation ends (behavior.md §10.1 rule 4), decided from what the feed delivers and the clock. */

export type StopReason = 'max_interactions' | 'finished' | 'paused' | 'idle' | 'timeout' | 'interrupted';

/**
 * A reply that counts toward `max_interactions` (api.md §3.2): written by an agent, not a skip marker, not a
 * notice, and not by a critic (critic replies are not part of the conversation).
 */
export function isCountedReply(message: SimMessage, criticIds: ReadonlySet<number>): boolean {
  return message.agent_id !== null && !message.is_skip && message.participant_type === null && !criticIds.has(message.agent_id);
}

export interface StopTrackerOptions {
  maxInteractions: number;
  idleTimeoutMs: number;
  /** Absolute time (ms) at which `--timeout` has passed. */
  deadlineAt: number;
  /** When the idle clock starts: the moment the topic was posted. */
  activeSince: number;
  criticIds: ReadonlySet<number>;
}

export interface StopTracker {
  readonly replies: number;
  readonly reason: StopReason | null;
  /** A message arrived (any kind resets the idle clock). */
  onMessage(message: SimMessage, at: number): void;
  /** A turn started or streamed: the room is busy, so it is not idle either. */
  onActivity(at: number): void;
  onRoom(room: SimRoom): void;
  /** Applies the clock-based conditions; returns the reason once one holds. */
  check(at: number): StopReason | null;
  stop(reason: StopReason): void;
}

export function createStopTracker(options: StopTrackerOptions): StopTracker {
  const { maxInteractions, idleTimeoutMs, deadlineAt, criticIds } = options;
  let lastActivityAt = options.activeSince;
  let replies = 0;
  let reason: StopReason | null = null;
  const stop = (next: StopReason) => {
    reason ??= next;
  };
  return {
    get replies() {
      return replies;
    },
    get reason() {
      return reason;
    },
    onMessage(message, at) {
      lastActivityAt = Math.max(lastActivityAt, at);
      if (!isCountedReply(message, criticIds)) return;
      replies += 1;
      if (replies >= maxInteractions) stop('max_interactions');
    },
    onActivity(at) {
      lastActivityAt = Math.max(lastActivityAt, at);
    },
    onRoom(room) {
      if (room.is_finished) stop('finished');
      else if (room.is_paused) stop('paused');
    },
    check(at) {
      if (reason === null && at >= deadlineAt) stop('timeout');
      if (reason === null && at - lastActivityAt >= idleTimeoutMs) stop('idle');
      return reason;
    },
    stop,
  };
}

export function describeStop(
  reason: StopReason,
  { replies, maxInteractions, idleTimeoutMs, timeoutMs }: { replies: number; maxInteractions: number; idleTimeoutMs: number; timeoutMs: number },
): string {
  switch (reason) {
    case 'max_interactions':
      return `reached ${replies} of ${maxInteractions} agent replies`;
    case 'finished':
      return `the room finished (every agent skipped a round) after ${replies} of ${maxInteractions} agent replies`;
    case 'paused':
      return `the room was paused elsewhere after ${replies} of ${maxInteractions} agent replies`;
    case 'idle':
      return `no new message for ${formatSeconds(idleTimeoutMs)} (${replies} of ${maxInteractions} agent replies)`;
    case 'timeout':
      return `the overall timeout of ${formatSeconds(timeoutMs)} passed (${replies} of ${maxInteractions} agent replies)`;
    case 'interrupted':
      return `interrupted by the user after ${replies} of ${maxInteractions} agent replies`;
    default: {
      const unknown: never = reason;
      return unknown;
    }
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
