import { pino } from 'pino';
import { createEventChannel } from '../../src/server/providers/event-channel.js';
import { createProviderRegistry, unsupportedProvider, type ProviderAvailabilityRegistry } from '../../src/server/providers/registry.js';
import type { Provider, ProviderErrorCode, ProviderEvent, TurnRequest } from '../../src/server/providers/types.js';

/**
 * The in-process instant provider (behavior.md §11: "pure turn-policy scenarios may use the in-process instant
 * test provider"). It stands in for `openai` and answers each turn from a script, with no network and no delay
 * unless the script asks for one. Every request is recorded so tests can assert what agents were sent.
 */

export type InstantStep =
  | { text: string; block?: number }
  | { thinking: string }
  | { tool: 'skip' | string; input?: unknown; call?: boolean }
  | { error: ProviderErrorCode; transient?: boolean; message?: string }
  | { delayMs: number }
  /** Waits until the turn is interrupted (a hanging provider). */
  | { hang: true }
  /** Waits for the test to let it go on (or for an interrupt). */
  | { until: Promise<void> };

export type InstantScript = (request: TurnRequest, call: number) => InstantStep[];

export interface InstantProvider extends Provider {
  requests: TurnRequest[];
  /** Requests per agent name, in order. */
  requestsFor(agentName: string): TurnRequest[];
  /** Provider calls currently running, for overlap assertions. */
  active(): number;
  maxActivePerRoom(): Map<number, number>;
  setScript(script: InstantScript): void;
}

/** Default script: every agent answers with one short line naming itself and the call number. */
export const alwaysReply: InstantScript = (request, call) => [{ text: `${request.agentName} reply ${call}` }];

export function createInstantProvider(script: InstantScript = alwaysReply): InstantProvider {
  let current = script;
  const requests: TurnRequest[] = [];
  let running = 0;
  const perRoom = new Map<number, number>();
  const maxPerRoom = new Map<number, number>();

  function startTurn(request: TurnRequest) {
    requests.push(request);
    const call = requests.length;
    const controller = new AbortController();
    const channel = createEventChannel<ProviderEvent>(() => controller.abort());
    const onAbort = () => controller.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    running += 1;
    const inRoom = (perRoom.get(request.roomId) ?? 0) + 1;
    perRoom.set(request.roomId, inRoom);
    maxPerRoom.set(request.roomId, Math.max(maxPerRoom.get(request.roomId) ?? 0, inRoom));

    const done = (async () => {
      let text = '';
      let thinking = '';
      const interrupted = () => channel.push({ type: 'final', text, thinking, sessionId: null, stopReason: 'interrupted' });
      try {
        for (const step of current(request, call)) {
          if (controller.signal.aborted) return interrupted();
          if ('delayMs' in step) {
            await wait(step.delayMs, controller.signal);
            continue;
          }
          if ('until' in step) {
            await Promise.race([step.until, new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }))]);
            continue;
          }
          if ('hang' in step) {
            await wait(2_000_000_000, controller.signal);
            continue;
          }
          if ('text' in step) {
            text += step.text;
            channel.push({ type: 'text_delta', text: step.text, blockIndex: step.block ?? 0 });
          } else if ('thinking' in step) {
            thinking += step.thinking;
            channel.push({ type: 'thinking_delta', text: step.thinking });
          } else if ('tool' in step) {
            const callId = `call_${call}_${step.tool}`;
            channel.push({ type: 'tool_call', callId, tool: step.tool, input: step.input ?? {} });
            const tool = request.tools.find((candidate) => candidate.name === step.tool);
            if (tool && step.call !== false) {
              const result = await tool.handle(step.input ?? {});
              channel.push({ type: 'tool_result', callId, ok: result.ok });
            }
          } else {
            channel.push({
              type: 'error',
              code: step.error,
              message: step.message ?? `scripted ${step.error}`,
              transient: step.transient ?? false,
            });
            return;
          }
        }
        if (controller.signal.aborted) return interrupted();
        channel.push({ type: 'usage', inputTokens: 10, outputTokens: 5, cachedTokens: 0 });
        channel.push({ type: 'final', text, thinking, sessionId: null, stopReason: 'stop' });
      } finally {
        running -= 1;
        perRoom.set(request.roomId, (perRoom.get(request.roomId) ?? 1) - 1);
        request.signal.removeEventListener('abort', onAbort);
        channel.end();
      }
    })();

    return {
      events: channel.iterable,
      async interrupt() {
        controller.abort();
        await done;
      },
    };
  }

  return {
    id: 'openai',
    capabilities: {
      streaming: true,
      thinking: true,
      images: { supported: true, mediaTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] },
      statefulSessions: false,
      interrupt: true,
      tools: true,
    },
    requests,
    requestsFor: (agentName) => requests.filter((request) => request.agentName === agentName),
    active: () => running,
    maxActivePerRoom: () => new Map(maxPerRoom),
    setScript(next) {
      current = next;
    },
    checkAvailability: async () => ({ available: true, defaultModel: 'instant-1', models: ['instant-1'] }),
    startTurn,
    disposeSession: async () => undefined,
    disposeRoom: async () => undefined,
    shutdown: async () => undefined,
  };
}

/** A registry whose only provider is the instant one, as `openai` (the default for new rooms). */
export function instantRegistry(provider: InstantProvider): ProviderAvailabilityRegistry {
  return createProviderRegistry({
    sources: { claude: unsupportedProvider(), codex: unsupportedProvider(), openai: provider },
    adapters: { openai: provider },
    configuredDefault: 'openai',
    log: pino({ level: 'silent' }),
  });
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
