import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, SimulateError } from '../../../src/server/cli/simulate-api.js';
import { startRoomFeed, type FeedEvent } from '../../../src/server/cli/simulate-feed.js';
import { waitFor } from '../../helpers/wait-for.js';
import { reply } from './simulate-fixtures.js';

/**
 * The room feed against a scripted HTTP edge: `fetch` answers the events route with a crafted event stream and
 * the poll route with JSON, the way the server frames them (api.md §8.2, §9.3).
 */

const ROOM = { id: 1, name: 'R', max_interactions: 9, is_paused: false, is_finished: false, default_provider: 'openai', default_model: null, agents: [] };
const encoder = new TextEncoder();

const messageFrame = (id: number) => `event: message\nid: ${id}\ndata: ${JSON.stringify(reply(1, 'Mira', `m${id}`, { id }))}\n\n`;
const snapshotFrame = `retry: 20\n\nevent: snapshot\ndata: ${JSON.stringify({ room_id: 1, room: ROOM, last_message_id: null, replay_truncated: false, generating: [] })}\n\n`;

/** An event-stream answer; `open` keeps it open until the request is aborted. */
function streamResponse(text: string, signal: AbortSignal | null | undefined, open = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text));
      if (!open) return controller.close();
      signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Edge {
  /** Answers the n-th request to the events route (0-based) with its Last-Event-ID header. */
  events: (n: number, lastEventId: string | null, signal: AbortSignal | null | undefined) => Response;
  /** Answers a poll with its since_id. */
  poll: (sinceId: number) => unknown[];
}

function run(edge: Edge) {
  const received: FeedEvent[] = [];
  const lastEventIds: (string | null)[] = [];
  const stop = new AbortController();
  const fetchFake: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/events')) {
      const lastEventId = new Headers(init?.headers).get('last-event-id');
      lastEventIds.push(lastEventId);
      return edge.events(lastEventIds.length - 1, lastEventId, init?.signal);
    }
    if (url.pathname.endsWith('/messages/poll')) return json(edge.poll(Number(url.searchParams.get('since_id'))));
    if (url.pathname === '/rooms/1') return json(ROOM);
    return json({ detail: 'Not Found' }, 404);
  };
  const api = createApiClient({ baseUrl: 'http://server.test', fetch: fetchFake });
  api.useToken('jwt');
  const feed = startRoomFeed({ api, roomId: 1, onEvent: (event) => received.push(event), signal: stop.signal, pollIntervalMs: 5 });
  stops.push(() => stop.abort());
  const messageIds = () => received.flatMap((event) => (event.type === 'message' ? [event.data.id] : []));
  const transports = () => received.flatMap((event) => (event.type === 'transport' ? [event.data.mode] : []));
  return { feed, stop, messageIds, transports, lastEventIds };
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('startRoomFeed', () => {
  it('resumes from the last message id after a drop, polling in between, and delivers each message once', async () => {
    const stored = [1, 2, 3, 4];
    const { feed, stop, messageIds, transports, lastEventIds } = run({
      events: (n, lastEventId, signal) => {
        if (n === 0) return streamResponse(snapshotFrame + messageFrame(1) + messageFrame(2), signal);
        // The replay repeats what polling already delivered, then the stream stays open.
        const replay = stored.filter((id) => id > Number(lastEventId)).map(messageFrame).join('');
        return streamResponse(snapshotFrame + messageFrame(3) + replay, signal, true);
      },
      poll: (sinceId) => stored.filter((id) => id > sinceId && id <= 3).map((id) => reply(1, 'Mira', `m${id}`, { id })),
    });
    expect(await feed.opened).toBe('stream');
    await waitFor(() => messageIds().length === 4 && transports().length === 3, { timeoutMs: 5000, what: 'four messages' });
    expect(messageIds()).toEqual([1, 2, 3, 4]);
    expect(transports()).toEqual(['stream', 'polling', 'stream']);
    expect(lastEventIds).toEqual(['0', '3']);
    stop.abort();
    await feed.done;
  });

  it('polls every interval when the stream is refused', async () => {
    const stored = [1, 2];
    let polls = 0;
    const { feed, stop, messageIds, transports } = run({
      events: () => json({ detail: 'Too many open event streams' }, 429),
      poll: (sinceId) => {
        polls += 1;
        if (polls === 3) stored.push(3);
        return stored.filter((id) => id > sinceId).map((id) => reply(1, 'Mira', `m${id}`, { id }));
      },
    });
    expect(await feed.opened).toBe('polling');
    await waitFor(() => messageIds().length === 3, { timeoutMs: 5000, what: 'three messages' });
    expect(messageIds()).toEqual([1, 2, 3]);
    expect(transports()).toEqual(['polling']);
    stop.abort();
    await feed.done;
  });

  it('shows a message that arrives after a higher id, and every message once', async () => {
    const { feed, stop, messageIds } = run({
      events: (_n, _id, signal) => streamResponse(snapshotFrame + messageFrame(2) + messageFrame(1) + messageFrame(2), signal, true),
      poll: () => [],
    });
    await waitFor(() => messageIds().length === 2, { timeoutMs: 5000, what: 'both messages' });
    expect(messageIds()).toEqual([2, 1]);
    stop.abort();
    await feed.done;
  });

  it('fails with exit code 2 when the stream refuses the credential', async () => {
    const { feed } = run({ events: () => json({ detail: 'Invalid or missing authentication token' }, 401), poll: () => [] });
    const failure = await feed.done.then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(SimulateError);
    expect(failure).toMatchObject({ exitCode: 2 });
  });

  it('fails with exit code 3 when the room is deleted', async () => {
    const deleted = `event: room\ndata: ${JSON.stringify({ reason: 'deleted', room: ROOM })}\n\n`;
    const { feed } = run({ events: (_n, _id, signal) => streamResponse(snapshotFrame + deleted, signal, true), poll: () => [] });
    await expect(feed.done).rejects.toMatchObject({ exitCode: 3, message: 'The room was deleted on the server' });
  });
});
