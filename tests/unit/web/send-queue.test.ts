import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/models.js';
import type { ApiResult } from '../../../src/web/connection/api-result.js';
import type { OutboxEntry } from '../../../src/web/send/outbox.js';
import { createSendQueue } from '../../../src/web/send/send-queue.js';
import type { SendRequest } from '../../../src/web/send/send-request.js';
import { createTimelineStore } from '../../../src/web/timeline/timeline-store.js';
import { message, ROOM_ID, sendBody, userMessage } from './helpers/fixtures.js';
import { createFakeClock, settle } from './helpers/fake-clock.js';
import { createManualScheduler } from './helpers/manual-scheduler.js';

type SendAnswer = ApiResult<Message> | Promise<ApiResult<Message>>;

const failure = (status: number | null, retryAfterMs: number | null = null) => ({ ok: false as const, status, retryAfterMs });

/** A server that stores what it accepts, so polls and answers agree with each other. */
function setup() {
  const clock = createFakeClock(50_000);
  const store = createTimelineStore({ scheduler: createManualScheduler(), now: clock.now });
  store.open(ROOM_ID);
  store.dispatch(ROOM_ID, { type: 'pageLoaded', which: 'newest', messages: [message(1), message(2)], limit: 200 });
  let nextId = 3;
  const stored: Message[] = [];
  const posts: SendRequest[] = [];
  const polls: (number | null)[] = [];
  /** Scripted answers for the next POSTs; when none is scripted, the message is stored and returned. */
  const script: (SendAnswer | 'store-then-fail')[] = [];
  const outboxes: OutboxEntry[][] = [];
  let online = true;
  let sessionExpired = 0;
  let ids = 0;
  const store200 = (body: SendRequest): Message => {
    const saved = userMessage(nextId++, body.content);
    stored.push(saved);
    return saved;
  };
  const queue = createSendQueue({
    api: {
      send: async (_room, body) => {
        posts.push(body);
        const next = script.shift();
        if (next === undefined) return { ok: true, value: store200(body) };
        if (next === 'store-then-fail') {
          store200(body);
          return failure(null);
        }
        return next;
      },
      poll: async (_room, sinceId) => {
        polls.push(sinceId);
        return { ok: true, value: stored.filter((held) => held.id > (sinceId ?? 0)) };
      },
    },
    timeline: store,
    timers: clock.timers,
    now: clock.now,
    newId: () => `local-${++ids}`,
    isOnline: () => online,
    saveOutbox: (_room, entries) => outboxes.push([...entries]),
    onSessionExpired: () => (sessionExpired += 1),
  });
  return {
    clock,
    store,
    queue,
    posts,
    polls,
    script,
    outboxes,
    stored,
    setOnline: (value: boolean) => (online = value),
    get sessionExpired() {
      return sessionExpired;
    },
    pending: () => store.getSnapshot(ROOM_ID).pending,
    messageIds: () => store.getSnapshot(ROOM_ID).messages.map((held) => held.id),
  };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('send queue: sending', () => {
  it('shows the send at once and replaces it with the stored message', async () => {
    const h = setup();
    h.queue.submit(ROOM_ID, sendBody('hi'));
    expect(h.pending().map((item) => item.status)).toEqual(['sending']);
    await settle();
    expect(h.pending()).toEqual([]);
    expect(h.messageIds()).toEqual([1, 2, 3]);
    expect(h.posts).toEqual([sendBody('hi')]);
  });

  it('sends one POST at a time per room, in order, the later ones waiting as queued', async () => {
    const h = setup();
    const first = deferred<ApiResult<Message>>();
    h.script.push(first.promise);
    h.queue.submit(ROOM_ID, sendBody('one'));
    h.clock.advance(0);
    h.queue.submit(ROOM_ID, sendBody('two'));
    h.queue.submit(ROOM_ID, sendBody('three'));
    await settle();
    expect(h.pending().map((item) => item.status)).toEqual(['sending', 'queued', 'queued']);
    first.resolve({ ok: true, value: userMessage(3, 'one') });
    await settle();
    expect(h.posts.map((body) => body.content)).toEqual(['one', 'two', 'three']);
    expect(h.pending()).toEqual([]);
  });

  it('makes one message of a double click', async () => {
    const h = setup();
    const first = h.queue.submit(ROOM_ID, sendBody('hi'));
    const second = h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(second).toBe(first);
    expect(h.posts).toHaveLength(1);
  });

  it('sends the same text twice when the user really sends it twice', async () => {
    const h = setup();
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await h.clock.advance(1_500);
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.posts).toHaveLength(2);
  });

  it('lets a stream confirmation and the POST answer meet without a duplicate', async () => {
    const h = setup();
    const answer = deferred<ApiResult<Message>>();
    h.script.push(answer.promise);
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    h.store.dispatch(ROOM_ID, { type: 'message', message: userMessage(3, 'hi'), at: 0 });
    expect(h.pending()).toEqual([]);
    answer.resolve({ ok: true, value: userMessage(3, 'hi') });
    await settle();
    expect(h.messageIds()).toEqual([1, 2, 3]);
  });

  it('writes the send to the outbox without its image and clears it when stored', async () => {
    const h = setup();
    h.queue.submit(ROOM_ID, sendBody('look', { image_data: 'AAAA', image_media_type: 'image/png' }));
    expect(h.outboxes[0]?.[0]).toMatchObject({ body: sendBody('look'), hadImage: true });
    await settle();
    expect(h.outboxes[h.outboxes.length - 1]).toEqual([]);
  });
});

