import { randomUUID } from 'node:crypto';
import type { RunKind } from '../../shared/models.js';
import { PROVIDER_IDS } from '../../shared/providers.js';
import type { AgentRow, RoomRow } from '../db/schema.js';
import type { ProviderId } from '../prompts/config-schemas.js';
import { chattingView, createLiveTurns, generatingView, type ActiveTurn } from './active-turn.js';
import { createTurnRunner, type TurnDeps, type TurnOutcome } from './agent-turn.js';
import { inProcessLeases, type RunnerLeases } from './leases.js';
import { applyPriorityAgents, buildTape, seededRandom, type Random, type TapeSlot } from './tape.js';
import type { CancelReason, Engine, UserMessageTrigger } from './types.js';

export interface EngineDeps extends Omit<TurnDeps, 'liveTurns' | 'sleep'> {
  runners: {
    recordRunEnded(roomId: number, at: Date): Promise<void>;
    setCooldown(roomId: number, until: Date): Promise<void>;
  };
  engine: {
    maxFollowUpRounds: number;
    maxResponsesPerTrigger: number;
    priorityAgents: readonly string[];
    errorCooldownMs: number;
    shutdownGraceMs: number;
  };
  /** Cluster exclusivity (§5.1 rule 2); the embedded database's single process needs none. */
  leases?: RunnerLeases;
  /** Tape shuffles; seeded from SHUFFLE_SEED by the composition root when set. */
  random?: Random;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Run {
  id: string;
  roomId: number;
  kind: RunKind;
  controller: AbortController;
  /** Removed from the registry by a newer run after the release bound; it may no longer persist or publish. */
  detached: boolean;
  done: Promise<void>;
}

type Membership = { agent: AgentRow; joinedAt: Date | null };

interface RoundStats {
  responses: number;
  skips: number;
  errors: number;
}

type TapeStop = 'completed' | 'cancelled' | 'paused' | 'limit' | 'provider_unavailable';

const SAVES_PARTIALS: ReadonlySet<CancelReason> = new Set(['user_message', 'pause', 'regenerate', 'shutdown']);
/** §5.2 rule 5: how long a canceller waits for the old run before detaching it. */
const RELEASE_BOUND_MS = 2000;
/** §5.2 rule 5: how long a user message waits for a remote holder to store its partials and release. */
const REMOTE_RELEASE_BOUND_MS = 3000;
/** Between attempts to take a lease another process holds. */
const LEASE_RETRY_MS = 100;

/**
 * The orchestration engine (behavior.md §5): one run per room, tapes of turns, cancellation with partial saves,
 * user/scheduler/manual runs. In-process exclusivity; the PostgreSQL lease of a cluster wraps the same registry.
 */
export function createEngine(deps: EngineDeps): Engine {
  const { log, clock, publish } = deps;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? abortableSleep;
  const leases = deps.leases ?? inProcessLeases;
  const liveTurns = createLiveTurns();
  const turns = createTurnRunner({ ...deps, liveTurns, sleep });
  const runs = new Map<number, Run>();
  /** Newest user message per room still waiting for the old run to release (§5.3 rule 4). */
  const pendingTriggers = new Map<number, UserMessageTrigger>();
  const starters = new Set<number>();
  /** Rooms with a user message being stored: no run may start there until it is (§5.3). */
  const holds = new Map<number, number>();
  let stopping = false;

  // ---- run registry -----------------------------------------------------------------------------------------

  /**
   * Takes the room's runner and starts `body` in the background. `stillWanted` is asked first, holding the runner:
   * a run whose reason went away meanwhile (the scheduler chose the room from an older reading) ends without a
   * trace — no events, no `last_run_ended_at`.
   */
  function register(
    roomId: number,
    kind: RunKind,
    body: (run: Run) => Promise<void>,
    stillWanted: (room: RoomRow) => Promise<boolean> = async () => true,
  ): Run | null {
    if (stopping || runs.has(roomId)) return null;
    const run: Run = { id: randomUUID(), roomId, kind, controller: new AbortController(), detached: false, done: Promise.resolve() };
    runs.set(roomId, run);
    run.done = (async () => {
      let started = false;
      let leased = false;
      let stopHeartbeat = () => undefined as void;
      try {
        // The cluster lease comes before anything else: a run that cannot get it leaves no trace (§5.1 rule 2).
        const lease = await acquireLease(run);
        if (!lease) return;
        leased = true;
        stopHeartbeat = startHeartbeat(run);
        const room = await deps.rooms.getRoomById(roomId);
        // The dead holder's typing indicators are stale; a room event makes clients drop them.
        if (room && lease.tookOver) await publish.room(room, 'updated');
        if (!room || !(await stillWanted(room))) return;
        started = true;
        await publish.room(room, 'run_started');
        await body(run);
      } catch (err) {
        if (!run.detached) log.error({ err, room: roomId, run: run.id, kind }, 'room run failed');
      } finally {
        stopHeartbeat();
        // Announced before the runner is released, so a room's `run_ended` always precedes the next `run_started`
        // and no observer ever sees more runs than the limits allow.
        if (started && !run.detached) await finishRun(run);
        if (leased) {
          // Guarantee 3 across processes (api.md §9): the run's events reach the other processes before the room is
          // free there, so a message inserted next by another process cannot overtake them on its streams.
          await publish.flush();
          await leases.release(roomId, run.id).catch((err: unknown) => log.warn({ err, room: roomId }, 'lease release failed'));
        }
        if (runs.get(roomId) === run) runs.delete(roomId);
      }
    })();
    return run;
  }

  // ---- cluster lease (§5.1 rules 2–3) -----------------------------------------------------------------------

  /**
   * A user run waits up to the lease TTL for a remote holder (§5.3 rule 4), flagging it to cancel on every try;
   * other runs give up at once (the scheduler picks the room again later, a manual turn is simply not started).
   */
  async function acquireLease(run: Run) {
    const deadline = Date.now() + (run.kind === 'user' ? leases.ttlMs + LEASE_RETRY_MS * 10 : 0);
    for (;;) {
      const lease = await leases.acquire(run.roomId, run.id, run.kind);
      if (lease || run.kind !== 'user' || run.controller.signal.aborted || stopping) return lease;
      await leases.requestCancel(run.roomId);
      if (Date.now() >= deadline) {
        log.warn({ room: run.roomId, run: run.id }, 'another process kept the room past the lease TTL; user run dropped');
        return null;
      }
      // Real time on purpose: the lease expires on the database clock, not on an injected one.
      await abortableSleep(LEASE_RETRY_MS, run.controller.signal).catch(() => undefined);
    }
  }

  /** Renews the lease while the run lasts; returns the function that stops it. */
  function startHeartbeat(run: Run): () => void {
    const every = leases.heartbeatMs;
    if (every === null) return () => undefined;
    let lastRenewed = Date.now();
    let beating = false;
    const beat = async () => {
      // A detached run keeps no right to hold the runner; its local successor takes the lease over.
      if (run.detached) return;
      try {
        const renewal = await leases.renew(run.roomId, run.id);
        if (!renewal.held) return loseLease(run);
        lastRenewed = Date.now();
        if (renewal.cancelRequested && runs.get(run.roomId) === run && !run.controller.signal.aborted) {
          // A user message reached another process (§5.3 rule 2): partials are saved, then the lease is released.
          await cancelRoom(run.roomId, 'user_message');
        }
      } catch (err) {
        log.warn({ err, room: run.roomId }, 'lease renewal failed');
        // Past the TTL another process may already have taken the room: stop before persisting anything more.
        if (Date.now() - lastRenewed >= leases.ttlMs) loseLease(run);
      }
    };
    const timer = setInterval(() => {
      if (beating) return;
      beating = true;
      void beat().finally(() => (beating = false));
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * §5.1 rule 2: another process owns the room now. The run is detached and its turns frozen without partials or
   * events: whatever it still has belongs to nobody, and the new holder speaks for the room.
   */
  function loseLease(run: Run): void {
    if (run.detached) return;
    log.warn({ room: run.roomId, run: run.id }, 'runner lease lost; abandoning the run');
    run.detached = true;
    if (runs.get(run.roomId) === run) runs.delete(run.roomId);
    run.controller.abort();
    for (const turn of liveTurns.inRoom(run.roomId)) {
      if (turn.freeze()) void turn.interrupt?.().catch(() => undefined);
    }
  }

  /**
   * §5.2 rule 5 across processes: flag a remote holder and give it a bounded moment to store its partials and
   * release, so they land before the new user message.
   */
  async function awaitRemoteRelease(roomId: number): Promise<void> {
    const deadline = Date.now() + REMOTE_RELEASE_BOUND_MS;
    try {
      while ((await leases.requestCancel(roomId)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, LEASE_RETRY_MS));
      }
    } catch (err) {
      log.warn({ err, room: roomId }, 'could not ask the remote runner to cancel');
    }
    // A remote run's last messages (its partials, or a reply it committed just before releasing) reach this
    // process's streams before the new user message does, so message ids on every stream keep increasing (api.md §9
    // guarantee 3). One notification round trip on PostgreSQL; nothing in a single process.
    await publish.catchUp(roomId);
  }

  /** §6 rule 2, re-checked with the runner held. */
  async function schedulerEligible(room: RoomRow): Promise<boolean> {
    if (room.isPaused || room.isFinished) return false;
    return room.maxInteractions === null || (await deps.messages.countRealReplies(room.id)) < room.maxInteractions;
  }

  async function finishRun(run: Run): Promise<void> {
    try {
      await deps.runners.recordRunEnded(run.roomId, clock());
      const room = await deps.rooms.getRoomById(run.roomId);
      if (room) await publish.room(room, 'run_ended', null);
    } catch (err) {
      log.warn({ err, room: run.roomId }, 'could not record the end of a run');
    }
  }

  /** Waits for the room's run to release; after the bound it is detached (§5.2 rule 5). */
  async function awaitRelease(roomId: number): Promise<void> {
    const run = runs.get(roomId);
    if (!run) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), RELEASE_BOUND_MS)));
    const result = await Promise.race([run.done.then(() => 'released' as const), bound]);
    clearTimeout(timer);
    if (result === 'timeout' && runs.get(roomId) === run) {
      log.warn({ room: roomId, run: run.id }, 'run still busy after cancellation; detaching it');
      run.detached = true;
      runs.delete(roomId);
    }
  }

  // ---- cancellation (§5.2) ----------------------------------------------------------------------------------

  async function cancelRoom(roomId: number, reason: CancelReason): Promise<void> {
    const run = runs.get(roomId);
    const frozen = liveTurns.inRoom(roomId).filter((turn) => turn.freeze());
    const persisting = liveTurns.inRoom(roomId).filter((turn) => turn.state === 'persisting');
    run?.controller.abort();
    for (const turn of frozen) void turn.interrupt?.().catch(() => undefined);
    await settleFrozen(roomId, frozen, SAVES_PARTIALS.has(reason));
    // A turn that was already persisting wins over the freeze; its row lands before the caller's next insert.
    await withinBound(Promise.all(persisting.map((turn) => turn.persisted)), RELEASE_BOUND_MS);
  }

  /** §5.2 rules 3–4: partials in turn-start order, each `message` followed by its `agent_end`. */
  async function settleFrozen(roomId: number, frozen: ActiveTurn[], savePartials: boolean): Promise<void> {
    const ordered = [...frozen].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    for (const turn of ordered) {
      let messageId: number | null = null;
      const text = turn.text.trim();
      if (savePartials && !turn.isCritic && !turn.skipSeen && text !== '') {
        try {
          messageId = await savePartial(turn, text);
        } catch (err) {
          log.error({ err, room: roomId, agent: turn.agentName }, 'partial reply could not be saved');
        }
      }
      turns.emitEnd(turn, 'interrupted', messageId);
    }
  }

  async function savePartial(turn: ActiveTurn, text: string): Promise<number> {
    const partial = {
      roomId: turn.roomId,
      agentId: turn.agentId,
      content: text,
      role: 'assistant' as const,
      participantName: turn.agentName,
      thinking: turn.thinking.trim() === '' ? null : turn.thinking,
      provider: turn.provider,
      model: turn.model,
      isSkip: false,
      timestamp: clock(),
    };
    return deps.roomLocks.run(turn.roomId, async () => {
      const row = await deps.messages.insertMessage(partial, undefined, { name: turn.agentName, profilePic: turn.profilePic });
      publish.message(row);
      return row.id;
    });
  }

  // ---- executing tapes (§5.6) -------------------------------------------------------------------------------

  interface TapeContext {
    run: Run;
    responses: number;
    /** The newest responder, so the next tape does not open with an agent that has nothing new to see. */
    lastSpeaker: number | null;
    /** Agents whose unavailable provider override already produced a notice in this run (§7.4 rule 4). */
    noticed: Set<string>;
  }

  async function executeTape(context: TapeContext, tape: readonly TapeSlot[], round: RoundStats): Promise<TapeStop> {
    for (const slot of tape) {
      const gate = await turnGate(context);
      if (gate.stop) return gate.stop;
      const membership = gate.memberships.find((member) => member.agent.id === slot.agent.id);
      if (!membership) continue;
      const outcome = await runOne(context, gate.room, gate.memberships, membership, { guarded: true, isCritic: false });
      if (outcome === 'provider_unavailable') return 'provider_unavailable';
      count(round, outcome);
      if (outcome === 'responded') {
        context.responses += 1;
        context.lastSpeaker = slot.agent.id;
      }
    }
    return 'completed';
  }

  /** §5.6 stop checks, on live state read before every turn (§5.1 rule 4). */
  async function turnGate(context: TapeContext) {
    const { run } = context;
    const none = { room: null, memberships: [] as Membership[] };
    if (run.controller.signal.aborted) return { ...none, stop: 'cancelled' as const };
    const room = await deps.rooms.getRoomById(run.roomId);
    if (!room || run.controller.signal.aborted) return { ...none, stop: 'cancelled' as const };
    if (room.isPaused) return { ...none, stop: 'paused' as const };
    if (context.responses >= deps.engine.maxResponsesPerTrigger) return { ...none, stop: 'limit' as const };
    if (room.maxInteractions !== null && (await deps.messages.countRealReplies(room.id)) >= room.maxInteractions) {
      return { ...none, stop: 'limit' as const };
    }
    const memberships = await deps.members.listMembershipsByRoom(room.id);
    return { room, memberships, stop: null };
  }

  async function runOne(
    context: TapeContext,
    room: RoomRow,
    memberships: readonly Membership[],
    membership: Membership,
    options: { guarded: boolean; isCritic: boolean },
  ): Promise<TurnOutcome | 'provider_unavailable'> {
    const { run } = context;
    const result = await turns.run(
      {
        room,
        agent: membership.agent,
        joinedAt: membership.joinedAt,
        memberships,
        guarded: options.guarded,
        isCritic: options.isCritic,
        stopped: () => run.controller.signal.aborted || run.detached,
        signal: run.controller.signal,
      },
      {
        noticeUnavailable: (provider: ProviderId) => {
          const key = provider === room.defaultProvider ? `room:${provider}` : `${membership.agent.id}:${provider}`;
          if (context.noticed.has(key)) return false;
          context.noticed.add(key);
          return true;
        },
      },
    );
    if (result.outcome === 'unavailable' && result.roomProviderUnavailable) return 'provider_unavailable';
    return result.outcome;
  }

  function count(round: RoundStats, outcome: TurnOutcome): void {
    if (outcome === 'responded') round.responses += 1;
    else if (outcome === 'skipped' || outcome === 'passed') round.skips += 1;
    else if (outcome === 'failed' || outcome === 'unavailable') round.errors += 1;
  }

  /** §5.10 rule 3 / §6 rule 6. Returns whether more rounds may follow. */
  async function afterRound(roomId: number, round: RoundStats): Promise<boolean> {
    if (round.responses > 0) return true;
    if (round.errors > 0) {
      await deps.runners.setCooldown(roomId, new Date(clock().getTime() + deps.engine.errorCooldownMs));
      return false;
    }
    if (round.skips > 0) {
      const updated = await deps.rooms.updateRoom(roomId, { isFinished: true });
      if (updated && updated !== 'duplicate') await publish.room(updated, 'finished');
    }
    return false;
  }

  function tapeAgents(agents: readonly AgentRow[]) {
    return applyPriorityAgents(
      agents.map((agent) => ({
        id: agent.id,
        name: agent.name,
        priority: agent.priority,
        interruptEveryTurn: agent.interruptEveryTurn,
        transparent: agent.transparent,
      })),
      deps.engine.priorityAgents,
    );
  }

  // ---- runs -------------------------------------------------------------------------------------------------

  /** §5.3 rule 5 and §5.10. */
  async function userRun(run: Run, trigger: UserMessageTrigger): Promise<void> {
    const roomId = run.roomId;
    const members = await currentMembers(roomId);
    const memberIds = members.map((agent) => agent.id);
    const mentioned = [...new Set(trigger.mentionedAgentIds)].filter((id) => memberIds.includes(id));
    const ignored = trigger.mentionedAgentIds.filter((id) => !memberIds.includes(id));
    if (ignored.length > 0) log.info({ room: roomId, ignored }, 'mentioned agents that are not members are ignored');
    const only = trigger.mentionMode === 'only' && mentioned.length > 0;
    // Mode `only` keeps the run to the mentioned members, critics and interrupt agents included (§5.4 rule 4).
    const taking = (agents: AgentRow[]) => (only ? agents.filter((agent) => mentioned.includes(agent.id)) : agents);
    const participantsOf = (agents: AgentRow[]) => tapeAgents(taking(agents).filter((agent) => !agent.isCritic));

    const context: TapeContext = { run, responses: 0, lastSpeaker: null, noticed: new Set() };
    let participants = participantsOf(members);
    const initial = buildTape({ participants, mentioned: only ? [] : mentioned, kind: 'initial', random });
    const round: RoundStats = { responses: 0, skips: 0, errors: 0 };
    let stop = await executeTape(context, initial, round);
    let more = stop === 'completed' && (await afterRound(roomId, round));

    for (let index = 0; more && index < deps.engine.maxFollowUpRounds; index += 1) {
      // §5.11 rule 5: members added during the run take part from the next tape.
      participants = participantsOf(await currentMembers(roomId));
      if (!followUpsAllowed(participants)) break;
      const next: RoundStats = { responses: 0, skips: 0, errors: 0 };
      stop = await executeTape(context, buildTape({ participants, kind: 'follow_up', random, lastSpeaker: context.lastSpeaker }), next);
      more = stop === 'completed' && (await afterRound(roomId, next));
    }
    if (stop === 'completed' || stop === 'limit') {
      await runCritics(context, taking(await currentMembers(roomId)).filter((agent) => agent.isCritic));
    }
  }

  /** Members with their effective flags read now (§2.11 rule 1): the database copy lags the watcher's debounce. */
  /**
   * §5.3 rule 5: the trigger must still be the newest user message (a newer one has its own run). A room without
   * members has nobody to answer, so its run would only announce itself.
   */
  async function userRunWanted(room: RoomRow, trigger: UserMessageTrigger): Promise<boolean> {
    const [newest, members] = await Promise.all([
      deps.messages.newestUserMessageId(room.id),
      deps.members.listMembersByRoom(room.id),
    ]);
    return newest === trigger.message.id && members.length > 0;
  }

  async function currentMembers(roomId: number): Promise<AgentRow[]> {
    const agents = (await deps.members.listMembershipsByRoom(roomId)).map((membership) => membership.agent);
    return Promise.all(agents.map(withLiveFlags));
  }

  async function withLiveFlags(agent: AgentRow): Promise<AgentRow> {
    const config = await deps.catalog.effectiveConfig(agent);
    if (!config) return agent;
    const { isCritic, isWhiteboard, interruptEveryTurn, priority, transparent } = config.flags;
    return { ...agent, isCritic, isWhiteboard, interruptEveryTurn, priority, transparent };
  }

  /** §5.10 rule 2: two or more participants, and not a room whose interrupt agents are all transparent. */
  function followUpsAllowed(participants: readonly { interruptEveryTurn: boolean; transparent: boolean }[]): boolean {
    const interrupts = participants.filter((agent) => agent.interruptEveryTurn);
    return participants.length >= 2 && !(interrupts.length > 0 && interrupts.every((agent) => agent.transparent));
  }

  /** §5.12: after the rounds, all critics at once, each with its own guarded turn. */
  async function runCritics(context: TapeContext, critics: readonly AgentRow[]): Promise<void> {
    if (critics.length === 0 || context.run.controller.signal.aborted) return;
    const room = await deps.rooms.getRoomById(context.run.roomId);
    if (!room || room.isPaused) return;
    const memberships = await deps.members.listMembershipsByRoom(room.id);
    await Promise.all(
      critics.map(async (critic) => {
        const membership = memberships.find((member) => member.agent.id === critic.id);
        if (!membership) return;
        try {
          await runOne(context, room, memberships, membership, { guarded: true, isCritic: true });
        } catch (err) {
          log.error({ err, critic: critic.name, room: room.id }, 'critic turn failed');
        }
      }),
    );
  }

  /** §6 rule 5: one follow-up tape, fresh count, no mentions, no critics. */
  async function schedulerRun(run: Run): Promise<void> {
    const members = await currentMembers(run.roomId);
    const participants = tapeAgents(members.filter((agent) => !agent.isCritic));
    if (participants.length < 2) return;
    const newest = await deps.messages.newestConversationMessage(run.roomId);
    const context: TapeContext = { run, responses: 0, lastSpeaker: newest?.agentId ?? null, noticed: new Set() };
    const round: RoundStats = { responses: 0, skips: 0, errors: 0 };
    const tape = buildTape({ participants, kind: 'follow_up', random, lastSpeaker: context.lastSpeaker });
    const stop = await executeTape(context, tape, round);
    if (stop === 'completed') await afterRound(run.roomId, round);
    else if (stop === 'provider_unavailable') {
      await deps.runners.setCooldown(run.roomId, new Date(clock().getTime() + deps.engine.errorCooldownMs));
    }
  }

  /** api.md §8.5 / §14.4: one unguarded turn; regenerate deletes the replaced message first. */
  async function manualRun(run: Run, agentId: number, replaceMessageId: number | undefined): Promise<void> {
    const roomId = run.roomId;
    if (replaceMessageId !== undefined) {
      if (await deps.messages.deleteMessageInRoom({ roomId, messageId: replaceMessageId })) {
        publish.event(roomId, { type: 'message_deleted', data: { room_id: roomId, message_id: replaceMessageId } });
      }
      // §5.11 rule 6: every member's session already holds the deleted reply, so each starts over, seeded.
      await deps.members.deleteSessionsByRoom(roomId);
    }
    const room = await deps.rooms.getRoomById(roomId);
    if (room?.isFinished) {
      const updated = await deps.rooms.updateRoom(roomId, { isFinished: false });
      if (updated && updated !== 'duplicate') await publish.room(updated, 'updated');
    }
    const context: TapeContext = { run, responses: 0, lastSpeaker: null, noticed: new Set() };
    const gate = await turnGate(context);
    if (gate.stop) return;
    const membership = gate.memberships.find((member) => member.agent.id === agentId);
    if (!membership) return;
    await runOne(context, gate.room, gate.memberships, membership, { guarded: false, isCritic: membership.agent.isCritic });
  }

  // ---- user messages ----------------------------------------------------------------------------------------

  /** Starts processing of a persisted user message in the background (api.md §8.3 step 5). */
  function handleUserMessage(trigger: UserMessageTrigger): void {
    if (stopping) return;
    pendingTriggers.set(trigger.room.id, trigger);
    void startUserRun(trigger.room.id);
  }

  /** One starter per room: waits for the old run, then runs the newest pending trigger. */
  async function startUserRun(roomId: number): Promise<void> {
    if (starters.has(roomId)) return;
    starters.add(roomId);
    try {
      while (pendingTriggers.has(roomId) && !stopping) {
        if (runs.has(roomId)) {
          // A newer user message supersedes whatever runs (normally already cancelled by the send).
          if (!runs.get(roomId)?.controller.signal.aborted) await cancelRoom(roomId, 'user_message');
          await awaitRelease(roomId);
          continue;
        }
        const trigger = pendingTriggers.get(roomId);
        pendingTriggers.delete(roomId);
        if (trigger) register(roomId, 'user', (run) => userRun(run, trigger), (room) => userRunWanted(room, trigger));
      }
    } finally {
      starters.delete(roomId);
      pendingTriggers.delete(roomId);
    }
  }

  return {
    runningKind: (roomId) => runs.get(roomId)?.kind ?? null,
    generating: (roomId) => liveTurns.inRoom(roomId).filter((turn) => turn.state === 'live').map(generatingView),
    chattingAgents: (roomId) => liveTurns.inRoom(roomId).filter((turn) => turn.state === 'live').map(chattingView),

    async interruptRoom(roomId, { reason }) {
      await cancelRoom(roomId, reason);
      if (reason === 'clear' || reason === 'delete') await disposeRoom(roomId);
    },

    async interruptAgent(agentId, { roomId }) {
      const affected = (roomId === undefined ? liveTurns.all() : liveTurns.inRoom(roomId)).filter(
        (turn) => turn.agentId === agentId,
      );
      for (const turn of affected) {
        if (!turn.freeze()) continue;
        void turn.interrupt?.().catch(() => undefined);
        turns.emitEnd(turn, 'interrupted', null);
      }
      if (roomId !== undefined) await disposeSession(roomId, agentId);
    },

    async submitUserMessage(roomId, insert) {
      holds.set(roomId, (holds.get(roomId) ?? 0) + 1);
      let trigger: UserMessageTrigger | null = null;
      try {
        await cancelRoom(roomId, 'user_message');
        await awaitRemoteRelease(roomId);
        const inserted = await insert();
        trigger = inserted.trigger;
        return inserted.result;
      } finally {
        const left = (holds.get(roomId) ?? 1) - 1;
        if (left > 0) holds.set(roomId, left);
        else holds.delete(roomId);
        if (trigger) handleUserMessage(trigger);
      }
    },


    async resumeRoom(room) {
      const newest = await deps.messages.newestConversationMessage(room.id);
      if (newest?.role !== 'user') return;
      handleUserMessage({ room, message: newest, mentionedAgentIds: [], mentionMode: 'first' });
    },

    async startManualTurn({ room, agentId, replaceMessageId }) {
      if (room.isPaused) return 'paused';
      if (runs.has(room.id) || pendingTriggers.has(room.id) || holds.has(room.id)) return 'busy';
      const run = register(room.id, 'manual', (registered) => manualRun(registered, agentId, replaceMessageId));
      return run ? 'started' : 'busy';
    },

    startSchedulerRun(room) {
      if (pendingTriggers.has(room.id) || holds.has(room.id)) return false;
      return register(room.id, 'scheduler', schedulerRun, schedulerEligible) !== null;
    },

    isRoomBusy: (roomId) => runs.has(roomId) || pendingTriggers.has(roomId) || holds.has(roomId),
    activeRunCount: (kind) => [...runs.values()].filter((run) => run.kind === kind).length,

    async shutdown() {
      stopping = true;
      pendingTriggers.clear();
      const active = [...runs.values()];
      const cancelled = Promise.all(active.map((run) => cancelRoom(run.roomId, 'shutdown')));
      // Half the grace period: the database and provider processes still have to close within the rest.
      await withinBound(
        cancelled.then(() => Promise.all(active.map((run) => run.done))),
        deps.engine.shutdownGraceMs / 2,
      );
      // Runs still stuck keep their leases otherwise, and other processes would wait out the TTL (§5.18).
      await withinBound(
        leases.releaseAll().catch((err: unknown) => log.warn({ err }, 'could not release runner leases')),
        1000,
      );
    },
  };

  async function disposeRoom(roomId: number): Promise<void> {
    for (const id of PROVIDER_IDS) {
      await deps.providers.adapter(id)?.disposeRoom(roomId).catch((err: unknown) => log.warn({ err, roomId }, 'dispose failed'));
    }
  }

  async function disposeSession(roomId: number, agentId: number): Promise<void> {
    for (const id of PROVIDER_IDS) {
      await deps.providers
        .adapter(id)
        ?.disposeSession(roomId, agentId)
        .catch((err: unknown) => log.warn({ err, roomId, agentId }, 'dispose failed'));
    }
  }
}

export function shuffleSource(seed: number | undefined): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

async function withinBound(task: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([task, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
