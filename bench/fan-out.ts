import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RoomEvent } from '../src/shared/events.js';
import { formatSseEvent } from '../src/server/http/sse-writer.js';
import type { FanOutGo, FanOutReport } from './fan-out-clients.js';
import { profileWhile, type ProfileSummary } from './profile.js';
import {
  createBenchDatabase,
  distribution,
  forkHelper,
  monitorStalls,
  nextMessage,
  nowMs,
  sleep,
  startInProcessServer,
  type Distribution,
  type StallMonitor,
} from './support.js';

/**
 * quality.md §3 "fan-out": 500 SSE subscribers on one room, 200 user messages sent through
 * POST /rooms/{id}/messages/send to a room without agents; every message is one `message` event to every
 * subscriber (plus the run's `room` events). The server is composed in this process (PGlite, rate limits off,
 * SSE_MAX_STREAMS_PER_USER raised); the subscribers run in a child process (bench/fan-out-clients.ts). Delivery
 * latency = arrival at a subscriber − the moment the server published the message on its bus, right after the
 * insert committed (stamped by a bus listener registered before any stream), both on CLOCK_MONOTONIC. Messages
 * are sent one at a time over HTTP, `gapMs` apart.
 *
 * Same-run baseline: a bare broadcaster (plain node:http, no framework, no database) that writes the very frames
 * the server sent for one message — the same bytes, the same number of frames — to as many subscribers in a second
 * child process, alternating with the server's messages (half a gap later), so both see the same background load.
 * What it measures is the machine: socket writes, the kernel, the subscribers' parsing and the scheduling of the
 * processes on the shared cores.
 *
 * For the cause of the tail: a second bus listener registered after every stream stamps the end of each
 * synchronous publish (end − start is the server's fan-out loop for that event), both processes report their
 * event-loop delay, and a CPU profile of the server is taken over `profileMessages` further sends.
 */

interface Delivery {
  latency: Distribution;
  /** Per message: arrival at the last subscriber − publish. */
  lastSubscriber: Distribution;
  deliveries: number;
  missing: number;
  duplicated: number;
  otherEventsPerSubscriber: Record<string, number>;
  clientLoopDelay: { p50: number; p99: number; max: number };
}

export interface FanOutResult extends Delivery {
  subscribers: number;
  messages: number;
  gapMs: number;
  sendResponse: Distribution;
  serverLoopDelay: { p50: number; p99: number; max: number };
  /** The server process's event-loop stalls over 20 ms while the messages went out. */
  stalls: ReturnType<StallMonitor['stop']> | null;
  /** Synchronous publish of one event to every subscriber, by event type (ms). */
  publishLoop: Record<string, Distribution>;
  baseline: Delivery & { publishLoop: Distribution };
  /** Server CPU profile over the extra sends (null when not profiled). */
  profile: (ProfileSummary & { messages: number }) | null;
  loadAverage: [number, number];
}

/** One child process of subscribers, connected and waiting for messages. */
interface Subscribers {
  /** Resolves once every subscriber holds `expected` messages (or never). */
  complete: Promise<unknown>;
  report(): Promise<FanOutReport>;
  kill(): void;
}

async function connectSubscribers(eventsUrl: string, headers: Record<string, string>, subscribers: number, expected: number): Promise<Subscribers> {
  const child = forkHelper('fan-out-clients.ts');
  try {
    const go: FanOutGo = { type: 'go', eventsUrl, headers, subscribers, expected };
    child.send(go);
    const ready = await nextMessage<{ type: 'ready'; snapshots: number }>(child, 'ready', 60_000);
    if (ready.snapshots < subscribers) throw new Error(`only ${ready.snapshots} of ${subscribers} subscribers got their snapshot`);
  } catch (err) {
    child.kill();
    throw err;
  }
  return {
    complete: nextMessage(child, 'complete', 600_000).catch(() => null),
    async report() {
      child.send({ type: 'report' });
      return nextMessage<FanOutReport>(child, 'report', 60_000);
    },
    kill: () => void (child.exitCode === null && child.kill()),
  };
}

function analyse(report: FanOutReport, sent: number[], published: Map<number, number>, subscribers: number): Delivery {
  const expected = new Set(sent);
  const latencies: number[] = [];
  const last = new Map<number, number>();
  const seen = new Set<number>();
  let duplicated = 0;
  for (let i = 0; i < report.messageId.length; i += 1) {
    const id = report.messageId[i] ?? 0;
    // Ids beyond the measured ones belong to the profiled sends.
    if (!expected.has(id)) continue;
    const key = (report.subscriber[i] ?? 0) * 1_000_000 + id;
    if (seen.has(key)) {
      duplicated += 1;
      continue;
    }
    seen.add(key);
    const publishedAt = published.get(id);
    if (publishedAt === undefined) continue;
    const latency = (report.arrivedAt[i] ?? 0) - publishedAt;
    latencies.push(latency);
    last.set(id, Math.max(last.get(id) ?? 0, latency));
  }
  const otherEventsPerSubscriber: Record<string, number> = {};
  for (const [event, count] of Object.entries(report.otherEvents)) otherEventsPerSubscriber[event] = count / subscribers;
  return {
    latency: distribution(latencies),
    lastSubscriber: distribution([...last.values()]),
    deliveries: seen.size,
    missing: subscribers * sent.length - seen.size,
    duplicated,
    otherEventsPerSubscriber,
    clientLoopDelay: report.clientLoopDelay,
  };
}

