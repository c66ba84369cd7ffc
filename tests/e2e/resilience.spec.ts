import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request, Route } from '@playwright/test';
import { composer, expect, recordGrowth, test, unique, type AdminApi } from './fixtures.js';
import { ownServerEnv, START_TIMEOUT_MS, startAppServer, type AppServer } from './harness/server.js';
import { ADMIN_PASSWORD } from './harness/state.js';

/**
 * ui.md §9.3 scenarios 8, 9, 10, 19, 20 and 21: the send queue, the connection and the drafts under faults —
 * refused sends, going offline, an ended session, a dropped stream, a stream that keeps failing, and a server
 * restart (ui.md §3.5–§3.7, §4.1).
 */

/** The header's connection indicator, by the state it reads (its accessible name is "Connection: <state>"). */
function indicator(page: Page, state: string | RegExp) {
  const name = typeof state === 'string' ? `Connection: ${state}` : new RegExp(`^Connection: ${state.source}$`);
  return page.getByRole('button', { name, exact: true });
}

/**
 * Records every state the indicator shows, in order, from the first paint: short states (a "Connecting…" of a few
 * milliseconds, "Server restarting" for 2 s) are caught even when no assertion polls at that moment.
 */
async function recordIndicator(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const log: string[] = [];
    (window as unknown as { e2eConnection: string[] }).e2eConnection = log;
    const read = () => {
      const label = document.querySelector('[aria-label^="Connection: "]')?.getAttribute('aria-label') ?? '';
      const state = label.replace(/^Connection: /, '').replace(/in \d+ s$/, 'in N s');
      if (state !== '' && state !== log[log.length - 1]) log.push(state);
    };
    new MutationObserver(read).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  });
  return () => page.evaluate(() => [...(window as unknown as { e2eConnection: string[] }).e2eConnection]);
}

/** The first index of `state` in `log` at or after `from`, or -1. */
function indexFrom(log: readonly string[], state: string | RegExp, from: number): number {
  for (let i = Math.max(0, from); i < log.length; i += 1) {
    const entry = log[i] ?? '';
    if (typeof state === 'string' ? entry === state : state.test(entry)) return i;
  }
  return -1;
}

/** A finished message row (not a live bubble) containing `text`. */
function finished(page: Page, text: string) {
  return page.locator('article:not([aria-busy="true"])').filter({ hasText: text });
}

function liveBubble(page: Page, text: string) {
  return page.locator('article[aria-busy="true"]').filter({ hasText: text });
}

/** A token for the fake's scripts and the test's messages: one word, unique per test. */
const tokenOf = (prefix: string) => unique(prefix).replace(' ', '-');

