import type { Browser, BrowserContext } from 'playwright-core';
import type { FakeOpenAiServer, ScriptStep } from '../tests/fakes/openai-chat-server.js';
import type { InProcessServer } from './support.js';

/**
 * ui.md §1 P2 while agents stream: "delta received until painted ≤ 100 ms p95" and "no long task > 200 ms while 2
 * agents stream 40 deltas/s each". Two critics stream at the same time (the only turns the engine overlaps in one
 * room, behavior.md §5.12), each 40 tokens a second from the fake model API, into a room open in Chromium.
 *
 * Critic notes start collapsed, so the bench opens both as a reader would; only tokens that arrive after that count.
 * In the page, an init script taps the room's event stream (the app reads it with `fetch`) and stamps each token
 * when its bytes arrive, and a MutationObserver stamps it when it first appears in the DOM, after the next frame.
 * Long tasks come from the browser's own `longtask` entries within the streaming window.
 */

export interface StreamingResult {
  /** Received-to-painted latencies of every token seen both ways, in ms. */
  deltaToPaintMs: number[];
  /** Durations of the long tasks (> 50 ms) while the critics streamed. */
  longTasksMs: number[];
  /** Tokens per critic, and how long the two streams took together. */
  tokensPerAgent: number;
  streamingMs: number;
}

const TOKENS = 400;
const INTERVAL_MS = 25; // 40 deltas a second per agent
const CRITICS = ['Critic One', 'Critic Two'] as const;
const token = (critic: number, index: number) => `c${critic + 1}w${String(index).padStart(4, '0')}`;

/** Installed before any page script: the stream tap, the DOM observer and the long-task observer. */
const PROBE = `
  (() => {
    const TOKEN = /\\bc[12]w\\d{4}\\b/g;
    const received = new Map();
    const painted = new Map();
    const longTasks = [];
    window.__streaming = { received, painted, longTasks };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
    const plainFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await plainFetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
      if (!/\\/events(\\?|$)/.test(url) || !response.body) return response;
      const decoder = new TextDecoder();
      const tap = new TransformStream({
        transform(chunk, controller) {
          const now = performance.now();
          for (const [word] of decoder.decode(chunk, { stream: true }).matchAll(TOKEN)) if (!received.has(word)) received.set(word, now);
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(tap), { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    let pending = [];
    const seen = new Set();
    const note = (text) => {
      for (const [word] of (text || '').matchAll(TOKEN)) if (!seen.has(word)) { seen.add(word); pending.push(word); }
    };
    const stamp = () => { const now = performance.now(); for (const word of pending) painted.set(word, now); pending = []; };
    const start = () => new MutationObserver((mutations) => {
      const before = pending.length;
      for (const m of mutations) {
        if (m.type === 'characterData') note(m.target.data);
        else for (const node of m.addedNodes) note(node.textContent);
      }
      if (before === 0 && pending.length > 0) requestAnimationFrame(() => setTimeout(stamp, 0));
    }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
    if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
  })();
`;

type StreamingWindow = Window & {
  __streaming: { received: Map<string, number>; painted: Map<string, number>; longTasks: [number, number][] };
};

/** The fake model: the lead answers in a line; each critic streams its numbered tokens. */
function scriptModel(fake: FakeOpenAiServer): void {
  fake.setResponder((request) => {
    const system = JSON.stringify(request.body.messages?.[0]?.content ?? '');
    const critic = CRITICS.findIndex((name) => system.includes(`${name} marker`));
    if (critic === -1) return { steps: [{ kind: 'text', text: 'The lamps are coming on along the river.' }] };
    const steps: ScriptStep[] = Array.from({ length: TOKENS }, (_, i) => ({ kind: 'text', text: `${token(critic, i + 1)} `, delayMs: INTERVAL_MS }));
    return { steps };
  });
}

export async function measureStreaming(
  browser: Browser,
  server: InProcessServer,
  fake: FakeOpenAiServer,
  loggedInContext: (browser: Browser, base: string) => Promise<BrowserContext>,
): Promise<StreamingResult> {
  scriptModel(fake);
  const lead = await server.call<{ id: number }>('POST', '/agents', { name: 'Lead', in_a_nutshell: 'Lead describes the evening.' });
  const critics = await Promise.all(
    CRITICS.map((name) => server.call<{ id: number }>('POST', '/agents', { name, is_critic: true, in_a_nutshell: `${name} marker: reviews the pacing.` })),
  );
  const room = await server.call<{ id: number }>('POST', '/rooms', { name: 'Streaming' });
  for (const agent of [lead, ...critics]) await server.call('POST', `/rooms/${room.id}/agents/${agent.id}`);

  const context = await loggedInContext(browser, server.base);
  try {
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    await page.goto(`/rooms/${room.id}`);
    await page.locator('[data-composer-input]').waitFor();
    const last = CRITICS.map((_, critic) => token(critic, TOKENS));
    const started = await page.evaluate(() => performance.now());
    await server.call('POST', `/rooms/${room.id}/messages/send`, { content: 'How does the evening go?' });
    // Critic notes start collapsed: a reader opens both to watch them being written. Tokens that arrived before
    // they were open are painted on opening and are not counted.
    const notes = page.getByTestId('critic-note').getByRole('button');
    await notes.nth(CRITICS.length - 1).waitFor();
    for (let i = 0; i < CRITICS.length; i += 1) await notes.nth(i).click();
    const opened = await page.evaluate(() => performance.now());
    // Done when both streams have arrived and no live bubble is left (the finished notes may sit outside the
    // virtual list's window, so their last words are not waited for in the DOM).
    await page.waitForFunction(
      (words) =>
        words.every((word) => (window as unknown as StreamingWindow).__streaming.received.has(word)) &&
        document.querySelector('[data-testid="live-bubble"]') === null,
      last,
      { timeout: 120_000, polling: 250 },
    );
    const ended = await page.evaluate(() => performance.now());
    const { latencies, longTasks } = await page.evaluate(
      ([from, open, to]) => {
        const { received, painted, longTasks: tasks } = (window as unknown as StreamingWindow).__streaming;
        const latencies = [...received].flatMap(([word, at]) => (at >= open && painted.has(word) ? [painted.get(word)! - at] : []));
        return { latencies, longTasks: tasks.filter(([start]) => start >= from && start <= to).map(([, duration]) => duration) };
      },
      [started, opened, ended] as const,
    );
    return { deltaToPaintMs: latencies, longTasksMs: longTasks, tokensPerAgent: TOKENS, streamingMs: ended - started };
  } finally {
    await context.close();
  }
}
