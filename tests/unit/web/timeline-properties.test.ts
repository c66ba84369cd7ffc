import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timelineReducer } from '../../../src/web/timeline/timeline-reducer.js';
import { createRowsSelector } from '../../../src/web/timeline/timeline-selectors.js';
import { emptyTimeline, type Timeline, type TimelineAction } from '../../../src/web/timeline/timeline-types.js';
import {
  agentEnd,
  agentError,
  agentMessage,
  agentStart,
  delta,
  generating,
  notice,
  pendingSend,
  ROOM_ID,
  room,
  snapshotData,
  userMessage,
} from './helpers/fixtures.js';

/** Properties of ui.md §3.5's invariants over random event streams. */

const messageId = fc.integer({ min: 1, max: 30 });
const agentId = fc.integer({ min: 1, max: 3 });
const turnId = fc.constantFrom('T1', 'T2', 'T3', 'T4');
const at = fc.integer({ min: 0, max: 10_000 });

const messageAction = fc.oneof(
  fc.record({ id: messageId, at }).map(({ id, at: time }): TimelineAction => ({ type: 'message', message: userMessage(id, `u${id}`), at: time })),
  fc
    .record({ id: messageId, agent: agentId, at })
    .map(({ id, agent, at: time }): TimelineAction => ({ type: 'message', message: agentMessage(id, agent), at: time })),
  fc.record({ id: messageId, at }).map(({ id, at: time }): TimelineAction => ({ type: 'message', message: notice(id, 'n'), at: time })),
);

const deletedAction = messageId.map(
  (id): TimelineAction => ({ type: 'deleted', data: { room_id: ROOM_ID, message_id: id } }),
);

/** Every action kind that has an identity (deltas are excluded: they carry no sequence number). */
const identifiedAction: fc.Arbitrary<TimelineAction> = fc.oneof(
  messageAction,
  deletedAction,
  fc.record({ agent: agentId, turn: turnId, attempt: fc.integer({ min: 1, max: 2 }), at }).map(
    ({ agent, turn, attempt, at: time }): TimelineAction => ({
      type: 'agentStart',
      data: agentStart(agent, turn, attempt),
      at: time,
    }),
  ),
  fc.record({
    agent: agentId,
    turn: turnId,
    outcome: fc.constantFrom('responded', 'skipped', 'interrupted', 'error' as const),
    id: fc.option(messageId, { nil: null }),
    at,
  }).map(
    ({ agent, turn, outcome, id, at: time }): TimelineAction => ({
      type: 'agentEnd',
      data: agentEnd(agent, turn, outcome, outcome === 'error' ? null : id),
      at: time,
    }),
  ),
  fc.record({ agent: agentId, turn: turnId, at }).map(
    ({ agent, turn, at: time }): TimelineAction => ({ type: 'agentError', data: agentError(agent, turn), at: time }),
  ),
  fc.record({ agents: fc.uniqueArray(agentId, { maxLength: 3 }), turn: turnId, last: fc.option(messageId, { nil: null }), at }).map(
    ({ agents, turn, last, at: time }): TimelineAction => ({
      type: 'snapshot',
      data: snapshotData({
        last_message_id: last,
        generating: agents.map((agent) => generating(agent, `${turn}-${agent}`, { response_text: 'r' })),
      }),
      at: time,
    }),
  ),
  fc.constantFrom<TimelineAction>(
    { type: 'room', data: { reason: 'paused', room: room({ is_paused: true }) } },
    { type: 'room', data: { reason: 'messages_cleared', room: room() } },
    { type: 'stopRequested' },
    { type: 'olderRequested' },
  ),
  fc.array(messageId, { maxLength: 6 }).map(
    (list): TimelineAction => ({
      type: 'reconcileNewest',
      messages: [...new Set(list)].map((id) => userMessage(id, `u${id}`)),
      limit: 200,
    }),
  ),
  fc.record({ id: messageId, local: fc.constantFrom('a', 'b') }).map(
    ({ id, local }): TimelineAction => ({ type: 'sendSucceeded', localId: local, message: userMessage(id, 'same'), at: 0 }),
  ),
  messageId.map((id): TimelineAction => ({ type: 'deleteOptimistic', messageId: id })),
  messageId.map((id): TimelineAction => ({ type: 'regenerateStarted', messageId: id })),
);

