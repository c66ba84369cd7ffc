import { createSseParser, type SseFrame } from '../../shared/sse-parser.js';

/**
 * Reads a response body to its end and hands over SSE frames as they complete. The body is either what `fetch`
 * returns (`ReadableStream<Uint8Array>`, read through `getReader`) or any async iterable of bytes or text, so tests
 * and other transports can feed it without a DOM.
 */

export interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

export type ByteSource = { getReader(): ByteReader } | AsyncIterable<Uint8Array | string>;

export interface StreamReadHandlers {
  /** Any bytes arrived, including a `: ping`: the idle watchdog is fed by this. */
  onActivity(): void;
  onFrame(frame: SseFrame): void;
}

function isReadable(source: ByteSource): source is { getReader(): ByteReader } {
  return 'getReader' in source;
}

async function* chunksOf(source: ByteSource, signal: AbortSignal): AsyncGenerator<Uint8Array | string> {
  if (!isReadable(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  // An abort must end a read that is waiting for bytes, not only the next one.
  const cancel = (): void => {
    reader.cancel(signal.reason).catch(() => {
      // Cancelling a stream that already failed rejects again; the read loop reports the first failure.
    });
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value !== undefined) yield value;
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}

/** Resolves when the stream ends; rejects when reading fails. Returns early (resolved) once `signal` aborts. */
export async function readSseStream(source: ByteSource, handlers: StreamReadHandlers, signal: AbortSignal): Promise<void> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const emit = (text: string): void => {
    for (const frame of parser.push(text)) {
      if (signal.aborted) return;
      handlers.onFrame(frame);
    }
  };
  try {
    for await (const chunk of chunksOf(source, signal)) {
      if (signal.aborted) return;
      handlers.onActivity();
      emit(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!signal.aborted) emit(decoder.decode());
}
