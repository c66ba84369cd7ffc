import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { RoomEvent } from '../../shared/events.js';

/**
 * The one SSE writer (style.md rule 12, api.md §9.3). Routes and the engine hand it typed events; nothing else
 * writes `event:` lines. It owns the response from the status line on: headers, `retry`, framing, the heartbeat,
 * backpressure and cleanup.
 */
export interface SseStream {
  /** Queues one event; false when the stream is already closed. */
  send(event: RoomEvent): boolean;
  /** Ends the response after anything queued has been handed to the socket. Idempotent. */
  close(): void;
  readonly closed: boolean;
  /** Runs once when the stream closes for any reason (client abort included). */
  onClose(cleanup: () => void): void;
  /** Resolves when the stream has closed and every cleanup ran. */
  readonly done: Promise<void>;
}

export interface SseOptions {
  /** Headers already decided for this response (CORS, X-Request-Id, rate-limit counters). */
  headers?: Record<string, string | number | string[] | undefined>;
  heartbeatMs: number;
  /** Called at each heartbeat; returning false closes the stream (credential expiry, §9.3 Closing). */
  stillAuthorized?: () => boolean;
  /** A subscriber this many events behind a slow socket is closed without a final event (§9.3 Closing). */
  maxBacklog?: number;
  /** Serializes an event; a shared memo lets every subscriber of a room reuse one frame. */
  format?: (event: RoomEvent) => string;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

export const SSE_RETRY_MS = 3000;
export const DEFAULT_MAX_BACKLOG = 1000;

const EVENT_NAME = /^[^\r\n:]+$/;

/** The wire form of one event: `id` only on `message` so the browser's last event id is a message id. */
export function formatSseEvent(event: RoomEvent): string {
  if (!EVENT_NAME.test(event.type)) throw new Error('SSE event names must be one line');
  // JSON.stringify escapes CR and LF inside strings, so the data stays on one line.
  const data = JSON.stringify(event.data);
  const id = event.type === 'message' ? `id: ${event.data.id}\n` : '';
  return `${id}event: ${event.type}\ndata: ${data}\n\n`;
}

export function openSseStream(response: ServerResponse, options: SseOptions): SseStream {
  const maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  const cleanups: (() => void)[] = [];
  const backlog: string[] = [];
  let waitingForDrain = false;
  let closed = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  // Other headers first, so ours win when both name the same field (a stray JSON content type, for one).
  const own = new Set(Object.keys(SSE_HEADERS).map((name) => name.toLowerCase()));
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined && !own.has(name.toLowerCase())) headers[name] = value;
  }
  response.writeHead(200, { ...headers, ...SSE_HEADERS });
  // Without this the first bytes may sit in Node's buffer until the next write.
  response.flushHeaders();

  function finish(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    response.off('close', finish);
    response.off('drain', flush);
    backlog.length = 0;
    // Every cleanup runs even when one throws; the stream must not leak a bus subscription.
    for (const cleanup of cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // Nothing useful can be done about a failing cleanup of a closed stream.
      }
    }
    resolveDone();
  }

  function write(chunk: string): void {
    if (closed) return;
    if (waitingForDrain) {
      backlog.push(chunk);
      if (backlog.length > maxBacklog) {
        // Too slow to keep up: drop it, the client reconnects and resumes from its last message id.
        response.destroy();
        finish();
      }
      return;
    }
    if (!response.write(chunk)) waitingForDrain = true;
  }

  function flush(): void {
    waitingForDrain = false;
    while (backlog.length > 0 && !waitingForDrain) {
      const chunk = backlog.shift();
      if (chunk !== undefined && !response.write(chunk)) waitingForDrain = true;
    }
  }

  response.on('close', finish);
  response.on('drain', flush);

  const heartbeat = setInterval(() => {
    if (options.stillAuthorized && !options.stillAuthorized()) {
      stream.close();
      return;
    }
    write(': ping\n\n');
  }, options.heartbeatMs);
  // A stream alone must not keep the process alive during shutdown.
  heartbeat.unref();

  const stream: SseStream = {
    send(event) {
      if (closed) return false;
      write((options.format ?? formatSseEvent)(event));
      return true;
    },
    close() {
      if (closed) return;
      // end() after queued chunks: the backlog is flushed first so a final event (shutdown, deleted) arrives.
      if (backlog.length > 0) response.write(backlog.splice(0).join(''));
      response.end(() => finish());
      // 'close' may never fire on a half-open socket; finish now so timers and subscriptions go.
      finish();
    },
    get closed() {
      return closed;
    },
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    done,
  };

  write(`retry: ${SSE_RETRY_MS}\n\n`);
  return stream;
}
