/**
 * An incremental `text/event-stream` parser (WHATWG HTML, "event stream interpretation"). The UI and the simulate
 * CLI read the stream with `fetch` rather than `EventSource` (they send headers it cannot), so they frame the text
 * themselves. Chunks may split anywhere,
 * including inside a field name or between the CR and LF of one line ending.
 */

export type SseFrame =
  /** `id` is the `id:` field of this event's own block, or null (api.md §9.3: only `message` events carry one). */
  | { kind: 'event'; event: string; data: string; id: string | null }
  | { kind: 'comment'; text: string }
  /** Parsed for completeness; the UI ignores the server's hint and keeps its own backoff (ui.md §3.3). */
  | { kind: 'retry'; ms: number };

export interface SseParser {
  /** Feeds decoded text; returns the frames it completed, in order. */
  push(text: string): SseFrame[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let atStart = true;
  /** The previous chunk ended in CR, so a LF opening the next one ends the same line. */
  let afterCr = false;
  let eventName = '';
  let dataLines: string[] = [];
  let hasData = false;
  let id: string | null = null;

  function dispatch(out: SseFrame[]): void {
    // A block without data lines dispatches nothing (the spec's "data buffer is empty" rule).
    if (hasData) out.push({ kind: 'event', event: eventName === '' ? 'message' : eventName, data: dataLines.join('\n'), id });
    eventName = '';
    dataLines = [];
    hasData = false;
    id = null;
  }

  function processLine(line: string, out: SseFrame[]): void {
    if (line === '') return dispatch(out);
    if (line.startsWith(':')) {
      out.push({ kind: 'comment', text: line.slice(1).replace(/^ /, '') });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    switch (field) {
      case 'event':
        eventName = value;
        return;
      case 'data':
        dataLines.push(value);
        hasData = true;
        return;
      case 'id':
        if (!value.includes('\u0000')) id = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) out.push({ kind: 'retry', ms: Number(value) });
        return;
      default:
        // Unknown fields are ignored, as the standard says.
        return;
    }
  }

  return {
    push(text) {
      const out: SseFrame[] = [];
      let chunk = text;
      if (atStart && chunk.length > 0) {
        atStart = false;
        if (chunk.startsWith('\uFEFF')) chunk = chunk.slice(1);
      }
      if (afterCr && chunk.length > 0) {
        if (chunk.startsWith('\n')) chunk = chunk.slice(1);
        afterCr = false;
      }
      buffer += chunk;
      let lineStart = 0;
      for (let index = 0; index < buffer.length; index += 1) {
        const char = buffer[index];
        if (char !== '\n' && char !== '\r') continue;
        const line = buffer.slice(lineStart, index);
        if (char === '\r') {
          if (index + 1 === buffer.length) afterCr = true;
          else if (buffer[index + 1] === '\n') index += 1;
        }
        processLine(line, out);
        lineStart = index + 1;
      }
      buffer = buffer.slice(lineStart);
      return out;
    },
  };
}
