import type { RoomEvent } from '../../../../src/shared/events.js';
import { initialConnectionState, stepConnection } from '../../../../src/web/connection/connection-machine.js';
import type { ConnectionEffect, ConnectionInput, ConnectionState } from '../../../../src/web/connection/connection-types.js';
import { snapshotData } from './fixtures.js';

/** Drives the pure machine with a hand-moved clock and a fixed jitter draw. */
export function machine(start: Partial<Extract<ConnectionInput, { type: 'start' }>> = {}, draw = 0.5) {
  let state: ConnectionState = initialConnectionState();
  let now = 0;
  let last: ConnectionEffect[] = [];
  const step = (input: ConnectionInput): ConnectionEffect[] => {
    const result = stepConnection(state, input, { now, random: () => draw });
    state = result.state;
    last = result.effects;
    return last;
  };
  step({ type: 'start', hasHistory: false, online: true, hidden: false, ...start });
  return {
    step,
    get state() {
      return state;
    },
    get effects() {
      return last;
    },
    advance(ms: number) {
      now += ms;
    },
    get now() {
      return now;
    },
    event(event: RoomEvent) {
      return step({ type: 'streamEvent', streamId: state.streamId, event });
    },
    snapshot(lastMessageId: number | null = null) {
      return step({
        type: 'streamEvent',
        streamId: state.streamId,
        event: { type: 'snapshot', data: snapshotData({ last_message_id: lastMessageId }) },
      });
    },
    opened(lastEventId: number | null = null) {
      return step({ type: 'streamOpened', streamId: state.streamId, lastEventId });
    },
    drop() {
      return step({ type: 'streamClosed', streamId: state.streamId });
    },
    timer(name: Extract<ConnectionInput, { type: 'timer' }>['name']) {
      return step({ type: 'timer', name });
    },
  };
}

export function timerMs(effects: readonly ConnectionEffect[], name: string): number | undefined {
  const effect = effects.find((candidate) => candidate.type === 'startTimer' && candidate.name === name);
  return effect?.type === 'startTimer' ? effect.ms : undefined;
}

export function types(effects: readonly ConnectionEffect[]): string[] {
  return effects.map((effect) => effect.type);
}

/** Fails the current stream and waits out the reconnect timer, `times` times. */
export function failRepeatedly(m: ReturnType<typeof machine>, times: number): number[] {
  const delays: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const effects = m.drop();
    const delay = timerMs(effects, 'reconnect');
    if (delay !== undefined) {
      delays.push(delay);
      m.advance(delay);
      m.timer('reconnect');
    }
  }
  return delays;
}

