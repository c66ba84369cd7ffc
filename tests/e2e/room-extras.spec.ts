import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { composer, expect, test, unique } from './fixtures.js';

/** ui.md §9.3 scenarios 25 (direct chats, §4.9), 26 (whiteboard, §4.10) and 27 (copy and export, §4.4.1/§4.4.2). */

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Sidebar' });
const roomIdOf = (page: Page) => Number(/\/rooms\/(\d+)$/.exec(page.url())?.[1]);

async function sidebarTab(page: Page, name: 'Rooms' | 'Agents') {
  const tab = sidebar(page).getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Opens an agent's profile from the sidebar's Agents tab (its row button is named after the agent). */
async function openProfile(page: Page, name: string): Promise<Locator> {
  await sidebarTab(page, 'Agents');
  await sidebar(page).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  const profile = page.getByRole('dialog', { name });
  await expect(profile).toBeVisible();
  return profile;
}

/** The first check after a cold page load: the app, the room and its history load in a few requests in a row. */
const LOADED = { timeout: 15_000 };

/** Whether an `<img>` has really loaded (a broken picture would fall back to the initial). */
const loaded = (image: Locator) => image.evaluate((node: HTMLImageElement) => node.complete && node.naturalWidth > 0);

test('scenario 25: Chat twice opens the same direct room, listed under Direct chats with the avatar; Codex opens a separate room', async ({
  page,
  adminApi,
}) => {
  const providers = (await (await adminApi.raw.get('/api/providers')).json()) as { providers: { name: string; available: boolean; reason: string | null }[] };
  const codex = providers.providers.find((provider) => provider.name === 'codex');
  expect(codex).toBeDefined();

  await page.goto('/');
  let profile = await openProfile(page, 'Tobin');
  await profile.getByRole('button', { name: 'Chat 1-on-1', exact: true }).click();
  await expect(profile).toBeHidden();
  await expect(page).toHaveURL(/\/rooms\/\d+$/);
  const first = roomIdOf(page);

  // The header (inside <main>, so not a banner landmark) shows the agent's name, not "Direct: Tobin", with the
  // agent's avatar before it.
  const header = page.locator('header').filter({ has: page.getByRole('heading', { level: 1 }) });
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toHaveText('Tobin');
  const headerAvatar = header.locator('img[src*="/api/agents/Tobin/profile-pic"]').first();
  await expect.poll(() => loaded(headerAvatar)).toBe(true);
  expect((await headerAvatar.boundingBox())!.x).toBeLessThan((await title.boundingBox())!.x);
  const room = (await (await adminApi.raw.get(`/api/rooms/${first}`)).json()) as { name: string; agents: { name: string }[] };
  expect(room.name).toBe('Direct: Tobin');
  expect(room.agents.map((agent) => agent.name)).toEqual(['Tobin']);

  // Chat again from the profile (from the sidebar, still in the room): the same room, not a new one.
  profile = await openProfile(page, 'Tobin');
  await profile.getByRole('button', { name: 'Chat 1-on-1', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms/${first}$`));

  // Listed under Direct chats, once, by the agent's name and with the avatar; not among the group rooms.
  await sidebarTab(page, 'Rooms');
  const direct = sidebar(page).getByRole('region', { name: /^Direct chats/ });
  const row = direct.getByRole('link', { name: /^Tobin\b/ }).and(page.locator(`[href="/rooms/${first}"]`));
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('aria-current', 'page');
  await expect(row).toContainText('Tobin');
  await expect(row).not.toContainText('Direct:');
  const rowAvatar = row.locator('img[src*="/api/agents/Tobin/profile-pic"]');
  // Avatars load lazily, and with the other tests' rooms above it the Direct chats section starts below the fold.
  await row.scrollIntoViewIfNeeded();
  await expect.poll(() => loaded(rowAvatar), { timeout: 15_000 }).toBe(true);
  await expect(sidebar(page).getByRole('region', { name: /^Rooms/ }).getByRole('link', { name: /Direct: Tobin/ })).toHaveCount(0);

  // The profile's provider menu lists every provider with its availability.
  profile = await openProfile(page, 'Tobin');
  await profile.getByRole('button', { name: 'Chat 1-on-1 with a provider' }).click();
  const codexItem = page.getByRole('menuitem', { name: /^Codex/ });
  await expect(codexItem).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /^OpenAI-compatible.*Ready/ })).toBeEnabled();
  if (codex!.available) {
    await codexItem.click();
  } else {
    // This harness has no Codex CLI: the profile offers Codex disabled, with the server's reason.
    await expect(codexItem).toHaveAttribute('aria-disabled', 'true');
    await expect(codexItem).toContainText(codex!.reason ?? '');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(profile).toBeHidden();
    // The sidebar row's Chat menu still lets the user pick it (marked "Not available right now").
    await sidebarTab(page, 'Agents');
    await sidebar(page).getByRole('button', { name: 'Choose a provider for a chat with Tobin' }).click();
    const item = page.getByRole('menuitem', { name: /^Codex/ });
    await expect(item).toContainText('Not available right now');
    await item.click();
  }

  // A second, separate direct room with the Codex chip.
  await expect(page).toHaveURL(/\/rooms\/\d+$/);
  await expect(page).not.toHaveURL(new RegExp(`/rooms/${first}$`));
  const second = roomIdOf(page);
  await expect(title).toHaveText('Tobin');
  await expect(header.locator('[title^="Codex"]').getByText('Codex', { exact: true })).toBeVisible();
  if (!codex!.available) await expect(page.getByText(`Codex isn't available on the server: ${codex!.reason}`)).toBeVisible();
  const codexRoom = (await (await adminApi.raw.get(`/api/rooms/${second}`)).json()) as { name: string; default_provider: string };
  expect(codexRoom).toMatchObject({ name: 'Direct: Tobin (codex)', default_provider: 'codex' });

  // Both are listed under Direct chats, told apart by their provider chips.
  await sidebarTab(page, 'Rooms');
  const codexRow = direct.getByRole('link', { name: /^Tobin\b/ }).and(page.locator(`[href="/rooms/${second}"]`));
  await expect(codexRow).toHaveAttribute('aria-current', 'page');
  await expect(codexRow.locator('[title^="Codex"]')).toHaveCount(1);
  await expect(row.locator('[title^="OpenAI-compatible"]')).toHaveCount(1);
  await expect(row.locator('[title^="Codex"]')).toHaveCount(0);
});

/** The whiteboard agent's diffs, one per turn (whiteboard.ts: a marker line, then `+`, `-`, `~ old → new`, `CLEAR`). */
const DIFFS = [
  '[whiteboard diff]\n+ Venue: pier\n+ Budget: 10',
  '[whiteboard diff]\n~ Budget: 10 → Budget: 12\n+ Date: Friday',
  '[whiteboard diff]\n- Venue: pier',
  '[whiteboard diff]\nCLEAR',
];

/** The finished whiteboard cards of the transcript, oldest first. */
const whiteboardCards = (page: Page) => page.locator('article:not([aria-busy="true"])').getByRole('region', { name: 'Whiteboard', exact: true });
const cardTexts = (page: Page) => whiteboardCards(page).evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).innerText));

