import type { RoomEvent, RoomEventName, RoomEventPayloads } from '../../../src/shared/events.js';
import type { TurnRequest } from '../../../src/server/providers/types.js';
import type { InstantStep } from '../../fakes/instant-provider.js';
import type { EngineHarness } from '../../helpers/engine-room.js';

/**
 * Script pieces for the engine scenarios: a gate holds a scripted provider turn mid-stream until the test opens it,
 * so "while A is streaming" is a state the test waits for instead of a timing guess.
 */
export interface Gate {
  readonly kind: 'gate';
  readonly isOpen: boolean;
  open(): void;
}

export function gate(): Gate {
  let open = false;
  return {
    kind: 'gate',
    get isOpen() {
      return open;
    },
    open() {
      open = true;
    },
  };
}

/**
 * A step list that stops at each gate until it opens (the provider polls in 10 ms steps and still notices an
 * interrupt between them). The instant provider only iterates its script, so a lazy iterable stands in for the array.
 */
export function steps(...parts: (InstantStep | Gate)[]): InstantStep[] {
  const iterable = {
    *[Symbol.iterator](): Generator<InstantStep> {
      for (const part of parts) {
        if ('kind' in part && part.kind === 'gate') {
          while (!part.isOpen) yield { delayMs: 10 };
        } else {
          yield part as InstantStep;
        }
      }
    },
  };
  return iterable as unknown as InstantStep[];
}

/** Requests of one room, in call order. */
export const roomRequests = (h: EngineHarness, roomId: number) => h.provider.requests.filter((request) => request.roomId === roomId);

/** 1-based position of a request among its room's requests (for scripts that act on "the room's n-th call"; a retry is a new call). */
export const roomCallIndex = (h: EngineHarness, roomId: number, request: TurnRequest): number =>
  roomRequests(h, roomId).indexOf(request) + 1;

/** Every text a request carries: per-turn message and (stateless) history. */
export function requestText(request: { userParts: { type: string; text?: string }[]; history?: { parts: { type: string; text?: string }[] }[] }): string {
  const parts = [...request.userParts, ...(request.history ?? []).flatMap((entry) => entry.parts)];
  return parts.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('\n');
}

export function ofType<Name extends RoomEventName>(events: readonly RoomEvent[], type: Name): RoomEventPayloads[Name][] {
  return events.filter((event) => event.type === type).map((event) => event.data as RoomEventPayloads[Name]);
}

/** A short label per event, for order assertions: `agent_start`, `delta`, `message`, `agent_end:<outcome>`, … */
export function labels(events: readonly RoomEvent[], turnId?: string): string[] {
  return events
    .filter((event) => {
      if (turnId === undefined) return true;
      return 'turn_id' in event.data && event.data.turn_id === turnId;
    })
    .map((event) => {
      if (event.type === 'agent_end') return `agent_end:${event.data.outcome}`;
      if (event.type === 'room') return `room:${event.data.reason}`;
      return event.type;
    });
}
