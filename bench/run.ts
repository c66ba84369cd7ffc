import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchFanOut, type FanOutResult } from './fan-out.js';
import { benchHotReload, benchHotReloadTurn } from './hot-reload.js';
import { benchPolling } from './polling.js';
import type { ProfileSummary } from './profile.js';
import { benchStartup } from './startup.js';
import { benchStreamLatency, type StreamLatencyResult } from './stream-latency.js';
import { BENCH_POSTGRES_URL, cpuPressure, machine, postgresReachable, REPO, type Distribution } from './support.js';
import { benchTurnCost, HARBOUR, type TurnCostResult } from './turn-cost.js';
import { benchUi, uiSection } from './ui.js';

/**
 * `npm run bench`: runs every benchmark and writes bench/RESULTS.md (quality.md §3).
 * `npm run bench -- turn-cost fan-out`: runs only those; their sections replace the old ones in RESULTS.md.
 */

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (value: number, digits = 1) => `${fmt(value, digits)} ms`;
/** Background conditions: 1-minute load average and Linux CPU pressure (share of time runnable tasks waited for a CPU). */
const load = () => {
  const pressure = cpuPressure();
  return `${fmt(loadavg()[0] ?? 0, 1)}${pressure ? ` (CPU pressure ${fmt(pressure.avg60)} %)` : ''}`;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface Section {
  title: string;
  lines: string[];
}

// ---- startup, polling, hot reload ----------------------------------------------------------------------------

/** States each missed startup target with its known cause, so a gap is never silent. */
function startupGaps(rows: Awaited<ReturnType<typeof benchStartup>>): string[] {
  const gaps: string[] = [];
  const reopen = rows.filter((row) => row.scenario.startsWith('PGlite, reopen'));
  if (reopen.some((row) => row.readyMs > 1500)) {
    gaps.push(
      '- **Reopen is above 1.5 s.** Measured separately on this machine: opening an existing PGlite data directory',
      '  (`PGlite.create`, WASM instantiation plus unpacking its file-system bundle and Postgres start-up) takes',
      '  about 1.0 s, and loading the server\'s TypeScript modules through tsx about 0.9 s; the rest (migration check,',
      '  agent discovery and sync, route setup) is about 0.5 s. Running the open concurrently with module loading',
      '  gained nothing (both are CPU-bound on one thread). Precompiled JavaScript instead of tsx would save about',
      '  0.5 s (measured: 0.6 s against 1.1 s to import the server); PGlite\'s own second remains.',
    );
  }
  const rss = (prefix: string, limit: number) =>
    rows.filter((row) => row.scenario.startsWith(prefix) && !row.scenario.includes('first run') && row.rssMiB > limit);
  if (rss('PGlite', 400).length > 0 || rss('PostgreSQL', 150).length > 0) {
    gaps.push(
      '- **Idle RSS is at or just over its target.** With PGlite most of it is the WASM Postgres heap; the first',
      '  run is higher because initdb ran in the same process.',
    );
  }
  return gaps.length > 0 ? ['### Gaps', '', ...gaps, ''] : [];
}

async function startupSection(postgres: string | null): Promise<Section> {
  const before = load();
  const startup = await benchStartup(postgres);
  process.stdout.write(`${startup.map((row) => `${row.scenario}: ${fmt(row.readyMs)} ms, ${fmt(row.rssMiB)} MiB`).join('\n')}\n`);
  return {
    title: 'Startup and memory',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()}._`,
      '',
      'Time from spawning `node --import tsx src/server/main.ts` (what `npm start` runs) until `GET /ready` answers 200,',
      'and resident memory after 2 s idle. Targets (quality.md §3): reopen ≤ 1.5 s; idle RSS ≤ 400 MB (PGlite), ≤ 150 MB (PostgreSQL).',
      '',
      '| scenario | time to ready | idle RSS |',
      '|---|---|---|',
      ...startup.map((row) => `| ${row.scenario} | ${fmt(row.readyMs)} ms | ${fmt(row.rssMiB)} MiB |`),
      ...(postgres ? [] : ['', '_PostgreSQL was not reachable; its rows are missing._']),
      '',
      ...startupGaps(startup),
    ],
  };
}

async function pollingSection(): Promise<Section> {
  const before = load();
  const polling = await benchPolling();
  process.stdout.write(`poll ${fmt(polling.pollRps)} req/s vs bare ${fmt(polling.bareRps)} req/s = ${fmt(polling.ratio * 100, 1)} %\n`);
  return {
    title: 'Polling',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()}._`,
      '',
      `autocannon, ${polling.connections} connections, ${polling.durationS} s per run, load generator on the same machine.`,
      `Poll: \`GET /rooms/{id}/messages/poll?since_id=…\` returning ${polling.pageSize} of ${polling.messagesInRoom} messages`,
      '(embedded PGlite, authenticated with X-API-Key, poll rate limit disabled). Baseline: a bare Fastify route',
      'returning a small JSON object, measured in the same run. Target: ≥ 40 % of the bare route.',
      '',
      '| route | requests/s | p99 latency |',
      '|---|---|---|',
      `| bare Fastify JSON route | ${fmt(polling.bareRps)} | – |`,
      `| messages/poll | ${fmt(polling.pollRps)} | ${fmt(polling.pollP99Ms)} ms |`,
      '',
      `Ratio: **${fmt(polling.ratio * 100, 1)} %** of the bare route.`,
      '',
      ...(polling.ratio < 0.4
        ? [
            '### Gaps',
            '',
            `- **${fmt(polling.ratio * 100, 1)} % is below the 40 % target.** Its cause was not measured in this run. The two routes are loaded one`,
            '  after the other (not interleaved) on a machine shared with other test runs (see the CPU pressure above), so a change',
            '  in background load between the two runs moves the ratio; earlier runs on this machine measured 60.7 % and 40.5 %.',
            '',
          ]
        : []),
    ],
  };
}

