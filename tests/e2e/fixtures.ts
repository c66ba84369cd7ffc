import { randomBytes } from 'node:crypto';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { AgentReply, FakeRecord } from './harness/fake-protocol.js';
import { runState, STORAGE } from './harness/state.js';

/**
 * Test fixtures of the end-to-end suite. Pages start logged in as the admin (saved storage state); a file that
 * tests the guest or the login page switches with `test.use({ storageState: … })` (see `sessions`).
 */

export interface FakeModel {
  /** Scripts the agents for conversations that contain `match` (ideally a token in the test's own message). */
  script(match: string, agents: Record<string, AgentReply[]>): Promise<void>;
  requests(match: string): Promise<FakeRecord[]>;
}

export interface AgentInfo {
  id: number;
  name: string;
}

export interface RoomInfo {
  id: number;
  name: string;
}

/** The admin's REST client (same-origin `/api`, with the session cookie), for setup that the UI does not test. */
export interface AdminApi {
  raw: APIRequestContext;
  agents(): Promise<AgentInfo[]>;
  agent(name: string): Promise<AgentInfo>;
  createRoom(name: string, body?: Record<string, unknown>): Promise<RoomInfo>;
  addMember(roomId: number, agentName: string): Promise<void>;
  send(roomId: number, content: string): Promise<void>;
  messages(roomId: number): Promise<{ id: number; content: string; agent_id: number | null; participant_type: string }[]>;
  /** The names of the room's agents. */
  members(roomId: number): Promise<string[]>;
}

/** Values for `test.use({ storageState })`: the sessions the global setup saves, or none (logged out). */
export const sessions = {
  admin: STORAGE.admin,
  guest: STORAGE.guest,
  none: { cookies: [], origins: [] },
};

/** A unique suffix for room names and message tokens: tests share one server and run in parallel. */
export const unique = (prefix: string): string => `${prefix} ${randomBytes(3).toString('hex')}`;

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

// `fake` and `adminApi` are per worker, so `beforeAll` hooks can use them too.
export const test = base.extend<object, { fake: FakeModel; adminApi: AdminApi }>({
  // The server's port is known only after the global setup; no spec overrides it.
  baseURL: async ({}, use) => use(runState().baseURL),

  fake: [
    async ({}, use) => {
      const control = runState().control;
      await use({
        async script(match, agents) {
          const response = await fetch(`${control}/script`, { method: 'POST', body: JSON.stringify({ match, agents }) });
          if (!response.ok) throw new Error(`scripting the fake failed: ${response.status}`);
        },
        async requests(match) {
          return (await (await fetch(`${control}/requests?match=${encodeURIComponent(match)}`)).json()) as FakeRecord[];
        },
      });
    },
    { scope: 'worker' },
  ],

  adminApi: [
    async ({}, use) => {
      const { baseURL, storage } = runState();
      const raw = await playwrightRequest.newContext({ baseURL, storageState: storage.admin, extraHTTPHeaders: { origin: baseURL } });
      let agentCache: AgentInfo[] | undefined;
      const api: AdminApi = {
        raw,
        agents: async () => (agentCache ??= await json<AgentInfo[]>(await raw.get('/api/agents'), 'GET /api/agents')),
        async agent(name) {
          const found = (await api.agents()).find((agent) => agent.name === name);
          if (!found) throw new Error(`no fixture agent named ${name}`);
          return found;
        },
        createRoom: async (name, body = {}) => json<RoomInfo>(await raw.post('/api/rooms', { data: { name, ...body } }), 'POST /api/rooms'),
        async addMember(roomId, agentName) {
          const agent = await api.agent(agentName);
          await json(await raw.post(`/api/rooms/${roomId}/agents/${agent.id}`), `adding ${agentName}`);
        },
        async send(roomId, content) {
          await json(await raw.post(`/api/rooms/${roomId}/messages/send`, { data: { content } }), 'send');
        },
        messages: async (roomId) => json(await raw.get(`/api/rooms/${roomId}/messages`), 'GET messages'),
        members: async (roomId) =>
          (await json<{ agents: AgentInfo[] }>(await raw.get(`/api/rooms/${roomId}`), 'GET room')).agents.map((agent) => agent.name),
      };
      await use(api);
      await raw.dispose();
    },
    { scope: 'worker' },
  ],
});

export { expect };

/** The transcript's message rows (ui.md §7: every row is an `<article>`). */
export function rows(page: Page) {
  return page.locator('article');
}

let growthRecorders = 0;

/**
 * Records, in the page, every distinct text of `name`'s live bubble from now on (the `<article aria-busy>` named
 * after the agent). Polling from the test can miss a stage while the machine is busy; an observer in the page sees
 * each render. Returns a reader of the texts so far (lost on navigation).
 */
export async function recordGrowth(page: Page, name: string): Promise<() => Promise<string[]>> {
  const key = `__growth${(growthRecorders += 1)}`;
  await page.evaluate(
    ({ key, name }) => {
      const seen: string[] = [];
      (window as unknown as Record<string, string[]>)[key] = seen;
      const note = () => {
        for (const bubble of Array.from(document.querySelectorAll('article[aria-busy="true"]'))) {
          if (bubble.getAttribute('aria-label') !== name) continue;
          const text = bubble.textContent ?? '';
          if (text !== '' && text !== seen.at(-1)) seen.push(text);
        }
      };
      note();
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    },
    { key, name },
  );
  return () => page.evaluate((key) => [...((window as unknown as Record<string, string[]>)[key] ?? [])], key);
}

/** Clicks the label of a radio drawn as a segmented control (the input itself is visually hidden). */
async function pickRadio(scope: Locator, name: string): Promise<void> {
  // `has` is matched inside each label, so it is built from the page, not from `scope`.
  await scope.locator('label').filter({ has: scope.page().getByRole('radio', { name, exact: true }) }).click();
  await expect(scope.getByRole('radio', { name, exact: true })).toBeChecked();
}

/** Opens Settings from the sidebar and picks a radio there (the dialog's name changes when 한국어 is picked). */
async function pickSetting(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog');
  await pickRadio(dialog, label);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

/** Chooses the theme the way a user does, in the Settings dialog (ui.md §4.8). */
export async function chooseTheme(page: Page, theme: 'system' | 'light' | 'dark'): Promise<void> {
  await pickSetting(page, { system: 'System', light: 'Light', dark: 'Dark' }[theme]);
}

/** Switches the interface language to Korean in the Settings dialog. */
export async function chooseKorean(page: Page): Promise<void> {
  await pickSetting(page, '한국어');
}

/** The composer's text field (a textbox, or a combobox once it offers @mentions). */
export function composer(page: Page, name = 'Message') {
  return page.getByRole('textbox', { name, exact: true }).or(page.getByRole('combobox', { name, exact: true }));
}