test.describe('whiteboard', () => {
  // The transcript is virtualized: a viewport tall enough for all eight rows keeps every card in the DOM, so the
  // cards can be compared one by one before and after the reload.
  test.use({ viewport: { width: 1280, height: 2000 } });
  test.describe.configure({ mode: 'serial' });

  /** The room the first test fills, and its cards' text as they rendered live. */
  let board: { roomId: number; cards: string[] } | undefined;

  test('scenario 26: whiteboard diffs render as cards that highlight each change, and the panel shows the latest board', async ({
    page,
    adminApi,
    fake,
  }) => {
    const room = await adminApi.createRoom(unique('Board room'));
    await adminApi.addMember(room.id, '화이트보드');
    const token = unique('board').replace(' ', '-');
    await fake.script(token, { 화이트보드: DIFFS.map((text) => ({ text, chunkSize: 40, delayMs: 5 })) });

    await page.goto(`/rooms/${room.id}`);
    const whiteboardTab = page.getByRole('tab', { name: 'Whiteboard' });
    await expect(page.getByRole('list', { name: 'Members of this room' }).getByText('화이트보드', { exact: true })).toBeVisible(LOADED);
    // No board yet: no Whiteboard tab.
    await expect(whiteboardTab).toHaveCount(0);

    const cards = whiteboardCards(page);
    const field = composer(page);
    const step = async (index: number, text: string) => {
      await field.fill(index === 0 ? `Plan the lantern walk ${token}` : text);
      await field.press('Enter');
      await expect(cards).toHaveCount(index + 1, { timeout: 15_000 });
    };
    const line = (card: Locator, text: string) => card.getByRole('listitem').filter({ hasText: new RegExp(`^(Added: |Changed: )?${text}$`) });

    // 1. `+` twice: both lines added (green, with the screen-reader prefix).
    await step(0, '');
    const one = cards.nth(0);
    await expect(line(one, 'Venue: pier')).toHaveText('Added: Venue: pier');
    await expect(line(one, 'Venue: pier')).toHaveAttribute('data-status', 'added');
    await expect(line(one, 'Budget: 10')).toHaveText('Added: Budget: 10');
    await expect(one).not.toContainText('[whiteboard diff]');

    // 2. `~` changes a line (amber, with what it was), `+` adds one; the untouched line is plain.
    await step(1, 'Raise the budget and set a date.');
    const two = cards.nth(1);
    await expect(line(two, 'Venue: pier')).toHaveText('Venue: pier');
    await expect(line(two, 'Venue: pier')).toHaveAttribute('data-status', 'kept');
    await expect(line(two, 'Budget: 12')).toHaveText('Changed: Budget: 12');
    await expect(line(two, 'Budget: 12')).toHaveAttribute('data-status', 'changed');
    await expect(line(two, 'Budget: 12')).toHaveAttribute('title', 'Was: Budget: 10');
    await expect(line(two, 'Date: Friday')).toHaveText('Added: Date: Friday');
    await expect(two.getByRole('listitem')).toHaveCount(3);
    // The highlights are visible, not only announced: added and changed lines have their own colours.
    const border = (item: Locator) => item.evaluate((node) => getComputedStyle(node).borderLeftColor);
    const [kept, changed, added] = await Promise.all([border(line(two, 'Venue: pier')), border(line(two, 'Budget: 12')), border(line(two, 'Date: Friday'))]);
    expect(new Set([kept, changed, added]).size).toBe(3);
    // Show diff reveals the raw operations.
    await two.getByRole('button', { name: 'Show diff' }).click();
    await expect(two.getByText('~ Budget: 10 → Budget: 12')).toBeVisible();

    // 3. `-` removes a line: listed struck through under "Removed".
    await step(2, 'The pier is closed.');
    const three = cards.nth(2);
    await expect(three.getByRole('listitem').filter({ hasText: /^Budget: 12$/ })).toHaveAttribute('data-status', 'kept');
    await expect(three.getByRole('button', { name: 'Removed (1)' })).toHaveAttribute('aria-expanded', 'true');
    const removed = three.getByRole('listitem').filter({ hasText: 'Removed: Venue: pier' });
    await expect(removed).toBeVisible();
    expect(await removed.evaluate((node) => getComputedStyle(node).textDecorationLine)).toContain('line-through');
    await expect(three.getByTestId('board-lines').getByText('Venue: pier')).toHaveCount(0);

    // The panel's Whiteboard tab shows the latest board.
    await expect(whiteboardTab).toBeVisible();
    await whiteboardTab.click();
    const current = page.getByRole('region', { name: 'Current whiteboard' });
    await expect(current.getByRole('listitem')).toHaveText(['Budget: 12', 'Date: Friday']);

    // 4. CLEAR: "Board cleared", never the raw diff; what was on the board is listed as removed. The panel follows.
    await step(3, 'Start over.');
    const four = cards.nth(3);
    await expect(four.getByText('Board cleared')).toBeVisible();
    await expect(four.getByTestId('board-lines')).toHaveCount(0);
    await expect(four).not.toContainText('CLEAR');
    await expect(four.getByRole('button', { name: 'Removed (2)' })).toBeVisible();
    await expect(current.getByText('Board cleared')).toBeVisible();
    await expect(current.getByRole('listitem')).toHaveCount(0);

    // What the next test compares a reload with: each card as seen live (Show diff closed again).
    await two.getByRole('button', { name: 'Hide diff' }).click();
    board = { roomId: room.id, cards: await cardTexts(page) };
    expect(board.cards).toHaveLength(4);
  });

  test('scenario 26: after a reload the cards and the panel render the same as they did live', async ({ page }) => {
    test.skip(!board, 'needs the room of the previous test');
    const { roomId, cards: live } = board!;
    // A fresh load of the room's page, as a reload is: the cards come from the stored history, not live events.
    await page.goto(`/rooms/${roomId}`);
    await expect(whiteboardCards(page)).toHaveCount(live.length, LOADED);
    await expect.poll(() => cardTexts(page)).toEqual(live);
    const two = whiteboardCards(page).nth(1);
    await expect(two.getByRole('listitem').filter({ hasText: 'Budget: 12' })).toHaveAttribute('data-status', 'changed');
    await expect(two.getByRole('listitem').filter({ hasText: 'Date: Friday' })).toHaveAttribute('data-status', 'added');
    await expect(whiteboardCards(page).nth(3).getByText('Board cleared')).toBeVisible();
    await expect(whiteboardCards(page).nth(2).getByRole('listitem').filter({ hasText: 'Removed: Venue: pier' })).toBeVisible();
    await page.getByRole('tab', { name: 'Whiteboard' }).click();
    await expect(page.getByRole('region', { name: 'Current whiteboard' }).getByText('Board cleared')).toBeVisible();
  });
});