test.describe('the send queue (scenario 8)', () => {
  /**
   * Answers the room's send POSTs with 500 while `refusals` has some left for the text (any other text reaches the
   * server). Returns the log of what the page asked, in order: each send POST and each stored-check.
   */
  async function refuseSends(page: Page, roomId: number, refusals: Map<string, number>, headers: Record<string, string> = {}) {
    await page.route(`**/api/rooms/${roomId}/messages/send`, async (route) => {
      const { content } = route.request().postDataJSON() as { content: string };
      const left = refusals.get(content) ?? 0;
      if (left <= 0) return route.continue();
      refusals.set(content, left - 1);
      return route.fulfill({ status: 500, headers, json: { detail: 'Internal Server Error' } });
    });
    const calls: { what: string; at: number }[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === `/api/rooms/${roomId}/messages/send`) {
        calls.push({ what: `send ${(request.postDataJSON() as { content: string }).content}`, at: Date.now() });
      } else if (path === `/api/rooms/${roomId}/messages/poll`) {
        calls.push({ what: 'poll', at: Date.now() });
      }
    });
    return calls;
  }

  const storedCount = async (adminApi: AdminApi, roomId: number, content: string) =>
    (await adminApi.messages(roomId)).filter((message) => message.content === content).length;

  test('scenario 8: a send refused twice is Failed with its text intact after the stored-check and one retry, and Retry stores exactly one copy', async ({
    page,
    adminApi,
  }) => {
    const room = await adminApi.createRoom(unique('Failed send'));
    const text = `The first try ${tokenOf('kite')}`;
    const calls = await refuseSends(page, room.id, new Map([[text, 2]]));

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    const field = composer(page);
    await field.fill(text);
    await field.press('Enter');

    const row = page.getByRole('article').filter({ hasText: text });
    await expect(row.getByRole('alert')).toContainText('Failed: server error', { timeout: 10_000 });
    await expect(row.getByText(text, { exact: true })).toBeVisible();
    // Each refused POST is followed by the stored-check, and the one automatic retry waits 2 s.
    expect(calls.map((call) => call.what)).toEqual([`send ${text}`, 'poll', `send ${text}`, 'poll']);
    expect(calls[2]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_800);
    expect(await storedCount(adminApi, room.id, text)).toBe(0);

    // Retry: this time the POST reaches the server.
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect(row.getByRole('alert')).toHaveCount(0);
    await expect.poll(() => storedCount(adminApi, room.id, text)).toBe(1);
    await expect(row).toHaveCount(1);
    await expect(row).not.toContainText(/Sending…|Queued|Failed/);

    // After a reload: exactly one copy, and no Failed row brought back from the outbox.
    await page.reload();
    await expect(finished(page, text)).toBeVisible();
    await expect(finished(page, text)).toHaveCount(1);
    await expect(page.getByText(/^Failed:/)).toHaveCount(0);
    expect(await storedCount(adminApi, room.id, text)).toBe(1);
  });

  test('scenario 8: a double click on Send makes one message', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('Double click'));
    const token = tokenOf('drum');
    const doubled = `Clicked twice ${token}`;
    const after = `Sent after the double click ${token}`;

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    const field = composer(page);
    await field.fill(doubled);
    await page.getByRole('button', { name: 'Send', exact: true }).dblclick();
    await expect(field).toHaveValue('');
    // The queue sends in order: once the next message is stored, a second copy would have been stored before it.
    await field.fill(after);
    await field.press('Enter');
    await expect.poll(() => storedCount(adminApi, room.id, after)).toBe(1);
    expect(await storedCount(adminApi, room.id, doubled)).toBe(1);
    await expect(finished(page, after)).toHaveCount(1);
    await expect(finished(page, doubled)).toHaveCount(1);
  });

  test('scenario 8: on Failed rows, Edit puts the text back into the composer, Discard removes the row and Undo brings it back', async ({
    page,
    adminApi,
  }) => {
    const room = await adminApi.createRoom(unique('Failed rows'));
    const token = tokenOf('sail');
    const editMe = `Take me back to edit ${token}`;
    const discardMe = `Throw me away ${token}`;
    const never = Number.POSITIVE_INFINITY;
    // `Retry-After: 0`: the one automatic retry goes at once (this test is about the Failed row, not the wait).
    await refuseSends(page, room.id, new Map([[editMe, never], [discardMe, never]]), { 'Retry-After': '0' });

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    const field = composer(page);
    await field.fill(editMe);
    await field.press('Enter');
    await field.fill(discardMe);
    await field.press('Enter');
    const editRow = page.getByRole('article').filter({ hasText: editMe });
    const discardRow = page.getByRole('article').filter({ hasText: discardMe });
    await expect(editRow.getByRole('alert')).toContainText('Failed: server error');
    await expect(discardRow.getByRole('alert')).toContainText('Failed: server error');
    await expect(field).toHaveValue('');

    // Edit puts the text back into the composer and removes the row.
    await editRow.getByRole('button', { name: 'Edit' }).click();
    await expect(field).toHaveValue(editMe);
    await expect(editRow).toHaveCount(0);

    // Discard removes the row; Undo in its toast brings it back, still Failed and not sent.
    await discardRow.getByRole('button', { name: 'Discard' }).click();
    await expect(discardRow).toHaveCount(0);
    const toast = page.getByRole('status').filter({ hasText: 'Message discarded' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(discardRow).toHaveCount(1);
    await expect(discardRow.getByRole('alert')).toContainText('Failed: server error');
    await expect(discardRow.getByText(discardMe, { exact: true })).toBeVisible();
    expect(await storedCount(adminApi, room.id, editMe)).toBe(0);
    expect(await storedCount(adminApi, room.id, discardMe)).toBe(0);
  });
});