async function hotReloadSection(): Promise<Section> {
  const before = load();
  const reload = await benchHotReload();
  process.stdout.write(`${reload.map((row) => `${row.change}: median ${fmt(median(row.samplesMs))} ms`).join('\n')}\n`);
  const turn = await benchHotReloadTurn();
  process.stdout.write(`edit → next turn's prompt: median ${fmt(median(turn.samplesMs))} ms, max ${fmt(Math.max(...turn.samplesMs))} ms\n`);
  const turnMax = Math.max(...turn.samplesMs);
  const gaps: string[] = [];
  if (turnMax > 200 || turn.staleTurns > 0) {
    gaps.push(
      '### Gaps',
      '',
      `- **Edit → next turn's prompt reached ${fmt(turnMax)} ms (target 200 ms).** ${turn.staleTurns === 0 ? 'Every turn after an edit already carried it (0 stale turns): the effective configuration re-stats the agent\'s files on every turn, so the reload itself adds nothing measurable.' : `${turn.staleTurns} turn(s) started after an edit without it.`}`,
      `  The time is the send route plus the turn's set-up: from the send request to the provider call took median ${fmt(median(turn.sendToTurnMs))} ms,`,
      `  max ${fmt(Math.max(...turn.sendToTurnMs))} ms, of the edit → turn median ${fmt(median(turn.samplesMs))} ms; the slow samples coincide with the`,
      '  machine\'s background load (see the load average above and the turn-cost section for what a turn\'s set-up costs).',
      '',
    );
  }
  return {
    title: 'Hot reload',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()}._`,
      '',
      'API visibility: time from writing a file in `AGENTS_DIR` until `GET /agents` shows the change (server process on PGlite,',
      `polled every 5 ms, ${reload[0]?.samplesMs.length ?? 0} samples each). Target (issue 2): within 1 s.`,
      '',
      '| change | median | max |',
      '|---|---|---|',
      ...reload.map((row) => `| ${row.change} | ${fmt(median(row.samplesMs))} ms | ${fmt(Math.max(...row.samplesMs))} ms |`),
      '',
      'Next turn (quality.md §3 "hot reload", target ≤ 200 ms): the server composed in-process with the instant provider',
      '(PGlite, sample agents, a room with Mira alone). Each sample appends a marker line to Mira\'s `characteristics.md` and',
      'sends a user message at once; measured until the provider receives a turn whose system prompt contains the marker.',
      `${turn.samplesMs.length} samples.`,
      '',
      '| measure | median | max |',
      '|---|---|---|',
      `| edit → turn with the edit starts | ${fmt(median(turn.samplesMs))} ms | ${fmt(turnMax)} ms |`,
      `| of which send request → turn starts | ${fmt(median(turn.sendToTurnMs))} ms | ${fmt(Math.max(...turn.sendToTurnMs))} ms |`,
      '',
      `Turns that started after an edit without it: **${turn.staleTurns}**.`,
      '',
      ...gaps,
    ],
  };
}

// ---- turn cost -------------------------------------------------------------------------------------------------

/** Where each statement of a turn comes from (src/server/engine, src/server/db), for the table and the gaps. */
const ORIGINS: [RegExp, string][] = [
  [/from "room_agents" inner join "agents"/, '`members.listMembershipsByRoom` (full agent rows, character texts included): the turn gate'],
  [/from "room_agents" where .*"room_agents"\."agent_id" = /, '`members.isMember`: the membership check before persisting'],
  [/from "rooms" where "rooms"\."id"/, '`rooms.getRoomById`: the turn gate, and the re-read before persisting (§5.7 rule 7)'],
  [/"messages"\."role" = /, '`messages.newestUserMessageId`: the watermark at turn start, and the check before persisting'],
  [/from "messages" left join "agents" .* where "messages"\."room_id"/, '`messages.listMessagesByRoom` (newest 300 rows with authors): the window and the `openai` history'],
  [/from "messages" left join "agents" .* where "messages"\."id"/, '`messages.insertMessage` re-selects the row it just inserted, with its author'],
  [/^insert into "messages"/, 'the reply row'],
  [/^update "rooms" set "last_activity_at"/, 'the room\'s `last_activity_at` (§5.7 rule 9)'],
  [/^(BEGIN|COMMIT)$/, 'the persist transaction'],
  [/pg_notify/, 'the event relay (PostgreSQL only): one notification per event, on its own connection, not awaited by the turn'],
];

function statementOrigin(label: string): string {
  return ORIGINS.find(([pattern]) => pattern.test(label))?.[1] ?? '–';
}

function profileTable(profile: (ProfileSummary & { turns?: number }) | null, rows = 8): string[] {
  if (!profile) return [];
  return [
    '| category (self time) | ms | share |',
    '|---|---|---|',
    ...profile.categories.slice(0, rows).map((entry) => `| ${entry.category} | ${fmt(entry.ms)} | ${fmt(entry.share * 100, 1)} % |`),
  ];
}

function turnCostGaps(results: TurnCostResult[]): string[] {
  const gaps: string[] = [];
  for (const result of results) {
    if (result.insertsPerTurn <= 4) continue;
    const top = result.statements.slice(0, 3);
    const share = (value: number) => fmt((value / result.sqlMsPerTurn) * 100);
    const profile = result.profile;
    const category = (prefix: string) => profile?.categories.find((entry) => entry.category.startsWith(prefix))?.share ?? 0;
    const notifications = result.statements.filter((entry) => /pg_notify/.test(entry.label)).reduce((sum, entry) => sum + entry.perTurn, 0);
    const ownCode = profile?.categories.filter((entry) => entry.category.startsWith('server:')).reduce((sum, entry) => sum + entry.share, 0) ?? 0;
    gaps.push(
      `- **${result.database}: one turn costs ${fmt(result.insertsPerTurn, 1)} raw inserts (target ≤ 4).** A turn sends ${fmt(result.statementsPerTurn, 1)} SQL`,
      `  statements where the baseline sends 1: ${fmt(result.writesPerTurn, 1)} writes (the reply row, the room's \`last_activity_at\`) inside BEGIN/COMMIT,`,
      `  and ${fmt(result.statementsPerTurn - result.writesPerTurn - 2 - notifications, 1)} reads${notifications > 0 ? `, plus ${fmt(notifications, 1)} event-relay notifications on their own connection` : ''}. The statements took ${ms(result.sqlMsPerTurn)} of the ${ms(result.msPerTurn)} per turn; the largest:`,
      ...top.map((entry) => `  ${entry.label.slice(0, 70)}… ×${fmt(entry.perTurn, 2)} = ${ms(entry.msPerTurn, 2)} (${share(entry.msPerTurn)} % of SQL time).`),
    );
    if (profile) {
      gaps.push(
        result.database === 'PGlite'
          ? `  CPU profile of ${profile.turns} more turns: PGlite itself ${fmt(category('PGlite') * 100)} % (Postgres in WASM plus its JS result decoding), Drizzle ${fmt(category('Drizzle') * 100)} %,`
          : `  CPU profile of ${profile.turns} more turns: idle ${fmt(category('idle') * 100)} % (waiting for the PostgreSQL server: one round trip per statement), Drizzle ${fmt(category('Drizzle') * 100)} %, pg ${fmt(category('pg driver') * 100)} %,`,
        `  garbage collection ${fmt(category('garbage') * 100)} %, the server's own modules (engine, prompts, window, tools) ${fmt(ownCode * 100)} %.`,
      );
    }
  }
  if (gaps.length === 0) return [];
  const reference = results[0] as TurnCostResult;
  const reads = reference.statements.filter((entry) => /^select/i.test(entry.label) && entry.perTurn >= 0.5);
  const windowRead = reference.statements.find((entry) => /from "messages" left join "agents" .* where "messages"\."room_id"/.test(entry.label));
  return [
    '### Gaps',
    '',
    ...gaps,
    '- **Cause, in short: the number and size of the reads, not the writes.** Per turn the engine sends these reads',
    `  (${reference.database} run): ${reads.map((entry) => `${fmt(entry.perTurn, 1)} × ${statementOrigin(entry.label).split(':')[0]}`).join('; ')}.`,
    '  Each is a round trip on PostgreSQL, and a full query execution plus result decoding in the same thread on PGlite —',
    `  where the 300-row window read alone is ${ms(windowRead?.msPerTurn ?? Number.NaN, 1)} per turn, ≈ ${fmt((windowRead?.msPerTurn ?? 0) / (results[0]?.msPerInsert ?? 1), 0)} raw inserts by itself. Getting to ≤ 4`,
    '  would take folding them: room and memberships read once per run and kept current from the bus events, the watermark',
    '  taken from the window rows, `INSERT … RETURNING` with the author fields instead of the re-select, and a window query',
    '  sized to what the turn renders (columns and rows).',
    ...(results.some((result) => result.statements.some((entry) => /pg_notify/.test(entry.label)))
      ? [
          '- **On PostgreSQL the event relay sends the turn\'s events** (its start, coalesced deltas, the message, its end) with',
          '  `pg_notify` on its own connection; the turn does not wait for them. Events published while a notification is',
          '  out go together in the next statement (bursts of deltas do), but this provider\'s four events per turn are spaced',
          '  by the turn\'s own statements, so each still goes alone. Carrying them in the turn\'s persist transaction would',
          '  save those round trips.',
        ]
      : []),
    '- **Fixed on the way:** `newestUserMessageId` (`WHERE room_id = $1 AND role = \'user\' ORDER BY id DESC LIMIT 1`)',
    '  ran as a sequential scan of the whole `messages` table (EXPLAIN ANALYZE on PostgreSQL, 2,001 messages: "Rows',
    '  Removed by Filter: 2000"), so its cost grew with every room\'s history; migration 0002 adds the index on',
    '  (room_id, role, id) it now uses. `chatTimeParts` (the system prompt\'s time line) keeps one formatter per time zone',
    '  instead of building one per call, which was the server module with the most self time per turn.',
    '',
  ];
}

