import type { RoomEventPayloads } from '../../shared/events.js';
import type { ChattingAgent, Message } from '../../shared/models.js';
import {
  claimAwaitingTurn,
  handOff,
  holdsMessage,
  linkErrorNotice,
  newTurnRecord,
  putTurn,
  retireBubble,
  setMemberStatus,
} from './agent-turns.js';
import { newestMessageId } from './message-order.js';
import { sameFields } from './same-fields.js';
import type { DeltaPayload, LiveBubble, LivePhase, Timeline } from './timeline-types.js';

/** The live-bubble lifecycle of ui.md §3.3: `agent_start` → `delta`* → `message` / `agent_end` / `agent_error`. */

type AgentStart = RoomEventPayloads['agent_start'];
type AgentEnd = RoomEventPayloads['agent_end'];
type AgentError = RoomEventPayloads['agent_error'];

function memberName(t: Timeline, agentId: number): string | null {
  return t.room?.agents.find((agent) => agent.id === agentId)?.name ?? null;
}

function restingPhase(bubble: Pick<LiveBubble, 'response'>): LivePhase {
  return bubble.response === '' ? 'thinking' : 'writing';
}

function newBubble(t: Timeline, agentId: number, turnId: string, at: number): LiveBubble {
  return {
    agentId,
    key: `live:${agentId}:${turnId}`,
    turnId,
    attempt: 1,
    name: memberName(t, agentId),
    pic: null,
    thinking: '',
    response: '',
    startedAt: at,
    startSeen: false,
    firstResponseAt: null,
    lastThinkingAt: null,
    phase: t.room?.is_paused === true ? 'stopping' : 'thinking',
    floorId: newestMessageId(t.messages) ?? 0,
  };
}

/** Replaces the agent's bubble (or appends one), retiring a bubble of an older turn that never ended. */
function placeBubble(t: Timeline, bubble: LiveBubble): Timeline {
  const index = t.live.findIndex((live) => live.agentId === bubble.agentId);
  if (index === -1) return { ...t, live: [...t.live, bubble] };
  const previous = t.live[index];
  let next = t;
  if (previous !== undefined && previous.turnId !== bubble.turnId) {
    next = putTurn(next, previous.turnId, retireBubble(next, previous));
  }
  const live = [...next.live];
  live[index] = bubble;
  return { ...next, live };
}

function removeBubble(t: Timeline, bubble: LiveBubble): Timeline {
  return { ...t, live: t.live.filter((live) => live !== bubble) };
}

export function startTurn(t: Timeline, data: AgentStart, at: number): Timeline {
  if (t.turns[data.turn_id]?.ended === true) return t;
  const current = t.live.find((live) => live.agentId === data.agent_id);
  let bubble: LiveBubble;
  if (current !== undefined && current.turnId === data.turn_id) {
    if (data.attempt <= current.attempt) return t;
    // api.md §9.3: attempt 2 retries the provider call from nothing, so the partial text of attempt 1 goes.
    bubble = {
      ...current,
      attempt: data.attempt,
      name: data.agent_name,
      pic: data.agent_profile_pic,
      thinking: '',
      response: '',
      firstResponseAt: null,
      lastThinkingAt: null,
      phase: current.phase === 'stopping' ? 'stopping' : 'thinking',
    };
  } else {
    bubble = {
      ...newBubble(t, data.agent_id, data.turn_id, at),
      attempt: data.attempt,
      name: data.agent_name,
      pic: data.agent_profile_pic,
      startSeen: true,
    };
  }
  let next = placeBubble(t, bubble);
  if (next.turns[data.turn_id] === undefined) {
    next = putTurn(next, data.turn_id, { ...newTurnRecord(t, data.agent_id, data.agent_name), floorId: bubble.floorId });
  }
  return setMemberStatus(next, data.agent_id, { activity: 'thinking', turnId: data.turn_id, error: null });
}

