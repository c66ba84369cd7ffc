import type { Page } from '@playwright/test';
import { composer, expect, recordGrowth, sessions, test, unique } from './fixtures.js';
import { runState } from './harness/state.js';

/** ui.md §9.3 scenarios 15–17: message actions, Ask to reply, Clear and Delete room, Rename and the limit. */

const tokenOf = (prefix: string) => unique(prefix).replace(' ', '-');

/** The ⋯ room menu (ui.md §4.4.1). */
async function roomMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Room actions', exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

test.describe('scenario 15: regenerate, delete, ask to reply', () => {
  test('Regenerate on the last reply removes it and streams a new one', async ({ page, adminApi, fake }) => {
    const room = await adminApi.createRoom(unique('Regenerate'));
    await adminApi.addMember(room.id, 'Mira');
    const token = tokenOf('regen');
    const second = 'Second take: the tide is out, so the boats lean on their keels and wait for the evening.';
    await fake.script(token, {
      Mira: [
        { text: 'First take: it is low tide.', delayMs: 5 },
        { text: second, chunkSize: 5, delayMs: 70 },
      ],
    });
    await adminApi.send(room.id, `What is the sea doing? ${token}`);
    await page.goto(`/rooms/${room.id}`);
    const first = page.getByRole('article').filter({ hasText: 'First take' });
    await expect(first).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('article[aria-busy="true"]')).toHaveCount(0);

    const growth = await recordGrowth(page, 'Mira');
    await first.hover();
    await first.getByRole('button', { name: 'Regenerate' }).click();
    // The old reply goes, and the new one streams in a live bubble before it is finished.
    await expect(first).toHaveCount(0);
    const finished = page.locator('article:not([aria-busy="true"])').filter({ hasText: second });
    await expect(finished).toHaveCount(1, { timeout: 15_000 });
    await expect(first).toHaveCount(0);
    const partial = (await growth()).filter((text) => text.includes('Second take') && !text.includes('wait for the evening.'));
    expect(partial.length, 'the new reply was seen streaming').toBeGreaterThan(0);

    const contents = (await adminApi.messages(room.id)).map((message) => message.content);
    expect(contents.filter((content) => content.startsWith('First take'))).toEqual([]);
    expect(contents.filter((content) => content === second)).toHaveLength(1);
    expect((await fake.requests(token)).filter((record) => record.agent === 'Mira')).toHaveLength(2);
  });

  test('a delete the server refuses puts the message back with a toast', async ({ page, adminApi, fake }) => {
    const room = await adminApi.createRoom(unique('Delete fails'));
    await adminApi.addMember(room.id, 'Tobin');
    const token = tokenOf('keep');
    await fake.script(token, { Tobin: [{ text: 'Tobin says this stays.', delayMs: 5 }] });
    await adminApi.send(room.id, `Say something ${token}`);
    await page.goto(`/rooms/${room.id}`);
    const reply = page.getByRole('article').filter({ hasText: 'Tobin says this stays.' });
    await expect(reply).toBeVisible({ timeout: 15_000 });

    // The server refuses, but only once the test has seen the message leave (the delete is optimistic).
    let refused = 0;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route(/\/api\/rooms\/\d+\/messages\/\d+$/, async (route) => {
      if (route.request().method() !== 'DELETE') return route.fallback();
      refused += 1;
      await answered;
      await route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ detail: 'boom' }) });
    });
    await reply.hover();
    await reply.getByRole('button', { name: 'Message actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this message?' });
    await expect(confirm).toContainText('Agents that already read it may still remember it.');
    await confirm.getByRole('button', { name: 'Delete message' }).click();
    await expect(reply).toHaveCount(0);
    await expect.poll(() => refused).toBe(1);
    answer();

    const toast = page.getByRole('alert').filter({ hasText: "Couldn't delete the message" });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText('HTTP 500');
    await expect(reply).toBeVisible();
    expect(refused).toBe(1);
    expect((await adminApi.messages(room.id)).some((message) => message.content === 'Tobin says this stays.')).toBe(true);
  });

  test('Ask to reply on a member card makes that agent take one turn', async ({ page, adminApi, fake }) => {
    const room = await adminApi.createRoom(unique('Ask to reply'));
    await adminApi.addMember(room.id, 'Tobin');
    const token = tokenOf('ask');
    await fake.script(token, {
      Tobin: [
        { text: 'Tobin answers the message.', delayMs: 5 },
        { text: 'Tobin, asked again, adds a thought.', delayMs: 20 },
      ],
    });
    await adminApi.send(room.id, `Anyone there? ${token}`);
    await page.goto(`/rooms/${room.id}`);
    await expect(page.getByRole('article').filter({ hasText: 'Tobin answers the message.' })).toBeVisible({ timeout: 15_000 });
    expect((await fake.requests(token)).map((record) => record.agent)).toEqual(['Tobin']);

    const card = page.getByRole('list', { name: 'Members of this room' }).getByRole('listitem').filter({ hasText: 'Tobin' });
    await card.getByRole('button', { name: /^Ask to reply\b/ }).click();
    await expect(page.getByRole('article').filter({ hasText: 'Tobin, asked again, adds a thought.' })).toBeVisible();
    await expect(card.getByText('Idle', { exact: true })).toBeVisible();
    expect((await fake.requests(token)).map((record) => record.agent)).toEqual(['Tobin', 'Tobin']);
    const replies = (await adminApi.messages(room.id)).filter((message) => message.agent_id !== null && !message.content.startsWith('('));
    expect(replies.map((message) => message.content)).toEqual(['Tobin answers the message.', 'Tobin, asked again, adds a thought.']);
  });

  test.describe('as the guest', () => {
    test.use({ storageState: sessions.guest });

    test('the guest deletes their own message after confirming, and it stays gone after a reload', async ({ page }) => {
      const { baseURL } = runState();
      const created = await page.request.post('/api/rooms', { data: { name: unique('Guest delete') }, headers: { origin: baseURL } });
      expect(created.ok()).toBe(true);
      const room = (await created.json()) as { id: number };
      await page.goto(`/rooms/${room.id}`);
      const text = unique('Oops, wrong room');
      await composer(page).fill(text);
      await composer(page).press('Enter');
      const mine = page.getByRole('article').filter({ hasText: text });
      await expect(mine).toBeVisible();
      const kept = unique('This one stays');
      await composer(page).fill(kept);
      await composer(page).press('Enter');
      await expect(page.getByRole('article').filter({ hasText: kept })).toBeVisible();
      // Settled on the server (not a pending send any more).
      await expect(mine.getByText('Sending…')).toHaveCount(0);

      // Cancel keeps it.
      await mine.hover();
      await mine.getByRole('button', { name: 'Message actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete this message?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(confirm).toBeHidden();
      await expect(mine).toBeVisible();

      await mine.hover();
      await mine.getByRole('button', { name: 'Message actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      await confirm.getByRole('button', { name: 'Delete message' }).click();
      await expect(mine).toHaveCount(0);

      await page.reload();
      await expect(page.getByRole('article').filter({ hasText: kept })).toBeVisible();
      await expect(mine).toHaveCount(0);
      const messages = (await (await page.request.get(`/api/rooms/${room.id}/messages`)).json()) as { content: string }[];
      expect(messages.map((message) => message.content)).toEqual([kept]);
    });
  });
});

test.describe('scenario 16: clear and delete room', () => {
  test('in the Clear dialog Esc and Enter on Cancel keep the messages, F5 reloads normally, and confirming empties the room', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('Clear me'));
    await adminApi.send(room.id, 'The first line of the log');
    await adminApi.send(room.id, 'The second line of the log');
    await adminApi.addMember(room.id, 'Mira');
    await page.goto(`/rooms/${room.id}`);
    const articles = page.getByRole('region', { name: 'Messages' }).getByRole('article');
    await expect(articles.filter({ hasText: 'The second line of the log' })).toBeVisible();
    const countBefore = await articles.count();
    const dialog = page.getByRole('dialog', { name: 'Clear conversation?' });
    // Clearing is not optimistic: any clear call the page makes is caught here, before it could empty the list.
    const clearCalls: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'DELETE' && new URL(request.url()).pathname === `/api/rooms/${room.id}/messages`) clearCalls.push(request.url());
    });

    // Esc cancels.
    await roomMenu(page, 'Clear conversation…');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(articles).toHaveCount(countBefore);

    // Enter on the focused Cancel button does not clear.
    await roomMenu(page, 'Clear conversation…');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(articles).toHaveCount(countBefore);

    // F5 inside the dialog is left to the browser: the dialog neither swallows nor cancels it. (Playwright's key
    // events reach the page, not the browser's own shortcuts, so the reload itself is done as the browser would.)
    await roomMenu(page, 'Clear conversation…');
    await expect(dialog).toBeVisible();
    await page.evaluate(() => {
      const probe = window as unknown as { __f5?: boolean[]; __beforeReload: boolean };
      probe.__beforeReload = true;
      probe.__f5 = [];
      window.addEventListener('keydown', (event) => {
        if (event.key === 'F5') probe.__f5!.push(event.defaultPrevented);
      });
    });
    await page.keyboard.press('F5');
    expect(await page.evaluate(() => (window as unknown as { __f5: boolean[] }).__f5)).toEqual([false]);
    await expect(dialog).toBeVisible();
    await page.reload();
    expect(await page.evaluate(() => (window as unknown as { __beforeReload?: boolean }).__beforeReload)).toBeUndefined();
    await expect(dialog).toBeHidden();
    await expect(articles.filter({ hasText: 'The second line of the log' })).toBeVisible();
    expect((await adminApi.messages(room.id)).length).toBeGreaterThanOrEqual(2);

    expect(clearCalls).toEqual([]);

    // Confirming empties it: the empty state shows.
    await roomMenu(page, 'Clear conversation…');
    await dialog.getByRole('button', { name: 'Clear conversation' }).click();
    await expect(dialog).toBeHidden();
    await expect(articles).toHaveCount(0);
    await expect(page.getByText('Say hello to start the conversation')).toBeVisible();
    await expect.poll(async () => (await adminApi.messages(room.id)).length).toBe(0);
    expect(clearCalls).toHaveLength(1);
    await page.reload();
    await expect(page.getByText('Say hello to start the conversation')).toBeVisible();
  });

  test('deleting the open room moves to the next room, and a second tab with it open is told it was deleted', async ({ page, adminApi }) => {
    const next = await adminApi.createRoom(unique('Stays'));
    const doomed = await adminApi.createRoom(unique('Doomed'));
    await adminApi.send(next.id, 'still here');
    await page.goto(`/rooms/${doomed.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(doomed.name);
    const other = await page.context().newPage();
    await other.goto(`/rooms/${doomed.id}`);
    await expect(other.getByRole('heading', { level: 1 })).toHaveText(doomed.name);
    await page.bringToFront();

    // The next room: the one below it in the sidebar (or above, when it is the last).
    const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
    const hrefs = await sidebar.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href')).filter((href) => href?.startsWith('/rooms/')));
    const at = hrefs.indexOf(`/rooms/${doomed.id}`);
    expect(at).toBeGreaterThanOrEqual(0);
    const expected = hrefs[at + 1] ?? hrefs[at - 1];

    await roomMenu(page, 'Delete room…');
    const dialog = page.getByRole('dialog', { name: 'Delete room?' });
    await expect(dialog).toContainText(doomed.name);
    await dialog.getByRole('button', { name: 'Delete room' }).click();
    await expect(page).toHaveURL(new RegExp(`${expected}$`));
    await expect(sidebar.getByRole('link', { name: new RegExp(doomed.name) })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(doomed.name);

    await expect(other.getByText('This room was deleted')).toBeVisible();
    await expect(other).not.toHaveURL(new RegExp(`/rooms/${doomed.id}$`));
    expect((await adminApi.raw.get(`/api/rooms/${doomed.id}`)).status()).toBe(404);
    await other.close();
  });
});

test.describe('scenario 17: rename and limit', () => {
  test('renaming inline updates the sidebar, and a second tab in the room follows through the room event', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('Old name'));
    await page.goto(`/rooms/${room.id}`);
    const other = await page.context().newPage();
    await other.goto(`/rooms/${room.id}`);
    await expect(other.getByRole('heading', { level: 1 })).toHaveText(room.name);
    await page.bringToFront();

    const renamed = unique('New name');
    await page.getByRole('heading', { level: 1 }).getByRole('button').click();
    const field = page.getByRole('textbox', { name: 'Room name' });
    await expect(field).toBeFocused();
    await field.fill(renamed);
    await field.press('Enter');
    await expect(field).toBeHidden();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(renamed);
    const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
    await expect(sidebar.getByRole('link', { name: new RegExp(renamed) })).toBeVisible();
    await expect(sidebar.getByRole('link', { name: new RegExp(room.name) })).toHaveCount(0);

    await expect(other.getByRole('heading', { level: 1 })).toHaveText(renamed);
    await expect(other.getByRole('navigation', { name: 'Sidebar' }).getByRole('link', { name: new RegExp(renamed) })).toBeVisible();
    expect(((await (await adminApi.raw.get(`/api/rooms/${room.id}`)).json()) as { name: string }).name).toBe(renamed);
    await other.close();
  });

  test('a limit of 3 shows the chip; clearing it hides the chip and max_interactions is null on the server', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('Limited'));
    const serverLimit = async () => ((await (await adminApi.raw.get(`/api/rooms/${room.id}`)).json()) as { max_interactions: number | null }).max_interactions;
    await page.goto(`/rooms/${room.id}`);
    const header = page.locator('header').filter({ has: page.getByRole('heading', { level: 1 }) });
    await expect(header.getByRole('button', { name: /^Limit: / })).toHaveCount(0);

    await roomMenu(page, 'Room limit…');
    const limit = page.getByRole('spinbutton', { name: 'Max interactions' });
    await expect(limit).toBeVisible();
    await limit.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    const chip = header.getByRole('button', { name: 'Limit: 3 replies. Change the limit' });
    await expect(chip).toHaveText('Limit 3');
    await expect.poll(serverLimit).toBe(3);

    await chip.click();
    await expect(limit).toHaveValue('3');
    await limit.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(limit).toBeHidden();
    await expect(header.getByRole('button', { name: /^Limit: / })).toHaveCount(0);
    await expect(header.getByText(/^Limit \d+$/)).toHaveCount(0);
    await expect.poll(serverLimit).toBeNull();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
    await expect(header.getByRole('button', { name: /^Limit: / })).toHaveCount(0);
  });
});
