import type { GeneratingAgent } from '../../shared/events.js';
import type { ChattingAgent } from '../../shared/models.js';

/**
 * The live state of one in-flight turn (behavior.md §5.7 rule 4) and the freeze/persist claim of §5.2 rule 1.
 * JavaScript runs one step at a time, so the "per-turn lock" is a synchronous state change: whichever of
 * `freeze()` and `claimPersist()` runs first wins, and the other learns it lost.
 */
export interface ActiveTurn {
  readonly turnId: string;
  readonly roomId: number;
  readonly agentId: number;
  readonly agentName: string;
  readonly profilePic: string | null;
  readonly isCritic: boolean;
  readonly startedAt: Date;
  provider: string;
  model: string | null;
  attempt: number;
  thinking: string;
  text: string;
  skipSeen: boolean;
  /** Set once the provider call started, so a canceller can interrupt it. */
  interrupt: (() => Promise<void>) | null;
  readonly state: 'live' | 'frozen' | 'persisting';
  freeze(): boolean;
  claimPersist(): boolean;
  /** Resolves when the turn's own persist is over (or at once if it never claimed one). */
  persisted: Promise<void>;
  settlePersist(): void;
}

export function createActiveTurn(init: {
  turnId: string;
  roomId: number;
  agentId: number;
  agentName: string;
  profilePic: string | null;
  isCritic: boolean;
  startedAt: Date;
  provider: string;
  model: string | null;
}): ActiveTurn {
  let state: ActiveTurn['state'] = 'live';
  let settle: () => void = () => undefined;
  const persisted = new Promise<void>((resolve) => (settle = resolve));
  return {
    ...init,
    attempt: 1,
    thinking: '',
    text: '',
    skipSeen: false,
    interrupt: null,
    get state() {
      return state;
    },
    freeze() {
      if (state !== 'live') return false;
      state = 'frozen';
      settle();
      return true;
    },
    claimPersist() {
      if (state !== 'live') return false;
      state = 'persisting';
      return true;
    },
    persisted,
    settlePersist: () => settle(),
  };
}

/** In-flight turns per room, in start order, for `snapshot`, `/chatting-agents` and cancellation. */
export function createLiveTurns() {
  const rooms = new Map<number, Map<string, ActiveTurn>>();
  return {
    add(turn: ActiveTurn): void {
      let turns = rooms.get(turn.roomId);
      if (!turns) rooms.set(turn.roomId, (turns = new Map()));
      turns.set(turn.turnId, turn);
    },
    remove(turn: ActiveTurn): void {
      const turns = rooms.get(turn.roomId);
      turns?.delete(turn.turnId);
      if (turns?.size === 0) rooms.delete(turn.roomId);
    },
    inRoom(roomId: number): ActiveTurn[] {
      return [...(rooms.get(roomId)?.values() ?? [])];
    },
    all(): ActiveTurn[] {
      return [...rooms.values()].flatMap((turns) => [...turns.values()]);
    },
  };
}

export type LiveTurns = ReturnType<typeof createLiveTurns>;

/** Only turns still generating are shown; a frozen one is over for every observer. */
export function generatingView(turn: ActiveTurn): GeneratingAgent {
  return {
    agent_id: turn.agentId,
    agent_name: turn.agentName,
    agent_profile_pic: turn.profilePic,
    turn_id: turn.turnId,
    attempt: turn.attempt,
    started_at: turn.startedAt.toISOString(),
    thinking_text: turn.thinking,
    response_text: turn.skipSeen ? '' : turn.text,
  };
}

export function chattingView(turn: ActiveTurn): ChattingAgent {
  return {
    id: turn.agentId,
    name: turn.agentName,
    profile_pic: turn.profilePic,
    thinking_text: turn.thinking,
    response_text: turn.skipSeen ? '' : turn.text,
  };
}