async function turnCostSection(postgres: string | null): Promise<Section> {
  const before = load();
  const results = await benchTurnCost(postgres);
  for (const result of results) {
    process.stdout.write(
      `turn cost ${result.database}: ${fmt(result.turnsPerS)} turns/s, ${fmt(result.msPerTurn, 2)} ms/turn, ${fmt(result.msPerInsert, 3)} ms/insert = ${fmt(result.insertsPerTurn, 1)} inserts/turn, ${fmt(result.statementsPerTurn, 1)} statements/turn\n`,
    );
  }
  const labels = [...new Set(results.flatMap((result) => result.statements.filter((entry) => entry.perTurn >= 0.05).map((entry) => entry.label)))];
  const byLabel = (result: TurnCostResult, label: string) => result.statements.find((entry) => entry.label === label);
  return {
    title: 'Turn cost',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()} (2 cores, shared with other test runs)._`,
      '',
      `Method: the server composed in-process (\`composeServer\` with an injected provider registry), the in-process instant`,
      `provider standing in for \`openai\` (answers at once with one ~130-character line), a room with ${HARBOUR.length} agents (${HARBOUR.join(', ')}:`,
      'the sample pack\'s Harbour regulars, real character files), scheduler off. Repeated runs: MAX_RESPONSES_PER_TRIGGER=500 and',
      'MAX_FOLLOW_UP_ROUNDS=1000, so each user message starts a run of 500 turns (initial round, then follow-up rounds until the',
      'response limit); 4 runs make 2,000 turns in one room that grows past 2,000 messages. Warm-up: a separate 100-turn room.',
      'Baseline in the same run on the same database: sequential single-row `INSERT INTO bench_scratch (room_id, content, created_at)`',
      'through the same Drizzle connection (`db.execute`), 500 before the first run and 500 after each run, so the baseline',
      'samples the same background load as the turns. PGlite: a data directory on disk, as `npm start` uses it. PostgreSQL:',
      'a fresh database on 127.0.0.1:5432, pool of 10. SQL statements are counted and timed by wrapping the driver under Drizzle',
      '(PGlite: statements run one at a time, so a statement\'s time starts when the previous one ended; PostgreSQL: call to answer).',
      '',
      'Target (quality.md §3): one turn ≤ 4 raw inserts, on PostgreSQL and on PGlite.',
      '',
      '| database | turns | turns/s | ms per turn | ms per raw insert | **turn in raw inserts** | per-run ratios | SQL statements per turn |',
      '|---|---|---|---|---|---|---|---|',
      ...results.map(
        (result) =>
          `| ${result.database} | ${result.turns} (${result.providerCalls} provider calls) | ${fmt(result.turnsPerS, 1)} | ${fmt(result.msPerTurn, 2)} | ${fmt(result.msPerInsert, 3)} | **${fmt(result.insertsPerTurn, 1)}** | ${result.runRatios.map((ratio) => fmt(ratio, 1)).join(', ')} | ${fmt(result.statementsPerTurn, 2)} |`,
      ),
      ...(postgres ? [] : ['', '_PostgreSQL was not reachable; its row is missing._']),
      '',
      'Statements of one turn (count and driver time per turn):',
      '',
      `| statement | from | ${results.map((result) => `${result.database} per turn | ${result.database} ms per turn`).join(' | ')} |`,
      `|---|---|${results.map(() => '---|---|').join('')}`,
      ...labels.map(
        (label) =>
          `| \`${label.replace(/\|/g, '\\|')}\` | ${statementOrigin(label)} | ${results
            .map((result) => {
              const entry = byLabel(result, label);
              return entry ? `${fmt(entry.perTurn, 2)} | ${fmt(entry.msPerTurn, 2)}` : '– | –';
            })
            .join(' | ')} |`,
      ),
      '',
      ...results.flatMap((result) =>
        result.profile
          ? [
              `CPU profile, ${result.database}: ${result.profile.turns} more turns in the same room after the measurement (${fmt(result.profile.wallMs)} ms wall), self time by category:`,
              '',
              ...profileTable(result.profile),
              '',
            ]
          : [],
      ),
      ...turnCostGaps(results),
    ],
  };
}

