import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../../src/shared/sse-parser.js';
import { readSseStream } from '../../../src/web/connection/stream-reader.js';
import type { SseFrame } from '../../../src/shared/sse-parser.js';

const encoder = new TextEncoder();

async function* bytes(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function read(source: Parameters<typeof readSseStream>[0], signal = new AbortController().signal) {
  const frames: SseFrame[] = [];
  let activity = 0;
  await readSseStream(source, { onActivity: () => (activity += 1), onFrame: (frame) => frames.push(frame) }, signal);
  return { frames, activity };
}

describe('readSseStream', () => {
  it('decodes UTF-8 split inside a character across chunks', async () => {
    const all = encoder.encode('data: 안녕\n\n');
    const { frames } = await read(bytes(all.slice(0, 8), all.slice(8, 9), all.slice(9)));
    expect(frames).toEqual([{ kind: 'event', event: 'message', data: '안녕', id: null }]);
  });

  it('reports activity for every chunk, pings included', async () => {
    const { activity } = await read(bytes(encoder.encode(': ping\n\n'), encoder.encode(': ping\n\n')));
    expect(activity).toBe(2);
  });

  it('reads a fetch body through its reader', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('event: a\ndata: 1\n\n'));
        controller.close();
      },
    });
    const { frames } = await read(body);
    expect(frames).toEqual([{ kind: 'event', event: 'a', data: '1', id: null }]);
  });

  it('ends a read that is waiting for bytes when the signal aborts', async () => {
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(encoder.encode('data: first\n\n'));
      },
    });
    const frames: SseFrame[] = [];
    const reading = readSseStream(
      body,
      {
        onActivity: () => undefined,
        onFrame: (frame) => {
          frames.push(frame);
          controller.abort();
        },
      },
      controller.signal,
    );
    await expect(reading).resolves.toBeUndefined();
    expect(frames).toHaveLength(1);
  });

  it('rejects when the body fails', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('data: 1\n\n');
      throw new Error('connection reset');
    }
    await expect(read(broken())).rejects.toThrow('connection reset');
  });
});

describe('readSseStream properties', () => {
  const text = fc
    .array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 12 })
    .map((parts) => parts.map((part) => `event: x\ndata: ${part.replace(/[\r\n]/g, '')}\n\n`).join(': ping\r\n\r\n'));

  it('gives the same frames for any split of the bytes, even inside a character', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 10 }), async (source, cuts) => {
        const all = encoder.encode(source);
        const points = [...new Set(cuts.map((cut) => cut % (all.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let start = 0;
        for (const point of [...points, all.length]) {
          chunks.push(all.slice(start, point));
          start = point;
        }
        const { frames } = await read(bytes(...chunks));
        expect(frames).toEqual(createSseParser().push(source));
      }),
    );
  });
});