describe('send queue: failures', () => {
  it('confirms a send the server stored despite a network error, without sending it again', async () => {
    const h = setup();
    h.script.push('store-then-fail');
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.polls).toEqual([2]);
    expect(h.posts).toHaveLength(1);
    expect(h.pending()).toEqual([]);
    expect(h.messageIds()).toEqual([1, 2, 3]);
  });

  it('retries once after 2 s when the message was not stored', async () => {
    const h = setup();
    h.script.push(failure(503));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.pending()[0]?.status).toBe('sending');
    await h.clock.advance(1_999);
    expect(h.posts).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.posts).toHaveLength(2);
    expect(h.pending()).toEqual([]);
  });

  it('marks the send failed when the retry fails too, keeping its outcome unknown', async () => {
    const h = setup();
    h.script.push(failure(null), failure(502));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await h.clock.advance(2_000);
    expect(h.pending()[0]).toMatchObject({ status: 'failed', error: { reason: 'server' }, outcomeUnknown: true });
    expect(h.polls).toHaveLength(2);
  });

  it('retries a 429 after Retry-After when that is 10 s or less', async () => {
    const h = setup();
    h.script.push(failure(429, 5_000));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await h.clock.advance(4_999);
    expect(h.posts).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.posts).toHaveLength(2);
  });

  it('fails a 429 at once when Retry-After is longer than 10 s', async () => {
    const h = setup();
    h.script.push(failure(429, 30_000));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.pending()[0]).toMatchObject({ status: 'failed', error: { reason: 'rate_limited' }, outcomeUnknown: false });
  });

  it.each([413, 415, 422, 403])('fails a %s at once without polling or retrying', async (status) => {
    const h = setup();
    h.script.push(failure(status));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await h.clock.advance(10_000);
    expect(h.pending()[0]?.status).toBe('failed');
    expect(h.posts).toHaveLength(1);
    expect(h.polls).toEqual([]);
  });

  it('sends the next item after one fails', async () => {
    const h = setup();
    h.script.push(failure(422));
    h.queue.submit(ROOM_ID, sendBody('bad'));
    h.queue.submit(ROOM_ID, sendBody('good'));
    await settle();
    expect(h.posts.map((body) => body.content)).toEqual(['bad', 'good']);
  });

  it('holds a send through a 401 and sends it after the next login', async () => {
    const h = setup();
    h.script.push(failure(401));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.sessionExpired).toBe(1);
    expect(h.pending()[0]?.status).toBe('queued');
    h.queue.submit(ROOM_ID, sendBody('later'));
    await settle();
    expect(h.posts).toHaveLength(1);
    h.queue.sessionRestored();
    await settle();
    expect(h.posts.map((body) => body.content)).toEqual(['hi', 'hi', 'later']);
    expect(h.pending()).toEqual([]);
  });
});

describe('send queue: failed rows', () => {
  async function failed(h: ReturnType<typeof setup>) {
    h.script.push(failure(422));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    const item = h.pending()[0];
    if (item?.status !== 'failed') throw new Error('expected a failed send');
    return item;
  }

  it('sends a failed item again on Retry', async () => {
    const h = setup();
    const item = await failed(h);
    h.queue.retry(ROOM_ID, item.localId);
    await settle();
    expect(h.posts).toHaveLength(2);
    expect(h.pending()).toEqual([]);
  });

  it('checks whether an item with an unknown outcome was stored before retrying it', async () => {
    const h = setup();
    h.script.push(failure(null), failure(null));
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await h.clock.advance(2_000);
    const item = h.pending()[0];
    expect(item).toMatchObject({ status: 'failed', outcomeUnknown: true });
    // Stored by the server meanwhile (the answer was lost): Retry must confirm it, not send it again.
    h.stored.push(userMessage(3, 'hi'));
    h.queue.retry(ROOM_ID, item?.localId ?? '');
    await settle();
    expect(h.posts).toHaveLength(2);
    expect(h.pending()).toEqual([]);
  });

  it('discards a failed item and brings it back on Undo', async () => {
    const h = setup();
    const item = await failed(h);
    const discarded = h.queue.discard(ROOM_ID, item.localId);
    expect(h.pending()).toEqual([]);
    expect(h.outboxes[h.outboxes.length - 1]).toEqual([]);
    if (discarded === null) throw new Error('expected the discarded item');
    h.queue.undoDiscard(ROOM_ID, discarded);
    expect(h.pending()).toEqual([item]);
  });

  it('does not discard a send whose POST is in flight', async () => {
    const h = setup();
    h.script.push(deferred<ApiResult<Message>>().promise);
    const localId = h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.queue.discard(ROOM_ID, localId)).toBeNull();
  });
});

describe('send queue: offline', () => {
  it('waits for the connection and sends on the online event', async () => {
    const h = setup();
    h.setOnline(false);
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    expect(h.pending()[0]?.status).toBe('waiting');
    expect(h.posts).toEqual([]);
    h.setOnline(true);
    h.queue.online();
    await settle();
    expect(h.pending()).toEqual([]);
  });

  it('waits instead of failing when the network drops during the POST, checking first when back', async () => {
    const h = setup();
    const answer = deferred<ApiResult<Message>>();
    h.script.push(answer.promise);
    h.queue.submit(ROOM_ID, sendBody('hi'));
    await settle();
    h.setOnline(false);
    answer.resolve(failure(null));
    await settle();
    expect(h.pending()[0]).toMatchObject({ status: 'waiting', outcomeUnknown: true });
    h.setOnline(true);
    h.queue.online();
    await settle();
    expect(h.polls).toEqual([2]);
    expect(h.posts).toHaveLength(2);
    expect(h.pending()).toEqual([]);
  });
});
