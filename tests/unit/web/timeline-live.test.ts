import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import {
  agentEnd,
  agentError,
  agentMessage,
  agentStart,
  delta,
  message,
  notice,
  ROOM_ID,
  snapshotData,
} from './helpers/fixtures.js';

function run(actions: readonly TimelineAction[], start: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, start);
}

/** A loaded room with members 1 (Mira) and 2 (Tobin) and messages 1–3. */
const base = run([
  { type: 'pageLoaded', which: 'newest', messages: [message(1), message(2), message(3)], limit: 200 },
  { type: 'snapshot', data: snapshotData({ last_message_id: 3 }), at: 0 },
]);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('live bubbles: agent_start and deltas', () => {
  it('creates a bubble on agent_start and sets the member to thinking', () => {
    const t = run([{ type: 'agentStart', data: agentStart(1, 'T1'), at: 100 }], base);
    expect(t.live).toHaveLength(1);
    expect(t.live[0]).toMatchObject({ agentId: 1, turnId: 'T1', name: 'Agent1', phase: 'thinking', startedAt: 100 });
    expect(t.memberStatus[1]?.activity).toBe('thinking');
  });

  it('appends thinking and response deltas and switches to writing at the first response delta', () => {
    const t = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'thinking', 'hm'), delta(1, 'T1', 'thinking', 'm')], at: 200 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'Hel'), delta(1, 'T1', 'response', 'lo')], at: 300 },
      ],
      base,
    );
    expect(t.live[0]).toMatchObject({ thinking: 'hmm', response: 'Hello', phase: 'writing', firstResponseAt: 300 });
    expect(t.memberStatus[1]?.activity).toBe('writing');
  });

  it('creates a bubble for a delta of an unknown turn, named after the member', () => {
    const t = run([{ type: 'deltaBatch', deltas: [delta(2, 'T9', 'response', 'Hi')], at: 50 }], base);
    expect(t.live[0]).toMatchObject({ agentId: 2, turnId: 'T9', name: 'Tobin', response: 'Hi', startSeen: false });
  });

  it('changes only the bubble a delta belongs to', () => {
    const two = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'agentStart', data: agentStart(2, 'T2'), at: 110 },
      ],
      base,
    );
    const t = timelineReducer(two, { type: 'deltaBatch', deltas: [delta(2, 'T2', 'response', 'x')], at: 120 });
    expect(t.live[0]).toBe(two.live[0]);
    expect(t.live[1]).not.toBe(two.live[1]);
  });

  it('keeps bubbles in the order their agent_start arrived', () => {
    const t = run(
      [
        { type: 'agentStart', data: agentStart(2, 'T2'), at: 100 },
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 110 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'a'), delta(2, 'T2', 'response', 'b')], at: 120 },
      ],
      base,
    );
    expect(t.live.map((bubble) => bubble.agentId)).toEqual([2, 1]);
  });

  it('ignores a repeated agent_start', () => {
    const started = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'kept')], at: 150 },
      ],
      base,
    );
    expect(timelineReducer(started, { type: 'agentStart', data: agentStart(1, 'T1'), at: 200 })).toBe(started);
  });

  it('drops the partial text of attempt 1 when attempt 2 starts, keeping the row key', () => {
    const first = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'thinking', 'a'), delta(1, 'T1', 'response', 'partial')], at: 150 },
      ],
      base,
    );
    const second = timelineReducer(first, { type: 'agentStart', data: agentStart(1, 'T1', 2), at: 200 });
    expect(second.live[0]).toMatchObject({ attempt: 2, thinking: '', response: '', phase: 'thinking' });
    expect(second.live[0]?.key).toBe(first.live[0]?.key);
    expect(timelineReducer(second, { type: 'agentStart', data: agentStart(1, 'T1', 1), at: 250 })).toBe(second);
  });

  it('replaces a bubble whose turn never ended when the same agent starts a new turn', () => {
    const t = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'agentStart', data: agentStart(1, 'T2'), at: 200 },
      ],
      base,
    );
    expect(t.live.map((bubble) => bubble.turnId)).toEqual(['T2']);
  });

  it('ignores deltas and starts for a turn that has ended', () => {
    const ended = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'agentEnd', data: agentEnd(1, 'T1', 'interrupted', null), at: 200 },
      ],
      base,
    );
    const late = run(
      [
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'late')], at: 300 },
        { type: 'agentStart', data: agentStart(1, 'T1', 2), at: 300 },
      ],
      ended,
    );
    expect(late).toBe(ended);
  });
});

