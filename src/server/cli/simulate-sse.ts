/**
 * An incremental `text/event-stream` decoder (WHATWG HTML "event stream interpretation"), so the simulate CLI can
 * read the room's events from a plain `fetch` body: it needs to send `X-API-Key` and `Last-Event-ID`, which
 * `EventSource` cannot. Chunks may split anywhere, including between the CR and LF of one line ending.
 */

export type SseFrame =
  | { kind: 'event'; event: string; data: string; id: string | null }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number };

export interface SseDecoder {
  /** Feeds decoded text; returns the frames completed by it, in order. */
  push(chunk: string): SseFrame[];
}

export function createSseDecoder(): SseDecoder {
  let buffer = '';
  let started = false;
  /** The previous chunk ended in CR: a LF opening the next chunk belongs to that line ending. */
  let pendingCr = false;
  let eventName = '';
  let dataLines: string[] = [];
  let hasData = false;
  let lastId: string | null = null;

  function dispatch(out: SseFrame[]): void {
    // An event without data lines is not dispatched (the spec's "data buffer is empty" rule).
    if (hasData) out.push({ kind: 'event', event: eventName || 'message', data: dataLines.join('\n'), id: lastId });
    eventName = '';
    dataLines = [];
    hasData = false;
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
        break;
      case 'data':
        dataLines.push(value);
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\u0000')) lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) out.push({ kind: 'retry', ms: Number(value) });
        break;
      default:
        // Unknown fields are ignored, as the spec says.
        break;
    }
  }

  return {
    push(chunk) {
      const out: SseFrame[] = [];
      let text = chunk;
      if (!started && text.length > 0) {
        started = true;
        if (text.startsWith('\uFEFF')) text = text.slice(1);
      }
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let lineStart = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        const line = buffer.slice(lineStart, i);
        if (char === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i += 1;
          } else {
            pendingCr = true;
          }
        }
        processLine(line, out);
        lineStart = i + 1;
      }
      buffer = buffer.slice(lineStart);
      return out;
    },
  };
}
