import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { PROVIDER_IDS } from '../shared/providers.js';

/**
 * Environment → typed settings (api.md §15, behavior.md §3.9). `.env` in the working directory is read; real
 * environment variables win. A malformed value stops startup with a message naming the variable.
 */


export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function bool(fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true/false, got '${raw}'` });
      return z.NEVER;
    });
}

function int<F extends number | undefined>(fallback: F, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback as number | F;
      if (!/^-?\d+$/.test(raw.trim())) {
        ctx.addIssue({ code: 'custom', message: `expected an integer, got '${raw}'` });
        return z.NEVER;
      }
      const value = Number(raw.trim());
      if (value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${value}` });
        return z.NEVER;
      }
      return value;
    });
}

function text(fallback?: string) {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? fallback : raw.trim()));
}

function oneOf<const T extends readonly string[]>(values: T, fallback: T[number] | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(value)) return value as T[number];
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got '${raw}'` });
      return z.NEVER;
    });
}

// proxy-addr's named ranges, accepted in a TRUST_PROXY list besides addresses and CIDRs.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) ? Number(prefix) <= (family === 4 ? 32 : 128) : isIP(prefix) === 4;
}

const TRUST_PROXY = z
  .string()
  .optional()
  .transform((raw, ctx): boolean | number | string[] => {
    if (raw === undefined || raw.trim() === '') return false;
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word) && word !== '1') return true;
    if (FALSE_WORDS.has(word) && word !== '0') return false;
    if (/^\d+$/.test(word)) return Number(word);
    const entries = raw.split(',').map((part) => part.trim()).filter(Boolean);
    const invalid = entries.filter((entry) => !isProxyAddress(entry));
    if (invalid.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected true, false, a hop count or proxy addresses/CIDRs, got '${invalid.join("', '")}'` });
      return z.NEVER;
    }
    return entries;
  });

const DATABASE_URL = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return undefined;
    const url = raw.trim();
    if (/^sqlite/i.test(url)) {
      ctx.addIssue({ code: 'custom', message: 'SQLite is not supported; unset DATABASE_URL to use the embedded database' });
      return z.NEVER;
    }
    const normalized = url.replace(/^postgresql\+asyncpg:\/\//i, 'postgresql://');
    if (!/^postgres(ql)?:\/\//i.test(normalized)) {
      ctx.addIssue({ code: 'custom', message: 'must be a postgres:// or postgresql:// URL' });
      return z.NEVER;
    }
    return normalized;
  });

const HASH = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

