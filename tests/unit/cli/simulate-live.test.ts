import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../../../src/server/cli/simulate-api.js';
import type { FeedEvent } from '../../../src/server/cli/simulate-feed.js';
import { createLiveView, type LiveViewOptions } from '../../../src/server/cli/simulate-live.js';
import { createProgressLine, formatElapsed, formatProgress } from '../../../src/server/cli/simulate-progress.js';
import { notice, reply, skip, topicMessage } from './simulate-fixtures.js';

function view(options: Partial<LiveViewOptions> = {}) {
  let out = '';
  const live = createLiveView({
    write: (text) => (out += text),
    streaming: false,
    color: false,
    showThinking: true,
    hideSkips: false,
    agentName: (id) => ({ 1: 'Mira', 2: 'Tobin' })[id] ?? null,
    ...options,
  });
  return {
    live,
    feed: (...events: FeedEvent[]) => events.forEach((event) => live.onEvent(event)),
    output: () => out,
  };
}

const message = (data: SimMessage): FeedEvent => ({ type: 'message', data });
const start = (turnId: string, agentId = 1): FeedEvent => ({
  type: 'agent_start',
  data: { agent_id: agentId, agent_name: agentId === 1 ? 'Mira' : 'Tobin', turn_id: turnId, attempt: 1 },
});
const delta = (turnId: string, kind: 'thinking' | 'response', text: string, agentId = 1): FeedEvent => ({
  type: 'delta',
  data: { agent_id: agentId, turn_id: turnId, kind, text },
});
const end = (turnId: string, agentId = 1): FeedEvent => ({ type: 'agent_end', data: { agent_id: agentId, turn_id: turnId, outcome: 'responded' } });

describe('createLiveView without a terminal', () => {
  it('prints each finished message as Speaker: text, thinking first, notices with !', () => {
    const { feed, output } = view();
    feed(
      message(topicMessage('A storm')),
      message(reply(1, 'Mira', 'Shutters!', { thinking: 'Wind.' })),
      message(skip(2, 'Tobin')),
      message(notice('Tobin could not respond: timeout')),
    );
    expect(output()).toBe(
      'Situation Builder: A storm\nMira (thinking): Wind.\nMira: Shutters!\n(Tobin skipped)\n! Tobin could not respond: timeout\n',
    );
  });

  it('leaves out thinking with --no-thinking and skips with --hide-skips', () => {
    const { feed, output } = view({ showThinking: false, hideSkips: true });
    feed(message(reply(1, 'Mira', 'Shutters!', { thinking: 'Wind.' })), message(skip(2, 'Tobin')));
    expect(output()).toBe('Mira: Shutters!\n');
  });

  it('ignores deltas, so piped output holds finished messages only', () => {
    const { feed, output } = view();
    feed(start('t1'), delta('t1', 'response', 'Shut'), delta('t1', 'response', 'ters!'), message(reply(1, 'Mira', 'Shutters!')), end('t1'));
    expect(output()).toBe('Mira: Shutters!\n');
  });
});