/** The baseline publisher: plain node:http SSE responses, one synchronous write of a preformatted frame each. */
async function startBroadcaster() {
  const clients = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' });
    res.write('retry: 3000\n\nevent: snapshot\ndata: {}\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/events`,
    broadcast(frame: string) {
      for (const client of clients) client.write(frame);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

export async function benchFanOut({ subscribers = 500, messages = 200, gapMs = 50, profileMessages = 50 } = {}): Promise<FanOutResult> {
  const loadBefore = loadavg()[0] ?? 0;
  const dbRoot = await mkdtemp(join(tmpdir(), 'chitchats-bench-fanout-'));
  let server: Awaited<ReturnType<typeof startInProcessServer>> | null = null;
  let broadcaster: Awaited<ReturnType<typeof startBroadcaster>> | null = null;
  const children: Subscribers[] = [];
  try {
    server = await startInProcessServer({
      database: await createBenchDatabase('pglite', dbRoot),
      listen: true,
      env: { SSE_MAX_STREAMS_PER_USER: String(subscribers + 10) },
    });
    const app = server;
    const room = await app.call<{ id: number }>('POST', '/rooms', { name: 'Fan-out room' });
    const published = new Map<number, number>();
    /** One sent message's events, as the server published them (replayed byte for byte by the baseline). */
    const lastEvents: RoomEvent[] = [];
    let publishStart = 0;
    app.server.bus.subscribe(room.id, (event) => {
      publishStart = nowMs();
      if (event.type === 'message') {
        published.set(event.data.id, publishStart);
        lastEvents.length = 0;
      }
      lastEvents.push(event);
    });
    const publishLoops: Record<string, number[]> = {};
    const sendMs: number[] = [];
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const url = `${app.base}/rooms/${room.id}/messages/send`;
    const headers = { 'x-api-key': app.token };
    const send = async (content: string) => {
      const started = nowMs();
      const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ content }) });
      if (response.status !== 200) throw new Error(`send answered ${response.status}: ${await response.text()}`);
      const { id } = (await response.json()) as { id: number };
      sendMs.push(nowMs() - started);
      return id;
    };
    let profile: FanOutResult['profile'] = null;

    // The baseline's frames: the ones the server publishes for one sent message, byte for byte (from a first send).
    await send('Frame sample: the tide is coming in and the café is warm.');
    await sleep(200);
    const frames = lastEvents.map((event) => formatSseEvent(event));
    sendMs.length = 0;
    const bare = await startBroadcaster();
    broadcaster = bare;

    const serverSubscribers = await connectSubscribers(`${app.base}/rooms/${room.id}/events`, headers, subscribers, messages);
    children.push(serverSubscribers);
    const bareSubscribers = await connectSubscribers(bare.url, {}, subscribers, messages);
    children.push(bareSubscribers);
    app.server.bus.subscribe(room.id, (event) => {
      const key = event.type === 'room' ? `room (${event.data.reason})` : event.type;
      (publishLoops[key] ??= []).push(nowMs() - publishStart);
    });

    // Alternate: a message through the server, half a gap, the same frames through the bare broadcaster, half a gap.
    const sent: number[] = [];
    const baselinePublished = new Map<number, number>();
    const baselineLoops: number[] = [];
    loop.enable();
    const stallMonitor = monitorStalls();
    for (let i = 0; i < messages; i += 1) {
      sent.push(await send(`Fan-out message ${i}: the tide is coming in and the café is warm.`));
      await sleep(gapMs / 2);
      const id = i + 1;
      const started = nowMs();
      baselinePublished.set(id, started);
      for (const frame of frames) bare.broadcast(frame.replace(/^id: \d+\n/, `id: ${id}\n`));
      baselineLoops.push(nowMs() - started);
      await sleep(gapMs / 2);
    }
    await Promise.race([Promise.all([serverSubscribers.complete, bareSubscribers.complete]), sleep(10_000)]);
    loop.disable();
    const stalls = stallMonitor.stop();
    const sendResponse = distribution(sendMs);

    if (profileMessages > 0) {
      const profiled = await profileWhile(async () => {
        for (let i = 0; i < profileMessages; i += 1) {
          await send(`Profiled message ${i}`);
          await sleep(gapMs);
        }
        await sleep(1000);
      });
      profile = { messages: profileMessages, ...profiled.profile };
    }
    const measured = analyse(await serverSubscribers.report(), sent, published, subscribers);
    const baseline = analyse(
      await bareSubscribers.report(),
      Array.from({ length: messages }, (_, index) => index + 1),
      baselinePublished,
      subscribers,
    );

    return {
      subscribers,
      messages,
      gapMs,
      ...measured,
      sendResponse,
      serverLoopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      stalls,
      publishLoop: Object.fromEntries(Object.entries(publishLoops).map(([key, values]) => [key, distribution(values)])),
      baseline: { ...baseline, publishLoop: distribution(baselineLoops) },
      profile,
      loadAverage: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    for (const child of children) child.kill();
    await broadcaster?.close();
    await server?.close();
    await rm(dbRoot, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { profile, ...result } = await benchFanOut();
  console.dir(result, { depth: 4 });
  if (profile) {
    console.table(profile.categories.slice(0, 12).map((c) => ({ category: c.category, ms: c.ms.toFixed(0), share: `${(c.share * 100).toFixed(1)} %` })));
    console.table(profile.functions.slice(0, 12).map((f) => ({ name: f.name, ms: f.ms.toFixed(0) })));
  }
}
