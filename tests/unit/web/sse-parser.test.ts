import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseFrame } from '../../../src/shared/sse-parser.js';

function parse(...chunks: string[]): SseFrame[] {
  const parser = createSseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('createSseParser', () => {
  it('frames an event with its name, data and id', () => {
    expect(parse('event: message\nid: 42\ndata: {"id":42}\n\n')).toEqual([
      { kind: 'event', event: 'message', data: '{"id":42}', id: '42' },
    ]);
  });

  it('joins several data lines with newlines', () => {
    expect(parse('event: x\ndata: one\ndata: two\ndata:\n\n')).toEqual([
      { kind: 'event', event: 'x', data: 'one\ntwo\n', id: null },
    ]);
  });

  it('reports comments such as the keepalive ping', () => {
    expect(parse(': ping\n\n')).toEqual([{ kind: 'comment', text: 'ping' }]);
  });

  it('accepts CRLF and bare CR line endings', () => {
    const expected = [{ kind: 'event', event: 'a', data: '1', id: null }];
    expect(parse('event: a\r\ndata: 1\r\n\r\n')).toEqual(expected);
    expect(parse('event: a\rdata: 1\r\r')).toEqual(expected);
  });

  it('completes a frame split across chunks anywhere, even between CR and LF', () => {
    expect(parse('ev', 'ent: a\r', '\ndata: 1', '\r', '\n', '\r\n')).toEqual([
      { kind: 'event', event: 'a', data: '1', id: null },
    ]);
  });

  it('does not dispatch a frame until its blank line arrives', () => {
    const parser = createSseParser();
    expect(parser.push('event: a\ndata: 1\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ kind: 'event', event: 'a', data: '1', id: null }]);
  });

  it('keeps the id of one block from leaking into the next', () => {
    expect(parse('event: message\nid: 5\ndata: a\n\nevent: delta\ndata: b\n\n').map((frame) => frame.kind === 'event' && frame.id)).toEqual([
      '5',
      null,
    ]);
  });

  it('dispatches nothing for a block without data', () => {
    expect(parse('event: a\n\n')).toEqual([]);
  });

  it("names an event without an event field 'message'", () => {
    expect(parse('data: x\n\n')).toEqual([{ kind: 'event', event: 'message', data: 'x', id: null }]);
  });

  it('reads the retry field and ignores unknown fields', () => {
    expect(parse('retry: 3000\nfoo: bar\nretry: soon\n')).toEqual([{ kind: 'retry', ms: 3000 }]);
  });

  it('treats a line without a colon as a field with an empty value', () => {
    expect(parse('data\n\n')).toEqual([{ kind: 'event', event: 'message', data: '', id: null }]);
  });

  it('keeps a value that has no space after the colon, and only strips one space', () => {
    expect(parse('data:a\ndata:  b\n\n')).toEqual([{ kind: 'event', event: 'message', data: 'a\n b', id: null }]);
  });

  it('skips a byte order mark at the start of the stream', () => {
    expect(parse('\uFEFFdata: x\n\n')).toEqual([{ kind: 'event', event: 'message', data: 'x', id: null }]);
  });

  it('ignores an id containing NUL', () => {
    expect(parse('id: a\u0000b\ndata: x\n\n')).toEqual([{ kind: 'event', event: 'message', data: 'x', id: null }]);
  });
});

const line = fc.oneof(
  fc.constantFrom(': ping', 'retry: 3000', '', 'event: message', 'event: delta', 'id: 17', 'data:', 'data'),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => `data: ${text.replace(/[\r\n]/g, '')}`),
);
const ending = fc.constantFrom('\n', '\r\n', '\r');

/** Splits `text` at the given cut points. */
function chunk(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(text.slice(start, point));
    start = point;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('createSseParser properties', () => {
  it('gives the same frames for any chunking of the same text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, ending), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (lines, cuts) => {
          const text = lines.map(([content, end]) => content + end).join('');
          expect(parse(...chunk(text, cuts))).toEqual(parse(text));
        },
      ),
    );
  });

  it('gives the same frames one character at a time', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line, ending), { maxLength: 30 }), (lines) => {
        const text = lines.map(([content, end]) => content + end).join('');
        expect(parse(...text)).toEqual(parse(text));
      }),
    );
  });
});
