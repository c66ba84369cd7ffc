import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openSse, type SseConnection } from './sse-client.js';
import { nowMs } from './support.js';

/**
 * Child process of bench/fan-out.ts: N SSE subscribers on one stream URL (the room's events, or the bare
 * broadcaster of the baseline), in their own process so their parsing does not run on the server's event loop. Each `message` frame is recorded as (subscriber, message id, arrival time);
 * other events are only counted.
 */

export interface FanOutGo {
  type: 'go';
  eventsUrl: string;
  headers: Record<string, string>;
  subscribers: number;
  /** Messages each subscriber should see; the child says `complete` once all have them. */
  expected: number;
}

export interface FanOutReport {
  type: 'report';
  subscriber: number[];
  messageId: number[];
  arrivedAt: number[];
  otherEvents: Record<string, number>;
  streamErrors: number;
  /** This process's event-loop delay while the messages arrived (ms). */
  clientLoopDelay: { p50: number; p99: number; max: number };
}

const go = await new Promise<FanOutGo>((resolveGo) => {
  process.once('message', (message: FanOutGo) => resolveGo(message));
});

const subscriber: number[] = [];
const messageId: number[] = [];
const arrivedAt: number[] = [];
const otherEvents: Record<string, number> = {};
const perSubscriber = new Array<number>(go.subscribers).fill(0);
let snapshots = 0;
let complete = 0;
let streamErrors = 0;
const connections: SseConnection[] = [];

function open(index: number): Promise<void> {
  const connection = openSse(go.eventsUrl, go.headers, (frame) => {
    if (frame.event === 'message' && frame.id !== null) {
      subscriber.push(index);
      messageId.push(Number(frame.id));
      arrivedAt.push(frame.at);
      perSubscriber[index] = (perSubscriber[index] ?? 0) + 1;
      if (perSubscriber[index] === go.expected && (complete += 1) === go.subscribers) process.send?.({ type: 'complete' });
      return;
    }
    if (frame.event === 'snapshot') snapshots += 1;
    otherEvents[frame.event] = (otherEvents[frame.event] ?? 0) + 1;
  });
  connections.push(connection);
  return connection.opened.then(
    (res) => void res.on('error', () => (streamErrors += 1)),
    () => void (streamErrors += 1),
  );
}

// Connect in batches so the server is not asked for 500 snapshots in one burst.
for (let from = 0; from < go.subscribers; from += 50) {
  await Promise.all(Array.from({ length: Math.min(50, go.subscribers - from) }, (_, offset) => open(from + offset)));
}
const deadline = nowMs() + 30_000;
while (snapshots < go.subscribers && nowMs() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
process.send?.({ type: 'ready', snapshots, streamErrors });

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'report') return;
  loop.disable();
  for (const connection of connections) connection.close();
  const clientLoopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  const report: FanOutReport = { type: 'report', subscriber, messageId, arrivedAt, otherEvents, streamErrors, clientLoopDelay };
  process.send?.(report, () => process.exit(0));
});