// ---- stream latency --------------------------------------------------------------------------------------------

const row = (name: string, d: Distribution) => `| ${name} | ${ms(d.p50, 2)} | ${ms(d.p90, 2)} | ${ms(d.p99, 2)} | ${ms(d.max, 1)} |`;

function streamLatencyGaps(result: StreamLatencyResult): string[] {
  if (result.latency.p50 <= 2 && result.latency.p99 <= 10 && result.allInOrderOnce) return [];
  const worst = result.worst.slice(0, 4).map((entry) => `${entry.token} ${fmt(entry.totalMs)} ms (inbound ${fmt(entry.inboundMs)})`).join(', ');
  const { stalls } = result;
  return [
    '### Gaps',
    '',
    `- **p99 ${ms(result.latency.p99, 1)} (target 10 ms)${result.latency.p50 > 2 ? `, p50 ${ms(result.latency.p50, 2)} (target 2 ms)` : ''}.** ${result.slow} of ${result.latency.n} tokens took over 10 ms,`,
    `  ${result.slowInbound} of them mostly on the inbound side (fake → bus). They come in runs of consecutive tokens (worst: ${worst}):`,
    '  the server\'s event loop was held up and the tokens queued behind it. During the turns the server\'s process had',
    `  ${stalls.stalls} event-loop stalls over 20 ms (${ms(stalls.stallMs, 0)} in all; event-loop delay max ${ms(result.serverLoopDelay.max, 0)}), and only ${stalls.stallsWithGc} of them`,
    `  overlapped a garbage collection (${stalls.gcCount} GCs, ${ms(stalls.gcMs, 0)} in all, longest ${ms(stalls.gcMaxMs, 0)}). With CPU pressure at ${result.cpuPressure === null ? '?' : fmt(result.cpuPressure)} %`,
    '  (Linux PSI: share of time runnable tasks waited for a core) the stalls are the process waiting to be scheduled, not',
    '  work of ours: the per-token path is within target at p50 and p90. The bare relay alternated with the server\'s turns in',
    `  the same process had p99 ${ms(result.relay.p99, 1)}: a lighter path (no AI SDK, engine, bus) is preempted less often. Re-measure`,
    '  on an idle machine before attributing any of the tail to the server.',
    '',
  ];
}

