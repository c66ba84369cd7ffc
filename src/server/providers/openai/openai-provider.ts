import type { Logger } from 'pino';
import { armDeadlines, realTimers, type DeadlineName, type Timers, type TurnDeadlines } from '../deadlines.js';
import { createEventChannel } from '../event-channel.js';
import type { Provider, ProviderAvailability, ProviderEvent, TurnHandle, TurnRequest } from '../types.js';
import { createRedactor, mapUpstreamError, type MappedError } from './errors.js';
import { buildMessages, sdkTool, type Sdk } from './turn-request.js';

/**
 * The `openai` provider (behavior.md §7.8): any OpenAI-compatible chat-completions server through the Vercel AI
 * SDK. Stateless — every turn sends system prompt + prebuilt history + the per-turn message.
 */

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const MAX_LISTED_MODELS = 200;
const INTERRUPT_WAIT_MS = 3000;
const DEADLINE_LABELS: Record<DeadlineName, string> = {
  first_event: 'first-event deadline',
  idle: 'idle deadline',
  turn: 'whole-turn deadline',
};

export interface OpenAiProviderOptions {
  /** Unset with an API key means OpenAI itself; unset without a key means "not configured". */
  baseUrl?: string;
  apiKey?: string;
  defaultModel?: string;
  /** Sent as `OpenAI-Organization` / `OpenAI-Project` (api.md §15). */
  organization?: string;
  project?: string;
  supportsImages: boolean;
  maxToolSteps: number;
  /** Upper bound on history entries sent; the engine builds the history (§4.10), this only guards it. */
  historyLimit: number;
  deadlines: TurnDeadlines;
  log: Pick<Logger, 'debug' | 'warn'>;
  fetch?: typeof globalThis.fetch;
  timers?: Timers;
  /** Timeout of `GET {baseUrl}/models` in `checkAvailability()` (api.md §11.1: 2 s). */
  availabilityTimeoutMs?: number;
}

export interface OpenAiProvider extends Provider {
  id: 'openai';
  historyLimit: number;
}

