import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AgentConfig } from '../agents/effective-config.js';
import type { AgentQueries } from '../db/agents.js';
import type { Db } from '../db/connect.js';
import type { MemberQueries } from '../db/members.js';
import type { MessageQueries, MessageWithAuthor } from '../db/messages.js';
import type { RoomQueries } from '../db/rooms.js';
import type { AgentRow, RoomRow } from '../db/schema.js';
import type { ProviderId } from '../prompts/config-schemas.js';
import type { PromptConfig } from '../prompts/prompt-config.js';
import { buildSystemPrompt } from '../prompts/system-prompt.js';
import { renderTemplate } from '../prompts/template.js';
import { buildSeedMessage, buildStatelessHistory, buildTurnMessage } from '../prompts/turn-message.js';
import { MAX_WINDOW_CANDIDATES, type RoomAuthors } from '../prompts/turn-window.js';
import type { ProviderAvailabilityRegistry } from '../providers/registry.js';
import type { HistoryEntry, Provider, ProviderErrorCode, TurnRequest, UserPart } from '../providers/types.js';
import type { RoomLocks } from '../rooms/room-locks.js';
import { buildTurnTools } from '../tools/turn-tools.js';
import { createActiveTurn, type ActiveTurn, type LiveTurns } from './active-turn.js';
import { writeCriticReport } from './critic-report.js';
import type { EnginePublisher } from './publisher.js';

/** Internal turn outcomes (behavior.md §5.6); `unavailable` is §7.4 rule 4. */
export type TurnOutcome = 'responded' | 'skipped' | 'passed' | 'discarded' | 'cancelled' | 'failed' | 'unavailable';

export interface TurnDeps {
  db: Db;
  rooms: RoomQueries;
  messages: MessageQueries;
  members: MemberQueries;
  agents: Pick<AgentQueries, 'listAgents'>;
  catalog: { effectiveConfig(row: AgentRow): Promise<AgentConfig | null>; invalidateFolder(dir: string): void };
  prompts: PromptConfig;
  providers: ProviderAvailabilityRegistry;
  publish: EnginePublisher;
  roomLocks: RoomLocks;
  liveTurns: LiveTurns;
  clock: () => Date;
  log: Logger;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  settings: {
    userName: string;
    timeZone: string;
    timeZoneLabel: string | undefined;
    thinkingBudget: number;
    retryDelayMs: number;
    recoveryHistoryLimit: number;
    openaiHistoryLimit: number;
    reportsDir: string;
  };
}

export interface TurnInput {
  room: RoomRow;
  agent: AgentRow;
  joinedAt: Date | null;
  /** The room's members as read for this turn (their flags decide which rows are conversation). */
  memberships: readonly { agent: AgentRow; joinedAt: Date | null }[];
  /** Manual turns (regenerate, respond) are unguarded and render the empty conversation instead (§5.7 rule 2). */
  guarded: boolean;
  isCritic: boolean;
  /** Whether the run is still allowed to start provider calls. */
  stopped: () => boolean;
  signal: AbortSignal;
}

export interface TurnResult {
  outcome: TurnOutcome;
  provider: ProviderId;
  /** The unavailable provider is the room's own (§7.4 rule 4: the run ends). */
  roomProviderUnavailable?: boolean;
}

interface ProviderFailure {
  code: ProviderErrorCode;
  message: string;
  transient: boolean;
}

/** Rows beyond the history a turn reads first; the agent's own last message is usually among them. */
const SHORT_READ_MARGIN = 40;

/**
 * One agent turn (behavior.md §5.7): effective config → window → prompt → provider call with one transient
 * retry → persist, publish. Never throws for provider trouble; every `agent_start` gets exactly one `agent_end`.
 */