async function streamLatencySection(): Promise<Section> {
  const before = load();
  const result = await benchStreamLatency();
  process.stdout.write(
    `stream latency: p50 ${ms(result.latency.p50, 2)}, p99 ${ms(result.latency.p99, 2)}, max ${ms(result.latency.max)}; relay p99 ${ms(result.relay.p99, 2)}; in order once: ${result.allInOrderOnce}\n`,
  );
  return {
    title: 'Stream latency',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()} (2 cores, shared with other test runs)._`,
      '',
      `Method: tests/fakes/openai-chat-server.ts emits ${result.tokensPerTurn} tokens per turn, one every ${result.intervalMs} ms (measured mean gap`,
      `${ms(result.emitGapMeanMs, 2)}), ${result.turns} turns. The server is composed in-process and listens on a port, \`openai\` provider pointed at the fake`,
      '(OPENAI_BASE_URL), one agent in the room. The fake and the SSE client (node:http, `GET /rooms/{id}/events`) run together',
      'in a child process, so emission (the fake handing the chunk to its socket) and arrival (the client reading the chunk',
      'that completes the `delta` frame) are stamped on one clock (CLOCK_MONOTONIC via `process.hrtime`), and the server\'s',
      'event loop is not shared with them. Added latency = arrival − emission; it includes the AI SDK\'s parsing of the',
      'upstream stream (part of our path). The server also stamps each token when its `delta` is published on its bus,',
      'splitting the latency into inbound (fake → bus) and outbound (bus → client). Baseline in the same run: a bare relay',
      '(in the server\'s process: fetch the fake\'s stream, re-send each content chunk as an SSE event) carrying as many',
      'tokens to the same client.',
      '',
      'Targets (quality.md §3): added latency p50 ≤ 2 ms, p99 ≤ 10 ms.',
      '',
      '| path | p50 | p90 | p99 | max |',
      '|---|---|---|---|---|',
      row(`**server** (fake → SSE client), ${result.latency.n} tokens`, result.latency),
      row('… inbound: fake → bus publish (socket, AI SDK, engine)', result.inbound),
      row('… outbound: bus publish → SSE client (writer, socket)', result.outbound),
      row('bare relay, same run (baseline)', result.relay),
      '',
      `Every token arrived exactly once and in order: **${result.allInOrderOnce && result.missing === 0 ? 'yes' : `no (${result.missing} missing)`}** (${result.deltaFrames} \`delta\` frames for`,
      `${result.latency.n} tokens; the relay: ${result.relayInOrderOnce ? 'yes' : 'no'}). Server event-loop delay during the turns: p50 ${ms(result.serverLoopDelay.p50)}, p99 ${ms(result.serverLoopDelay.p99)},`,
      `max ${ms(result.serverLoopDelay.max, 0)}; ${result.stalls.stalls} stalls over 20 ms, ${result.stalls.stallsWithGc} of them during a garbage collection.`,
      '',
      ...streamLatencyGaps(result),
    ],
  };
}

