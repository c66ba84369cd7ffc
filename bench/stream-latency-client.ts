import { ServerResponse } from 'node:http';
import { startFakeOpenAiServer } from '../tests/fakes/openai-chat-server.js';
import { openSse, postJson, type SseFrame } from './sse-client.js';
import { nowMs } from './support.js';

/**
 * Child process of bench/stream-latency.ts: the fake model (tests/fakes/openai-chat-server.ts) and the SSE client
 * live here, so a token's emission and its arrival are stamped in one process, while the server under test runs
 * in the parent. Emission = the moment the fake hands the chunk carrying the token to its socket.
 *
 * Odd turns go through the real server (send a message, read `delta` events on the room's stream); even turns go
 * through the parent's bare relay (one fetch of the fake, each content chunk re-sent as an SSE event), the same-run
 * baseline for what two local socket hops and the machine's scheduling cost by themselves. Alternating them lets
 * both sample the same background load.
 */

export interface StreamLatencyGo {
  type: 'go';
  base: string;
  token: string;
  roomId: number;
  relayUrl: string;
}

export interface TurnSamples {
  /** Per token: the token, its emission by the fake and its arrival at the SSE client (nowMs). */
  samples: [string, number, number][];
  perTurn: { tokens: number; deltas: number; inOrderOnce: boolean; missing: number; emitGapMeanMs: number }[];
}

export interface StreamLatencyReport {
  type: 'result';
  server: TurnSamples;
  relay: TurnSamples;
}

const tokensPerTurn = Number(process.argv[2] ?? 500);
const intervalMs = Number(process.argv[3] ?? 10);
const turns = Number(process.argv[4] ?? 3);
const TOKEN = /w\d+x\d+ /g;
const tokenText = (turn: number, index: number) => `w${turn}x${String(index).padStart(4, '0')} `;

const emitted = new Map<string, number>();
const originalWrite = ServerResponse.prototype.write;
ServerResponse.prototype.write = function write(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  if (typeof chunk === 'string' && chunk.includes('"content":"w')) {
    const at = nowMs();
    for (const token of chunk.match(TOKEN) ?? []) emitted.set(token, at);
  }
  return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof originalWrite;

const fake = await startFakeOpenAiServer();
for (let turn = 1; turn <= 2 * turns; turn += 1) {
  fake.enqueue({
    steps: Array.from({ length: tokensPerTurn }, (_, index) => ({ kind: 'text' as const, text: tokenText(turn, index), delayMs: intervalMs })),
  });
}
process.send?.({ type: 'fake', baseUrl: fake.baseUrl });

const go = await new Promise<StreamLatencyGo>((resolveGo) => {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'go') resolveGo(message as StreamLatencyGo);
  });
});

let waiter: (() => void) | null = null;
const until = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = nowMs() + timeoutMs;
  while (!check()) {
    if (nowMs() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolveWait) => {
      waiter = resolveWait;
      setTimeout(resolveWait, 100);
    });
    waiter = null;
  }
};

function collect(turn: number, deltas: SseFrame[], into: TurnSamples): void {
  let text = '';
  const seen = new Set<string>();
  for (const frame of deltas) {
    const data = JSON.parse(frame.data) as { kind: string; text: string };
    if (data.kind !== 'response') continue;
    text += data.text;
    for (const token of data.text.match(TOKEN) ?? []) {
      seen.add(token);
      const at = emitted.get(token);
      if (at !== undefined) into.samples.push([token, at, frame.at]);
    }
  }
  const expected = Array.from({ length: tokensPerTurn }, (_, index) => tokenText(turn, index)).join('');
  const times = Array.from({ length: tokensPerTurn }, (_, index) => emitted.get(tokenText(turn, index)) ?? Number.NaN);
  const gaps = times.slice(1).map((value, index) => value - (times[index] ?? value));
  into.perTurn.push({
    tokens: seen.size,
    deltas: deltas.length,
    inOrderOnce: text === expected,
    missing: tokensPerTurn - seen.size,
    emitGapMeanMs: gaps.reduce((sum, gap) => sum + gap, 0) / Math.max(1, gaps.length),
  });
}

const headers = { 'x-api-key': go.token };
const frames: SseFrame[] = [];
const connection = openSse(`${go.base}/rooms/${go.roomId}/events`, headers, (frame) => {
  frames.push(frame);
  waiter?.();
});
await connection.opened;
await until(() => frames.some((frame) => frame.event === 'snapshot'), 10_000, 'the snapshot');
const server: TurnSamples = { samples: [], perTurn: [] };
const relay: TurnSamples = { samples: [], perTurn: [] };
for (let turn = 1; turn <= 2 * turns; turn += 1) {
  if (turn % 2 === 1) {
    // Through the server.
    const from = frames.length;
    await postJson(`${go.base}/rooms/${go.roomId}/messages/send`, headers, { content: `Turn ${turn}: tell the story again, please.` });
    await until(() => frames.slice(from).some((frame) => frame.event === 'agent_end'), 60_000, `agent_end of turn ${turn}`);
    collect(turn, frames.slice(from).filter((frame) => frame.event === 'delta'), server);
  } else {
    // Through the bare relay.
    const relayed: SseFrame[] = [];
    const stream = openSse(go.relayUrl, {}, (frame) => {
      relayed.push(frame);
      waiter?.();
    });
    await stream.opened;
    await until(() => relayed.some((frame) => frame.event === 'end'), 60_000, `the end of relay turn ${turn}`);
    stream.close();
    collect(turn, relayed.filter((frame) => frame.event === 'delta'), relay);
  }
}
connection.close();

await fake.close();
const report: StreamLatencyReport = { type: 'result', server, relay };
process.send?.(report, () => process.exit(0));
