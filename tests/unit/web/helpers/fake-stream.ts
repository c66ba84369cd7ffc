import type { StreamRequest, StreamResponse } from '../../../../src/web/connection/connection-runner.js';

/** An SSE response body the test writes to, chunk by chunk. */
export function createPushableBody() {
  const queue: (string | Error | null)[] = [];
  let wake: (() => void) | null = null;
  const body: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const next = queue.shift();
        if (next === null || next === undefined) return;
        if (next instanceof Error) throw next;
        yield next;
      }
    },
  };
  const put = (item: string | Error | null): void => {
    queue.push(item);
    wake?.();
    wake = null;
  };
  return {
    body,
    write: (text: string) => put(text),
    end: () => put(null),
    fail: (error = new Error('reset')) => put(error),
  };
}

export type PushableBody = ReturnType<typeof createPushableBody>;

export function sseEvent(type: string, data: unknown, id?: number): string {
  return `event: ${type}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * A stream opener that records every request and answers each with the next scripted response: a status, or a
 * network error. A 2xx gets a fresh pushable body, reachable as `bodies[n]`.
 */
export function createStreamOpener() {
  const requests: StreamRequest[] = [];
  const bodies: PushableBody[] = [];
  const script: (number | Error | { status: number; retryAfter: string })[] = [];
  return {
    requests,
    bodies,
    /** Queues answers for the next openings; when none is queued, a 200 with a body. */
    answer(...answers: (number | Error | { status: number; retryAfter: string })[]) {
      script.push(...answers);
    },
    open: async (request: StreamRequest): Promise<StreamResponse> => {
      requests.push(request);
      const next = script.shift() ?? 200;
      if (next instanceof Error) throw next;
      const status = typeof next === 'number' ? next : next.status;
      const retryAfter = typeof next === 'number' ? null : next.retryAfter;
      const headers = { get: (name: string) => (name.toLowerCase() === 'retry-after' ? retryAfter : null) };
      if (status < 200 || status > 299) return { status, headers, body: null };
      const body = createPushableBody();
      bodies.push(body);
      request.signal.addEventListener('abort', () => body.end());
      return { status, headers, body: body.body };
    },
    get last(): PushableBody {
      const body = bodies[bodies.length - 1];
      if (body === undefined) throw new Error('no stream opened');
      return body;
    },
  };
}