// ---- fan-out ---------------------------------------------------------------------------------------------------

function fanOutGaps(result: FanOutResult): string[] {
  if (result.latency.p99 <= 50 && result.missing === 0 && result.duplicated === 0) return [];
  const loops = Object.entries(result.publishLoop);
  const perMessage = loops.reduce((sum, [, d]) => sum + d.p50, 0);
  const profile = result.profile;
  const share = (prefix: string) => profile?.categories.find((entry) => entry.category.startsWith(prefix))?.share ?? 0;
  const format = profile?.functions.find((entry) => entry.name.startsWith('formatSseEvent'));
  return [
    '### Gaps',
    '',
    ...(result.latency.p99 > 50
      ? [
          `- **p99 delivery ${ms(result.latency.p99, 0)} (target 50 ms).** The bare broadcaster, writing the same frames to as many`,
          `  subscribers in the same run, reached p99 ${ms(result.baseline.latency.p99, 0)} (p50 ${ms(result.baseline.latency.p50, 1)}): on this machine, at this load, the`,
          `  transport and the subscribers' process alone ${result.baseline.latency.p99 > 50 ? 'already miss the target' : 'stay within the target'}. The server adds to it:`,
          `  - one sent message is ${loops.length} frames per subscriber (the \`message\` plus the run's \`room\` events \`run_started\`/\`run_ended\`,`,
          '    each with the full room), so the server writes that many times 500 frames per message;',
          `  - each frame is serialized once per subscriber (\`formatSseEvent\` → \`JSON.stringify\` inside \`SseStream.send\`): the`,
          `    synchronous publish of one event to 500 subscribers takes p50 ${ms(result.publishLoop.message?.p50 ?? Number.NaN, 2)} (${fmt(perMessage, 1)} ms for the ${loops.length} events of`,
          `    a message) against ${ms(result.baseline.publishLoop.p50, 2)} for the bare broadcaster, which formats once and writes the same string${format ? `;` : '.'}`,
          ...(format ? [`    in the server profile \`formatSseEvent\` alone is ${fmt(format.ms)} ms of ${fmt(profile?.totalMs ?? 0)} ms sampled.`] : []),
          `  - the send route itself (insert, commit, the run's start/end with their database reads) runs on the same event loop:`,
          `    send response p50 ${ms(result.sendResponse.p50, 0)}, p99 ${ms(result.sendResponse.p99, 0)}; server event-loop delay p99 ${ms(result.serverLoopDelay.p99, 0)}, max ${ms(result.serverLoopDelay.max, 0)}`,
          ...(result.stalls
            ? [`    (${result.stalls.stalls} stalls over 20 ms, ${ms(result.stalls.stallMs, 0)} in all, ${result.stalls.stallsWithGc} of them during a garbage collection).`]
            : []),
          ...(profile
            ? [
                `  Server CPU profile over ${profile.messages} more sends: idle ${fmt(share('idle') * 100)} %, socket writes and other natives`,
                `  ${fmt((share('system calls') + share('Node internals')) * 100)} %, PGlite ${fmt(share('PGlite') * 100)} %, the server's http modules (SSE writer, event route) ${fmt(share('server: http') * 100)} %.`,
              ]
            : []),
          `  The subscribers' process had event-loop delay p99 ${ms(result.clientLoopDelay.p99, 0)}, max ${ms(result.clientLoopDelay.max, 0)} (client work and the server compete`,
          '  for the same 2 cores, alongside other test runs). Formatting each event once per publish (not per subscriber) is the',
          '  server-side fix the measurement points at; the rest needs an idle machine to judge.',
        ]
      : []),
    ...(result.missing > 0 || result.duplicated > 0
      ? [`- **${result.missing} missing and ${result.duplicated} duplicated deliveries (target zero).**`]
      : []),
    '',
  ];
}

