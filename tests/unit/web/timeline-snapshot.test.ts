import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import {
  agentMessage,
  agentStart,
  delta,
  generating,
  message,
  ROOM_ID,
  room,
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

describe('live bubbles: snapshot', () => {
  const live = run(
    [
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 1_000 },
      { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'Hel')], at: 1_500 },
      { type: 'agentStart', data: agentStart(2, 'T2'), at: 1_600 },
    ],
    base,
  );

  it('replaces every bubble with the generating list, keeping the row key of a turn that continues', () => {
    const t = timelineReducer(live, {
      type: 'snapshot',
      data: snapshotData({
        last_message_id: 3,
        generating: [
          generating(1, 'T1', { response_text: 'Hello wor', thinking_text: 'think' }),
          generating(2, 'T3', { thinking_text: 'new' }),
        ],
      }),
      at: 3_000,
    });
    expect(t.live.map((bubble) => [bubble.turnId, bubble.response, bubble.thinking])).toEqual([
      ['T1', 'Hello wor', 'think'],
      ['T3', '', 'new'],
    ]);
    expect(t.live[0]?.key).toBe(live.live[0]?.key);
    expect(t.memberStatus[1]?.activity).toBe('writing');
    expect(t.memberStatus[2]).toMatchObject({ activity: 'thinking', turnId: 'T3' });
  });

  it('removes every bubble when nothing is generating and sets those members idle', () => {
    const t = timelineReducer(live, { type: 'snapshot', data: snapshotData({ last_message_id: 3 }), at: 3_000 });
    expect(t.live).toEqual([]);
    expect(t.memberStatus[1]?.activity).toBe('idle');
    expect(t.memberStatus[2]?.activity).toBe('idle');
  });

  it('takes a generating start time from the server, never later than now', () => {
    const t = timelineReducer(base, {
      type: 'snapshot',
      data: snapshotData({
        generating: [
          generating(1, 'A', { started_at: '1970-01-01T00:00:02.000Z' }),
          generating(2, 'B', { started_at: '2099-01-01T00:00:00.000Z' }),
        ],
      }),
      at: 5_000,
    });
    expect(t.live.map((bubble) => bubble.startedAt)).toEqual([2_000, 5_000]);
  });

  it('shows generating bubbles as stopping when the room is paused', () => {
    const t = timelineReducer(base, {
      type: 'snapshot',
      data: snapshotData({ room: room({ is_paused: true }), generating: [generating(1, 'A')] }),
      at: 5_000,
    });
    expect(t.live[0]?.phase).toBe('stopping');
  });

  it('continues a generating turn with the next delta', () => {
    const t = run(
      [
        { type: 'snapshot', data: snapshotData({ generating: [generating(1, 'A', { response_text: 'Hel' })] }), at: 5_000 },
        { type: 'deltaBatch', deltas: [delta(1, 'A', 'response', 'lo')], at: 5_100 },
      ],
      base,
    );
    expect(t.live[0]?.response).toBe('Hello');
  });

  it('does not end a generating turn with a replayed message at or below last_message_id', () => {
    const t = run(
      [
        { type: 'snapshot', data: snapshotData({ last_message_id: 10, generating: [generating(1, 'A')] }), at: 5_000 },
        { type: 'message', message: agentMessage(9, 1), at: 5_001 },
      ],
      base,
    );
    expect(t.live).toHaveLength(1);
    const ended = timelineReducer(t, { type: 'message', message: agentMessage(11, 1), at: 5_002 });
    expect(ended.live).toEqual([]);
  });

  it('records no thinking time for a turn whose start this session did not see', () => {
    const t = run(
      [
        { type: 'snapshot', data: snapshotData({ generating: [generating(1, 'A', { thinking_text: 'x' })] }), at: 5_000 },
        { type: 'deltaBatch', deltas: [delta(1, 'A', 'response', 'Hi')], at: 6_000 },
        { type: 'message', message: agentMessage(4, 1, 'Hi'), at: 7_000 },
      ],
      base,
    );
    expect(t.thoughtMs[4]).toBeUndefined();
  });
});

describe('live bubbles: stopping', () => {
  const live = run(
    [
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 1_000 },
      { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'Hi')], at: 1_100 },
      { type: 'agentStart', data: agentStart(2, 'T2'), at: 1_200 },
    ],
    base,
  );

  it('shows every bubble as stopping after Stop, even while deltas still arrive', () => {
    const t = run(
      [
        { type: 'stopRequested' },
        { type: 'deltaBatch', deltas: [delta(2, 'T2', 'response', 'x')], at: 1_300 },
      ],
      live,
    );
    expect(t.live.map((bubble) => bubble.phase)).toEqual(['stopping', 'stopping']);
  });

  it('restores the phases when Stop fails', () => {
    const t = run([{ type: 'stopRequested' }, { type: 'stopFailed' }], live);
    expect(t.live.map((bubble) => bubble.phase)).toEqual(['writing', 'thinking']);
  });

  it('shows bubbles as stopping when a paused room event arrives', () => {
    const t = timelineReducer(live, { type: 'room', data: { reason: 'paused', room: room({ is_paused: true }) } });
    expect(t.live.every((bubble) => bubble.phase === 'stopping')).toBe(true);
  });
});

describe('live bubbles: polling fallback', () => {
  const chatting = (response: string) => [
    { id: 1, name: 'Mira', profile_pic: null, thinking_text: 't', response_text: response },
  ];

  it('rebuilds bubbles from chatting agents and keeps the row key across polls', () => {
    const first = timelineReducer(base, { type: 'liveRebuilt', agents: chatting(''), at: 1_000 });
    const second = timelineReducer(first, { type: 'liveRebuilt', agents: chatting('Hello'), at: 4_000 });
    expect(second.live[0]).toMatchObject({ agentId: 1, response: 'Hello', phase: 'writing' });
    expect(second.live[0]?.key).toBe(first.live[0]?.key);
  });

  it('returns the same timeline when a poll brings nothing new', () => {
    const first = timelineReducer(base, { type: 'liveRebuilt', agents: chatting('Hi'), at: 1_000 });
    expect(timelineReducer(first, { type: 'liveRebuilt', agents: chatting('Hi'), at: 4_000 })).toBe(first);
  });

  it('removes bubbles of agents no longer chatting', () => {
    const first = timelineReducer(base, { type: 'liveRebuilt', agents: chatting(''), at: 1_000 });
    const t = timelineReducer(first, { type: 'liveRebuilt', agents: [], at: 4_000 });
    expect(t.live).toEqual([]);
    expect(t.memberStatus[1]?.activity).toBe('idle');
  });
});
