import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { createAgentCatalog } from './agents/agent-catalog.js';
import { createAgentConfigStore } from './agents/effective-config.js';
import { resolveAuthState } from './auth/auth-state.js';
import { createRateLimiter } from './auth/rate-limiter.js';
import { createTokenService } from './auth/tokens.js';
import { createAgentQueries } from './db/agents.js';
import { createEventTicketQueries } from './db/event-tickets.js';
import { openDatabase, type Database, type DatabaseTarget } from './db/connect.js';
import { createMemberQueries } from './db/members.js';
import { createMessageQueries } from './db/messages.js';
import { createRoomQueries } from './db/rooms.js';
import { createEngine, shuffleSource } from './engine/engine.js';
import type { EnginePublisher } from './engine/publisher.js';
import { createScheduler } from './engine/scheduler.js';
import type { Engine } from './engine/types.js';
import { createRunnerLeaseQueries, createRunnerQueries } from './db/runners.js';
import { inProcessLeases, postgresLeases } from './engine/leases.js';
import { toAgentDto, toMessageDto, toRoomWithAgentsDto } from './http/dto.js';
import { createRoomLocks } from './rooms/room-locks.js';
import type { ProviderId } from '../shared/providers.js';
import { createInProcessBus, type EventBus } from './events/bus.js';
import { createPostgresRelayBus } from './events/postgres-relay.js';
import { createAccessGuard } from './http/access-guard.js';
import { agentRoutes } from './http/agent-routes.js';
import { authRoutes } from './http/auth-routes.js';
import { docsRoutes } from './http/docs-routes.js';
import { eventRoutes } from './http/event-routes.js';
import { createEventStreams } from './http/event-streams.js';
import { healthRoutes } from './http/health-routes.js';
import { messageRoutes } from './http/message-routes.js';
import { providerRoutes } from './http/provider-routes.js';
import { buildAllowedOrigins, normalizeOrigin } from './http/origins.js';
import { roomRoutes } from './http/room-routes.js';
import type { RouteDefinition, RouteRegistry } from './http/route.js';
import { createWebUi } from './http/web-ui.js';
import { createPromptConfig } from './prompts/prompt-config.js';
import { renderTemplate } from './prompts/template.js';
import { createYamlStore } from './prompts/yaml-store.js';
import { createProviders } from './providers/compose-providers.js';
import type { ProviderAvailabilityRegistry } from './providers/registry.js';
import { createRoomReadCache } from './rooms/room-read-cache.js';
import { createRoomService } from './rooms/room-service.js';
import type { Settings } from './settings.js';

/**
 * The composition root (architecture.md §3): settings → db → catalog → engine → http. `main.ts` runs it for
 * the process; tests run the same function with their own settings, database and clock.
 */
export interface ServerOptions {
  settings: Settings;
  log: Logger;
  /** Where the first-run password is printed (stdout in production use). */
  announce: (text: string) => void;
  /** Overrides the database chosen from settings (tests use a template-loaded PGlite). */
  database?: DatabaseTarget;
  now?: () => Date;
  /** Replaces the providers built from settings (tests and benchmarks drive an in-process provider). */
  providers?: ProviderAvailabilityRegistry;
}

export interface Server {
  app: FastifyInstance;
  database: Database;
  bus: EventBus;
  providers: ProviderAvailabilityRegistry;
  beginShutdown(): void;
  close(): Promise<void>;
}