describe('live bubbles: the end of a turn', () => {
  const writing = run(
    [
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 1_000 },
      { type: 'deltaBatch', deltas: [delta(1, 'T1', 'thinking', 'let me see')], at: 2_000 },
      { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'Hello')], at: 4_500 },
    ],
    base,
  );

  it("replaces the agent's bubble with its message, keeping the row key and the thinking time", () => {
    const key = writing.live[0]?.key;
    const t = timelineReducer(writing, { type: 'message', message: agentMessage(4, 1, 'Hello'), at: 5_000 });
    expect(t.live).toEqual([]);
    expect(t.rowKey[4]).toBe(key);
    expect(t.thoughtMs[4]).toBe(3_500);
  });

  it('keeps the bubble when an older message of the same agent arrives', () => {
    const t = timelineReducer(writing, { type: 'message', message: agentMessage(2, 1), at: 5_000 });
    expect(t.live).toHaveLength(1);
  });

  it('records no thinking time when the agent did not think', () => {
    const t = run(
      [
        { type: 'agentStart', data: agentStart(2, 'T2'), at: 1_000 },
        { type: 'deltaBatch', deltas: [delta(2, 'T2', 'response', 'Hi')], at: 1_500 },
        { type: 'message', message: agentMessage(4, 2, 'Hi'), at: 2_000 },
      ],
      base,
    );
    expect(t.thoughtMs[4]).toBeUndefined();
  });

  it.each([
    ['responded', 'idle'],
    ['interrupted', 'idle'],
    ['skipped', 'passed'],
    ['error', 'error'],
  ] as const)('sets the member status after agent_end %s to %s', (outcome, activity) => {
    const t = timelineReducer(writing, { type: 'agentEnd', data: agentEnd(1, 'T1', outcome, null), at: 5_000 });
    expect(t.live).toEqual([]);
    expect(t.memberStatus[1]?.activity).toBe(activity);
  });

  it('removes the bubble on agent_error and keeps the error for the tooltip', () => {
    const t = timelineReducer(writing, { type: 'agentError', data: agentError(1, 'T1', 'quota exceeded'), at: 5_000 });
    expect(t.live).toEqual([]);
    expect(t.memberStatus[1]).toEqual({ activity: 'error', turnId: 'T1', error: 'quota exceeded' });
  });

  it('reaches the same state for message and agent_end in either order', () => {
    const events: TimelineAction[] = [
      { type: 'message', message: agentMessage(4, 1, 'Hello'), at: 5_000 },
      { type: 'agentEnd', data: agentEnd(1, 'T1', 'responded', 4), at: 5_001 },
    ];
    const [first, ...rest] = permutations(events).map((order) => run(order, writing));
    for (const other of rest) expect(other).toEqual(first);
    expect(first?.rowKey[4]).toBe(writing.live[0]?.key);
    expect(first?.thoughtMs[4]).toBe(3_500);
  });

  it('reaches the same state for agent_error, its notice and agent_end in every order, linking the notice', () => {
    const events: TimelineAction[] = [
      { type: 'agentError', data: agentError(1, 'T1', 'boom'), at: 5_000 },
      { type: 'message', message: notice(4, 'Agent1 could not respond: boom'), at: 5_001 },
      { type: 'agentEnd', data: agentEnd(1, 'T1', 'error', null), at: 5_002 },
    ];
    const results = permutations(events).map((order) => run(order, writing));
    for (const result of results) {
      expect(result).toEqual(results[0]);
      expect(result.errorNotice).toEqual({ 4: 1 });
      expect(result.memberStatus[1]).toEqual({ activity: 'error', turnId: 'T1', error: 'boom' });
    }
  });

  it('links the newest notice received since the turn started, never an older one', () => {
    const t = run(
      [
        { type: 'message', message: notice(4, 'Tobin joined the chat'), at: 0 },
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'agentEnd', data: agentEnd(1, 'T1', 'error', null), at: 200 },
      ],
      base,
    );
    expect(t.errorNotice).toEqual({});
    const linked = timelineReducer(t, { type: 'message', message: notice(5, 'Agent1 could not respond: x'), at: 300 });
    expect(linked.errorNotice).toEqual({ 5: 1 });
  });

  it('does not take a notice naming someone else before agent_end, but links the newest one after it', () => {
    const afterError = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T1'), at: 100 },
        { type: 'agentError', data: agentError(1, 'T1'), at: 150 },
        { type: 'message', message: notice(4, 'Tobin joined the chat'), at: 160 },
      ],
      base,
    );
    expect(afterError.errorNotice).toEqual({});
    const ended = timelineReducer(afterError, { type: 'agentEnd', data: agentEnd(1, 'T1', 'error', null), at: 170 });
    expect(ended.errorNotice).toEqual({ 4: 1 });
  });

  it('gives the row key to a message that arrives after its agent_end', () => {
    const key = writing.live[0]?.key;
    const t = run(
      [
        { type: 'agentEnd', data: agentEnd(1, 'T1', 'responded', 4), at: 5_000 },
        { type: 'message', message: agentMessage(4, 1, 'Hello'), at: 5_001 },
      ],
      writing,
    );
    expect(t.rowKey[4]).toBe(key);
  });

  it('leaves the status of a newer turn alone when a stale agent_end arrives', () => {
    const t = run(
      [
        { type: 'agentStart', data: agentStart(1, 'T2'), at: 6_000 },
        { type: 'agentEnd', data: agentEnd(1, 'T1', 'skipped', null), at: 6_001 },
      ],
      writing,
    );
    expect(t.live.map((bubble) => bubble.turnId)).toEqual(['T2']);
    expect(t.memberStatus[1]?.activity).toBe('thinking');
  });
});