const schema = z.object({
  PORT: int(8000, 0, 65535),
  HOST: text('0.0.0.0'),
  NODE_ENV: text('development'),
  LOG_LEVEL: oneOf(LOG_LEVELS, undefined),
  DATA_DIR: text('./data'),
  DATABASE_URL,
  DATABASE_POOL_SIZE: int(10, 1, 1000),
  AGENTS_DIR: text('./agents'),
  CONFIG_DIR: text('./config'),
  WEB_DIR: text('./web/dist'),
  MAX_BODY_BYTES: int(14_680_064, 1024, 1024 * 1024 * 1024),
  MAX_IMAGE_BYTES: int(10_485_760, 1024, 512 * 1024 * 1024),
  IMAGE_WEBP_QUALITY: int(95, 1, 100),
  API_KEY_HASH: HASH,
  GUEST_PASSWORD_HASH: HASH,
  ENABLE_GUEST_LOGIN: bool(true),
  JWT_SECRET: text(undefined),
  JWT_TTL_HOURS: int(168, 1, 8760),
  COOKIE_SECURE: oneOf(['auto', 'true', 'false'] as const, 'auto'),
  TRUST_PROXY,
  FRONTEND_URL: text(undefined),
  VERCEL_URL: text(undefined),
  CORS_ALLOW_LAN: bool(true),
  RATE_LIMIT_ENABLED: bool(true),
  RATE_LIMIT_LOGIN: int(20, 0, 1_000_000),
  RATE_LIMIT_SEND: int(60, 0, 1_000_000),
  RATE_LIMIT_POLL: int(360, 0, 1_000_000),
  RATE_LIMIT_CHATTING_AGENTS: int(600, 0, 1_000_000),
  RATE_LIMIT_EVENTS: int(60, 0, 1_000_000),
  RATE_LIMIT_REGENERATE: int(30, 0, 1_000_000),
  RATE_LIMIT_MCP: int(60, 0, 1_000_000),
  USER_NAME: text('User'),
  DEFAULT_PROVIDER: oneOf(PROVIDER_IDS, undefined),
  DEFAULT_MENTION_MODE: oneOf(['first', 'only'] as const, 'first'),
  RECALL_MEMORY_FILE: text('consolidated_memory'),
  GUIDELINES_FILE: text('guidelines_3rd'),
  CHAT_TIMEZONE: text('Asia/Seoul'),
  CHAT_TIMEZONE_LABEL: text(undefined),
  DEBUG_AGENTS: text(undefined),
  SHUTDOWN_GRACE_MS: int(5000, 0, 600_000),
  AGENT_RESCAN_INTERVAL_MS: int(30_000, 1000, 3_600_000),
  OPENAI_BASE_URL: text(undefined),
  OPENAI_API_KEY: text(undefined),
  OPENAI_MODEL: text(undefined),
  OPENAI_ORG_ID: text(undefined),
  OPENAI_PROJECT_ID: text(undefined),
  OPENAI_SUPPORTS_IMAGES: bool(false),
  OPENAI_MAX_TOOL_STEPS: int(8, 1, 100),
  OPENAI_HISTORY_LIMIT: int(100, 0, 10_000),
  TURN_FIRST_EVENT_TIMEOUT_S: int(90, 1, 86_400),
  TURN_IDLE_TIMEOUT_S: int(120, 1, 86_400),
  TURN_MAX_DURATION_S: int(600, 1, 86_400),
  TURN_TIMEOUT_SECONDS: int(600, 1, 86_400),
  MAX_FOLLOW_UP_ROUNDS: int(5, 0, 1000),
  MAX_RESPONSES_PER_TRIGGER: int(30, 1, 100_000),
  RECOVERY_HISTORY_LIMIT: int(100, 0, 10_000),
  PROVIDER_RETRY_DELAY_MS: int(1500, 0, 600_000),
  THINKING_BUDGET: int(32_768, 0, 1_000_000),
  SCHEDULER_ENABLED: bool(true),
  SCHEDULER_INTERVAL_MS: int(2000, 10, 3_600_000),
  SCHEDULER_ACTIVE_WINDOW_S: int(300, 1, 31_536_000),
  SCHEDULER_ERROR_COOLDOWN_S: int(60, 0, 86_400),
  MAX_CONCURRENT_ROOMS: int(5, 0, 100_000),
  ROOM_LEASE_TTL_S: int(30, 1, 3600),
  SHUFFLE_SEED: int(undefined, 0, 2_147_483_647),
  PRIORITY_AGENTS: text(undefined),
  SSE_HEARTBEAT_SECONDS: int(15, 1, 3600),
  SSE_TICKET_TTL_SECONDS: int(60, 1, 3600),
  SSE_MAX_STREAMS_PER_USER: int(20, 1, 10_000),
});

export type Settings = ReturnType<typeof buildSettings>;

const IGNORED_WITH_WARNING = [
  'USE_SQLITE',
  'READ_GUIDELINE_BY',
  'ENABLE_RECALL_TOOL',
  'ENABLE_MEMORY_TOOL',
  'CLAUDE_API_KEY',
  'IMAGE_MAX_DIMENSION',
  'IMAGE_JPEG_QUALITY',
  'IMAGE_PNG_COMPRESS_LEVEL',
  'IMAGE_CONVERT_TO_WEBP',
] as const;

/** Reads `.env` from `cwd` (if present) under the real environment, which wins. */
export function readEnvironment(env: NodeJS.ProcessEnv, cwd: string): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnv(readFileSync(resolve(cwd, '.env'), 'utf8')) as Record<string, string>;
  } catch {
    // No .env file is the normal case.
  }
  return { ...fromFile, ...env };
}

