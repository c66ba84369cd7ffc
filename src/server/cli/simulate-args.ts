import { parseArgs } from 'node:util';
import { PROVIDER_IDS, type ProviderId } from '../../shared/providers.js';
import { roomName as roomNameField } from '../../shared/requests.js';

/** Options of `npm run simulate` (behavior.md §10.1), parsed from argv and the environment, defaults applied. */
export interface SimulateOptions {
  topic: string;
  /** Requested agent names, NFC-normalised and trimmed, duplicates dropped, in the given order. */
  agents: string[];
  rounds: number;
  maxInteractions: number;
  /** Server base URL without a trailing slash. */
  url: string;
  token: string | null;
  password: string | null;
  roomName: string;
  provider: ProviderId | null;
  /** Where the Markdown transcript goes; null means `simulations/<room name>.md` in `baseDir`. */
  out: string | null;
  /** Folder relative paths are resolved against: npm's INIT_CWD (where the user ran npm), else the cwd. */
  baseDir: string;
  idleTimeoutMs: number;
  timeoutMs: number;
  showThinking: boolean;
  hideSkips: boolean;
  quiet: boolean;
}

export type ParsedArgs = { kind: 'run'; options: SimulateOptions } | { kind: 'help' } | { kind: 'usage_error'; message: string };

export const USAGE = `Usage: npm run simulate -- --topic "<scenario>" --agents Mira,Tobin [options]

Creates a room with the given agents, posts the topic as the situation builder, prints the conversation live
and writes a Markdown transcript.

Required:
  --topic <text>             the scenario posted as a situation_builder message
  --agents <a,b,c>           comma-separated agent names (exact, as listed by GET /agents)

Options:
  --rounds <n>               rounds to run (default 3)
  --max-interactions <n>     stop after this many agent replies (default rounds x number of agents)
  --out <file.md>            transcript path (default simulations/<room name>.md)
  --url <url>                server URL (default $CHITCHATS_URL, else http://localhost:8000)
  --password <password>      log in with this password (or $CHITCHATS_PASSWORD)
  --token <jwt>              use this access token (or $CHITCHATS_TOKEN); wins over a password
  --room-name <name>         room name (default "Simulation <ISO time>")
  --provider <name>          claude, codex or openai (default: the server's default)
  --idle-timeout <seconds>   stop when no message arrives for this long (default 120)
  --timeout <seconds>        stop after this long in total (default 1200)
  --no-thinking              do not print the agents' thinking
  --hide-skips               do not print "(Name skipped)" lines
  --quiet                    print no live transcript or progress, only errors
  -h, --help                 show this help

Exit codes: 0 done, 1 usage or unknown agent, 2 authentication failed, 3 server or network error,
130 interrupted (Ctrl-C; the room is paused and the transcript written first).`;

const DEFAULT_URL = 'http://localhost:8000';
const DEFAULT_ROUNDS = 3;
const DEFAULT_IDLE_TIMEOUT_S = 120;
const DEFAULT_TIMEOUT_S = 1200;
/** api.md §1.6: `max_interactions` is 0–10,000. */
const MAX_INTERACTIONS_LIMIT = 10_000;
/** api.md §1.6: message content is at most 20,000 code points. */
const TOPIC_MAX = 20_000;

const OPTION_SPEC = {
  topic: { type: 'string' },
  agents: { type: 'string' },
  rounds: { type: 'string' },
  out: { type: 'string' },
  url: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'room-name': { type: 'string' },
  provider: { type: 'string' },
  'max-interactions': { type: 'string' },
  'idle-timeout': { type: 'string' },
  timeout: { type: 'string' },
  'no-thinking': { type: 'boolean' },
  'hide-skips': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function readArgv(argv: string[]) {
  return parseArgs({ args: argv, options: OPTION_SPEC, strict: true, allowPositionals: false }).values;
}

function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function secondsOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback * 1000;
  const value = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`--${name} must be a positive number of seconds, not "${raw}"`);
  return Math.round(value * 1000);
}

