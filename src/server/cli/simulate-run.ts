import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SimulateOptions } from './simulate-args.js';
import { createApiClient, SimulateError, type ApiClient, type ExitCode, type SimAgent, type SimMessage, type SimRoom } from './simulate-api.js';
import { startRoomFeed, type FeedEvent } from './simulate-feed.js';
import { createLiveView } from './simulate-live.js';
import { createProgressLine } from './simulate-progress.js';
import { authenticate, createRoom, resolveAgents } from './simulate-setup.js';
import { createStopTracker, describeStop, type StopReason } from './simulate-stop.js';
import { defaultTranscriptPath, renderTranscript } from './simulate-transcript.js';

/**
 * One simulation (behavior.md §10.1): log in, check the agents, create the room, add the agents, follow the
 * room's events, post the topic, print the conversation until a stop condition holds, pause the room, and write
 * the transcript. Returns the exit code; it never calls `process.exit` itself.
 */

export interface SimulateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  color: boolean;
  /** IANA zone of the `HH:mm:ss` times in the transcript. */
  timeZone: string;
  /** Aborted on Ctrl-C: the simulation stops as if a stop condition held, and the exit code is 130. */
  interrupt: AbortSignal;
  fetch?: typeof fetch;
  now?: () => number;
  tickMs?: number;
  pollIntervalMs?: number;
}

interface Console {
  note(text: string): void;
  error(text: string): void;
}

async function writeTranscriptFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

interface Finish {
  api: ApiClient;
  options: SimulateOptions;
  io: SimulateIo;
  say: Console;
  room: SimRoom;
  outPath: string;
  reason: StopReason | null;
  failure: unknown;
  collected: ReadonlyMap<number, SimMessage>;
  replies: number;
  startedAt: Date;
  now: () => number;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Resolves when the signal aborts (never rejects). */
function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolveAbort) => {
    if (signal.aborted) resolveAbort();
    else signal.addEventListener('abort', () => resolveAbort(), { once: true });
  });
}

/** Pauses the room (rule 4), reads the final history and writes the transcript (rule 5), also after a failure. */
async function finish(ctx: Finish): Promise<ExitCode> {
  const { api, options, say, room, outPath, failure } = ctx;
  const authFailed = failure instanceof SimulateError && failure.exitCode === 2;
  let pauseFailed = false;
  if (!authFailed) {
    try {
      await api.pauseRoom(room.id);
    } catch (err) {
      pauseFailed = true;
      say.error(`Could not pause room ${room.id}: ${messageOf(err)}`);
    }
  }
  let messages = [...ctx.collected.values()].sort((a, b) => a.id - b.id);
  if (!authFailed) {
    // The server's list is authoritative: it holds partial replies saved by the pause and anything the feed missed.
    try {
      messages = await api.listMessages(room.id);
    } catch (err) {
      say.note(`Could not read the room's messages (${messageOf(err)}); the transcript holds those seen live.`);
    }
  }
  const stopped =
    failure !== null || ctx.reason === null
      ? `stopped by an error: ${messageOf(failure)}`
      : describeStop(ctx.reason, { replies: ctx.replies, maxInteractions: options.maxInteractions, idleTimeoutMs: options.idleTimeoutMs, timeoutMs: options.timeoutMs });
  const text = renderTranscript({
    topic: options.topic,
    agents: options.agents,
    room,
    startedAt: ctx.startedAt,
    endedAt: new Date(ctx.now()),
    stopped,
    messages,
    timeZone: ctx.io.timeZone,
  });
  let written = true;
  try {
    await writeTranscriptFile(outPath, text);
  } catch (err) {
    written = false;
    say.error(`Could not write the transcript to ${outPath}: ${messageOf(err)}`);
  }
  if (failure !== null) {
    say.error(messageOf(failure));
    if (written) say.note(`Transcript so far: ${outPath}`);
    return failure instanceof SimulateError ? failure.exitCode : 3;
  }
  if (written) say.note(`Stopped: ${stopped}. Room ${room.id} ${pauseFailed ? 'could not be paused' : 'is paused'}. Transcript: ${outPath}`);
  if (!written) return 1;
  if (pauseFailed) return 3;
  return ctx.reason === 'interrupted' ? 130 : 0;
}

