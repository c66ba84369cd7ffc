import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createOpenAiProvider, type OpenAiProviderOptions } from '../../../src/server/providers/openai/openai-provider.js';
import type { ProviderEvent, TurnRequest, TurnTool } from '../../../src/server/providers/types.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/openai-chat-server.js';

const API_KEY = 'sk-test-secret-key-0123456789';
const log = pino({ level: 'silent' });

let fake: FakeOpenAiServer;
beforeEach(async () => {
  fake = await startFakeOpenAiServer({ models: ['fake-model', 'other-model'] });
});
afterEach(async () => fake.close());

function provider(overrides: Partial<OpenAiProviderOptions> = {}) {
  return createOpenAiProvider({
    baseUrl: fake.baseUrl,
    apiKey: API_KEY,
    defaultModel: 'fake-model',
    supportsImages: false,
    maxToolSteps: 4,
    historyLimit: 100,
    deadlines: { firstEventMs: 5000, idleMs: 5000, turnMs: 10_000 },
    log,
    ...overrides,
  });
}

function request(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    turnId: 't1',
    roomId: 1,
    agentId: 1,
    agentName: 'Tobin',
    systemPrompt: 'You are Tobin.',
    userParts: [{ type: 'text', text: 'Hello there' }],
    tools: [],
    sessionId: null,
    model: null,
    thinkingBudget: 0,
    signal: new AbortController().signal,
    history: [],
    ...overrides,
  };
}

async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const DEADLINES = { firstEventMs: 1000, idleMs: 2000, turnMs: 3000 };

/** Timers the test fires by hand, so deadline tests never wait for real time. */
function manualTimers() {
  const pending = new Map<number, { ms: number; fire: () => void }>();
  let nextId = 0;
  return {
    timers: {
      setTimeout: (fire: () => void, ms: number) => {
        pending.set(++nextId, { ms, fire });
        return nextId;
      },
      clearTimeout: (handle: unknown) => {
        if (typeof handle === 'number') pending.delete(handle);
      },
    },
    pendingMs: () => [...pending.values()].map((timer) => timer.ms),
    fire(ms: number) {
      const found = [...pending.entries()].find(([, timer]) => timer.ms === ms);
      if (!found) throw new Error(`no pending ${ms} ms timer`);
      pending.delete(found[0]);
      found[1].fire();
    },
  };
}

async function drain(iterator: AsyncIterator<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) out.push(next.value);
  return out;
}

function terminal(events: ProviderEvent[]) {
  const ends = events.filter((event) => event.type === 'final' || event.type === 'error');
  expect(ends).toHaveLength(1);
  expect(events.at(-1)).toBe(ends[0]);
  return ends[0]!;
}