describe('createLiveView on a terminal', () => {
  it('streams a turn inline and only ends the line when the reply matches', () => {
    const { feed, output } = view({ streaming: true });
    feed(start('t1'), delta('t1', 'thinking', 'Wind'), delta('t1', 'thinking', '.'), delta('t1', 'response', 'Shut'));
    expect(output()).toBe('Mira (thinking): Wind.\nMira: Shut');
    feed(delta('t1', 'response', 'ters!'), message(reply(1, 'Mira', 'Shutters!', { thinking: 'Wind.' })), end('t1'));
    expect(output()).toBe('Mira (thinking): Wind.\nMira: Shutters!\n');
  });

  it('prints the skip marker after text streamed before a skip', () => {
    const { feed, output } = view({ streaming: true });
    feed(start('t1'), delta('t1', 'response', '(sighs)'), message(skip(1, 'Mira')), end('t1'));
    expect(output()).toBe('Mira: (sighs)\n(Mira skipped)\n');
  });

  it('dims thinking and skips and bolds the speaker when colour is on', () => {
    const { feed, output } = view({ color: true });
    feed(message(reply(1, 'Mira', 'Hi', { thinking: 'Hm' })), message(skip(2, 'Tobin')));
    expect(output()).toBe('\x1b[2mMira (thinking): Hm\x1b[0m\n\x1b[1mMira:\x1b[0m Hi\n\x1b[2m(Tobin skipped)\x1b[0m\n');
  });

  it('starts a retried attempt on a new line', () => {
    const { feed, output } = view({ streaming: true });
    feed(start('t1'), delta('t1', 'response', 'Half'), start('t1'), delta('t1', 'response', 'Whole'), message(reply(1, 'Mira', 'Whole')));
    expect(output()).toBe('Mira: Half\nMira: Whole\n');
  });

  it('continues a running turn from the snapshot after a reconnect without repeating text', () => {
    const { feed, output } = view({ streaming: true });
    feed(start('t1'), delta('t1', 'response', 'Shut'));
    feed({
      type: 'snapshot',
      data: {
        room: { id: 1, name: 'R', max_interactions: 2, is_paused: false, is_finished: false, default_provider: 'openai', default_model: null },
        replay_truncated: false,
        generating: [{ agent_id: 1, agent_name: 'Mira', turn_id: 't1', thinking_text: '', response_text: 'Shutters' }],
      },
    });
    feed(delta('t1', 'response', '!'), message(reply(1, 'Mira', 'Shutters!')));
    expect(output()).toBe('Mira: Shutters!\n');
  });

  it('breaks the line for another message and prints the reply in full afterwards', () => {
    const { feed, output, live } = view({ streaming: true });
    feed(start('t1'), delta('t1', 'response', 'Shut'), message(notice('Critic joined the chat')));
    feed(delta('t1', 'response', 'ters!'), message(reply(1, 'Mira', 'Shutters!')));
    expect(output()).toBe('Mira: Shut\n! Critic joined the chat\nMira: ters!\nMira: Shutters!\n');
    expect(live.atLineStart()).toBe(true);
  });

  it('lets a progress line step aside around every write', () => {
    const calls: string[] = [];
    const { feed } = view({
      streaming: true,
      write: (text) => calls.push(`write ${JSON.stringify(text)}`),
      beforeWrite: () => calls.push('clear'),
      afterWrite: (atLineStart) => calls.push(`after ${atLineStart}`),
    });
    feed(start('t1'), delta('t1', 'response', 'Hi'), message(reply(1, 'Mira', 'Hi')));
    expect(calls).toEqual(['clear', 'write "Mira: "', 'after false', 'clear', 'write "Hi"', 'after false', 'clear', 'write "\\n"', 'after true']);
  });
});

describe('progress line', () => {
  it('shows replies against the maximum, elapsed time and polling', () => {
    expect(formatProgress({ replies: 3, maxInteractions: 6, elapsedMs: 42_900, transport: 'stream' })).toBe('[3/6 replies · 0:42]');
    expect(formatProgress({ replies: 0, maxInteractions: 6, elapsedMs: 0, transport: 'polling' })).toBe('[0/6 replies · 0:00 · polling]');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
  });

  it('draws in place, erases only when shown and restores the last state', () => {
    let out = '';
    const line = createProgressLine({ write: (text) => (out += text), enabled: true });
    line.clear();
    expect(out).toBe('');
    line.draw({ replies: 1, maxInteractions: 2, elapsedMs: 1000, transport: 'stream' });
    line.clear();
    line.restore();
    expect(out).toBe('\r\x1b[2K[1/2 replies · 0:01]\r\x1b[2K\r\x1b[2K[1/2 replies · 0:01]');
  });

  it('skips redrawing the same text and stays away once closed', () => {
    let out = '';
    const line = createProgressLine({ write: (text) => (out += text), enabled: true });
    const state = { replies: 1, maxInteractions: 2, elapsedMs: 1000, transport: 'stream' as const };
    line.draw(state);
    line.draw({ ...state, elapsedMs: 1500 });
    line.close();
    line.draw({ ...state, replies: 2 });
    line.restore();
    expect(out).toBe('\r\x1b[2K[1/2 replies · 0:01]\r\x1b[2K');
  });

  it('writes nothing when stderr is not a terminal', () => {
    let out = '';
    const line = createProgressLine({ write: (text) => (out += text), enabled: false });
    line.draw({ replies: 1, maxInteractions: 2, elapsedMs: 1000, transport: 'stream' });
    line.clear();
    expect(out).toBe('');
  });
});