async function fanOutSection(): Promise<Section> {
  const before = load();
  const result = await benchFanOut();
  process.stdout.write(
    `fan-out: p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}, max ${ms(result.latency.max)}, missing ${result.missing}, duplicated ${result.duplicated}; baseline p99 ${ms(result.baseline.latency.p99)}\n`,
  );
  const drow = (name: string, d: { latency: Distribution; lastSubscriber: Distribution; missing: number; duplicated: number; deliveries: number }) =>
    `| ${name} | ${d.deliveries} | ${ms(d.latency.p50)} | ${ms(d.latency.p90)} | ${ms(d.latency.p99)} | ${ms(d.latency.max, 0)} | ${ms(d.lastSubscriber.p99)} | ${d.missing} | ${d.duplicated} |`;
  return {
    title: 'Fan-out',
    lines: [
      `_Measured ${new Date().toISOString()}; load average (1 min) ${before} → ${load()} (2 cores, shared with other test runs)._`,
      '',
      `Method: ${result.subscribers} SSE subscribers on one room (\`GET /rooms/{id}/events\`, node:http clients in one child process),`,
      `${result.messages} user messages sent one at a time over HTTP (\`POST /rooms/{id}/messages/send\`, ${result.gapMs} ms apart) to a room without`,
      'agents, from the server\'s process. The server is composed in-process on PGlite and listens on a port; rate limits off',
      `(RATE_LIMIT_ENABLED=false), SSE_MAX_STREAMS_PER_USER=${result.subscribers + 10}. Delivery latency = arrival of the \`message\` frame at a subscriber`,
      '− the moment the server published the message on its bus right after the insert committed (a bus listener registered',
      'before any stream), on CLOCK_MONOTONIC shared by the processes. Baseline in the same run: a bare node:http broadcaster',
      'writing the very frames the server sent for one message (same bytes, same number of frames) to as many subscribers in',
      'a second child process, alternating with the server\'s messages (half a gap after each), so both see the same load.',
      '',
      'Targets (quality.md §3): p99 delivery ≤ 50 ms, zero missing or duplicated events.',
      '',
      '| publisher | deliveries | p50 | p90 | p99 | max | p99 to the last subscriber | missing | duplicated |',
      '|---|---|---|---|---|---|---|---|---|',
      drow('**server**', result),
      drow('bare broadcaster, same run (baseline)', result.baseline),
      '',
      `Frames per subscriber besides the messages: ${Object.entries(result.otherEventsPerSubscriber).map(([event, count]) => `${event} ${fmt(count, 1)}`).join(', ')}`,
      `(the room events include those of ${result.profile?.messages ?? 0} extra profiled sends). Synchronous publish to all subscribers, p50 / p99:`,
      `${Object.entries(result.publishLoop).map(([event, d]) => `${event} ${ms(d.p50, 2)} / ${ms(d.p99, 1)}`).join('; ')}; bare broadcaster ${ms(result.baseline.publishLoop.p50, 2)} / ${ms(result.baseline.publishLoop.p99, 1)}.`,
      `Send response p50 ${ms(result.sendResponse.p50)}, p99 ${ms(result.sendResponse.p99)}. Event-loop delay p99 / max: server ${ms(result.serverLoopDelay.p99)} / ${ms(result.serverLoopDelay.max, 0)},`,
      `subscribers' process ${ms(result.clientLoopDelay.p99)} / ${ms(result.clientLoopDelay.max, 0)}. One process hosts the server (and the sender, and the`,
      'bare broadcaster); each set of subscribers runs in a process of its own; all share the 2 cores.',
      '',
      ...fanOutGaps(result),
    ],
  };
}

