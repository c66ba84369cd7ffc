import type { AddressInfo } from 'node:net';
import type { TestServer } from './test-server.js';

/** One parsed SSE block: an event (with its optional id), a `retry:` line, or a comment such as `: ping`. */
export type SseFrame =
  | { kind: 'event'; event: string; data: unknown; id: string | null }
  | { kind: 'retry'; value: number }
  | { kind: 'comment'; text: string };

export interface SseClient {
  response: Response;
  /** The next frame, or a rejection after `timeoutMs` or when the stream ends first. */
  next(timeoutMs?: number): Promise<SseFrame>;
  /** The next `event:` frame, skipping comments and `retry`. */
  nextEvent(timeoutMs?: number): Promise<Extract<SseFrame, { kind: 'event' }>>;
  /** Resolves when the server ends the stream; rejects after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Starts the real listener once per server (fetch needs a socket; inject cannot stream). */
export async function baseUrl(t: TestServer): Promise<string> {
  if (!t.server.app.server.listening) await t.server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.server.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

function parseBlock(block: string): SseFrame | null {
  const lines = block.split('\n');
  if (lines.every((line) => line.startsWith(':'))) return { kind: 'comment', text: lines.map((line) => line.slice(1).trim()).join('\n') };
  let event: string | null = null;
  let data: string | null = null;
  let id: string | null = null;
  for (const line of lines) {
    if (line.startsWith('retry: ')) return { kind: 'retry', value: Number(line.slice(7)) };
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) {
      if (data !== null) throw new Error(`more than one data line in ${JSON.stringify(block)}`);
      data = line.slice(6);
    } else if (line.startsWith('id: ')) id = line.slice(4);
    else throw new Error(`unexpected SSE line ${JSON.stringify(line)}`);
  }
  if (event === null || data === null) return null;
  return { kind: 'event', event, data: JSON.parse(data) as unknown, id };
}

export async function openEventStream(
  t: TestServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(`${await baseUrl(t)}${path}`, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters: (() => void)[] = [];
  let done = false;
  let failure: unknown = null;
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };

  // Error answers keep their body for the test to read as JSON.
  if (response.body && (response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const frame = parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (frame) frames.push(frame);
            end = buffer.indexOf('\n\n');
          }
          wake();
        }
      } catch (err) {
        if (!controller.signal.aborted) failure = err;
      } finally {
        done = true;
        wake();
      }
    })();
  } else {
    done = true;
  }

  function waitUntil<T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const check = () => {
        const value = ready();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
          return;
        }
        if (done) {
          clearTimeout(timer);
          reject(failure instanceof Error ? failure : new Error(`stream ended while waiting for ${what}`));
          return;
        }
        waiters.push(check);
      };
      check();
    });
  }

  const client: SseClient = {
    response,
    next: (timeoutMs = 5000) => waitUntil(() => frames.shift(), timeoutMs, 'a frame'),
    async nextEvent(timeoutMs = 5000) {
      for (;;) {
        const frame = await client.next(timeoutMs);
        if (frame.kind === 'event') return frame;
      }
    },
    ended: (timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream still open after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (done) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
    close: () => controller.abort(),
  };
  return client;
}