export function applyDeltas(t: Timeline, deltas: readonly DeltaPayload[], at: number): Timeline {
  let next = t;
  // Bubbles created in this batch are private until returned, so appending to them in place is safe.
  const fresh = new Set<LiveBubble>();
  for (const delta of deltas) {
    if (delta.text === '' || next.turns[delta.turn_id]?.ended === true) continue;
    let bubble = next.live.find((live) => live.agentId === delta.agent_id);
    if (bubble === undefined || bubble.turnId !== delta.turn_id) {
      // ui.md §3.5: a delta for an unknown turn creates a bubble (its agent_start came before we subscribed).
      bubble = newBubble(next, delta.agent_id, delta.turn_id, at);
      fresh.add(bubble);
      next = placeBubble(next, bubble);
      if (next.turns[delta.turn_id] === undefined) {
        next = putTurn(next, delta.turn_id, newTurnRecord(next, delta.agent_id, bubble.name));
      }
    } else if (!fresh.has(bubble)) {
      const copy: LiveBubble = { ...bubble };
      fresh.add(copy);
      const live = [...next.live];
      live[live.indexOf(bubble)] = copy;
      next = { ...next, live };
      bubble = copy;
    }
    if (delta.kind === 'thinking') {
      bubble.thinking += delta.text;
      bubble.lastThinkingAt = at;
    } else {
      bubble.response += delta.text;
      bubble.firstResponseAt ??= at;
      if (bubble.phase !== 'stopping') bubble.phase = 'writing';
    }
    const activity = bubble.response === '' ? 'thinking' : 'writing';
    next = setMemberStatus(next, delta.agent_id, { activity, turnId: delta.turn_id, error: null });
  }
  return next;
}

/** A finished message of agent X replaces X's bubble, keeping its row key and thinking time (ui.md §3.5). */
export function replaceBubbleWithMessage(t: Timeline, message: Message): Timeline {
  if (message.agent_id === null || message.participant_type !== null) return t;
  const bubble = t.live.find((live) => live.agentId === message.agent_id);
  // A message at or below the floor predates the turn (a replayed or paged older reply) and leaves it running.
  if (bubble === undefined || message.id <= bubble.floorId) return claimAwaitingTurn(t, message);
  const record = { ...retireBubble(t, bubble), messageId: message.id, awaitingMessage: false };
  return putTurn(handOff(removeBubble(t, bubble), message.id, record), bubble.turnId, record);
}

export function endTurn(t: Timeline, data: AgentEnd): Timeline {
  const bubble = t.live.find((live) => live.agentId === data.agent_id && live.turnId === data.turn_id);
  let next = bubble === undefined ? t : removeBubble(t, bubble);
  let record = bubble === undefined ? t.turns[data.turn_id] : retireBubble(t, bubble);
  record ??= newTurnRecord(t, data.agent_id, data.agent_name);
  const failed = data.outcome === 'error';
  record = { ...record, ended: true, errored: record.errored || failed, endedWithError: failed };
  if (data.message_id !== null) {
    const held = holdsMessage(next, data.message_id);
    if (held) next = handOff(next, data.message_id, record);
    record = { ...record, messageId: data.message_id, awaitingMessage: !held && record.key !== null };
  }
  next = putTurn(next, data.turn_id, record);

  // A newer turn of the same agent already owns its status.
  if (!next.live.some((live) => live.agentId === data.agent_id)) {
    const current = next.memberStatus[data.agent_id];
    const keptError = current?.turnId === data.turn_id ? current.error : null;
    const activity = failed ? 'error' : data.outcome === 'skipped' ? 'passed' : 'idle';
    next = setMemberStatus(next, data.agent_id, {
      activity,
      turnId: data.turn_id,
      error: failed ? keptError : null,
    });
  }
  return failed ? linkErrorNotice(next, data.turn_id) : next;
}

export function failTurn(t: Timeline, data: AgentError): Timeline {
  const bubble = t.live.find((live) => live.agentId === data.agent_id && live.turnId === data.turn_id);
  let next = bubble === undefined ? t : removeBubble(t, bubble);
  const record = bubble === undefined ? t.turns[data.turn_id] : retireBubble(t, bubble);
  const base = record ?? newTurnRecord(t, data.agent_id, data.agent_name);
  next = putTurn(next, data.turn_id, { ...base, ended: true, errored: true });
  if (!next.live.some((live) => live.agentId === data.agent_id)) {
    next = setMemberStatus(next, data.agent_id, { activity: 'error', turnId: data.turn_id, error: data.error });
  }
  return linkErrorNotice(next, data.turn_id);
}

interface LiveSource {
  agentId: number;
  turnId: string;
  attempt: number;
  name: string;
  pic: string | null;
  thinking: string;
  response: string;
  startedAt: number;
}

/**
 * Replaces every bubble with `sources` (a snapshot's `generating`, or the polled chatting agents). A bubble of the
 * same turn keeps its row key and start time; bubbles of turns that are gone are retired; statuses follow.
 */