export function createOpenAiProvider(options: OpenAiProviderOptions): OpenAiProvider {
  const timers = options.timers ?? realTimers;
  const doFetch = options.fetch ?? globalThis.fetch;
  const baseUrl = (options.baseUrl ?? (options.apiKey ? OPENAI_DEFAULT_BASE_URL : undefined))?.replace(/\/+$/, '');
  const redact = createRedactor([options.apiKey]);
  const extraHeaders: Record<string, string> = {
    ...(options.organization ? { 'OpenAI-Organization': options.organization } : {}),
    ...(options.project ? { 'OpenAI-Project': options.project } : {}),
  };
  let lastListedModel: string | null = null;

  // The SDK is loaded on first use so a server without the `openai` provider configured never pays for it.
  let sdk: Promise<Sdk> | null = null;
  const loadSdk = () => (sdk ??= Promise.all([import('ai'), import('@ai-sdk/openai-compatible')]));

  async function checkAvailability(): Promise<ProviderAvailability> {
    if (!baseUrl) return { available: false, reason: 'OPENAI_BASE_URL is not set', defaultModel: null, models: [] };
    const shownUrl = redact(baseUrl);
    const controller = new AbortController();
    const timer = timers.setTimeout(() => controller.abort(), options.availabilityTimeoutMs ?? 2000);
    let models: string[];
    try {
      const response = await doFetch(`${baseUrl}/models`, {
        headers: { ...extraHeaders, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        signal: controller.signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        return { available: false, reason: `Cannot reach ${shownUrl} (HTTP ${response.status})`, defaultModel: options.defaultModel ?? null, models: [] };
      }
      models = parseModelIds(await response.json());
    } catch {
      return { available: false, reason: `Cannot reach ${shownUrl}`, defaultModel: options.defaultModel ?? null, models: [] };
    } finally {
      timers.clearTimeout(timer);
    }
    const defaultModel = options.defaultModel ?? models[0] ?? null;
    lastListedModel = models[0] ?? null;
    if (!defaultModel) return { available: false, reason: 'No model configured and the server lists none', defaultModel: null, models };
    return { available: true, defaultModel, models };
  }

  function startTurn(request: TurnRequest): TurnHandle {
    const controller = new AbortController();
    let stop: { kind: 'interrupt' } | { kind: 'timeout'; deadline: DeadlineName } | null = null;
    const abort = (reason: NonNullable<typeof stop>) => {
      stop ??= reason;
      controller.abort();
    };
    const channel = createEventChannel<ProviderEvent>(() => abort({ kind: 'interrupt' }));
    const onExternalAbort = () => abort({ kind: 'interrupt' });
    if (request.signal.aborted) onExternalAbort();
    else request.signal.addEventListener('abort', onExternalAbort, { once: true });

    const done = runTurn(request, controller.signal, channel.push, () => stop, abort).finally(() => {
      request.signal.removeEventListener('abort', onExternalAbort);
      channel.end();
    });
    return {
      events: channel.iterable,
      async interrupt() {
        abort({ kind: 'interrupt' });
        // The seam promises a bounded stop (§7.1 rule 3); a tool handler still running must not hold the caller.
        let timer: unknown;
        await Promise.race([done, new Promise<void>((resolve) => (timer = timers.setTimeout(resolve, INTERRUPT_WAIT_MS)))]);
        timers.clearTimeout(timer);
      },
    };
  }

  async function runTurn(
    request: TurnRequest,
    signal: AbortSignal,
    emit: (event: ProviderEvent) => void,
    stopped: () => { kind: 'interrupt' } | { kind: 'timeout'; deadline: DeadlineName } | null,
    abort: (reason: { kind: 'timeout'; deadline: DeadlineName }) => void,
  ): Promise<void> {
    let text = '';
    let thinking = '';
    let finishReason: string | null = null;
    const deadlines = armDeadlines(timers, options.deadlines, (deadline) => abort({ kind: 'timeout', deadline }));
    const fail = (error: MappedError) => emit({ type: 'error', ...error });
    // Deadlines count provider events, not transport chatter (an empty role chunk is not an answer).
    const report = (event: ProviderEvent) => {
      deadlines.activity();
      emit(event);
    };
    try {
      if (!baseUrl) return fail({ code: 'unavailable', message: 'OPENAI_BASE_URL is not set', transient: false });
      // Without OPENAI_MODEL the server's first listed model is the default (api.md §11.1).
      const model = request.model ?? options.defaultModel ?? lastListedModel ?? (await checkAvailability()).defaultModel;
      if (!model) return fail({ code: 'unavailable', message: 'No model configured and the server lists none', transient: false });
      const [ai, compatible] = await loadSdk();
      const upstream = compatible.createOpenAICompatible({
        name: 'openai',
        baseURL: baseUrl,
        apiKey: options.apiKey,
        includeUsage: true,
        headers: extraHeaders,
        fetch: doFetch,
      });
      const toolOk = new Map<string, boolean>();
      const tools = Object.fromEntries(request.tools.map((turnTool) => [turnTool.name, sdkTool(ai, turnTool, toolOk)]));
      const result = ai.streamText({
        model: upstream.chatModel(model),
        system: request.systemPrompt,
        messages: buildMessages(request.history ?? [], request.userParts, options),
        tools,
        stopWhen: [ai.stepCountIs(options.maxToolSteps), ai.hasToolCall('skip')],
        maxRetries: 0,
        abortSignal: signal,
        // Errors surface through the stream below; the default handler would log them to the console.
        onError: () => {},
      });
      // A new block starts with the first non-empty delta of each SDK text part (empty role chunks open none).
      let blockIndex = -1;
      let blockId: string | null = null;
      let streamError: unknown = null;
      const earlySkips = new Set<string>();
      for await (const part of result.fullStream) {
        switch (part.type) {
          case 'start':
          case 'start-step':
            // Synthetic SDK parts, not upstream activity: they must not satisfy the first-event deadline.
            continue;
          case 'tool-input-start':
            // The SDK reports a streamed call only once the whole response has ended; `skip` takes no input, so
            // it counts from its first chunk and no text after it is streamed (§5.7 rule 5, as Claude §7.6 rule 4).
            if (part.toolName === 'skip') {
              earlySkips.add(part.id);
              report({ type: 'tool_call', callId: part.id, tool: 'skip', input: {} });
              break;
            }
            deadlines.activity();
            break;
          case 'tool-input-delta':
            // The model is streaming a tool call's arguments: that is progress for the idle deadline.
            deadlines.activity();
            break;
          case 'text-delta':
            if (part.text) {
              if (part.id !== blockId) {
                blockId = part.id;
                blockIndex++;
              }
              text += part.text;
              report({ type: 'text_delta', text: part.text, blockIndex });
            }
            break;
          case 'reasoning-delta':
            if (part.text) {
              thinking += part.text;
              report({ type: 'thinking_delta', text: part.text });
            }
            break;
          case 'tool-call':
            if (earlySkips.has(part.toolCallId)) break;
            report({ type: 'tool_call', callId: part.toolCallId, tool: part.toolName, input: part.input });
            break;
          case 'tool-result':
            report({ type: 'tool_result', callId: part.toolCallId, ok: toolOk.get(part.toolCallId) ?? true });
            break;
          case 'tool-error':
            report({ type: 'tool_result', callId: part.toolCallId, ok: false });
            break;
          case 'finish': {
            finishReason = part.finishReason;
            const usage = part.totalUsage;
            report({
              type: 'usage',
              inputTokens: usage.inputTokens ?? 0,
              outputTokens: usage.outputTokens ?? 0,
              cachedTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
            });
            break;
          }
          case 'error':
            // A stream event of a shape the SDK does not know (e.g. `event: ping`) is not fatal (§7.1 rule 2); the
            // SDK reports it as a parse error and keeps streaming. A stream that never finishes still fails.
            if (ai.TypeValidationError.isInstance(part.error) || ai.JSONParseError.isInstance(part.error)) {
              options.log.debug({ turn_id: request.turnId }, 'openai provider ignored an unknown stream event');
              break;
            }
            streamError = part.error;
            break;
          case 'abort':
            break;
          default:
            options.log.debug({ part: part.type }, 'openai provider ignored a stream part');
        }
        if (streamError) break;
      }
      const why = stopped();
      if (why) return endStopped(why);
      if (streamError) return failUpstream(streamError);
      emit({ type: 'final', text, thinking, sessionId: null, stopReason: finishReason });
    } catch (error) {
      const why = stopped();
      if (why) return endStopped(why);
      failUpstream(error);
    } finally {
      deadlines.clear();
    }

    function failUpstream(error: unknown) {
      const mapped = mapUpstreamError(error, redact);
      options.log.warn({ code: mapped.code, turn_id: request.turnId, detail: mapped.message }, 'openai turn failed');
      fail(mapped);
    }

    function endStopped(why: { kind: 'interrupt' } | { kind: 'timeout'; deadline: DeadlineName }) {
      // Cancellation is not an error (§5.16 rule 5): the partial text ends the turn so the engine can keep it.
      if (why.kind === 'interrupt') return emit({ type: 'final', text, thinking, sessionId: null, stopReason: 'interrupted' });
      const seconds = Math.round(deadlineMs(why.deadline) / 100) / 10;
      // Only a first-event timeout is transient (§5.16 rule 1).
      fail({ code: 'timeout', message: `Turn timed out: ${DEADLINE_LABELS[why.deadline]} of ${seconds} s exceeded`, transient: why.deadline === 'first_event' });
    }
  }

  function deadlineMs(name: DeadlineName): number {
    return name === 'first_event' ? options.deadlines.firstEventMs : name === 'idle' ? options.deadlines.idleMs : options.deadlines.turnMs;
  }

  return {
    id: 'openai',
    historyLimit: options.historyLimit,
    capabilities: {
      streaming: true,
      thinking: true,
      images: { supported: options.supportsImages, mediaTypes: options.supportsImages ? ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] : [] },
      statefulSessions: false,
      interrupt: true,
      tools: true,
    },
    checkAvailability,
    startTurn,
    // Stateless: nothing is kept between turns.
    disposeSession: async () => {},
    disposeRoom: async () => {},
    shutdown: async () => {},
  };
}

function parseModelIds(body: unknown): string[] {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) return [];
  return data
    .map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0)
    .slice(0, MAX_LISTED_MODELS);
}
