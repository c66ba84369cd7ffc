import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { TURN_OUTCOMES } from '../../shared/events.js';
import { SimMessageSchema, SimRoomSchema, SimulateError, type ApiClient, type SimMessage, type SimRoom } from './simulate-api.js';
import { createSseParser, type SseFrame } from '../../shared/sse-parser.js';

/**
 * The room feed of the simulate CLI: the room's event stream (api.md §9.3), resumed from the last message id
 * after a drop, with polling of `GET /rooms/{id}/messages/poll` every 2 s while the stream cannot be used
 * (behavior.md §10.1 rule 3). Every message reaches `onEvent` once, whichever transport delivered it.
 */

const DeltaSchema = z.object({ agent_id: z.number(), turn_id: z.string(), kind: z.enum(['thinking', 'response']), text: z.string() });
const AgentStartSchema = z.object({ agent_id: z.number(), agent_name: z.string(), turn_id: z.string(), attempt: z.number() });
const AgentEndSchema = z.object({ agent_id: z.number(), turn_id: z.string(), outcome: z.enum(TURN_OUTCOMES) });
const AgentErrorSchema = z.object({ agent_id: z.number(), agent_name: z.string(), error: z.string() });
const RoomChangeSchema = z.object({ reason: z.string(), room: SimRoomSchema });
const GeneratingSchema = z.object({
  agent_id: z.number(),
  agent_name: z.string(),
  turn_id: z.string(),
  thinking_text: z.string(),
  response_text: z.string(),
});
const SnapshotSchema = z.object({ room: SimRoomSchema, replay_truncated: z.boolean(), generating: z.array(GeneratingSchema) });

export type Generating = z.infer<typeof GeneratingSchema>;

export type FeedEvent =
  | { type: 'message'; data: SimMessage }
  | { type: 'delta'; data: z.infer<typeof DeltaSchema> }
  | { type: 'agent_start'; data: z.infer<typeof AgentStartSchema> }
  | { type: 'agent_end'; data: z.infer<typeof AgentEndSchema> }
  | { type: 'agent_error'; data: z.infer<typeof AgentErrorSchema> }
  /** `reason` is the `room` event's reason, `snapshot` on connect, or `polled` for a room read while polling. */
  | { type: 'room'; data: { reason: string; room: SimRoom } }
  | { type: 'snapshot'; data: z.infer<typeof SnapshotSchema> }
  | { type: 'shutdown' }
  | { type: 'transport'; data: { mode: 'stream' | 'polling' } };

/** Turns one SSE event into a feed event; unknown names and payloads that do not parse give null. */
export function parseFeedEvent(frame: { event: string; data: string }): FeedEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(frame.data);
  } catch {
    return null;
  }
  const as = <T>(schema: z.ZodType<T>): T | null => {
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : null;
  };
  switch (frame.event) {
    case 'message': {
      const data = as(SimMessageSchema);
      return data && { type: 'message', data };
    }
    case 'delta': {
      const data = as(DeltaSchema);
      return data && { type: 'delta', data };
    }
    case 'agent_start': {
      const data = as(AgentStartSchema);
      return data && { type: 'agent_start', data };
    }
    case 'agent_end': {
      const data = as(AgentEndSchema);
      return data && { type: 'agent_end', data };
    }
    case 'agent_error': {
      const data = as(AgentErrorSchema);
      return data && { type: 'agent_error', data };
    }
    case 'room': {
      const data = as(RoomChangeSchema);
      return data && { type: 'room', data };
    }
    case 'snapshot': {
      const data = as(SnapshotSchema);
      return data && { type: 'snapshot', data };
    }
    case 'shutdown':
      return { type: 'shutdown' };
    default:
      // message_deleted and events added later do not affect a simulation.
      return null;
  }
}

export interface RoomFeedOptions {
  api: ApiClient;
  roomId: number;
  onEvent: (event: FeedEvent) => void;
  /** Ends the feed; `done` then resolves. */
  signal: AbortSignal;
  pollIntervalMs?: number;
  /** How long the stream may stay silent (no byte, not even the 15 s `: ping`) before it counts as dropped. */
  silenceTimeoutMs?: number;
  /** Longest wait before trying the stream again while polling. */
  maxRetryMs?: number;
  /** Consecutive failed polls before the server counts as lost. */
  maxPollFailures?: number;
  /** While polling, the room itself (finished, paused) is read every this many polls. */
  roomReadEvery?: number;
  now?: () => number;
}