test.describe('offline and online (scenarios 9 and 19)', () => {
  test('scenario 9: offline, the indicator reads Offline and a send waits for the connection with the composer usable; back online it sends by itself and the reply streams', async ({
    page,
    context,
    adminApi,
    fake,
  }) => {
    const room = await adminApi.createRoom(unique('Offline'));
    await adminApi.addMember(room.id, 'Mira');
    const token = tokenOf('kettle');
    const reply = `Mira here, ${token}. The kettle sings, the window fogs over, the cat stretches, and the tea goes cold while we talk.`;
    await fake.script(token, { Mira: [{ text: reply, chunkSize: 4, delayMs: 100 }] });

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    await context.setOffline(true);
    await expect(indicator(page, 'Offline')).toBeVisible();

    const text = `Is anyone still there? ${token}`;
    const field = composer(page);
    await field.fill(text);
    await field.press('Enter');
    const row = page.getByRole('article').filter({ hasText: text });
    await expect(row).toContainText('Waiting for connection');
    // The composer does not depend on the connection: it took the message and still takes text.
    await expect(field).toHaveValue('');
    await expect(field).toBeEditable();
    await field.fill('typing while offline');
    await expect(field).toHaveValue('typing while offline');
    await field.fill('');
    expect((await adminApi.messages(room.id)).map((message) => message.content)).not.toContain(text);

    await context.setOffline(false);
    // Watched from now on: Mira's reply to the message streams in as soon as it is sent.
    const growth = await recordGrowth(page, 'Mira');
    // Nobody clicks anything: the waiting send goes, and the stream comes back.
    await expect(row).not.toContainText('Waiting for connection');
    await expect(indicator(page, 'Live')).toBeVisible();
    await expect.poll(async () => (await adminApi.messages(room.id)).filter((message) => message.content === text).length).toBe(1);
    await expect(finished(page, reply)).toHaveCount(1);
    const seen = await growth();
    await expect(finished(page, text)).toHaveCount(1);
    const partial = seen.filter((value) => !value.includes('goes cold while we talk.'));
    expect(partial.length, `the live bubble grew at ${partial.length} points: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(2);
  });

  test('scenario 19: after a drop during a reply the stream resumes with Last-Event-ID; outage messages appear once and one deleted meanwhile is gone', async ({
    page,
    context,
    adminApi,
    fake,
  }) => {
    const room = await adminApi.createRoom(unique('Resume'));
    await adminApi.addMember(room.id, 'Mira');
    await adminApi.addMember(room.id, 'Tobin');
    const token = tokenOf('lantern');
    // Two replies each, about 1.8 s of streaming apiece: the server is mid-reply when the page drops, and goes on.
    const replyOf = (name: string, n: number) => `${name} reply ${n} on ${token}: the lantern swings and the rope creaks.`;
    const script = (name: string) => [1, 2].map((n) => ({ text: replyOf(name, n), chunkSize: 3, delayMs: 90 }));
    await fake.script(token, { Mira: script('Mira'), Tobin: script('Tobin') });
    const readLog = await recordIndicator(page);
    const streams: { lastEventId: string | undefined; at: number }[] = [];
    page.on('request', (request: Request) => {
      if (new URL(request.url()).pathname !== `/api/rooms/${room.id}/events`) return;
      const entry: { lastEventId: string | undefined; at: number } = { lastEventId: undefined, at: Date.now() };
      streams.push(entry);
      void request.allHeaders().then((headers) => (entry.lastEventId = headers['last-event-id']));
    });
    const replies = async () =>
      (await adminApi.messages(room.id)).filter((message) => message.agent_id !== null && message.content.includes(token));

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    await composer(page).fill(`Who keeps the lantern lit? ${token}`);
    await composer(page).press('Enter');

    // Drop the page once the first reply is in and the second is streaming.
    await expect.poll(async () => (await replies()).length, { timeout: 15_000, intervals: [100] }).toBeGreaterThanOrEqual(1);
    const [firstReply] = await replies();
    await expect(finished(page, firstReply!.content)).toBeVisible();
    await expect(liveBubble(page, token)).toBeVisible();
    await context.setOffline(true);
    const dropAt = Date.now();
    await expect(indicator(page, 'Offline')).toBeVisible();
    // What the page held at the drop: the stored messages it shows as finished rows.
    const storedAtDrop = await adminApi.messages(room.id);
    const held: number[] = [];
    for (const message of storedAtDrop) if ((await finished(page, message.content).count()) > 0) held.push(message.id);
    expect(held).toContain(firstReply!.id);

    // The server goes on while the page is away, and the first reply is deleted meanwhile.
    const deleted = await adminApi.raw.delete(`/api/rooms/${room.id}/messages/${firstReply!.id}`);
    expect(deleted.ok()).toBe(true);
    const outageReplies = async () => (await replies()).filter((message) => !held.includes(message.id)).map((message) => message.content);
    await expect.poll(async () => (await outageReplies()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const outage = await outageReplies();
    await context.setOffline(false);

    await expect(indicator(page, 'Live')).toBeVisible();
    // Offline, then a reconnect (Connecting… or Reconnecting in N s), then Live.
    const log = await readLog();
    const firstLive = indexFrom(log, 'Live', 0);
    const offline = indexFrom(log, 'Offline', firstLive);
    const reconnect = indexFrom(log, /^(Connecting…|Reconnecting in N s)$/, offline);
    const liveAgain = indexFrom(log, 'Live', reconnect);
    expect(firstLive, JSON.stringify(log)).toBeGreaterThanOrEqual(0);
    expect(offline, JSON.stringify(log)).toBeGreaterThan(firstLive);
    expect(reconnect, JSON.stringify(log)).toBeGreaterThan(offline);
    expect(liveAgain, JSON.stringify(log)).toBeGreaterThan(reconnect);

    // The reconnect resumed from the newest message the page held.
    const resumed = streams.filter((stream) => stream.at > dropAt);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => resumed[0]!.lastEventId).toBe(String(Math.max(...held)));

    // The messages of the outage appear once each, and the deleted reply is gone after the reconcile.
    for (const content of outage) await expect(finished(page, content)).toHaveCount(1);
    await expect(page.getByRole('article').filter({ hasText: firstReply!.content })).toHaveCount(0);

    // The last reply streams live after the reconnect; in the end every stored message shows exactly once.
    await expect.poll(async () => (await replies()).length, { timeout: 15_000 }).toBe(3);
    for (const message of await replies()) await expect(finished(page, message.content)).toHaveCount(1);
    await expect(page.locator('article[aria-busy="true"]')).toHaveCount(0);
    const transcript = await page.getByRole('article').allTextContents();
    for (const message of await adminApi.messages(room.id)) {
      // Passed turns are a "passed" line, not a row.
      if ((message as { is_skip?: boolean }).is_skip === true) continue;
      expect(transcript.filter((row) => row.includes(message.content)), message.content).toHaveLength(1);
    }
  });
});

test('scenario 20: with the stream answering 503 the page falls back to polling after 5 failures, gets a reply with a live bubble by polling, and is Live again after the next SSE attempt', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Polling'));
  await adminApi.addMember(room.id, 'Mira');
  const token = tokenOf('semaphore');
  const reply = `Mira by polling, ${token}: flags up, flags down, the signal crosses the valley one letter at a time and the hills answer slowly.`;
  // Long enough (about 5 s) for a `chatting-agents` poll to see it half written.
  await fake.script(token, { Mira: [{ text: reply, chunkSize: 4, delayMs: 150 }] });

  let streamAttempts = 0;
  const refuse = async (route: Route) => {
    streamAttempts += 1;
    await route.fulfill({ status: 503, json: { detail: 'Service Unavailable' } });
  };
  await page.route('**/api/rooms/*/events', refuse);
  const chattingPolls: number[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/rooms/${room.id}/chatting-agents`) chattingPolls.push(Date.now());
  });
  await page.clock.install();
  const readLog = await recordIndicator(page);

  await page.goto(`/rooms/${room.id}`);
  const polling = indicator(page, 'Limited: polling');
  // Each failure waits min(30 s, 2^(n-1) s) ± 20 % before the next attempt, at most 9.6 s before the 5th: the clock
  // skips each wait.
  for (let skips = 0; skips < 6; skips += 1) {
    await expect(indicator(page, /Reconnecting in \d+ s|Limited: polling/)).toBeVisible();
    if (await polling.isVisible()) break;
    const before = streamAttempts;
    await page.clock.fastForward(10_000);
    await expect.poll(async () => streamAttempts > before || (await polling.isVisible())).toBe(true);
  }
  await expect(polling).toBeVisible();
  expect(streamAttempts).toBe(5);
  const log = await readLog();
  expect(log.filter((state) => state === 'Reconnecting in N s').length, JSON.stringify(log)).toBeGreaterThanOrEqual(1);
  expect(log.at(-1)).toBe('Limited: polling');

  // A reply arrives by polling: its live bubble is built from chatting-agents, and the finished message follows
  // within 5 s of being stored.
  await composer(page).fill(`Send the signal across, ${token}`);
  await composer(page).press('Enter');
  const bubble = liveBubble(page, `Mira by polling, ${token}`);
  await expect(bubble).toBeVisible({ timeout: 10_000 });
  const partial = (await bubble.textContent()) ?? '';
  expect(partial).not.toContain('the hills answer slowly.');
  expect(chattingPolls.length).toBeGreaterThanOrEqual(1);
  await expect
    .poll(async () => (await adminApi.messages(room.id)).some((message) => message.content === reply), { timeout: 15_000, intervals: [100] })
    .toBe(true);
  await expect(finished(page, reply)).toHaveCount(1, { timeout: 5_000 });
  await expect(bubble).toHaveCount(0);
  expect(streamAttempts).toBe(5);

  // The stream works again: the next SSE attempt, at most 60 s of clock time later, brings back Live.
  await page.unroute('**/api/rooms/*/events', refuse);
  await page.clock.fastForward(60_000);
  await expect(indicator(page, 'Live')).toBeVisible();
  await expect(finished(page, reply)).toHaveCount(1);
});

