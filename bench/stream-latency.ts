import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StreamLatencyGo, StreamLatencyReport } from './stream-latency-client.js';
import {
  cpuPressure,
  createBenchDatabase,
  distribution,
  forkHelper,
  monitorStalls,
  nextMessage,
  nowMs,
  startInProcessServer,
  type Distribution,
  type StallMonitor,
} from './support.js';

/**
 * quality.md §3 "stream latency": the fake OpenAI server emits 500 tokens, one every 10 ms; the real server
 * (composed in this process, listening on a port, `openai` provider pointed at the fake) streams them to an SSE
 * client on GET /rooms/{id}/events. The fake and the client run together in a child process
 * (bench/stream-latency-client.ts), so the server's event loop is not shared with them. Added latency = arrival
 * of the `delta` carrying a token − the fake's write of that token, both on CLOCK_MONOTONIC. It includes
 * everything on our path: the socket hops, the AI SDK's SSE parsing, the engine, the bus and the SSE writer.
 * The server also stamps each token when its `delta` is published on the bus, which splits the latency into an
 * inbound part (fake → bus: socket, AI SDK, engine) and an outbound part (bus → client: SSE writer, socket).
 *
 * Same-run baseline: a bare relay in this process (fetch the fake's stream, re-send each content chunk as an SSE
 * event, no parsing beyond the `data:` lines) carries as many turns to the same client, alternating with the
 * server's turns. Its latency is what the two socket hops and the machine's scheduling cost without our code.
 * While the turns run, this process's event-loop stalls (> 20 ms) are recorded with the garbage collections.
 */

/** The baseline: a bare pass-through from the fake's chat-completions stream to one SSE client. */
async function startRelay(fakeBaseUrl: string): Promise<{ server: HttpServer; url: string }> {
  const server = createServer((_req, res) => {
    void (async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      const upstream = await fetch(`${fakeBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'relay' }] }),
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of upstream.body ?? []) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (!line.startsWith('data: {')) continue;
          const content = (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content;
          if (content) res.write(`event: delta\ndata: ${JSON.stringify({ kind: 'response', text: content })}\n\n`);
        }
      }
      res.end('event: end\ndata: {}\n\n');
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/relay` };
}

export interface StreamLatencyResult {
  tokensPerTurn: number;
  intervalMs: number;
  turns: number;
  latency: Distribution;
  /** The bare relay's latency over as many tokens (same run, same client). */
  relay: Distribution;
  relayInOrderOnce: boolean;
  inbound: Distribution;
  outbound: Distribution;
  /** The server process's event-loop delay during the turns (perf_hooks histogram, ms). */
  serverLoopDelay: { p50: number; p99: number; max: number };
  stalls: ReturnType<StallMonitor['stop']>;
  /** Linux CPU pressure (PSI "some", avg60, %) after the turns: time runnable tasks waited for a CPU. */
  cpuPressure: number | null;
  /** Tokens whose added latency was over 10 ms, and how many of them were delayed mostly on the inbound side. */
  slow: number;
  slowInbound: number;
  /** The ten slowest tokens: which turn and position, and where they waited. */
  worst: { token: string; totalMs: number; inboundMs: number; outboundMs: number }[];
  allInOrderOnce: boolean;
  missing: number;
  deltaFrames: number;
  emitGapMeanMs: number;
  loadAverage: [number, number];
}

export async function benchStreamLatency({ tokensPerTurn = 500, intervalMs = 10, turns = 3 } = {}): Promise<StreamLatencyResult> {
  const loadBefore = loadavg()[0] ?? 0;
  const child = forkHelper('stream-latency-client.ts', [String(tokensPerTurn), String(intervalMs), String(turns)]);
  const dbRoot = await mkdtemp(join(tmpdir(), 'chitchats-bench-stream-'));
  let server: Awaited<ReturnType<typeof startInProcessServer>> | null = null;
  let relay: HttpServer | null = null;
  try {
    const { baseUrl } = await nextMessage<{ type: 'fake'; baseUrl: string }>(child, 'fake', 60_000);
    server = await startInProcessServer({
      database: await createBenchDatabase('pglite', dbRoot),
      listen: true,
      env: { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'bench-key', OPENAI_MODEL: 'fake-model', DEFAULT_PROVIDER: 'openai' },
    });
    const agent = await server.call<{ id: number }>('POST', '/agents', { name: 'Narrator', in_a_nutshell: 'Narrator tells long stories.' });
    const room = await server.call<{ id: number }>('POST', '/rooms', { name: 'Stream latency room' });
    await server.call('POST', `/rooms/${room.id}/agents/${agent.id}`);

    const published = new Map<string, number>();
    const stopListening = server.server.bus.subscribe(room.id, (event) => {
      if (event.type !== 'delta') return;
      const at = nowMs();
      for (const token of event.data.text.match(/w\d+x\d+ /g) ?? []) published.set(token, at);
    });
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const stallMonitor = monitorStalls();
    const bare = await startRelay(baseUrl);
    relay = bare.server;
    const go: StreamLatencyGo = { type: 'go', base: server.base, token: server.token, roomId: room.id, relayUrl: bare.url };
    child.send(go);
    const report = await nextMessage<StreamLatencyReport>(child, 'result', 120_000);
    loop.disable();
    const stalls = stallMonitor.stop();
    stopListening();

    const latencies = report.server.samples.map(([, emitted, arrived]) => arrived - emitted);
    const inbound: number[] = [];
    const outbound: number[] = [];
    let slow = 0;
    let slowInbound = 0;
    const split: StreamLatencyResult['worst'] = [];
    for (const [token, emitted, arrived] of report.server.samples) {
      const at = published.get(token);
      if (at === undefined) continue;
      inbound.push(at - emitted);
      split.push({ token: token.trim(), totalMs: arrived - emitted, inboundMs: at - emitted, outboundMs: arrived - at });
      outbound.push(arrived - at);
      if (arrived - emitted > 10) {
        slow += 1;
        if (at - emitted > arrived - at) slowInbound += 1;
      }
    }
    return {
      tokensPerTurn,
      intervalMs,
      turns,
      latency: distribution(latencies),
      relay: distribution(report.relay.samples.map(([, emitted, arrived]) => arrived - emitted)),
      relayInOrderOnce: report.relay.perTurn.every((turn) => turn.inOrderOnce && turn.missing === 0),
      inbound: distribution(inbound),
      outbound: distribution(outbound),
      serverLoopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      stalls,
      cpuPressure: cpuPressure()?.avg60 ?? null,
      slow,
      slowInbound,
      worst: split.sort((a, b) => b.totalMs - a.totalMs).slice(0, 10),
      allInOrderOnce: report.server.perTurn.every((turn) => turn.inOrderOnce),
      missing: report.server.perTurn.reduce((sum, turn) => sum + turn.missing, 0),
      deltaFrames: report.server.perTurn.reduce((sum, turn) => sum + turn.deltas, 0),
      emitGapMeanMs: report.server.perTurn.reduce((sum, turn) => sum + turn.emitGapMeanMs, 0) / Math.max(1, report.server.perTurn.length),
      loadAverage: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    if (child.exitCode === null) child.kill();
    relay?.closeAllConnections();
    relay?.close();
    await server?.close();
    await rm(dbRoot, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchStreamLatency());
}
