import { composer, expect, recordGrowth, sessions, test, unique } from './fixtures.js';
import { ADMIN_PASSWORD } from './harness/state.js';

/** ui.md §9.3 scenario 3: create a room, send, two replies stream in token by token, and the history is stable. */

/** A reply long enough to be seen growing: 14 words, streamed 6 characters at a time, 110 ms apart. */
const replyOf = (name: string) =>
  `${name} here. The lamp flickers twice, then steadies; ${name} counts the seconds aloud and writes them down carefully.`;

test('scenario 3: a room made in the dialog gets two streamed replies in speaking order, and a reload keeps the same history', async ({
  page,
  fake,
  adminApi,
  browser,
}) => {
  const roomName = unique('Core flow');
  const token = unique('lamp').replace(' ', '-');
  await fake.script(token, {
    Mira: [{ text: replyOf('Mira'), chunkSize: 6, delayMs: 110 }],
    Tobin: [{ text: replyOf('Tobin'), chunkSize: 6, delayMs: 110 }],
  });

  await page.goto('/');
  await page.getByRole('button', { name: 'New room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(roomName);
  // The fake serves the openai provider; it is the server's default and available.
  await expect(dialog.getByRole('radio', { checked: true })).toHaveValue('openai');
  for (const name of ['Mira', 'Tobin']) await dialog.getByRole('checkbox', { name }).check();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/rooms\/\d+$/);
  const roomId = Number(/\/rooms\/(\d+)$/.exec(page.url())?.[1]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(roomName);

  await expect.poll(async () => (await adminApi.members(roomId)).sort()).toEqual(['Mira', 'Tobin']);

  // Streaming is watched from the start: the room's event stream is up before the message goes.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state-kind', 'live');
  const [miraGrowth, tobinGrowth] = [await recordGrowth(page, 'Mira'), await recordGrowth(page, 'Tobin')];
  const field = composer(page);
  await field.fill(`Who is keeping time tonight? ${token}`);
  await field.press('Enter');
  await expect(page.getByRole('article').filter({ hasText: token })).toBeVisible();

  // Each reply is seen growing at 3 or more points before it is finished.
  const finished = (name: string) => page.locator('article:not([aria-busy="true"])').filter({ hasText: replyOf(name) });
  for (const name of ['Mira', 'Tobin']) await expect(finished(name)).toHaveCount(1, { timeout: 25_000 });
  const growth: Record<string, string[]> = { Mira: await miraGrowth(), Tobin: await tobinGrowth() };

  const records = (await fake.requests(token)).filter((record) => record.agent === 'Mira' || record.agent === 'Tobin');
  const order = [...new Set(records.map((record) => record.agent))];
  expect(order.sort()).toEqual(['Mira', 'Tobin']);

  // The transcript order: my message, then the replies in the order they were spoken.
  const history = await adminApi.messages(roomId);
  const spoken = history.filter((message) => message.content.startsWith('Mira here.') || message.content.startsWith('Tobin here.'));
  expect(spoken).toHaveLength(2);
  const texts = await page.getByRole('article').allTextContents();
  const at = (needle: string) => texts.findIndex((text) => text.includes(needle));
  expect(at(token)).toBeLessThan(at(spoken[0]!.content.slice(0, 30)));
  expect(at(spoken[0]!.content.slice(0, 30))).toBeLessThan(at(spoken[1]!.content.slice(0, 30)));

  // A reload shows the same history: same ids, same order.
  const before = history.map((message) => message.id);
  await page.reload();
  await expect(page.getByRole('article').filter({ hasText: replyOf('Tobin') })).toBeVisible();
  const afterTexts = await page.getByRole('article').allTextContents();
  for (const message of spoken) expect(afterTexts.filter((text) => text.includes(message.content.slice(0, 30)))).toHaveLength(1);
  expect((await adminApi.messages(roomId)).map((message) => message.id).slice(0, before.length)).toEqual(before);
  await expect(page).toHaveURL(new RegExp(`/rooms/${roomId}$`));

  // The URL opened in a fresh context lands in the room after logging in.
  const fresh = await browser.newContext({ storageState: sessions.none, baseURL: new URL(page.url()).origin });
  const other = await fresh.newPage();
  await other.goto(`/rooms/${roomId}`);
  await expect(other).toHaveURL(/\/login/);
  await other.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await other.getByRole('button', { name: 'Log in' }).click();
  await expect(other).toHaveURL(new RegExp(`/rooms/${roomId}$`));
  await expect(other.getByRole('heading', { level: 1 })).toHaveText(roomName);
  await fresh.close();

  // Seen growing: at least 3 distinct partial texts, each a prefix of the next.
  for (const name of ['Mira', 'Tobin']) {
    const seen = growth[name] ?? [];
    // The response growing: past the "thinking…" placeholder, before the finished text.
    const partial = seen.filter((text) => text.includes(`${name} here.`) && !text.includes('writes them down carefully.'));
    expect(partial.length, `${name}'s live bubble grew at ${partial.length} points: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < partial.length; i += 1) expect(partial[i]!.length).toBeGreaterThan(partial[i - 1]!.length);
  }
});