test.describe('drafts and session expiry (scenario 10)', () => {
  /** Chooses who the composer sends as, through its persona menu. */
  async function sendAs(page: Page, persona: 'You' | 'Situation' | 'Character', characterName?: string) {
    await page.getByRole('button', { name: /^Send as: / }).click();
    await page.getByRole('radio', { name: persona, exact: true }).check();
    if (characterName !== undefined) await page.getByLabel('Character name').fill(characterName);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('radio', { name: persona, exact: true })).toBeHidden();
  }

  /** Opens a room from the sidebar. */
  async function openRoom(page: Page, room: { id: number; name: string }) {
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('link', { name: new RegExp(room.name) }).click();
    await expect(page).toHaveURL(new RegExp(`/rooms/${room.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
  }

  test('scenario 10: each room keeps its own draft and persona across switches and a reload, and a send clears only its own room\'s draft', async ({
    page,
    adminApi,
  }) => {
    const roomA = await adminApi.createRoom(unique('Drafts A'));
    const roomB = await adminApi.createRoom(unique('Drafts B'));
    const token = tokenOf('harbour');
    const draftA = `Fog rolls over the harbour ${token}`;
    const draftB = `Snow on the mountain pass ${token}`;
    const field = composer(page);
    const persona = page.getByRole('button', { name: /^Send as: / });

    await page.goto(`/rooms/${roomA.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(roomA.name);
    await field.fill(draftA);
    await sendAs(page, 'Situation');
    await openRoom(page, roomB);
    await expect(field).toHaveValue('');
    await expect(persona).toHaveAccessibleName('Send as: You');
    await field.fill(draftB);
    await sendAs(page, 'Character', 'Captain Reyes');

    await openRoom(page, roomA);
    await expect(field).toHaveValue(draftA);
    await expect(persona).toHaveAccessibleName('Send as: Situation');
    await page.reload();
    await expect(field).toHaveValue(draftA);
    await expect(persona).toHaveAccessibleName('Send as: Situation');
    await openRoom(page, roomB);
    await expect(field).toHaveValue(draftB);
    await expect(persona).toHaveAccessibleName('Send as: Character: Captain Reyes');

    // Sending in A clears A's draft (its persona stays); B's draft is untouched.
    await openRoom(page, roomA);
    await field.press('Enter');
    await expect(page.getByRole('article').filter({ hasText: draftA })).toContainText('Situation');
    await expect(field).toHaveValue('');
    await expect.poll(async () => (await adminApi.messages(roomA.id)).map((message) => message.content)).toContain(draftA);
    await openRoom(page, roomB);
    await expect(field).toHaveValue(draftB);
    await expect(persona).toHaveAccessibleName('Send as: Character: Captain Reyes');
    await openRoom(page, roomA);
    await expect(field).toHaveValue('');
    await expect(persona).toHaveAccessibleName('Send as: Situation');
  });

  test('scenario 10: when the session ends the app goes to the login page with next, and after logging in it is back in the room with the draft', async ({
    page,
    context,
    adminApi,
  }) => {
    const room = await adminApi.createRoom(unique('Expiry'));
    const token = tokenOf('lighthouse');
    await adminApi.send(room.id, `The keeper climbs the stairs ${token}`);
    const draft = `A draft kept through the login ${token}`;
    const field = composer(page);
    const persona = page.getByRole('button', { name: /^Send as: / });

    await page.goto(`/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    await field.fill(draft);
    await sendAs(page, 'Situation');

    // The session ends. Someone else adds an agent to the room: the page marks its join notice read, that call gets
    // a 401, and the app goes to the login page with `next`.
    await context.clearCookies();
    await adminApi.addMember(room.id, 'Tobin');
    await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(`/rooms/${room.id}`)}$`));
    await expect(page.getByText('Your session ended. Log in again to continue.')).toBeVisible();

    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(new RegExp(`/rooms/${room.id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
    await expect(field).toHaveValue(draft);
    await expect(persona).toHaveAccessibleName('Send as: Situation');
  });
});

test.describe.serial('a server restarted under the page (scenario 21)', () => {
  let root = '';
  let server: AppServer | undefined;
  // The same JWT secret after the restart (ownServerEnv): the session cookie stays valid.
  const env = () =>
    ownServerEnv(join(root, 'data'), { NODE_ENV: 'production', OPENAI_API_KEY: 'sk-fake', PROVIDER_RETRY_DELAY_MS: '50', SHUTDOWN_GRACE_MS: '2000' });

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(START_TIMEOUT_MS + 10_000);
    root = mkdtempSync(join(tmpdir(), 'chitchats-e2e-restart-'));
    server = await startAppServer(env(), { host: 'localhost' });
  });

  test.afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('scenario 21: a graceful restart shows "Server restarting", then Live; no message is lost or doubled and a draft typed meanwhile stays', async ({
    page,
    fake,
  }) => {
    const baseURL = server!.baseURL;
    const port = Number(new URL(baseURL).port);
    const api = async <T>(method: 'get' | 'post', path: string, data?: unknown): Promise<T> => {
      const response = await page.request[method](`${baseURL}/api${path}`, { data, headers: { origin: baseURL } });
      if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
      return (await response.json()) as T;
    };
    // Logging in through the page's request context gives the page its cookie.
    await api('post', '/auth/login', { password: ADMIN_PASSWORD });
    const room = await api<{ id: number }>('post', '/rooms', { name: unique('Restart') });
    const agents = await api<{ id: number; name: string }[]>('get', '/agents');
    const mira = agents.find((agent) => agent.name === 'Mira');
    await api('post', `/rooms/${room.id}/agents/${mira!.id}`);
    const token = tokenOf('anchor');
    const cut = `Mira was cut off by the restart, ${token}, mid`;
    // Mira's answer stops mid-sentence and hangs until the shutdown interrupts it.
    await fake.script(token, { Mira: [{ text: cut, chunkSize: 8, delayMs: 30, hang: true }] });
    const messages = () => api<{ id: number; content: string; is_skip: boolean }[]>('get', `/rooms/${room.id}/messages`);

    await page.clock.install();
    const readLog = await recordIndicator(page);
    await page.goto(`${baseURL}/rooms/${room.id}`);
    await expect(indicator(page, 'Live')).toBeVisible();
    const field = composer(page);
    const sent = `Drop anchor here, ${token}`;
    await field.fill(sent);
    await field.press('Enter');
    await expect(finished(page, sent)).toBeVisible();
    await expect(liveBubble(page, cut)).toBeVisible({ timeout: 10_000 });

    // SIGTERM: the server says `shutdown`, saves the interrupted reply and exits.
    await server!.stop();
    await expect.poll(async () => indexFrom(await readLog(), 'Server restarting', 0)).toBeGreaterThanOrEqual(0);
    const draft = `Typed while the server was away ${token}`;
    await field.fill(draft);
    await expect(field).toBeEditable();

    server = await startAppServer(env(), { host: 'localhost', port });
    // The page retries on its own backoff (2 s after `shutdown`, then 2, 4, 8 s; polling after 5 failures, with an
    // SSE attempt every 60 s): the clock skips whichever wait it is in.
    await page.clock.fastForward(60_000);
    await expect(indicator(page, 'Live')).toBeVisible();
    const log = await readLog();
    const restarting = indexFrom(log, 'Server restarting', 0);
    expect(indexFrom(log, 'Live', 0), JSON.stringify(log)).toBeLessThan(restarting);
    expect(indexFrom(log, 'Live', restarting), JSON.stringify(log)).toBeGreaterThan(restarting);

    // Every message the server holds shows exactly once, the interrupted reply included, and no live bubble is
    // left over from before the restart.
    const stored = (await messages()).filter((message) => !message.is_skip);
    expect(stored.some((message) => message.content.startsWith(cut))).toBe(true);
    for (const message of stored) await expect(finished(page, message.content)).toHaveCount(1);
    await expect(page.locator('article[aria-busy="true"]')).toHaveCount(0);
    await expect(field).toHaveValue(draft);
  });
});