export async function runSimulation(options: SimulateOptions, io: SimulateIo): Promise<ExitCode> {
  const now = io.now ?? Date.now;
  const startedAtMs = now();
  const names = new Map<number, string>();
  const progress = createProgressLine({ write: io.stderr, enabled: io.stderrIsTty && !options.quiet });
  const view = createLiveView({
    write: options.quiet ? () => undefined : io.stdout,
    streaming: io.stdoutIsTty,
    color: io.color,
    showThinking: options.showThinking,
    hideSkips: options.hideSkips,
    agentName: (id) => names.get(id) ?? null,
    beforeWrite: () => progress.clear(),
    afterWrite: (atLineStart) => {
      if (atLineStart) progress.restore();
    },
  });
  const say: Console = {
    note(text) {
      if (options.quiet) return;
      view.breakLine();
      progress.clear();
      io.stderr(`${text}\n`);
      progress.restore();
    },
    error(text) {
      view.breakLine();
      progress.clear();
      io.stderr(`Error: ${text}\n`);
    },
  };
  const api = createApiClient({ baseUrl: options.url, fetch: io.fetch });

  let agents: SimAgent[];
  let room: SimRoom;
  try {
    await authenticate(api, options, (text) => say.note(text));
    agents = await resolveAgents(api, options.agents);
    if (options.out !== null) {
      // A path that cannot be written is a usage error, found before any room exists.
      const folder = dirname(resolve(options.baseDir, options.out));
      await mkdir(folder, { recursive: true }).catch((err: unknown) => {
        throw new SimulateError(`Cannot create the folder ${folder}: ${messageOf(err)}`, 1, { cause: err });
      });
    }
    if (io.interrupt.aborted) return 130;
    room = await createRoom(api, options);
  } catch (err) {
    say.error(messageOf(err));
    return err instanceof SimulateError ? err.exitCode : 3;
  }
  const outPath = options.out !== null ? resolve(options.baseDir, options.out) : defaultTranscriptPath(options.baseDir, room.name);
  say.note(`Room ${room.id} "${room.name}" created (${room.default_provider}); stopping after ${options.maxInteractions} agent replies.`);
  for (const agent of agents) names.set(agent.id, agent.name);

  const collected = new Map<number, SimMessage>();
  const tracker = createStopTracker({
    maxInteractions: options.maxInteractions,
    idleTimeoutMs: options.idleTimeoutMs,
    deadlineAt: startedAtMs + options.timeoutMs,
    activeSince: now(),
    criticIds: new Set(agents.filter((agent) => agent.is_critic).map((agent) => agent.id)),
  });
  let transport: 'stream' | 'polling' | null = null;
  let failure: unknown = null;
  let wake: () => void = () => undefined;

  const onEvent = (event: FeedEvent) => {
    switch (event.type) {
      case 'message':
        collected.set(event.data.id, event.data);
        tracker.onMessage(event.data, now());
        break;
      case 'delta':
      case 'agent_start':
        tracker.onActivity(now());
        break;
      case 'room':
      case 'snapshot':
        // A new room is neither finished nor paused until the topic is posted, so any such state counts: a
        // pause seen here was made by someone else (ours comes after the feed stopped).
        tracker.onRoom(event.data.room);
        break;
      case 'transport':
        if (event.data.mode === 'polling') say.note('The event stream is unavailable; checking for new messages every 2 s.');
        else if (transport === 'polling') say.note('The event stream is back.');
        transport = event.data.mode;
        break;
      case 'shutdown':
        say.note('The server is shutting down.');
        break;
      case 'agent_end':
      case 'agent_error':
        break;
    }
    view.onEvent(event);
    drawProgress();
    wake();
  };

  function drawProgress(): void {
    if (!view.atLineStart()) return;
    progress.draw({ replies: tracker.replies, maxInteractions: options.maxInteractions, elapsedMs: now() - startedAtMs, transport });
  }

  function waitForStop(): Promise<StopReason> {
    return new Promise<StopReason>((resolveStop) => {
      const onInterrupt = () => {
        tracker.stop('interrupted');
        wake();
      };
      const timer = setInterval(() => {
        tracker.check(now());
        drawProgress();
        wake();
      }, io.tickMs ?? 500);
      wake = () => {
        const stopped = tracker.check(now());
        if (stopped === null && failure === null) return;
        clearInterval(timer);
        io.interrupt.removeEventListener('abort', onInterrupt);
        wake = () => undefined;
        resolveStop(stopped ?? 'interrupted');
      };
      io.interrupt.addEventListener('abort', onInterrupt, { once: true });
      if (io.interrupt.aborted) onInterrupt();
      wake();
    });
  }

  const stopFeed = new AbortController();
  let feedDone: Promise<void> = Promise.resolve();
  let reason: StopReason | null = null;
  try {
    // Rule 2 order: add the agents, subscribe, then post the topic (the stream replays from id 0, so nothing is lost).
    for (const agent of agents) await api.addAgent(room.id, agent.id);
    const feed = startRoomFeed({ api, roomId: room.id, onEvent, signal: stopFeed.signal, pollIntervalMs: io.pollIntervalMs, now });
    feedDone = feed.done.catch((err: unknown) => {
      failure ??= err;
      wake();
    });
    await Promise.race([feed.opened, feedDone, abortedPromise(io.interrupt)]);
    if (failure !== null) throw failure;
    if (io.interrupt.aborted) tracker.stop('interrupted');
    else {
      tracker.onActivity(now());
      await api.sendTopic(room.id, options.topic);
    }
    reason = await waitForStop();
    if (failure !== null) throw failure;
    // An idle room may have finished while the stream was down; say so rather than "idle".
    if (reason === 'idle' && (await api.getRoom(room.id)).is_finished) reason = 'finished';
  } catch (err) {
    failure ??= err;
  } finally {
    stopFeed.abort();
    await feedDone;
    progress.close();
    view.breakLine();
  }
  return finish({ api, options, io, say, room, outPath, reason, failure, collected, replies: tracker.replies, startedAt: new Date(startedAtMs), now });
}
