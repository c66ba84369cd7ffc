import autocannon from 'autocannon';
import Fastify from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, freePort, startServerProcess } from './support.js';

/**
 * quality.md §3 "polling": GET /rooms/{id}/messages/poll against a bare Fastify JSON route, same run, same
 * load generator. The poll rate limit is switched off so the route's own cost is measured.
 */

export interface PollingResult {
  bareRps: number;
  pollRps: number;
  ratio: number;
  pollP99Ms: number;
  messagesInRoom: number;
  pageSize: number;
  durationS: number;
  connections: number;
}

async function load(url: string, headers: Record<string, string>, durationS: number, connections: number) {
  const result = await autocannon({ url, headers, duration: durationS, connections });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return result;
}

async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.get('/bare', async () => ({ ok: true, items: [] }));
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}/bare`, close: () => app.close() };
}

export async function benchPolling({ durationS = 10, connections = 20 } = {}): Promise<PollingResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chitchats-bench-poll-'));
  const { hash } = await import('@node-rs/argon2');
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    API_KEY_HASH: await hash(ADMIN_PASSWORD),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
    RATE_LIMIT_POLL: '0',
    RATE_LIMIT_SEND: '0',
  });
  const bare = await bareServer();
  try {
    const login = await fetch(`${server.base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: ADMIN_PASSWORD }),
    });
    const { api_key: token } = (await login.json()) as { api_key: string };
    const headers = { 'x-api-key': token, 'content-type': 'application/json' };
    const room = (await (
      await fetch(`${server.base}/rooms`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench room', is_paused: true }) })
    ).json()) as { id: number };
    const messagesInRoom = 200;
    let lastId = 0;
    for (let i = 0; i < messagesInRoom; i += 1) {
      const sent = (await (
        await fetch(`${server.base}/rooms/${room.id}/messages/send`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ content: `Message number ${i}: the tide is coming in and the café is warm.` }),
        })
      ).json()) as { id: number };
      lastId = sent.id;
    }
    // A client that is 10 messages behind, the common case for a 2 s poll.
    const pageSize = 10;
    const pollUrl = `${server.base}/rooms/${room.id}/messages/poll?since_id=${lastId - pageSize}`;
    await load(bare.url, {}, 2, connections); // warm-up
    await load(pollUrl, { 'x-api-key': token }, 2, connections);
    const bareRun = await load(bare.url, {}, durationS, connections);
    const pollRun = await load(pollUrl, { 'x-api-key': token }, durationS, connections);
    return {
      bareRps: bareRun.requests.average,
      pollRps: pollRun.requests.average,
      ratio: pollRun.requests.average / bareRun.requests.average,
      pollP99Ms: pollRun.latency.p99,
      messagesInRoom,
      pageSize,
      durationS,
      connections,
    };
  } finally {
    await bare.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
