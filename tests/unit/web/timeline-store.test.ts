import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import { createTimelineStore } from '../../../src/web/timeline/timeline-store.js';
import { agentMessage, agentStart, delta, message, pendingSend, ROOM_ID } from './helpers/fixtures.js';
import { createManualScheduler } from './helpers/manual-scheduler.js';

function setup(maxRooms = 4) {
  const scheduler = createManualScheduler();
  let clock = 1_000;
  const store = createTimelineStore({ scheduler, now: () => clock, maxRooms });
  return { store, scheduler, tick: (ms: number) => (clock += ms) };
}

const start: RoomEvent = { type: 'agent_start', data: agentStart(1, 'T1') };
const response = (text: string): RoomEvent => ({ type: 'delta', data: delta(1, 'T1', 'response', text) });

describe('createTimelineStore: delta batching', () => {
  it('holds deltas until the next frame and then applies them with one notification', () => {
    const { store, scheduler } = setup();
    store.open(ROOM_ID);
    store.receive(ROOM_ID, start);
    let notified = 0;
    store.subscribe(ROOM_ID, () => (notified += 1));
    store.receive(ROOM_ID, response('Hel'));
    store.receive(ROOM_ID, response('lo'));
    expect(store.getSnapshot(ROOM_ID).live[0]?.response).toBe('');
    expect(scheduler.requested).toBe(1);
    scheduler.runFrame();
    expect(store.getSnapshot(ROOM_ID).live[0]?.response).toBe('Hello');
    expect(notified).toBe(1);
  });

  it('applies buffered deltas before the next event, so a message never leaves a stale bubble', () => {
    const { store, scheduler } = setup();
    store.open(ROOM_ID);
    store.receive(ROOM_ID, start);
    store.receive(ROOM_ID, response('Hi'));
    store.receive(ROOM_ID, { type: 'message', data: agentMessage(5, 1, 'Hi') });
    scheduler.runFrame();
    const t = store.getSnapshot(ROOM_ID);
    expect(t.live).toEqual([]);
    expect(t.rowKey[5]).toBe('live:1:T1');
  });

  it('flushes on demand, so tests and page hides need not wait for a frame', () => {
    const { store } = setup();
    store.open(ROOM_ID);
    store.receive(ROOM_ID, start);
    store.receive(ROOM_ID, response('Hi'));
    store.flush();
    expect(store.getSnapshot(ROOM_ID).live[0]?.response).toBe('Hi');
  });

  it('stamps a batch with the arrival of its first delta', () => {
    const { store, tick } = setup();
    store.open(ROOM_ID);
    store.receive(ROOM_ID, start);
    tick(500);
    store.receive(ROOM_ID, response('a'));
    tick(10);
    store.receive(ROOM_ID, response('b'));
    store.flush();
    expect(store.getSnapshot(ROOM_ID).live[0]?.firstResponseAt).toBe(1_500);
  });
});

describe('createTimelineStore: subscriptions', () => {
  it('notifies only the room that changed', () => {
    const { store } = setup();
    store.open(1);
    store.open(2);
    let roomOne = 0;
    let roomTwo = 0;
    store.subscribe(1, () => (roomOne += 1));
    store.subscribe(2, () => (roomTwo += 1));
    store.dispatch(2, { type: 'message', message: message(1, { room_id: 2 }), at: 0 });
    expect([roomOne, roomTwo]).toEqual([0, 1]);
  });

  it('does not notify when an action changes nothing', () => {
    const { store } = setup();
    store.open(ROOM_ID);
    store.dispatch(ROOM_ID, { type: 'message', message: message(1), at: 0 });
    let notified = 0;
    store.subscribe(ROOM_ID, () => (notified += 1));
    store.dispatch(ROOM_ID, { type: 'message', message: message(1), at: 0 });
    expect(notified).toBe(0);
  });

  it('stops notifying after unsubscribe', () => {
    const { store } = setup();
    store.open(ROOM_ID);
    let notified = 0;
    const unsubscribe = store.subscribe(ROOM_ID, () => (notified += 1));
    unsubscribe();
    store.dispatch(ROOM_ID, { type: 'message', message: message(1), at: 0 });
    expect(notified).toBe(0);
  });

  it('returns a stable snapshot, also for a room it does not hold', () => {
    const { store } = setup();
    expect(store.getSnapshot(99)).toBe(store.getSnapshot(99));
    store.open(ROOM_ID);
    expect(store.getSnapshot(ROOM_ID)).toBe(store.getSnapshot(ROOM_ID));
  });

  it('ignores actions and events for a room it does not hold', () => {
    const { store } = setup();
    store.dispatch(ROOM_ID, { type: 'message', message: message(1), at: 0 });
    store.receive(ROOM_ID, { type: 'message', data: message(2) });
    expect(store.has(ROOM_ID)).toBe(false);
    expect(store.getSnapshot(ROOM_ID).messages).toEqual([]);
  });
});

describe('createTimelineStore: cached rooms', () => {
  it('keeps at most four rooms, dropping the least recently used', () => {
    const { store } = setup();
    for (const id of [1, 2, 3, 4]) store.open(id);
    store.open(1);
    expect(store.open(5)).toEqual([2]);
    expect([1, 2, 3, 4, 5].map((id) => store.has(id))).toEqual([true, false, true, true, true]);
  });

  it('keeps a room with unsettled sends, even beyond the limit', () => {
    const { store } = setup(2);
    store.open(1);
    store.dispatch(1, { type: 'sendQueued', item: pendingSend('a', 'hi') });
    store.open(2);
    expect(store.open(3)).toEqual([2]);
    expect(store.has(1)).toBe(true);
  });

  it('tells subscribers of an evicted room that its timeline is gone', () => {
    const { store } = setup(1);
    store.open(1);
    store.dispatch(1, { type: 'message', message: message(1, { room_id: 1 }), at: 0 });
    let notified = 0;
    store.subscribe(1, () => (notified += 1));
    store.open(2);
    expect(notified).toBe(1);
    expect(store.getSnapshot(1).messages).toEqual([]);
  });

  it('starts an evicted room afresh when it is reopened', () => {
    const { store } = setup(1);
    store.open(1);
    store.dispatch(1, { type: 'message', message: message(1, { room_id: 1 }), at: 0 });
    store.open(2);
    store.open(1);
    expect(store.getSnapshot(1).messages).toEqual([]);
  });

  it('drops every timeline on clear and notifies their subscribers', () => {
    const { store, scheduler } = setup();
    store.open(ROOM_ID);
    store.receive(ROOM_ID, start);
    store.receive(ROOM_ID, response('x'));
    let notified = 0;
    store.subscribe(ROOM_ID, () => (notified += 1));
    store.clear();
    scheduler.runFrame();
    expect(store.has(ROOM_ID)).toBe(false);
    expect(notified).toBe(1);
  });
});