// ---- main ------------------------------------------------------------------------------------------------------

const BENCHMARKS = ['startup', 'polling', 'hot-reload', 'turn-cost', 'stream-latency', 'fan-out', 'ui'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

/** The sections of an existing RESULTS.md by title, to keep those not re-run. */
function parseSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading?.[1]) {
      current = [];
      sections.set(heading[1].trim(), current);
    } else current?.push(line);
  }
  return sections;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  const selected: BenchmarkName[] = args.length > 0 ? (args as BenchmarkName[]) : [...BENCHMARKS];
  process.stdout.write(`Machine: ${machine()}\n`);

  const postgres = (await postgresReachable()) ? BENCH_POSTGRES_URL : null;
  const runners: Record<BenchmarkName, () => Promise<Section>> = {
    startup: () => startupSection(postgres),
    polling: pollingSection,
    'hot-reload': hotReloadSection,
    'turn-cost': () => turnCostSection(postgres),
    'stream-latency': streamLatencySection,
    'fan-out': fanOutSection,
    ui: async () => uiSection(await benchUi()),
  };
  const fresh = new Map<string, string[]>();
  for (const name of BENCHMARKS) {
    if (!selected.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const section = await runners[name]();
    fresh.set(section.title, section.lines);
  }

  const path = join(REPO, 'bench/RESULTS.md');
  const previous = args.length > 0 ? parseSections(await readFile(path, 'utf8').catch(() => '')) : new Map<string, string[]>();
  const order = ['Startup and memory', 'Polling', 'Hot reload', 'Turn cost', 'Stream latency', 'Fan-out', 'Web UI'];
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Machine: ${machine()}`,
    `Written: ${new Date().toISOString()}${args.length > 0 ? ` (re-ran: ${selected.join(', ')}; other sections kept from earlier runs)` : ''}`,
    '',
    'The machine is shared: other test suites run on the same 2 cores during these measurements, so each section states',
    'the 1-minute load average around it. Ratios against baselines measured in the same run say more than absolute times.',
    '',
  ];
  for (const title of order) {
    const body = fresh.get(title) ?? previous.get(title);
    if (!body) continue;
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    lines.push(`## ${title}`, ...(fresh.has(title) ? [''] : []), ...body, '');
  }
  await writeFile(path, `${lines.join('\n')}\n`);
  process.stdout.write('Wrote bench/RESULTS.md\n');
}

void main().then(() => process.exit(0)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