const deltaAction = fc
  .record({ agent: agentId, turn: turnId, kind: fc.constantFrom('thinking', 'response' as const), at })
  .map(({ agent, turn, kind, at: time }): TimelineAction => ({
    type: 'deltaBatch',
    deltas: [delta(agent, turn, kind, 'x')],
    at: time,
  }));

const anyAction = fc.oneof(identifiedAction, deltaAction);

function run(actions: readonly TimelineAction[], from: Timeline = emptyTimeline(ROOM_ID)): Timeline {
  return actions.reduce(timelineReducer, from);
}

/** A timeline with two identical sends, one in flight, so matching has something to do. */
const initial = run([
  { type: 'sendQueued', item: pendingSend('a', 'same', { createdAt: 1 }) },
  { type: 'sendQueued', item: pendingSend('b', 'same', { createdAt: 2 }) },
  { type: 'sendStarted', localId: 'a', afterId: null },
]);

function isAscendingUnique(t: Timeline): boolean {
  return t.messages.every((held, index) => index === 0 || (t.messages[index - 1]?.id ?? 0) < held.id);
}

describe('timeline properties', () => {
  it('holds ascending unique ids after any interleaving and duplication of message and deletion events', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(messageAction, deletedAction), { maxLength: 60 }), (actions) => {
        const doubled = actions.flatMap((action, index) => (index % 3 === 0 ? [action, action] : [action]));
        const t = run(doubled);
        expect(isAscendingUnique(t)).toBe(true);
        const deleted = new Set(
          actions.flatMap((action) => (action.type === 'deleted' ? [action.data.message_id] : [])),
        );
        const delivered = new Set(actions.flatMap((action) => (action.type === 'message' ? [action.message.id] : [])));
        expect(t.messages.map((held) => held.id)).toEqual([...delivered].filter((id) => !deleted.has(id)).sort((a, b) => a - b));
      }),
    );
  });

  it('holds ascending unique ids after any stream of every kind of action', () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 80 }), (actions) => {
        expect(isAscendingUnique(run(actions, initial))).toBe(true);
      }),
    );
  });

  it('gives the same state when any identified event is applied twice', () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 40 }), identifiedAction, (prefix, action) => {
        const once = timelineReducer(run(prefix, initial), action);
        expect(timelineReducer(once, action)).toEqual(once);
      }),
    );
  });

  it('ignores message, deletion, snapshot and page events of another room', () => {
    const other = ROOM_ID + 1;
    const foreign = fc.oneof(
      messageId.map((id): TimelineAction => ({ type: 'message', message: userMessage(id, 'x', { room_id: other }), at: 0 })),
      messageId.map((id): TimelineAction => ({ type: 'deleted', data: { room_id: other, message_id: id } })),
      messageId.map((id): TimelineAction => ({
        type: 'pageLoaded',
        which: 'newest',
        messages: [userMessage(id, 'x', { room_id: other })],
        limit: 200,
      })),
      messageId.map((id): TimelineAction => ({
        type: 'snapshot',
        data: snapshotData({ room_id: other, room: room({ id: other }), last_message_id: id }),
        at: 0,
      })),
    );
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 40 }), foreign, (prefix, action) => {
        const before = run(prefix, initial);
        expect(timelineReducer(before, action)).toBe(before);
      }),
    );
  });

  it('renders confirmed messages by id, then pending sends, then live bubbles', () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 60 }), (actions) => {
        const t = run(actions, initial);
        const rows = createRowsSelector()(t);
        const kinds = rows.map((row) => row.kind).join('');
        expect(kinds).toMatch(/^(message)*(pending)*(live)*$/);
        const messageIds = rows.flatMap((row) => (row.kind === 'message' ? [row.message.id] : []));
        expect(messageIds).toEqual(t.messages.filter((held) => !t.hidden.includes(held.id)).map((held) => held.id));
        expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
      }),
    );
  });

  it('keeps at most one live bubble per agent', () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 80 }), (actions) => {
        const agents = run(actions, initial).live.map((bubble) => bubble.agentId);
        expect(new Set(agents).size).toBe(agents.length);
      }),
    );
  });
});