test('scenario 27: Copy gives the raw Markdown, Copy transcript with thinking gives the server export, and both exports download', async ({
  page,
  context,
  adminApi,
  fake,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const room = await adminApi.createRoom(unique('Export room'));
  await adminApi.addMember(room.id, 'Mira');
  const token = unique('export').replace(' ', '-');
  const thinking = `Mira weighs which knob to name first (${token}).`;
  const reply = `Checklist for **Gerald**:\n\n- Solder the \`OUT\` jack\n- Test with _sine.wav_\n\n> He hums in A. ${token}`;
  await fake.script(token, { Mira: [{ thinking, text: reply, chunkSize: 30, delayMs: 5 }] });
  const question = `What does the string machine need? ${token}`;
  await adminApi.send(room.id, question);

  await page.goto(`/rooms/${room.id}`);
  const answer = page.locator('article:not([aria-busy="true"])').filter({ hasText: 'He hums in A.' });
  await expect(answer).toBeVisible(LOADED);
  // Rendered, not raw, on screen.
  await expect(answer.locator('strong', { hasText: 'Gerald' })).toBeVisible();
  const readClipboard = () => page.evaluate(() => navigator.clipboard.readText());

  // Copy on the message: its raw Markdown, exactly as stored.
  await page.evaluate(() => navigator.clipboard.writeText('(empty)'));
  await answer.hover();
  await answer.getByRole('button', { name: 'Copy message' }).click();
  await expect(answer.getByRole('button', { name: 'Copied' })).toBeVisible();
  await expect.poll(readClipboard).toBe(reply);
  const stored = (await adminApi.messages(room.id)).find((message) => message.content.includes('He hums in A.'));
  expect(stored?.content).toBe(reply);

  const menu = async (item: string) => {
    await page.getByRole('button', { name: 'Room actions' }).click();
    await page.getByRole('menuitem', { name: item, exact: true }).click();
  };
  const serverExport = async (query: string) => {
    const response = await adminApi.raw.get(`/api/rooms/${room.id}/export?${query}`);
    expect(response.ok()).toBe(true);
    return response.text();
  };
  // Two exports differ only in their "Exported:" time.
  const withoutTime = (markdown: string) => markdown.replace(/^- Exported: .*$/m, '- Exported: …');

  // Copy transcript with thinking: the server's Markdown export with the <details> thinking block.
  await page.evaluate(() => navigator.clipboard.writeText('(empty)'));
  await menu('Copy transcript with thinking');
  await expect(page.getByText('Transcript copied')).toBeVisible();
  await expect.poll(readClipboard).toContain(question);
  const withThinking = await readClipboard();
  expect(withoutTime(withThinking)).toBe(withoutTime(await serverExport('format=markdown&include_thinking=true')));
  expect(withThinking).toContain(`<details><summary>Thinking</summary>\n\n${thinking}\n\n</details>`);
  expect(withThinking).toContain(reply);
  expect(withThinking).toContain(`# ${room.name}`);

  // Plain Copy transcript leaves the thinking out.
  await page.evaluate(() => navigator.clipboard.writeText('(empty)'));
  await menu('Copy transcript');
  await expect.poll(readClipboard).toContain(question);
  expect(await readClipboard()).not.toContain('<details>');

  // Export Markdown and Export JSON: files named after the room, with the messages.
  const slug = room.name.replace(/[^\p{L}\p{N}._-]/gu, '_');
  const download = async (item: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), menu(item)]);
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
  };
  const markdown = await download('Export Markdown');
  expect(markdown.name).toBe(`${slug}-${room.id}.md`);
  expect(markdown.text).toContain(`# ${room.name}`);
  expect(markdown.text).toContain(question);
  expect(markdown.text).toContain(reply);
  expect(markdown.text).toContain('**Mira**');
  expect(markdown.text).not.toContain('<details>');

  const json = await download('Export JSON');
  expect(json.name).toBe(`${slug}-${room.id}.json`);
  const body = JSON.parse(json.text) as { format: string; room: { id: number; name: string }; messages: { content: string; thinking: string | null }[] };
  expect(body.format).toBe('chitchats.room.v1');
  expect(body.room).toMatchObject({ id: room.id, name: room.name });
  expect(body.messages.map((message) => message.content)).toEqual(expect.arrayContaining([question, reply]));
  expect(body.messages.find((message) => message.content === reply)?.thinking).toBe(thinking);
});