function replaceLive(t: Timeline, sources: readonly LiveSource[], floorId: number, at: number): Timeline {
  let next = t;
  const stopping = t.room?.is_paused === true;
  const live = sources.map((source): LiveBubble => {
    const existing = t.live.find((bubble) => bubble.agentId === source.agentId && bubble.turnId === source.turnId);
    const base = existing ?? { ...newBubble(t, source.agentId, source.turnId, source.startedAt), floorId };
    const resting = restingPhase(source);
    const bubble: LiveBubble = {
      ...base,
      attempt: source.attempt,
      name: source.name,
      pic: source.pic,
      thinking: source.thinking,
      response: source.response,
      // The first response text seen by polling or a later snapshot starts the writing time now.
      firstResponseAt: existing?.response === '' && source.response !== '' ? at : base.firstResponseAt,
      phase: stopping || base.phase === 'stopping' ? 'stopping' : resting,
    };
    return existing !== undefined && sameFields(existing, bubble) ? existing : bubble;
  });
  for (const bubble of t.live) {
    if (!live.some((kept) => kept.turnId === bubble.turnId)) next = putTurn(next, bubble.turnId, retireBubble(next, bubble));
  }
  for (const bubble of live) {
    const record = next.turns[bubble.turnId];
    const fresh = { ...newTurnRecord(next, bubble.agentId, bubble.name), floorId: bubble.floorId };
    if (record === undefined || record.ended) next = putTurn(next, bubble.turnId, { ...(record ?? fresh), ended: false });
  }
  const unchangedList = live.length === t.live.length && live.every((bubble, index) => bubble === t.live[index]);
  next = unchangedList ? next : { ...next, live };
  for (const [id, status] of Object.entries(next.memberStatus)) {
    const agentId = Number(id);
    const bubble = live.find((kept) => kept.agentId === agentId);
    if (bubble === undefined && (status.activity === 'thinking' || status.activity === 'writing')) {
      next = setMemberStatus(next, agentId, { activity: 'idle', turnId: status.turnId, error: null });
    }
  }
  for (const bubble of live) {
    const activity = bubble.response === '' ? 'thinking' : 'writing';
    next = setMemberStatus(next, bubble.agentId, { activity, turnId: bubble.turnId, error: null });
  }
  return next;
}

export function applySnapshotLive(t: Timeline, snapshot: RoomEventPayloads['snapshot'], at: number): Timeline {
  const floorId = snapshot.last_message_id ?? newestMessageId(t.messages) ?? 0;
  const sources = snapshot.generating.map(
    (generating): LiveSource => {
      const started = Date.parse(generating.started_at);
      return {
        agentId: generating.agent_id,
        turnId: generating.turn_id,
        attempt: generating.attempt,
        name: generating.agent_name,
        pic: generating.agent_profile_pic,
        thinking: generating.thinking_text,
        response: generating.response_text,
        // The server's clock may run ahead of ours; a start in our future would show negative seconds.
        startedAt: Number.isNaN(started) ? at : Math.min(started, at),
      };
    },
  );
  return replaceLive(t, sources, floorId, at);
}

/** Polling fallback (ui.md §4.4.4): bubbles rebuilt from `chatting-agents`, which carries no turn ids. */
export function applyChattingAgents(t: Timeline, agents: readonly ChattingAgent[], at: number): Timeline {
  const floorId = newestMessageId(t.messages) ?? 0;
  const sources = agents.map((agent): LiveSource => {
    const current = t.live.find((bubble) => bubble.agentId === agent.id);
    return {
      agentId: agent.id,
      turnId: current?.turnId ?? `poll:${agent.id}:${at}`,
      attempt: current?.attempt ?? 1,
      name: agent.name,
      pic: agent.profile_pic,
      thinking: agent.thinking_text,
      response: agent.response_text,
      startedAt: current?.startedAt ?? at,
    };
  });
  return replaceLive(t, sources, floorId, at);
}

export function markStopping(t: Timeline, stopping: boolean): Timeline {
  let changed = false;
  const live = t.live.map((bubble) => {
    const phase = stopping ? 'stopping' : bubble.phase === 'stopping' ? restingPhase(bubble) : bubble.phase;
    if (phase === bubble.phase) return bubble;
    changed = true;
    return { ...bubble, phase };
  });
  return changed ? { ...t, live } : t;
}