export function serverVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function composeServer(options: ServerOptions): Promise<Server> {
  const { settings, log } = options;
  const now = options.now ?? (() => new Date());
  const version = serverVersion();
  let phase: 'starting' | 'ready' | 'shutting_down' = 'starting';

  for (const name of settings.ignoredVariables) log.warn({ variable: name }, 'environment variable is no longer used and is ignored');

  const authState = await resolveAuthState({
    production: settings.production,
    dataDir: settings.dataDir,
    apiKeyHash: settings.auth.apiKeyHash,
    guestPasswordHash: settings.auth.guestPasswordHash,
    jwtSecret: settings.auth.jwtSecret,
    announce: options.announce,
    warn: (message) => log.warn(message),
  });

  const startedAt = performance.now();
  const stage = (name: string) => log.debug({ stage: name, ms: Math.round(performance.now() - startedAt) }, 'startup stage');
  stage('auth');
  const target: DatabaseTarget =
    options.database ??
    (settings.databaseUrl
      ? { kind: 'postgres', url: settings.databaseUrl, poolSize: settings.databasePoolSize }
      : { kind: 'pglite', dataDir: join(settings.dataDir, 'pglite') });
  const database = await openDatabase(target);
  stage('database');
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  try {
    const { db } = database;
    // One id per process (per `composeServer`): its runner leases and its relayed events carry it.
    const processId = randomUUID();
    /**
     * api.md §9.3: on PostgreSQL other processes may serve this room's streams, so events are relayed with
     * LISTEN/NOTIFY. Oversized events are rebuilt from the database with the same mappers the publishers use,
     * through the plain queries (the read caches are invalidated by the very event being rebuilt).
     */
    const relayBus = async (local: EventBus): Promise<EventBus> => {
      const messageQueries = createMessageQueries(db);
      const agentQueries = createAgentQueries(db);
      const relay = createPostgresRelayBus({
        local,
        databaseUrl: target.kind === 'postgres' ? target.url : '',
        processId,
        log: log.child({ component: 'event-relay' }),
        rebuild: {
          message: async (id) => {
            const row = await messageQueries.getMessageById(id);
            return row ? toMessageDto(row) : null;
          },
          agents: async (ids) => {
            const byId = new Map((await agentQueries.listAgents()).map((row) => [row.id, row]));
            return ids.flatMap((id) => {
              const row = byId.get(id);
              return row ? [toAgentDto(row)] : [];
            });
          },
        },
      });
      cleanups.unshift(() => relay.close());
      await relay.ready;
      return relay;
    };
    const localBus = createInProcessBus({ onListenerError: (err) => log.error({ err }, 'event subscriber failed') });
    const bus = database.kind === 'postgres' ? await relayBus(localBus) : localBus;
    const readCache = createRoomReadCache({ now: () => now().getTime() });
    readCache.followBus(bus);
    // HTTP reads go through the cache; the engine is given the plain query modules (behavior.md §9.1 rule 3).
    const queries = {
      rooms: readCache.wrapRooms(createRoomQueries(db)),
      messages: readCache.wrapMessages(createMessageQueries(db)),
      members: createMemberQueries(db),
      agents: readCache.wrapAgents(createAgentQueries(db)),
    };

    const yaml = createYamlStore({ log });
    const prompts = createPromptConfig({ configDir: settings.configDir, guidelinesFile: settings.guidelinesFile, yaml, log });
    prompts.logStartupSummary();
    // README binding resolution 1: cached availability keeps this synchronous; the first probe starts now.
    const providers = options.providers ?? createProviders({ settings, log });
    cleanups.unshift(() => providers.shutdown());
    void providers.availabilities();
    const defaultProvider = () => providers.defaultProvider();

    const catalog = createAgentCatalog({
      agentsDir: settings.agentsDir,
      queries: queries.agents,
      configs: createAgentConfigStore({ agentsDir: settings.agentsDir, yaml, recallMemoryFile: settings.recallMemoryFile, log }),
      prompts,
      log,
      userName: settings.userName,
      timeZone: settings.chatTimeZone,
      defaultProvider,
      maxImageBytes: settings.maxImageBytes,
      rescanIntervalMs: settings.agentRescanIntervalMs,
      now,
    });
    await catalog.start();
    stage('agents');
    cleanups.unshift(() => catalog.stop());

    const roomLocks = createRoomLocks();
    const plainMembers = queries.members;
    const plainMessages = createMessageQueries(db);
    const publisher: EnginePublisher = {
      message: (row) => bus.publish(row.roomId, { type: 'message', data: toMessageDto(row) }),
      room: async (room, reason, given) => {
        // Read before awaiting: by the time the members arrive another run may hold the room.
        const running = given === undefined ? engine.runningKind(room.id) : given;
        const members = await plainMembers.listMembersByRoom(room.id);
        bus.publish(room.id, { type: 'room', data: { reason, room: toRoomWithAgentsDto(room, members, running) } });
      },
      event: (roomId, event) => bus.publish(roomId, event),
      flush: () => bus.flush(),
      catchUp: (roomId) => bus.catchUp(roomId),
    };
    const runners = createRunnerQueries(db);
    // §5.1 rule 2: only PostgreSQL can have other processes; each process holds leases under its own random id.
    const leases =
      database.kind === 'postgres'
        ? postgresLeases(createRunnerLeaseQueries(db, processId), settings.roomLeaseTtlMs)
        : inProcessLeases;
    // The engine reads live state from the database, never from the HTTP read caches (behavior.md §9.1 rule 3).
    const engine: Engine = createEngine({
      db,
      rooms: createRoomQueries(db),
      messages: plainMessages,
      members: plainMembers,
      agents: createAgentQueries(db),
      catalog,
      prompts,
      providers,
      publish: publisher,
      roomLocks,
      runners,
      leases,
      clock: now,
      log: log.child({ component: 'engine' }),
      random: shuffleSource(settings.engine.shuffleSeed),
      settings: {
        userName: settings.userName,
        timeZone: settings.chatTimeZone,
        timeZoneLabel: settings.chatTimeZoneLabel,
        thinkingBudget: settings.engine.thinkingBudget,
        retryDelayMs: settings.engine.providerRetryDelayMs,
        recoveryHistoryLimit: settings.engine.recoveryHistoryLimit,
        openaiHistoryLimit: settings.openai.historyLimit,
        reportsDir: join(settings.dataDir, 'reports'),
      },
      engine: {
        maxFollowUpRounds: settings.engine.maxFollowUpRounds,
        maxResponsesPerTrigger: settings.engine.maxResponsesPerTrigger,
        priorityAgents: settings.engine.priorityAgents,
        errorCooldownMs: settings.scheduler.errorCooldownMs,
        shutdownGraceMs: settings.shutdownGraceMs,
      },
    });
    cleanups.unshift(() => engine.shutdown());

    const scheduler = createScheduler({
      intervalMs: settings.scheduler.intervalMs,
      maxConcurrentRooms: settings.scheduler.maxConcurrentRooms,
      activeWindowMs: settings.scheduler.activeWindowMs,
      now,
      candidates: (query) => runners.listSchedulerCandidates(query),
      isRoomBusy: (roomId) => engine.isRoomBusy(roomId),
      activeSchedulerRuns: async () => engine.activeRunCount('scheduler') + (await leases.otherSchedulerRuns()),
      providerAvailable: async (room) => (await providers.availability(room.defaultProvider as ProviderId)).available,
      startRun: (room) => engine.startSchedulerRun(room),
      log: log.child({ component: 'scheduler' }),
    });
    if (settings.scheduler.enabled) {
      scheduler.start();
      cleanups.unshift(() => scheduler.stop());
    }

    const rooms = createRoomService({
      roomLocks,
      db,
      ...queries,
      bus,
      engine,
      log,
      now,
      defaultProvider,
      agentJoinedNotice: (agentName) =>
        renderTemplate(prompts.conversationContext().notices.agent_joined, { agent_name: agentName }),
      imageWebpQuality: settings.imageWebpQuality,
    });

    const allowedOrigins = buildAllowedOrigins(settings.cors);
    log.info({ origins: [...allowedOrigins] }, 'allowed CORS origins');
    const isAllowedOrigin = (origin: string) => {
      const normal = normalizeOrigin(origin);
      return normal !== null && allowedOrigins.has(normal);
    };
    const tokens = createTokenService({
      secret: authState.jwtSecret,
      ttlHours: settings.auth.jwtTtlHours,
      now: () => now().getTime(),
    });
    const guard = createAccessGuard({
      tokens,
      limiter: createRateLimiter({ now: () => now().getTime() }),
      limits: settings.rateLimits.enabled ? settings.rateLimits : null,
      isAllowedOrigin,
    });
    // Streams hold their connections open, so they are told `shutdown` and closed before the app closes.
    const streams = createEventStreams({ maxPerUser: settings.sse.maxStreamsPerUser });
    const registry: RouteRegistry = { definitions: [] };
    const groups = [
      authRoutes({
        auth: () => authState,
        tokens,
        enableGuestLogin: settings.auth.enableGuestLogin,
        cookieSecure: settings.auth.cookieSecure,
        poolStats: emptyPoolStats,
      }),
      healthRoutes({ readiness: { phase: () => phase, pingDatabase: () => database.ping() } }),
      roomRoutes({ rooms, members: queries.members, messages: queries.messages, userName: settings.userName, now }),
      messageRoutes({
        rooms,
        messages: queries.messages,
        members: queries.members,
        engine,
        maxImageBytes: settings.maxImageBytes,
        defaultMentionMode: settings.defaultMentionMode,
      }),
      agentRoutes({ catalog, agents: queries.agents, rooms, engine }),
      providerRoutes({ providers }),
      eventRoutes({
        rooms,
        messages: queries.messages,
        tickets: createEventTicketQueries(db),
        bus,
        engine,
        streams,
        log,
        now,
        heartbeatSeconds: settings.sse.heartbeatSeconds,
        ticketTtlSeconds: settings.sse.ticketTtlSeconds,
      }),
      docsRoutes({ registry, version }),
    ] as unknown as RouteDefinition<never, never, never>[][];

    const app = await buildApp({
      log,
      guard,
      webUi: createWebUi({ webDir: settings.webDir, version }),
      loadRoom: (id) => queries.rooms.getRoomById(id),
      isAllowedOrigin,
      maxBodyBytes: settings.maxBodyBytes,
      trustProxy: settings.trustProxy,
      registry,
      routeGroups: groups,
    });
    cleanups.unshift(() => app.close());
    stage('http');
    phase = 'ready';

    let closed: Promise<void> | null = null;
    return {
      app,
      database,
      bus,
      providers,
      beginShutdown: () => {
        phase = 'shutting_down';
        streams.shutdown();
      },
      close: () => {
        phase = 'shutting_down';
        streams.shutdown();
        closed ??= runCleanups(cleanups, log);
        return closed;
      },
    };
  } catch (err) {
    await runCleanups(cleanups, log);
    throw err;
  }
}

async function runCleanups(cleanups: (() => Promise<void>)[], log: Logger): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (err) {
      log.warn({ err }, 'cleanup step failed during shutdown');
    }
  }
}

/** No provider keeps a client pool yet, so every pool is empty (api.md §5.5 shape). */
function emptyPoolStats() {
  const none = { pool_size: 0, pool_keys: [], active_clients: 0 };
  return {
    ...none,
    pending_cleanup_tasks: 0,
    connection_semaphore_available: 10,
    max_concurrent_connections: 10,
    providers: { claude: none, codex: none, openai: none },
  };
}