export function loadSettings(env: Record<string, string | undefined>, cwd = process.cwd()) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new SettingsError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return buildSettings(parsed.data, env, cwd);
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function buildSettings(raw: z.infer<typeof schema>, env: Record<string, string | undefined>, cwd: string) {
  const production = raw.NODE_ENV === 'production';
  const debugAgents = raw.DEBUG_AGENTS;
  return {
    production,
    port: raw.PORT,
    host: raw.HOST ?? '0.0.0.0',
    logLevel: raw.LOG_LEVEL ?? (debugAgents && !FALSE_WORDS.has(debugAgents.toLowerCase()) ? 'debug' : 'info'),
    dataDir: resolve(cwd, raw.DATA_DIR ?? './data'),
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    agentsDir: resolve(cwd, raw.AGENTS_DIR ?? './agents'),
    configDir: resolve(cwd, raw.CONFIG_DIR ?? './config'),
    webDir: resolve(cwd, raw.WEB_DIR ?? './web/dist'),
    maxBodyBytes: raw.MAX_BODY_BYTES,
    maxImageBytes: raw.MAX_IMAGE_BYTES,
    imageWebpQuality: raw.IMAGE_WEBP_QUALITY,
    auth: {
      apiKeyHash: raw.API_KEY_HASH,
      guestPasswordHash: raw.GUEST_PASSWORD_HASH,
      enableGuestLogin: raw.ENABLE_GUEST_LOGIN,
      jwtSecret: raw.JWT_SECRET,
      jwtTtlHours: raw.JWT_TTL_HOURS,
      cookieSecure: raw.COOKIE_SECURE ?? 'auto',
    },
    trustProxy: raw.TRUST_PROXY,
    cors: { frontendUrl: raw.FRONTEND_URL, vercelUrl: raw.VERCEL_URL, allowLan: raw.CORS_ALLOW_LAN },
    rateLimits: {
      enabled: raw.RATE_LIMIT_ENABLED,
      login: raw.RATE_LIMIT_LOGIN,
      send: raw.RATE_LIMIT_SEND,
      poll: raw.RATE_LIMIT_POLL,
      chattingAgents: raw.RATE_LIMIT_CHATTING_AGENTS,
      events: raw.RATE_LIMIT_EVENTS,
      regenerate: raw.RATE_LIMIT_REGENERATE,
      mcp: raw.RATE_LIMIT_MCP,
    },
    userName: raw.USER_NAME ?? 'User',
    defaultProvider: raw.DEFAULT_PROVIDER,
    defaultMentionMode: raw.DEFAULT_MENTION_MODE ?? 'first',
    recallMemoryFile: raw.RECALL_MEMORY_FILE ?? 'consolidated_memory',
    guidelinesFile: raw.GUIDELINES_FILE ?? 'guidelines_3rd',
    chatTimeZone: raw.CHAT_TIMEZONE ?? 'Asia/Seoul',
    chatTimeZoneLabel: raw.CHAT_TIMEZONE_LABEL,
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
    agentRescanIntervalMs: raw.AGENT_RESCAN_INTERVAL_MS,
    openai: {
      baseUrl: raw.OPENAI_BASE_URL,
      apiKey: raw.OPENAI_API_KEY,
      model: raw.OPENAI_MODEL,
      organization: raw.OPENAI_ORG_ID,
      project: raw.OPENAI_PROJECT_ID,
      supportsImages: raw.OPENAI_SUPPORTS_IMAGES,
      maxToolSteps: raw.OPENAI_MAX_TOOL_STEPS,
      historyLimit: raw.OPENAI_HISTORY_LIMIT,
    },
    // README resolution 6: TURN_TIMEOUT_SECONDS is an alias of TURN_MAX_DURATION_S, which wins when both are set.
    turnDeadlines: {
      firstEventMs: raw.TURN_FIRST_EVENT_TIMEOUT_S * 1000,
      idleMs: raw.TURN_IDLE_TIMEOUT_S * 1000,
      turnMs: (isSet(env.TURN_MAX_DURATION_S) ? raw.TURN_MAX_DURATION_S : raw.TURN_TIMEOUT_SECONDS) * 1000,
    },
    engine: {
      maxFollowUpRounds: raw.MAX_FOLLOW_UP_ROUNDS,
      maxResponsesPerTrigger: raw.MAX_RESPONSES_PER_TRIGGER,
      recoveryHistoryLimit: raw.RECOVERY_HISTORY_LIMIT,
      providerRetryDelayMs: raw.PROVIDER_RETRY_DELAY_MS,
      thinkingBudget: raw.THINKING_BUDGET,
      shuffleSeed: raw.SHUFFLE_SEED,
      priorityAgents: (raw.PRIORITY_AGENTS ?? '')
        .split(',')
        .map((name) => name.trim().normalize('NFC'))
        .filter((name) => name !== ''),
    },
    scheduler: {
      enabled: raw.SCHEDULER_ENABLED,
      intervalMs: raw.SCHEDULER_INTERVAL_MS,
      activeWindowMs: raw.SCHEDULER_ACTIVE_WINDOW_S * 1000,
      errorCooldownMs: raw.SCHEDULER_ERROR_COOLDOWN_S * 1000,
      maxConcurrentRooms: raw.MAX_CONCURRENT_ROOMS,
    },
    /** behavior.md §5.1 rule 2: the runner lease of a PostgreSQL cluster (unused on the embedded database). */
    roomLeaseTtlMs: raw.ROOM_LEASE_TTL_S * 1000,
    sse: {
      heartbeatSeconds: raw.SSE_HEARTBEAT_SECONDS,
      ticketTtlSeconds: raw.SSE_TICKET_TTL_SECONDS,
      maxStreamsPerUser: raw.SSE_MAX_STREAMS_PER_USER,
    },
    ignoredVariables: IGNORED_WITH_WARNING.filter((name) => env[name] !== undefined),
  };
}