export interface RoomFeed {
  /** Resolves once messages are being followed: the stream's snapshot arrived, or polling took over. */
  opened: Promise<'stream' | 'polling'>;
  /** Resolves when `signal` aborts; rejects with a SimulateError when the feed cannot go on. */
  done: Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

export function startRoomFeed(options: RoomFeedOptions): RoomFeed {
  const {
    api,
    roomId,
    onEvent,
    signal,
    pollIntervalMs = 2000,
    silenceTimeoutMs = 45_000,
    maxRetryMs = 30_000,
    maxPollFailures = 15,
    roomReadEvery = 5,
    now = Date.now,
  } = options;
  let lastMessageId = 0;
  const seen = new Set<number>();
  let mode: 'stream' | 'polling' | null = null;
  let retryMs = 3000;
  let polls = 0;
  let pollFailures = 0;
  let markOpened: (mode: 'stream' | 'polling') => void = () => undefined;
  const opened = new Promise<'stream' | 'polling'>((resolve) => (markOpened = resolve));

  function switchTo(next: 'stream' | 'polling'): void {
    markOpened(next);
    if (mode === next) return;
    mode = next;
    onEvent({ type: 'transport', data: { mode: next } });
  }

  function deliverMessage(message: SimMessage): void {
    // Replays and polls overlap what was already seen. Ids are the resume cursor (api.md §9.3), but duplicates are
    // recognised by id rather than by order, so a message that arrives late is still shown once.
    if (seen.has(message.id)) return;
    seen.add(message.id);
    lastMessageId = Math.max(lastMessageId, message.id);
    onEvent({ type: 'message', data: message });
  }

  /** Reads every message after the last one seen, 100 per request (api.md §8.2). */
  async function catchUp(): Promise<void> {
    for (;;) {
      const batch = await api.pollMessages(roomId, lastMessageId);
      for (const message of batch) deliverMessage(message);
      if (batch.length < 100 || signal.aborted) return;
    }
  }

  async function handleFrame(frame: SseFrame): Promise<void> {
    if (frame.kind === 'retry') retryMs = frame.ms;
    if (frame.kind !== 'event') return;
    const event = parseFeedEvent(frame);
    if (event === null) return;
    switch (event.type) {
      case 'message':
        return deliverMessage(event.data);
      case 'snapshot':
        switchTo('stream');
        // More than 1,000 missed messages are not replayed; read them through REST instead. If that fails the
        // connection is dropped, and polling catches up from the same last id.
        if (event.data.replay_truncated) {
          await catchUp().catch((err: unknown) => {
            if (err instanceof SimulateError && (err.exitCode === 2 || err.status === 404)) throw err;
            throw new Error('catching up after a truncated replay failed', { cause: err });
          });
        }
        return onEvent(event);
      case 'room':
        onEvent(event);
        if (event.data.reason === 'deleted') throw new SimulateError('The room was deleted on the server', 3);
        return;
      default:
        return onEvent(event);
    }
  }

  /** One stream connection; 'ended' after it worked and then closed, 'unavailable' when it never opened. */
  async function streamOnce(): Promise<'ended' | 'unavailable'> {
    const connection = new AbortController();
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => connection.abort(), silenceTimeoutMs);
    };
    arm();
    let worked = false;
    try {
      const response = await api.openEventStream(roomId, lastMessageId, AbortSignal.any([signal, connection.signal]));
      if (response.status === 401) throw new SimulateError('Authentication failed: the server refused the credential', 2);
      if (response.status === 404) throw new SimulateError('The room was deleted on the server', 3);
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel();
        return 'unavailable';
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const sse = createSseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        for (const frame of sse.push(decoder.decode(value, { stream: true }))) {
          await handleFrame(frame);
          worked ||= mode === 'stream';
        }
      }
      return worked ? 'ended' : 'unavailable';
    } catch (err) {
      if (err instanceof SimulateError) throw err;
      // A refused connection, a reset or the silence watchdog: the caller falls back to polling.
      return worked ? 'ended' : 'unavailable';
    } finally {
      clearTimeout(watchdog);
      connection.abort();
    }
  }

  async function pollOnce(): Promise<void> {
    try {
      await catchUp();
      polls += 1;
      if (polls % roomReadEvery === 0) onEvent({ type: 'room', data: { reason: 'polled', room: await api.getRoom(roomId) } });
      pollFailures = 0;
    } catch (err) {
      if (signal.aborted) return;
      if (!(err instanceof SimulateError) || err.exitCode === 2) throw err;
      if (err.status === 404) throw new SimulateError('The room was deleted on the server', 3, { cause: err });
      pollFailures += 1;
      if (pollFailures >= maxPollFailures) throw new SimulateError(`Lost the server: ${err.message}`, 3, { cause: err });
    }
  }

  async function pollFor(ms: number): Promise<void> {
    const until = now() + ms;
    for (;;) {
      await pollOnce();
      if (signal.aborted || now() >= until) return;
      await pause(pollIntervalMs, signal);
    }
  }

  async function run(): Promise<void> {
    let backoff = retryMs;
    while (!signal.aborted) {
      const outcome = await streamOnce();
      if (signal.aborted) return;
      if (outcome === 'ended') backoff = retryMs;
      switchTo('polling');
      await pollFor(backoff);
      backoff = Math.min(backoff * 2, maxRetryMs);
    }
  }

  const done = run().finally(() => markOpened(mode ?? 'polling'));
  return { opened, done };
}
