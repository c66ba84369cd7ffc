import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import {
  createRowsSelector,
  selectIsLive,
  selectLiveBubble,
  selectMemberStatus,
  selectOldestId,
  selectRegenerableId,
  selectResumeId,
  selectRetryAgent,
  selectTypingNames,
} from '../../../src/web/timeline/timeline-selectors.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import {
  agentEnd,
  agentMessage,
  agentStart,
  delta,
  message,
  notice,
  pendingSend,
  ROOM_ID,
  room,
  snapshotData,
} from './helpers/fixtures.js';

function run(actions: readonly TimelineAction[], start: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, start);
}

const base = run([
  { type: 'pageLoaded', which: 'newest', messages: [message(1), agentMessage(2, 1)], limit: 200 },
  { type: 'snapshot', data: snapshotData({ last_message_id: 2 }), at: 0 },
]);

describe('createRowsSelector', () => {
  const live = run(
    [
      { type: 'sendQueued', item: pendingSend('a', 'hi') },
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 10 },
    ],
    base,
  );

  it('lists messages, then pending sends, then live bubbles, each with a stable key', () => {
    const rows = createRowsSelector()(live);
    expect(rows.map((row) => row.key)).toEqual(['message:1', 'message:2', 'send:a', 'live:1:T1']);
  });

  it('returns the same rows while only the text of a live bubble changes', () => {
    const select = createRowsSelector();
    const before = select(live);
    const after = select(timelineReducer(live, { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'x')], at: 20 }));
    expect(after).toBe(before);
  });

  it('keeps the row object of a message that did not change', () => {
    const select = createRowsSelector();
    const before = select(live);
    const after = select(timelineReducer(live, { type: 'message', message: message(3), at: 30 }));
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
  });

  it('leaves out messages deleted optimistically', () => {
    const t = timelineReducer(base, { type: 'deleteOptimistic', messageId: 1 });
    expect(createRowsSelector()(t).map((row) => row.key)).toEqual(['message:2']);
  });

  it('gives a row the row key of the bubble it replaced and its thinking time', () => {
    const t = run(
      [
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'thinking', 'hm')], at: 40 },
        { type: 'deltaBatch', deltas: [delta(1, 'T1', 'response', 'ok')], at: 50 },
        { type: 'message', message: agentMessage(3, 1, 'ok'), at: 60 },
      ],
      live,
    );
    const row = createRowsSelector()(t).find((candidate) => candidate.kind === 'message' && candidate.message.id === 3);
    expect(row).toMatchObject({ key: 'live:1:T1', thoughtMs: 40 });
  });
});

describe('live selectors', () => {
  const two = run(
    [
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 10 },
      { type: 'agentStart', data: agentStart(2, 'T2'), at: 20 },
    ],
    base,
  );

  it("changes a bubble's reference only when its own delta arrives", () => {
    const next = timelineReducer(two, { type: 'deltaBatch', deltas: [delta(2, 'T2', 'response', 'x')], at: 30 });
    expect(selectLiveBubble(next, 1)).toBe(selectLiveBubble(two, 1));
    expect(selectLiveBubble(next, 2)).not.toBe(selectLiveBubble(two, 2));
  });

  it('names the live agents for the typing line, in start order, without stopping ones', () => {
    expect(selectTypingNames(two)).toEqual(['Agent1', 'Agent2']);
    expect(selectTypingNames(two)).toBe(selectTypingNames(two));
    expect(selectTypingNames(timelineReducer(two, { type: 'stopRequested' }))).toEqual([]);
  });

  it('says whether anything is live', () => {
    expect(selectIsLive(two)).toBe(true);
    expect(selectIsLive(base)).toBe(false);
  });

  it('reads an unknown member as idle', () => {
    expect(selectMemberStatus(base, 42)).toEqual({ activity: 'idle', turnId: null, error: null });
  });
});

describe('resume and paging ids', () => {
  it('resumes from nothing until the history is loaded', () => {
    const early = run([{ type: 'message', message: message(9), at: 0 }]);
    expect(selectResumeId(early)).toBeNull();
  });

  it('resumes from the highest id held', () => {
    expect(selectResumeId(base)).toBe(2);
  });

  it('resumes from the clear point of an emptied room', () => {
    expect(selectResumeId(timelineReducer(base, { type: 'cleared' }))).toBe(2);
  });

  it('pages older from the oldest id held', () => {
    expect(selectOldestId(base)).toBe(1);
  });
});

describe('selectRetryAgent', () => {
  const failed = run(
    [
      { type: 'agentStart', data: agentStart(1, 'T1'), at: 10 },
      { type: 'message', message: notice(3, 'Agent1 could not respond: x'), at: 20 },
      { type: 'agentEnd', data: agentEnd(1, 'T1', 'error', null), at: 30 },
    ],
    base,
  );

  it('offers Retry on a notice linked to a failed turn', () => {
    expect(selectRetryAgent(failed, 3)).toBe(1);
  });

  it('stops offering Retry once that agent has replied since', () => {
    const t = timelineReducer(failed, { type: 'message', message: agentMessage(4, 1), at: 40 });
    expect(selectRetryAgent(t, 3)).toBeNull();
  });

  it('offers nothing on an unlinked notice', () => {
    expect(selectRetryAgent(failed, 1)).toBeNull();
  });
});

describe('selectRegenerableId', () => {
  it('offers the latest agent message, skipping notices after it', () => {
    const t = timelineReducer(base, { type: 'message', message: notice(3, 'Tobin joined the chat'), at: 0 });
    expect(selectRegenerableId(t)).toBe(2);
  });

  it('offers nothing when a user message is newest', () => {
    expect(selectRegenerableId(timelineReducer(base, { type: 'message', message: message(3), at: 0 }))).toBeNull();
  });

  it('offers nothing while an agent is live or the room is paused', () => {
    expect(selectRegenerableId(timelineReducer(base, { type: 'agentStart', data: agentStart(2, 'T'), at: 0 }))).toBeNull();
    const paused = timelineReducer(base, { type: 'room', data: { reason: 'paused', room: room({ is_paused: true }) } });
    expect(selectRegenerableId(paused)).toBeNull();
  });

  it('offers nothing when the author is no longer a member', () => {
    const t = timelineReducer(base, { type: 'room', data: { reason: 'agent_removed', room: room({ agents: [] }) } });
    expect(selectRegenerableId(t)).toBeNull();
  });
});
