import { request, type Agent, type IncomingMessage } from 'node:http';
import { nowMs } from './support.js';

/**
 * A minimal SSE client for the benchmarks (node:http, no EventSource): parses `event:`/`data:`/`id:` frames and
 * stamps each frame with the CLOCK_MONOTONIC time at which the network chunk that completed it arrived.
 */

export interface SseFrame {
  event: string;
  data: string;
  id: string | null;
  /** `nowMs()` when the chunk completing this frame was read. */
  at: number;
}

export interface SseConnection {
  /** Resolves with the response once headers are in (rejects on a non-200 answer). */
  opened: Promise<IncomingMessage>;
  close(): void;
}

export function openSse(
  url: string,
  headers: Record<string, string>,
  onFrame: (frame: SseFrame) => void,
  options: { agent?: Agent | false } = {},
): SseConnection {
  let buffer = '';
  const req = request(url, { method: 'GET', headers: { accept: 'text/event-stream', ...headers }, agent: options.agent ?? false });
  const opened = new Promise<IncomingMessage>((resolveOpen, reject) => {
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(new Error(`SSE ${url} answered ${res.statusCode}: ${body}`)));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = nowMs();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          let event = 'message';
          let data = '';
          let id: string | null = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
            else if (line.startsWith('id: ')) id = line.slice(4);
          }
          if (data !== '' || id !== null) onFrame({ event, data, id, at });
        }
      });
      resolveOpen(res);
    });
    req.on('error', reject);
  });
  req.end();
  return {
    opened,
    close: () => req.destroy(),
  };
}

/** POST with a JSON body; resolves with the parsed answer. */
export async function postJson<T>(url: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