export function parseAgentList(raw: string): string[] {
  const names = raw
    .split(',')
    .map((name) => name.normalize('NFC').trim())
    .filter((name) => name.length > 0);
  return [...new Set(names)];
}

function parseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`--url must be an http(s) URL, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, not "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

function parseProvider(raw: string | undefined): ProviderId | null {
  if (raw === undefined) return null;
  const lower = raw.trim().toLowerCase();
  const provider = PROVIDER_IDS.find((id) => id === lower);
  if (!provider) throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')}, not "${raw}"`);
  return provider;
}

function parseRoomName(raw: string): string {
  const result = roomNameField.safeParse(raw);
  if (!result.success) throw new UsageError(`--room-name: ${result.error.issues[0]?.message ?? 'invalid room name'}`);
  return result.data;
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.length > 0 ? value : null;
}

/**
 * Parses the command line. `env` supplies CHITCHATS_URL / CHITCHATS_PASSWORD / CHITCHATS_TOKEN and INIT_CWD;
 * `now` names the default room.
 */
export function parseSimulateArgs(
  argv: string[],
  { env = {}, cwd, now = () => new Date() }: { env?: Record<string, string | undefined>; cwd: string; now?: () => Date },
): ParsedArgs {
  const read = (): ReturnType<typeof readArgv> | Error => {
    try {
      return readArgv(argv);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };
  const values = read();
  if (values instanceof Error) return { kind: 'usage_error', message: values.message };
  if (values.help) return { kind: 'help' };
  try {
    const topic = values.topic?.trim() ?? '';
    if (topic.length === 0) throw new UsageError('--topic is required');
    if ([...topic].length > TOPIC_MAX) throw new UsageError(`--topic must be at most ${TOPIC_MAX} characters`);
    const agents = parseAgentList(values.agents ?? '');
    if (agents.length === 0) throw new UsageError('--agents is required (comma-separated agent names)');
    const rounds = values.rounds === undefined ? DEFAULT_ROUNDS : integerOption('rounds', values.rounds, 1, MAX_INTERACTIONS_LIMIT);
    const maxInteractions =
      values['max-interactions'] === undefined
        ? rounds * agents.length
        : integerOption('max-interactions', values['max-interactions'], 1, MAX_INTERACTIONS_LIMIT);
    if (maxInteractions > MAX_INTERACTIONS_LIMIT) {
      throw new UsageError(`--rounds × agents is ${maxInteractions}, above the server's limit of ${MAX_INTERACTIONS_LIMIT} interactions`);
    }
    const token = nonEmpty(values.token) ?? nonEmpty(env.CHITCHATS_TOKEN);
    const password = nonEmpty(values.password) ?? nonEmpty(env.CHITCHATS_PASSWORD);
    if (token === null && password === null) {
      throw new UsageError('give --password or --token (or set CHITCHATS_PASSWORD or CHITCHATS_TOKEN)');
    }
    return {
      kind: 'run',
      options: {
        topic,
        agents,
        rounds,
        maxInteractions,
        url: parseUrl(values.url ?? nonEmpty(env.CHITCHATS_URL) ?? DEFAULT_URL),
        token,
        password,
        roomName: parseRoomName(values['room-name'] ?? `Simulation ${now().toISOString()}`),
        provider: parseProvider(values.provider),
        out: nonEmpty(values.out),
        baseDir: nonEmpty(env.INIT_CWD) ?? cwd,
        idleTimeoutMs: secondsOption('idle-timeout', values['idle-timeout'], DEFAULT_IDLE_TIMEOUT_S),
        timeoutMs: secondsOption('timeout', values.timeout, DEFAULT_TIMEOUT_S),
        showThinking: values['no-thinking'] !== true,
        hideSkips: values['hide-skips'] === true,
        quiet: values.quiet === true,
      },
    };
  } catch (err) {
    if (err instanceof UsageError) return { kind: 'usage_error', message: err.message };
    throw err;
  }
}
