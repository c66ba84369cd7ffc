import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/models.js';
import type { ApiResult } from '../../../src/web/connection/api-result.js';
import { fillGap } from '../../../src/web/connection/gap-fill.js';
import { message } from './helpers/fixtures.js';

function server(ids: readonly number[]) {
  const calls: number[] = [];
  const received: number[] = [];
  return {
    calls,
    received,
    deps: {
      poll: async (sinceId: number): Promise<ApiResult<readonly Message[]>> => {
        calls.push(sinceId);
        return { ok: true, value: ids.filter((id) => id > sinceId).slice(0, 100).map((id) => message(id)) };
      },
      onMessages: (messages: readonly Message[]) => received.push(...messages.map((held) => held.id)),
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('fillGap', () => {
  it('walks the gap 100 messages at a time until it reaches the target', async () => {
    const fake = server(range(1, 400));
    const result = await fillGap({ sinceId: 50, targetId: 250 }, fake.deps, new AbortController().signal);
    expect(result).toEqual({ kind: 'caught_up' });
    expect(fake.calls).toEqual([50, 150]);
  });

  it('stops when a short page shows nothing more exists', async () => {
    const fake = server(range(1, 120));
    expect(await fillGap({ sinceId: 100, targetId: 130 }, fake.deps, new AbortController().signal)).toEqual({
      kind: 'caught_up',
    });
    expect(fake.received).toEqual(range(101, 120));
  });

  it('gives up after ten calls', async () => {
    const fake = server(range(1, 5_000));
    expect(await fillGap({ sinceId: 0, targetId: 5_000 }, fake.deps, new AbortController().signal)).toEqual({
      kind: 'too_far',
    });
    expect(fake.calls).toHaveLength(10);
  });

  it('reports a failed poll', async () => {
    const failure = { ok: false as const, status: 503, retryAfterMs: null };
    const result = await fillGap(
      { sinceId: 0, targetId: 10 },
      { poll: async () => failure, onMessages: () => undefined },
      new AbortController().signal,
    );
    expect(result).toEqual({ kind: 'failed', failure });
  });

  it('stops without delivering when aborted', async () => {
    const controller = new AbortController();
    const fake = server(range(1, 50));
    const poll = fake.deps.poll;
    fake.deps.poll = async (sinceId) => {
      controller.abort();
      return poll(sinceId);
    };
    expect(await fillGap({ sinceId: 0, targetId: 50 }, fake.deps, controller.signal)).toEqual({ kind: 'aborted' });
    expect(fake.received).toEqual([]);
  });
});