describe('the openai provider', () => {
  it('streams text deltas in order and ends with one final event carrying the full text and usage', async () => {
    fake.enqueue({
      steps: [
        { kind: 'text', text: 'Hel' },
        { kind: 'text', text: 'lo', delayMs: 5 },
        { kind: 'text', text: ' world' },
        { kind: 'usage', promptTokens: 12, completionTokens: 3, cachedTokens: 4 },
      ],
    });
    const events = await collect(provider().startTurn(request()).events);
    expect(events.filter((e) => e.type === 'text_delta')).toEqual([
      { type: 'text_delta', text: 'Hel', blockIndex: 0 },
      { type: 'text_delta', text: 'lo', blockIndex: 0 },
      { type: 'text_delta', text: ' world', blockIndex: 0 },
    ]);
    expect(events).toContainEqual({ type: 'usage', inputTokens: 12, outputTokens: 3, cachedTokens: 4 });
    expect(terminal(events)).toEqual({ type: 'final', text: 'Hello world', thinking: '', sessionId: null, stopReason: 'stop' });
    expect(events.some((e) => e.type === 'session')).toBe(false);
  });

  it('sends the system prompt, the history and the user message, with an image placeholder when images are off', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'ok' }] });
    await collect(
      provider({ organization: 'org-1', project: 'proj-1' }).startTurn(
        request({
          history: [
            { role: 'user', parts: [{ type: 'text', text: 'Jae: hi' }] },
            { role: 'assistant', parts: [{ type: 'text', text: 'Hi Jae' }] },
          ],
          userParts: [{ type: 'text', text: 'Look' }, { type: 'image', mediaType: 'image/png', base64: 'iVBORw0KGgo=' }],
        }),
      ).events,
    );
    const body = fake.requests.at(-1)!.body;
    expect(body.model).toBe('fake-model');
    expect(body.stream).toBe(true);
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are Tobin.' },
      { role: 'user', content: 'Jae: hi' },
      { role: 'assistant', content: 'Hi Jae' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'text', text: '[image]' }] },
    ]);
    expect(fake.requests.at(-1)!.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, 'openai-organization': 'org-1', 'openai-project': 'proj-1' });
  });

  it('uses the turn model when given, else the server first listed model when no default is configured', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'a' }] }, { steps: [{ kind: 'text', text: 'b' }] });
    await collect(provider().startTurn(request({ model: 'other-model' })).events);
    expect(fake.requests.at(-1)!.body.model).toBe('other-model');
    await collect(provider({ defaultModel: undefined }).startTurn(request()).events);
    expect(fake.requests.at(-1)!.body.model).toBe('fake-model');
  });

  it('sends images as image parts when the server supports them', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'ok' }] });
    await collect(
      provider({ supportsImages: true }).startTurn(
        request({ userParts: [{ type: 'image', mediaType: 'image/png', base64: 'iVBORw0KGgo=' }] }),
      ).events,
    );
    const last = fake.requests.at(-1)!.body.messages!.at(-1)!;
    expect(last.content).toEqual([{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]);
  });

  it('maps reasoning deltas to thinking deltas and reports the thinking in the final event', async () => {
    fake.enqueue({ steps: [{ kind: 'reasoning', text: 'Let me ' }, { kind: 'reasoning', text: 'think.' }, { kind: 'text', text: 'Answer' }] });
    const events = await collect(provider().startTurn(request()).events);
    expect(events.filter((e) => e.type === 'thinking_delta')).toEqual([
      { type: 'thinking_delta', text: 'Let me ' },
      { type: 'thinking_delta', text: 'think.' },
    ]);
    expect(terminal(events)).toMatchObject({ type: 'final', text: 'Answer', thinking: 'Let me think.' });
  });

  it('runs a tool handler and sends its result back in the second request', async () => {
    const calls: unknown[] = [];
    const memorize: TurnTool = {
      name: 'memorize',
      description: 'Remember an event',
      inputSchema: { type: 'object', properties: { memory_entry: { type: 'string' } }, required: ['memory_entry'] },
      handle: async (input) => {
        calls.push(input);
        return { ok: true, text: 'Memorized: the picnic' };
      },
    };
    fake.enqueue(
      { steps: [{ kind: 'tool_call', id: 'call_1', name: 'memorize', arguments: '{"memory_entry":"the picnic"}', chunks: 3 }] },
      { steps: [{ kind: 'text', text: 'Done remembering.' }] },
    );
    const events = await collect(provider().startTurn(request({ tools: [memorize] })).events);
    expect(calls).toEqual([{ memory_entry: 'the picnic' }]);
    expect(events.filter((e) => e.type === 'tool_call' || e.type === 'tool_result')).toEqual([
      { type: 'tool_call', callId: 'call_1', tool: 'memorize', input: { memory_entry: 'the picnic' } },
      { type: 'tool_result', callId: 'call_1', ok: true },
    ]);
    expect(terminal(events)).toMatchObject({ type: 'final', text: 'Done remembering.' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.body.tools?.map((t) => t.function.name)).toEqual(['memorize']);
    expect(fake.requests[1]!.body.messages).toContainEqual(
      expect.objectContaining({ role: 'tool', tool_call_id: 'call_1', content: 'Memorized: the picnic' }),
    );
  });

  it('stops right after the step in which skip was called', async () => {
    const skip: TurnTool = { name: 'skip', description: 'Skip', inputSchema: { type: 'object', properties: {} }, handle: async () => ({ ok: true, text: 'Skipped' }) };
    fake.enqueue({ steps: [{ kind: 'tool_call', id: 'call_s', name: 'skip', arguments: '{}' }] }, { steps: [{ kind: 'text', text: 'never' }] });
    const events = await collect(provider().startTurn(request({ tools: [skip] })).events);
    expect(events).toContainEqual({ type: 'tool_call', callId: 'call_s', tool: 'skip', input: {} });
    expect(terminal(events)).toMatchObject({ type: 'final', text: '' });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a failing tool handler as a tool result that is not ok, and the turn continues', async () => {
    const recall: TurnTool = {
      name: 'recall',
      description: 'Recall',
      inputSchema: { type: 'object', properties: {} },
      handle: async () => ({ ok: false, text: 'Not found' }),
    };
    fake.enqueue({ steps: [{ kind: 'tool_call', id: 'call_r', name: 'recall', arguments: '{}' }] }, { steps: [{ kind: 'text', text: 'Oh well' }] });
    const events = await collect(provider().startTurn(request({ tools: [recall] })).events);
    expect(events).toContainEqual({ type: 'tool_result', callId: 'call_r', ok: false });
    expect(terminal(events)).toMatchObject({ type: 'final', text: 'Oh well' });
  });

  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [429, 'rate_limited', true],
    [500, 'internal', true],
    [503, 'overloaded', true],
    [529, 'overloaded', true],
    [400, 'invalid_request', false],
    [404, 'invalid_request', false],
  ] as const)('maps HTTP %i to the error code %s (transient %s) without retrying', async (status, code, transient) => {
    fake.enqueue({ status, body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'error' } } });
    const events = await collect(provider().startTurn(request()).events);
    const end = terminal(events);
    expect(end).toMatchObject({ type: 'error', code, transient });
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('maps a connection dropped mid-stream to a transient network error', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'partial' }, { kind: 'delay', ms: 10 }, { kind: 'drop' }] });
    const events = await collect(provider().startTurn(request()).events);
    expect(events[0]).toEqual({ type: 'text_delta', text: 'partial', blockIndex: 0 });
    expect(terminal(events)).toMatchObject({ type: 'error', code: 'network', transient: true });
  });

  it('maps an unreachable server to a transient network error that names no credential', async () => {
    const url = fake.baseUrl;
    await fake.close();
    const events = await collect(provider({ baseUrl: url }).startTurn(request()).events);
    const end = terminal(events);
    expect(end).toMatchObject({ type: 'error', code: 'network', transient: true });
    expect(JSON.stringify(end)).not.toContain(API_KEY);
    fake = await startFakeOpenAiServer();
  });

  it('fails with a transient timeout naming the first-event deadline when the server sends nothing', async () => {
    fake.enqueue({ steps: [{ kind: 'hang' }] });
    const started = Date.now();
    const events = await collect(provider({ deadlines: { firstEventMs: 150, idleMs: 5000, turnMs: 5000 } }).startTurn(request()).events);
    expect(terminal(events)).toMatchObject({ type: 'error', code: 'timeout', transient: true, message: expect.stringContaining('first-event deadline') });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails with a permanent timeout naming the idle deadline when the stream stalls after a delta', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'I was say' }, { kind: 'hang' }] });
    const clock = manualTimers();
    const handle = provider({ deadlines: DEADLINES, timers: clock.timers }).startTurn(request());
    const iterator = handle.events[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text_delta', text: 'I was say' });
    // The first delta disarmed the first-event deadline and armed the idle one.
    expect(clock.pendingMs().sort()).toEqual([DEADLINES.idleMs, DEADLINES.turnMs]);
    clock.fire(DEADLINES.idleMs);
    const rest = await drain(iterator);
    expect(terminal(rest)).toMatchObject({ type: 'error', code: 'timeout', transient: false, message: expect.stringContaining('idle deadline') });
    expect(clock.pendingMs()).toEqual([]);
  });

  it('fails with a permanent timeout naming the whole-turn deadline while the stream is still active', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'On and on' }, { kind: 'hang' }] });
    const clock = manualTimers();
    const handle = provider({ deadlines: DEADLINES, timers: clock.timers }).startTurn(request());
    const iterator = handle.events[Symbol.asyncIterator]();
    await iterator.next();
    clock.fire(DEADLINES.turnMs);
    const rest = await drain(iterator);
    expect(terminal(rest)).toMatchObject({ type: 'error', code: 'timeout', transient: false, message: expect.stringContaining('whole-turn deadline') });
    expect(clock.pendingMs()).toEqual([]);
  });

  it('clears every deadline timer when the turn ends normally', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'Quick' }] });
    const clock = manualTimers();
    const events = await collect(provider({ deadlines: DEADLINES, timers: clock.timers }).startTurn(request()).events);
    expect(terminal(events)).toMatchObject({ type: 'final', text: 'Quick' });
    expect(clock.pendingMs()).toEqual([]);
  });

  it('stops a hanging stream promptly on interrupt and ends with an interrupted final event', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'Once upon' }, { kind: 'hang' }] });
    const handle = provider().startTurn(request());
    const events: ProviderEvent[] = [];
    const iterator = handle.events[Symbol.asyncIterator]();
    const first = await iterator.next();
    events.push(first.value as ProviderEvent);
    const started = Date.now();
    await handle.interrupt();
    events.push(...(await drain(iterator)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(terminal(events)).toEqual({ type: 'final', text: 'Once upon', thinking: '', sessionId: null, stopReason: 'interrupted' });
  });

  it('stops promptly when the request signal aborts', async () => {
    fake.enqueue({ steps: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const handle = provider().startTurn(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const events = await collect(handle.events);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(terminal(events)).toMatchObject({ type: 'final', stopReason: 'interrupted' });
  });

  it('lists the server models and picks the configured default model', async () => {
    expect(await provider().checkAvailability()).toEqual({ available: true, defaultModel: 'fake-model', models: ['fake-model', 'other-model'] });
    expect(await provider({ defaultModel: undefined }).checkAvailability()).toMatchObject({ available: true, defaultModel: 'fake-model' });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('reports the provider unavailable with the spec reasons', async () => {
    expect(await provider({ baseUrl: undefined, apiKey: undefined }).checkAvailability()).toMatchObject({ available: false, reason: 'OPENAI_BASE_URL is not set' });
    fake.models = [];
    expect(await provider({ defaultModel: undefined }).checkAvailability()).toMatchObject({
      available: false,
      reason: 'No model configured and the server lists none',
    });
    fake.models = 'hang';
    const hung = await provider({ availabilityTimeoutMs: 100 }).checkAvailability();
    expect(hung).toMatchObject({ available: false, reason: `Cannot reach ${fake.baseUrl}` });
  });

  it('keeps no sessions: dispose calls resolve and the capabilities say stateless', async () => {
    const p = provider();
    await expect(p.disposeSession(1, 1)).resolves.toBeUndefined();
    await expect(p.disposeRoom(1)).resolves.toBeUndefined();
    await expect(p.shutdown()).resolves.toBeUndefined();
    expect(p.capabilities.statefulSessions).toBe(false);
  });
});

describe('the fake OpenAI chat server', () => {
  it('answers a non-streaming request with one chat.completion holding text, reasoning, tool calls and usage', async () => {
    fake.enqueue({
      steps: [
        { kind: 'reasoning', text: 'hm' },
        { kind: 'text', text: 'Hi' },
        { kind: 'tool_call', id: 'call_9', name: 'skip', arguments: '{}' },
        { kind: 'usage', promptTokens: 3, completionTokens: 1 },
      ],
    });
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          message: { role: 'assistant', content: 'Hi', reasoning_content: 'hm', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'skip', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    expect(fake.requests.at(-1)!.body.messages).toEqual([{ role: 'user', content: 'x' }]);
  });

  it('streams chat.completion.chunk lines ending with data: [DONE]', async () => {
    fake.enqueue({ steps: [{ kind: 'text', text: 'Hi' }] });
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-model', stream: true, messages: [] }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const lines = (await response.text()).split('\n\n').filter(Boolean);
    expect(lines.at(-1)).toBe('data: [DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line.replace(/^data: /, '')) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[] });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hi');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers 500 when no response is scripted', async () => {
    const response = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
  });
});