export function createTurnRunner(deps: TurnDeps) {
  const { publish, log, clock, settings } = deps;

  async function unavailable(input: TurnInput, provider: ProviderId, reason: string, noticeOnce: boolean): Promise<TurnResult> {
    const roomProvider = provider === input.room.defaultProvider;
    if (noticeOnce) {
      const text = renderTemplate(deps.prompts.conversationContext().notices.provider_unavailable, { reason });
      await insertNotice(input.room.id, text);
      publish.event(input.room.id, {
        type: 'agent_error',
        data: { agent_id: input.agent.id, agent_name: input.agent.name, turn_id: randomUUID(), error: truncate(reason) },
      });
    }
    return { outcome: 'unavailable', provider, roomProviderUnavailable: roomProvider };
  }

  async function insertNotice(roomId: number, content: string): Promise<MessageWithAuthor> {
    return deps.roomLocks.run(roomId, async () => {
      const row = await deps.messages.insertMessage({
        roomId,
        content,
        role: 'assistant',
        participantType: 'system',
        timestamp: clock(),
      });
      publish.message(row);
      return row;
    });
  }

  /**
   * The rows a turn reads (§4.2, §4.10): everything after the agent's newest message (at most 200 candidates) and,
   * for a stateless provider, the `historyLimit` rows up to it. Most turns come shortly after the agent's own
   * last message, so a short read usually holds all of that; only when it does not is the full window read.
   */
  async function recentRows(
    roomId: number,
    agentId: number,
    needs: { history: number; seed: number },
  ): Promise<MessageWithAuthor[]> {
    const short = Math.max(needs.history, needs.seed) + SHORT_READ_MARGIN;
    const rows = await deps.messages.listMessagesByRoom({ roomId, limit: short });
    if (rows.length < short) return rows;
    let newestOwn = -1;
    for (let index = rows.length - 1; index >= 0 && newestOwn === -1; index -= 1) {
      if (rows[index]?.agentId === agentId) newestOwn = index;
    }
    if (newestOwn !== -1 && newestOwn + 1 >= needs.history) return rows;
    return deps.messages.listMessagesByRoom({ roomId, limit: MAX_WINDOW_CANDIDATES + Math.max(needs.history, needs.seed) });
  }

  /** What a turn needs once it is known to call the provider. */
  interface PreparedTurn {
    providerId: ProviderId;
    adapter: Provider;
    model: string | null;
    config: AgentConfig | null;
    userWatermark: number | null;
    turnParts: UserPart[];
    /** §4.9: the full-history seed for a stateful provider without a usable session. */
    seedParts: () => UserPart[];
    history: HistoryEntry[] | undefined;
    sessionId: string | null;
  }

  async function run(input: TurnInput, options: { noticeUnavailable: (provider: ProviderId) => boolean }): Promise<TurnResult> {
    const prepared = await prepare(input, options);
    return 'outcome' in prepared ? prepared : execute(input, prepared);
  }

  /** §5.7 rules 1–3: configuration, provider, window and prompt parts; a guarded turn with nothing new passes. */
  async function prepare(
    input: TurnInput,
    options: { noticeUnavailable: (provider: ProviderId) => boolean },
  ): Promise<PreparedTurn | TurnResult> {
    const { room, agent, memberships } = input;
    const config = await deps.catalog.effectiveConfig(agent);
    const providerId: ProviderId = config?.provider ?? (room.defaultProvider as ProviderId);
    const adapter = deps.providers.adapter(providerId);
    const availability = await deps.providers.availability(providerId);
    if (!adapter || !availability.available) {
      return unavailable(input, providerId, availability.reason ?? 'not available', options.noticeUnavailable(providerId));
    }
    // The room's model belongs to the room's provider; an agent on another provider uses that one's default.
    const model =
      config?.model ?? (providerId === room.defaultProvider ? room.defaultModel : null) ?? availability.defaultModel ?? null;

    // Read before the rows: a user message stored in between is then newer than the watermark, so a reply that
    // never saw it is discarded (§5.7 rule 7) instead of saved.
    const userWatermark = await deps.messages.newestUserMessageId(room.id);
    const stateful = adapter.capabilities.statefulSessions;
    const rows = await recentRows(room.id, agent.id, {
      history: stateful ? 0 : settings.openaiHistoryLimit,
      seed: stateful ? settings.recoveryHistoryLimit : 0,
    });
    const memberIds = new Set(memberships.map((membership) => membership.agent.id));
    // Former members' rows keep their author's flags (a critic that left is still not conversation).
    const formerAuthors = rows.some((row) => row.agentId !== null && !memberIds.has(row.agentId))
      ? await deps.agents.listAgents()
      : [];
    const authors = roomAuthors([...memberships.map((membership) => membership.agent), ...formerAuthors]);
    const whiteboardRows = rows.some((row) => row.agentId !== null && authors.whiteboards.has(row.agentId))
      ? await deps.messages.listMessagesByAuthors({ roomId: room.id, agentIds: [...authors.whiteboards] })
      : [];
    const messageOptions = {
      rows,
      agent: { id: agent.id, name: agent.name, joinedAt: input.joinedAt },
      authors,
      provider: providerId,
      config: deps.prompts,
      userName: settings.userName,
      images: adapter.capabilities.images,
      whiteboardRows,
    };
    const turnMessage = buildTurnMessage(messageOptions);
    if (input.guarded && turnMessage.rendered === 0) return { outcome: 'passed', provider: providerId };
    if (input.stopped()) return { outcome: 'cancelled', provider: providerId };

    const hasSpoken = rows.some((row) => row.agentId === agent.id);
    return {
      providerId,
      adapter,
      model,
      config,
      userWatermark,
      turnParts: turnMessage.parts,
      seedParts: () =>
        hasSpoken ? buildSeedMessage({ ...messageOptions, limit: settings.recoveryHistoryLimit }).parts : turnMessage.parts,
      history: stateful ? undefined : buildStatelessHistory({ ...messageOptions, limit: settings.openaiHistoryLimit }),
      sessionId: stateful ? await deps.members.getSession({ roomId: room.id, agentId: agent.id, provider: providerId }) : null,
    };
  }

  /** §5.7 rules 4–10: the live turn, the provider call (with its retries) and the persist. */
  async function execute(input: TurnInput, prepared: PreparedTurn): Promise<TurnResult> {
    const { room, agent } = input;
    const { providerId, adapter, config } = prepared;
    const texts = config ?? {
      inANutshell: agent.inANutshell ?? '',
      characteristics: agent.characteristics ?? '',
      recentEvents: agent.recentEvents ?? '',
    };
    const turn = createActiveTurn({
      turnId: randomUUID(),
      roomId: room.id,
      agentId: agent.id,
      agentName: agent.name,
      profilePic: agent.profilePic,
      isCritic: input.isCritic,
      startedAt: clock(),
      provider: providerId,
      model: prepared.model,
    });
    const boundaryChecks: string[] = [];
    // Tools write to the agent's folder; without a readable folder the turn has none (skip by empty text remains).
    const tools = config
      ? buildTurnTools({
          agent: config,
          provider: providerId,
          config: deps.prompts,
          clock,
          timeZone: settings.timeZone,
          log,
          onSkip: () => markSkip(turn),
          onBoundaryCheck: (situation) => boundaryChecks.push(situation),
          onMemorized: () => deps.catalog.invalidateFolder(config.dir),
        })
      : [];
    const request = (parts: UserPart[], sessionId: string | null) => (signal: AbortSignal): TurnRequest => ({
      turnId: turn.turnId,
      roomId: room.id,
      agentId: agent.id,
      agentName: agent.name,
      systemPrompt: buildSystemPrompt({
        config: deps.prompts,
        provider: providerId,
        agentName: agent.name,
        userName: settings.userName,
        texts,
        includeTimeLine: true,
        now: clock(),
        timeZone: settings.timeZone,
        timeZoneLabel: settings.timeZoneLabel,
      }),
      userParts: parts,
      tools,
      sessionId,
      model: prepared.model,
      thinkingBudget: config?.thinkingBudget ?? settings.thinkingBudget,
      signal,
      ...(prepared.history === undefined ? {} : { history: prepared.history }),
    });

    deps.liveTurns.add(turn);
    try {
      // Registered and checked in one step: a cancel from now on finds the turn and ends it (§5.9 rule 1).
      if (input.signal.aborted) return { outcome: 'cancelled', provider: providerId };
      emitStart(turn);
      const { sessionId } = prepared;
      const seeded = sessionId === null && adapter.capabilities.statefulSessions;
      let outcome = await callProvider(turn, adapter, input.signal, request(seeded ? prepared.seedParts() : prepared.turnParts, sessionId));
      // §7.5: a session the provider cannot find is forgotten and the turn retried once, seeded with the history.
      if (outcome.kind === 'failed' && outcome.failure.code === 'session_not_found' && sessionId !== null) {
        await deps.members.deleteSession({ roomId: room.id, agentId: agent.id, provider: providerId });
        outcome = await callProvider(turn, adapter, input.signal, request(prepared.seedParts(), null));
      }

      if (outcome.kind === 'cancelled' || !turn.claimPersist()) {
        // Nobody froze it (the adapter stopped on its own): the turn still owes its `agent_end`.
        if (turn.freeze()) emitEnd(turn, 'interrupted', null);
        return { outcome: 'cancelled', provider: providerId };
      }
      try {
        const persisted = await persist(turn, input, outcome, { userWatermark: prepared.userWatermark, boundaryChecks, providerId });
        return { outcome: persisted, provider: providerId };
      } finally {
        turn.settlePersist();
      }
    } finally {
      deps.liveTurns.remove(turn);
    }
  }

  type CallOutcome =
    | { kind: 'final'; text: string; thinking: string; sessionId: string | null; model: string | null }
    | { kind: 'failed'; failure: ProviderFailure }
    | { kind: 'cancelled' };

  /** Runs the provider call, retrying once after a transient failure when nothing was streamed (§5.16 rule 3). */
  async function callProvider(
    turn: ActiveTurn,
    adapter: Provider,
    runSignal: AbortSignal,
    request: (signal: AbortSignal) => TurnRequest,
  ): Promise<CallOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      const result = await attemptOnce(turn, adapter, runSignal, request);
      if (result.kind !== 'failed' || !result.failure.transient || attempt >= 2) return result;
      if (turn.thinking !== '' || turn.text !== '' || turn.skipSeen || result.streamed) return result;
      try {
        await deps.sleep(settings.retryDelayMs, runSignal);
      } catch {
        return { kind: 'cancelled' };
      }
      if (turn.state !== 'live') return { kind: 'cancelled' };
      turn.attempt = attempt + 1;
      emitStart(turn);
    }
  }

  async function attemptOnce(
    turn: ActiveTurn,
    adapter: Provider,
    runSignal: AbortSignal,
    request: (signal: AbortSignal) => TurnRequest,
  ): Promise<CallOutcome & { streamed?: boolean }> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    runSignal.addEventListener('abort', onAbort, { once: true });
    let blockIndex: number | null = null;
    let streamed = false;
    let sessionId: string | null = null;
    let reportedModel: string | null = null;
    try {
      if (runSignal.aborted) return { kind: 'cancelled' };
      const handle = adapter.startTurn(request(controller.signal));
      turn.interrupt = () => handle.interrupt();
      for await (const event of handle.events) {
        if (turn.state === 'frozen') continue;
        switch (event.type) {
          case 'session':
            sessionId = event.sessionId;
            reportedModel = event.model ?? reportedModel;
            break;
          case 'thinking_delta':
            if (event.text === '') break;
            turn.thinking += event.text;
            streamed = true;
            publish.event(turn.roomId, {
              type: 'delta',
              data: { agent_id: turn.agentId, turn_id: turn.turnId, kind: 'thinking', text: event.text },
            });
            break;
          case 'text_delta': {
            if (turn.skipSeen || event.text === '') break;
            // §5.7 rule 5: a new text block after a non-empty one is separated by a blank line.
            const separator = blockIndex !== null && event.blockIndex !== blockIndex && turn.text !== '' ? '\n\n' : '';
            blockIndex = event.blockIndex;
            const text = separator + event.text;
            turn.text += text;
            streamed = true;
            publish.event(turn.roomId, {
              type: 'delta',
              data: { agent_id: turn.agentId, turn_id: turn.turnId, kind: 'response', text },
            });
            break;
          }
          case 'tool_call':
            if (event.tool === 'skip') markSkip(turn);
            break;
          case 'final':
            if (event.stopReason === 'interrupted') return { kind: 'cancelled' };
            return {
              kind: 'final',
              text: turn.text !== '' ? turn.text : event.text,
              thinking: turn.thinking !== '' ? turn.thinking : event.thinking,
              sessionId: event.sessionId ?? sessionId,
              model: reportedModel,
            };
          case 'error':
            return { kind: 'failed', failure: { code: event.code, message: event.message, transient: event.transient }, streamed };
          default:
            break;
        }
      }
      if (turn.state === 'frozen' || runSignal.aborted) return { kind: 'cancelled' };
      return { kind: 'failed', failure: { code: 'internal', message: 'The provider ended without an answer', transient: false } };
    } catch (err) {
      if (turn.state === 'frozen' || runSignal.aborted) return { kind: 'cancelled' };
      log.error({ err, agent: turn.agentName, room: turn.roomId }, 'provider turn threw');
      return { kind: 'failed', failure: { code: 'internal', message: 'The provider failed unexpectedly', transient: false } };
    } finally {
      turn.interrupt = null;
      runSignal.removeEventListener('abort', onAbort);
    }
  }

  function markSkip(turn: ActiveTurn): void {
    turn.skipSeen = true;
  }

  function emitStart(turn: ActiveTurn): void {
    publish.event(turn.roomId, {
      type: 'agent_start',
      data: {
        agent_id: turn.agentId,
        agent_name: turn.agentName,
        agent_profile_pic: turn.profilePic,
        turn_id: turn.turnId,
        attempt: turn.attempt,
        provider: turn.provider,
        model: turn.model,
      },
    });
  }

  function emitEnd(turn: ActiveTurn, outcome: 'responded' | 'skipped' | 'interrupted' | 'error', messageId: number | null): void {
    publish.event(turn.roomId, {
      type: 'agent_end',
      data: { agent_id: turn.agentId, agent_name: turn.agentName, turn_id: turn.turnId, outcome, message_id: messageId },
    });
  }

  /** §5.7 rules 7–10 and §5.8, under the claim that keeps cancellation out. */
  async function persist(
    turn: ActiveTurn,
    input: TurnInput,
    outcome: Exclude<CallOutcome, { kind: 'cancelled' }>,
    context: { userWatermark: number | null; boundaryChecks: string[]; providerId: ProviderId },
  ): Promise<TurnOutcome> {
    const { room, agent } = input;
    if (outcome.kind === 'failed') {
      const reason = truncate(outcome.failure.message || outcome.failure.code);
      publish.event(room.id, {
        type: 'agent_error',
        data: { agent_id: agent.id, agent_name: agent.name, turn_id: turn.turnId, error: reason },
      });
      const text = renderTemplate(deps.prompts.conversationContext().notices.agent_error, {
        agent_name: agent.name,
        error: reason,
      });
      await insertNotice(room.id, text);
      emitEnd(turn, 'error', null);
      return 'failed';
    }

    // §5.1 rule 4: live state re-read before the persist; a member removed by another process is not persisted.
    const gate = await deps.rooms.persistGate(room.id, agent.id);
    if (!gate || gate.isPaused || !gate.isMember || (gate.newestUserMessageId ?? 0) > (context.userWatermark ?? 0)) {
      emitEnd(turn, 'interrupted', null);
      return 'discarded';
    }

    const content = outcome.text.trim();
    const skipped = turn.skipSeen || content === '';
    if (skipped && input.isCritic) {
      emitEnd(turn, 'skipped', null);
      return 'skipped';
    }
    const model = outcome.model ?? turn.model;
    const at = clock();
    const stored = await deps.roomLocks.run(room.id, async () => {
      const row = await deps.db.transaction(async (tx) => {
        const scoped = tx as unknown as Db;
        const inserted = await deps.messages.insertMessage(
          {
            roomId: room.id,
            agentId: agent.id,
            content: skipped ? SKIP_CONTENT : content,
            role: 'assistant',
            participantName: agent.name,
            thinking: outcome.thinking.trim() === '' ? null : outcome.thinking,
            anthropicCalls: context.boundaryChecks.length > 0 ? context.boundaryChecks : null,
            provider: context.providerId,
            model,
            isSkip: skipped,
            timestamp: at,
          },
          scoped,
          { name: agent.name, profilePic: agent.profilePic },
        );
        if (!skipped && !input.isCritic) await deps.rooms.updateRoom(room.id, { lastActivityAt: at }, scoped);
        if (outcome.sessionId !== null && outcome.sessionId !== undefined) {
          await deps.members.saveSession(
            { roomId: room.id, agentId: agent.id, provider: context.providerId, sessionId: outcome.sessionId, at },
            scoped,
          );
        }
        return inserted;
      });
      publish.message(row);
      return row;
    });
    emitEnd(turn, skipped ? 'skipped' : 'responded', stored.id);
    if (input.isCritic && !skipped) {
      await writeCriticReport({
        dir: settings.reportsDir,
        criticName: agent.name,
        at,
        timeZone: settings.timeZone,
        text: content,
        thinking: outcome.thinking,
      }).catch((err: unknown) => log.warn({ err, critic: agent.name }, 'critic report could not be written'));
    }
    return skipped ? 'skipped' : 'responded';
  }

  return { run, insertNotice, emitEnd };
}

export type TurnRunner = ReturnType<typeof createTurnRunner>;

/** Kept from the original ChitChats for compatibility (behavior.md §5.8). */
export const SKIP_CONTENT = '(무시함)';

/** Critic and whiteboard authors among the room's rows and members, from their synced flags. */
function roomAuthors(agents: readonly AgentRow[]): RoomAuthors {
  const critics = new Set<number>();
  const whiteboards = new Set<number>();
  for (const agent of agents) {
    if (agent.isCritic) critics.add(agent.id);
    if (agent.isWhiteboard) whiteboards.add(agent.id);
  }
  return { critics, whiteboards };
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
