import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import type { Message } from '../../../src/shared/models.js';
import { createEventStreams } from '../../../src/server/http/event-streams.js';
import { formatSseEvent, openSseStream, SSE_HEADERS } from '../../../src/server/http/sse-writer.js';

/** Just enough of a ServerResponse to watch what the writer does; `writable` false simulates a full socket. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, unknown> = {};
  chunks: string[] = [];
  writable = true;
  ended = false;
  destroyed = false;
  writeHead(status: number, headers: Record<string, unknown>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return this.writable;
  }
  end(callback?: () => void) {
    this.ended = true;
    callback?.();
    this.emit('close');
    return this;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  get text() {
    return this.chunks.join('');
  }
}

const asResponse = (fake: FakeResponse) => fake as unknown as ServerResponse;

const message = { id: 7, content: 'two\nlines' } as Message;
const ping = { type: 'message_deleted', data: { room_id: 1, message_id: 2 } } as const satisfies RoomEvent;

afterEach(() => {
  vi.useRealTimers();
});

describe('formatSseEvent', () => {
  it('gives only message events an id line and keeps data on one line', () => {
    expect(formatSseEvent({ type: 'message', data: message })).toBe(
      `id: 7\nevent: message\ndata: ${JSON.stringify(message)}\n\n`,
    );
    expect(formatSseEvent(ping)).toBe('event: message_deleted\ndata: {"room_id":1,"message_id":2}\n\n');
    expect(formatSseEvent({ type: 'message', data: message }).split('\n').filter((line) => line.startsWith('data: '))).toHaveLength(1);
  });

  it('refuses event names with CR or LF', () => {
    for (const type of ['bad\nname', 'bad\rname']) {
      expect(() => formatSseEvent({ type, data: {} } as unknown as RoomEvent)).toThrow(/one line/);
    }
  });
});

describe('openSseStream', () => {
  it('writes the stream headers over the given ones, then retry', () => {
    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), {
      heartbeatMs: 1000,
      headers: { 'content-type': 'application/json', 'Access-Control-Allow-Origin': 'http://localhost:5173', skipped: undefined },
    });
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({ ...SSE_HEADERS, 'Access-Control-Allow-Origin': 'http://localhost:5173' });
    expect(response.text).toBe('retry: 3000\n\n');
    stream.close();
  });

  it('sends a ping at each heartbeat and closes when the credential has expired', () => {
    vi.useFakeTimers();
    let authorized = true;
    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), { heartbeatMs: 15_000, stillAuthorized: () => authorized });
    vi.advanceTimersByTime(15_000);
    expect(response.chunks.at(-1)).toBe(': ping\n\n');
    authorized = false;
    vi.advanceTimersByTime(15_000);
    expect(stream.closed).toBe(true);
    expect(response.ended).toBe(true);
    expect(response.chunks.filter((chunk) => chunk === ': ping\n\n')).toHaveLength(1);
  });

  it('runs cleanups once and stops the heartbeat when the client goes away', () => {
    vi.useFakeTimers();
    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), { heartbeatMs: 10 });
    const cleanup = vi.fn();
    stream.onClose(cleanup);
    response.emit('close');
    response.emit('close');
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(stream.send(ping)).toBe(false);
    const written = response.chunks.length;
    vi.advanceTimersByTime(100);
    expect(response.chunks).toHaveLength(written);
    const late = vi.fn();
    stream.onClose(late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('holds events while the socket is full, flushes them on drain, and drops a subscriber too far behind', async () => {
    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), { heartbeatMs: 1000, maxBacklog: 3 });
    response.writable = false;
    stream.send(ping); // accepted by the socket, which now reports it is full
    stream.send(ping);
    stream.send(ping);
    expect(response.chunks).toHaveLength(2);
    response.writable = true;
    response.emit('drain');
    expect(response.chunks).toHaveLength(4);

    response.writable = false;
    stream.send(ping);
    for (let i = 0; i < 4; i++) stream.send(ping);
    expect(response.destroyed).toBe(true);
    expect(stream.closed).toBe(true);
    await stream.done;
  });

  it('flushes held events before ending on close', () => {
    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), { heartbeatMs: 1000 });
    response.writable = false;
    stream.send(ping);
    stream.send({ type: 'shutdown', data: { reason: 'server_shutdown' } });
    stream.close();
    expect(response.text.endsWith('event: shutdown\ndata: {"reason":"server_shutdown"}\n\n')).toBe(true);
    expect(response.ended).toBe(true);
  });
});

describe('createEventStreams', () => {
  it('caps streams per user and says shutdown to every open stream', () => {
    const streams = createEventStreams({ maxPerUser: 2 });
    expect(streams.tryReserve('u')).toBe(true);
    expect(streams.tryReserve('u')).toBe(true);
    expect(streams.tryReserve('u')).toBe(false);
    expect(streams.tryReserve('v')).toBe(true);
    streams.release('u');
    expect(streams.tryReserve('u')).toBe(true);

    const response = new FakeResponse();
    const stream = openSseStream(asResponse(response), { heartbeatMs: 1000 });
    streams.track(stream);
    expect(streams.openCount()).toBe(1);
    streams.shutdown();
    expect(response.text.endsWith('event: shutdown\ndata: {"reason":"server_shutdown"}\n\n')).toBe(true);
    expect(stream.closed).toBe(true);
    expect(streams.openCount()).toBe(0);

    const late = new FakeResponse();
    const lateStream = openSseStream(asResponse(late), { heartbeatMs: 1000 });
    streams.track(lateStream);
    expect(lateStream.closed).toBe(true);
    expect(late.text).toContain('event: shutdown');
  });
});
