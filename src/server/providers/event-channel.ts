/**
 * A single-consumer async queue: the turn runner pushes provider events while the engine iterates them. Stopping
 * the iteration early (break/return) calls `onCancel`, so an abandoned turn does not keep streaming.
 */
export interface EventChannel<T> {
  push(value: T): void;
  end(): void;
  iterable: AsyncIterable<T>;
}

export function createEventChannel<T>(onCancel: () => void): EventChannel<T> {
  const buffer: T[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  return {
    push(value) {
      if (ended) return;
      buffer.push(value);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        let finished = false;
        try {
          for (;;) {
            const next = buffer.shift();
            if (next !== undefined) {
              yield next;
              continue;
            }
            if (ended) {
              finished = true;
              return;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        } finally {
          if (!finished) onCancel();
        }
      },
    },
  };
}
