import type { Page, Request } from '@playwright/test';
import sharp from 'sharp';
import { composer, expect, test, unique } from './fixtures.js';

/** ui.md §9.3 scenarios 11–13: IME-safe send keys, @mentions and the image attachment (§4.4.5–§4.4.7). */

const SEND_PATH = /\/api\/rooms\/\d+\/messages\/send$/;

interface SendBody {
  content: string;
  mentioned_agent_ids?: number[];
  mention_mode?: string;
  image_data?: string;
  image_media_type?: string;
}

/** Every message the page posts from now on, in order. */
function recordSends(page: Page): SendBody[] {
  const bodies: SendBody[] = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && SEND_PATH.test(new URL(request.url()).pathname)) bodies.push(request.postDataJSON() as SendBody);
  });
  return bodies;
}

/** A token to scope the fake's scripts, without spaces so it survives as one word. */
const tokenOf = (prefix: string) => unique(prefix).replace(' ', '-');

test.describe('scenario 11: IME and send keys', () => {
  test('Enter during an IME composition does not send; after the commit Enter sends one "안녕" and empties the composer', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('IME'));
    const sent = recordSends(page);
    await page.goto(`/rooms/${room.id}`);
    const field = composer(page);
    await expect(field).toBeFocused();

    // The IME composes 안녕 syllable by syllable, as a Korean keyboard does.
    const cdp = await page.context().newCDPSession(page);
    for (const text of ['ㅇ', '아', '안', '안ㄴ', '안녀', '안녕']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    }
    await expect(field).toHaveValue('안녕');

    // Enter while the composition is open: the keydown arrives with isComposing (the IME takes the key itself, so
    // no character is typed). Nothing may be sent and the text stays.
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await expect(field).toHaveValue('안녕');
    expect(sent).toHaveLength(0);

    // The IME commits; now Enter sends.
    await cdp.send('Input.insertText', { text: '안녕' });
    await expect(field).toHaveValue('안녕');
    await page.keyboard.press('Enter');

    const mine = page.getByRole('article').filter({ hasText: '안녕' });
    await expect(mine).toHaveCount(1);
    await expect(mine.getByText('안녕', { exact: true })).toBeVisible();
    await expect(page.getByRole('article').filter({ hasText: '안녕녕' })).toHaveCount(0);
    // No syllable comes back into the emptied composer (the classic duplicated last syllable).
    await expect(field).toHaveValue('');
    await expect.poll(async () => (await adminApi.messages(room.id)).map((message) => message.content)).toEqual(['안녕']);
    expect(sent.map((body) => body.content)).toEqual(['안녕']);
    await expect(field).toHaveValue('');
  });

  test('in Ctrl+Enter mode Enter adds a new line and Ctrl+Enter sends a two-line message that renders with a line break', async ({ page, adminApi }) => {
    const room = await adminApi.createRoom(unique('Send keys'));
    const sent = recordSends(page);
    await page.goto(`/rooms/${room.id}`);

    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const sendWith = dialog.getByRole('group', { name: 'Send with' });
    await expect(sendWith.getByRole('radio', { name: 'Enter', exact: true })).toBeChecked();
    await sendWith.locator('label').filter({ hasText: 'Ctrl+Enter' }).click();
    await expect(sendWith.getByRole('radio', { name: 'Ctrl+Enter' })).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    const field = composer(page);
    await field.click();
    await page.keyboard.type('first line');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second line');
    await expect(field).toHaveValue('first line\nsecond line');
    expect(sent).toHaveLength(0);
    await expect(page.getByRole('article')).toHaveCount(0);

    await page.keyboard.press('Control+Enter');
    await expect(field).toHaveValue('');
    const message = page.getByRole('article').filter({ hasText: 'second line' });
    await expect(message).toBeVisible();
    // remark-breaks: the single newline is a <br>, so the two lines sit one above the other.
    await expect(message.locator('br')).toHaveCount(1);
    expect(await message.evaluate((node) => (node as HTMLElement).innerText)).toContain('first line\nsecond line');
    await expect.poll(async () => (await adminApi.messages(room.id)).map((m) => m.content)).toEqual(['first line\nsecond line']);
    expect(sent.map((body) => body.content)).toEqual(['first line\nsecond line']);
  });
});

/** Collects the room's server events seen by the page (a second EventSource beside the app's own stream). */
async function watchRoomEvents(page: Page, roomId: number): Promise<() => Promise<{ type: string; at: number; data: Record<string, unknown> }[]>> {
  await page.evaluate((id) => {
    const sink = window as unknown as { __roomEvents: { type: string; at: number; data: unknown }[] };
    sink.__roomEvents = [];
    const source = new EventSource(`/api/rooms/${id}/events`);
    for (const type of ['message', 'room', 'agent_start', 'agent_end']) {
      source.addEventListener(type, (event) => sink.__roomEvents.push({ type, at: Date.now(), data: JSON.parse((event as MessageEvent<string>).data) }));
    }
  }, roomId);
  return () =>
    page.evaluate(() => (window as unknown as { __roomEvents: { type: string; at: number; data: Record<string, unknown> }[] }).__roomEvents);
}

test('scenario 12: @ㅎㄴ finds 하늘 first, ↓/Enter/Tab insert, "Only mentioned reply" lets only 하늘 answer, and a newly added agent is mentionable at once', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Mentions'));
  for (const name of ['하늘', 'Mira', 'Tobin']) await adminApi.addMember(room.id, name);
  const haneul = await adminApi.agent('하늘');
  const token = tokenOf('mention');
  await fake.script(token, {
    하늘: [{ text: '하늘이 대답해요. Only me.', delayMs: 10 }],
    // Scripted too, so that if the mode were ignored they would answer.
    Mira: [{ text: 'Mira butts in.', delayMs: 10 }],
    Tobin: [{ text: 'Tobin butts in.', delayMs: 10 }],
  });
  const sent = recordSends(page);
  await page.goto(`/rooms/${room.id}`);
  const field = composer(page);
  await expect(field).toBeFocused();
  const menu = page.getByRole('listbox', { name: 'Agents to mention' });

  // Initial consonants: ㅎㄴ → 하늘, first; Tab inserts it with a trailing space.
  await page.keyboard.type('@ㅎㄴ');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('option').first()).toHaveText(/하늘/);
  await expect(menu.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Tab');
  await expect(field).toHaveValue('@하늘 ');
  await expect(menu).toBeHidden();

  // ↓ moves to the second candidate and Enter inserts it (and does not send).
  await field.fill('');
  await page.keyboard.type('@');
  const options = menu.getByRole('option');
  await expect(options).toHaveCount(3);
  const second = ((await options.nth(1).textContent()) ?? '').trim();
  expect(['하늘', 'Mira', 'Tobin']).toContain(second);
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(field).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id')) ?? 'missing');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(`@${second} `);
  expect(sent).toHaveLength(0);

  // @하늘아 (a particle after the name) still mentions 하늘; with "Only mentioned reply" on only 하늘 answers.
  await field.fill('');
  await page.keyboard.type(`@하늘아 안녕 ${token}`);
  const onlyMentioned = page.getByRole('button', { name: 'Only mentioned reply' });
  await expect(onlyMentioned).toHaveAttribute('aria-pressed', 'false');
  await onlyMentioned.click();
  await expect(onlyMentioned).toHaveAttribute('aria-pressed', 'true');
  const events = await watchRoomEvents(page, room.id);
  await field.press('Enter');
  await expect(field).toHaveValue('');
  await expect(onlyMentioned).toBeHidden();

  await expect.poll(() => sent.length).toBe(1);
  expect(sent[0]).toMatchObject({ content: `@하늘아 안녕 ${token}`, mentioned_agent_ids: [haneul.id], mention_mode: 'only' });

  // The reply, and the mention chip in my message.
  await expect(page.getByRole('article').filter({ hasText: '하늘이 대답해요.' })).toBeVisible();
  const mine = page.getByRole('article').filter({ hasText: token });
  const chip = mine.getByText('@하늘', { exact: true });
  await expect(chip).toBeVisible();
  await expect(chip).toHaveAttribute('data-mention', String(haneul.id));

  // The run my message started, from its run_started to its run_ended: only 하늘 took a turn and only 하늘 replied.
  // (A new room with members may already have a background round going, and the scheduler may carry on with
  // everyone after the run; mentions govern neither, so only this run is looked at.)
  const runOf = async () => {
    const log = await events();
    const sentAt = log.findIndex((event) => event.type === 'message' && event.data.role === 'user' && String(event.data.content).includes(token));
    const start = sentAt < 0 ? -1 : log.findIndex((event, i) => i > sentAt && event.type === 'room' && event.data.reason === 'run_started');
    const end = start < 0 ? -1 : log.findIndex((event, i) => i > start && event.type === 'room' && event.data.reason === 'run_ended');
    return end < 0 ? null : log.slice(start, end + 1);
  };
  await expect.poll(async () => (await runOf()) !== null, { timeout: 15_000 }).toBe(true);
  const run = (await runOf())!;
  expect(run.filter((event) => event.type === 'agent_start').map((event) => event.data.agent_name)).toEqual(['하늘']);
  const replies = run.filter((event) => event.type === 'message' && event.data.agent_id !== null);
  expect(replies.map((event) => [event.data.agent_name, event.data.content])).toEqual([['하늘', '하늘이 대답해요. Only me.']]);
  // The fake's first request with my message was 하늘's turn (what came after the run is the scheduler's).
  const records = [...(await fake.requests(token))].sort((a, b) => a.at - b.at);
  expect(records[0]?.agent).toBe('하늘');
  expect(records[0]?.text).toContain(`@하늘아 안녕 ${token}`);

  // An agent added from the panel can be mentioned at once.
  await page.getByRole('button', { name: 'Add 화이트보드', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Members of this room' }).getByText('화이트보드', { exact: true })).toBeVisible();
  await field.click();
  await page.keyboard.type('@화이');
  await expect(menu.getByRole('option')).toHaveCount(1);
  await expect(menu.getByRole('option')).toHaveText(/화이트보드/);
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('@화이트보드 ');
  await expect(page.getByRole('button', { name: 'Only mentioned reply' })).toBeVisible();
});

/** A solid PNG of the given size, made here (no binary fixtures). */
async function png(width: number, height: number, color: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

async function pick(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach an image' }).click()]);
  await chooser.setFiles(file);
}

/** Pastes (`paste`) or drops (`dragenter` … `drop`) an image file built in the page from base64. */
async function transfer(page: Page, how: 'paste' | 'drop', name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    async ({ how: kind, name: fileName, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transferData = new DataTransfer();
      transferData.items.add(new File([data], fileName, { type: 'image/png' }));
      if (kind === 'paste') {
        const field = document.activeElement as HTMLElement;
        field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transferData, bubbles: true, cancelable: true }));
        return;
      }
      const pane = document.querySelector('section[aria-label="Messages"]') ?? document.body;
      pane.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transferData, bubbles: true, cancelable: true }));
      pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: transferData, bubbles: true, cancelable: true }));
      (window as unknown as { __overlaySeen: boolean }).__overlaySeen = false;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      (window as unknown as { __overlaySeen: boolean }).__overlaySeen = document.body.innerText.includes('Drop an image to attach');
      pane.dispatchEvent(new DragEvent('drop', { dataTransfer: transferData, bubbles: true, cancelable: true }));
    },
    { how, name, base64: bytes.toString('base64') },
  );
}

test('scenario 13: pick, paste and drop replace the image with Undo; 12 MB and .heic are refused inline; a 4000×3000 PNG goes out at 2048 px; the lightbox opens and Esc returns focus', async ({
  page,
  adminApi,
}) => {
  const room = await adminApi.createRoom(unique('Images'));
  await page.goto(`/rooms/${room.id}`);
  const field = composer(page);
  await expect(field).toBeFocused();
  const preview = (name: string) => page.getByRole('img', { name: `Attached image ${name}`, exact: true });

  // The picker.
  await pick(page, { name: 'picked.png', mimeType: 'image/png', buffer: await png(40, 30, { r: 200, g: 30, b: 30 }) });
  await expect(preview('picked.png')).toBeVisible();

  // Pasting replaces it, with a note and Undo.
  await field.focus();
  await transfer(page, 'paste', 'pasted.png', await png(40, 30, { r: 30, g: 200, b: 30 }));
  await expect(preview('pasted.png')).toBeVisible();
  await expect(preview('picked.png')).toHaveCount(0);
  const note = page.getByRole('status').filter({ hasText: 'Replaced picked.png' });
  await expect(note).toBeVisible();
  await expect(note.getByRole('button', { name: 'Undo' })).toBeVisible();
  await expect(field).toHaveValue('');

  // Dropping replaces it again (under the "Drop an image to attach" overlay); Undo brings the pasted one back.
  await transfer(page, 'drop', 'dropped.png', await png(40, 30, { r: 30, g: 30, b: 200 }));
  expect(await page.evaluate(() => (window as unknown as { __overlaySeen: boolean }).__overlaySeen)).toBe(true);
  await expect(page.getByText('Drop an image to attach')).toBeHidden();
  await expect(preview('dropped.png')).toBeVisible();
  const dropNote = page.getByRole('status').filter({ hasText: 'Replaced pasted.png' });
  await expect(dropNote).toBeVisible();
  await dropNote.getByRole('button', { name: 'Undo' }).click();
  await expect(preview('pasted.png')).toBeVisible();
  await expect(preview('dropped.png')).toHaveCount(0);

  // Too big and the wrong type: an inline alert, the attached image stays.
  await pick(page, { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(12 * 1024 * 1024, 1) });
  await expect(page.getByRole('alert').filter({ hasText: 'big.png is larger than 10 MB' })).toBeVisible();
  await pick(page, { name: 'photo.heic', mimeType: 'image/heic', buffer: Buffer.from('not really a heic file') });
  await expect(page.getByRole('alert').filter({ hasText: "photo.heic isn't a supported image type" })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'big.png' })).toHaveCount(0);
  await expect(preview('pasted.png')).toBeVisible();

  // A 4000×3000 PNG is scaled to at most 2048 px before it is sent.
  const large = await png(4000, 3000, { r: 250, g: 180, b: 20 });
  await pick(page, { name: 'large.png', mimeType: 'image/png', buffer: large });
  await expect(preview('large.png')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const caption = unique('A big sunset');
  await field.fill(caption);
  const request = page.waitForRequest((r) => r.method() === 'POST' && SEND_PATH.test(new URL(r.url()).pathname));
  await field.press('Enter');
  const body = (await request).postDataJSON() as SendBody;
  expect(body.content).toBe(caption);
  expect(body.image_data).toMatch(/^[A-Za-z0-9+/]+=*$/);
  const decoded = Buffer.from(body.image_data!, 'base64');
  const meta = await sharp(decoded).metadata();
  expect(['webp', 'jpeg']).toContain(meta.format);
  expect(body.image_media_type).toBe(`image/${meta.format}`);
  expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(2048);
  expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeGreaterThan(1000);
  expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(4 / 3, 2);
  await expect(preview('large.png')).toHaveCount(0);

  // The message shows the image; the lightbox opens, Esc closes it and focus returns to the image.
  const message = page.getByRole('article').filter({ hasText: caption });
  const opener = message.getByRole('button', { name: 'Open the image from you' });
  await expect(opener).toBeVisible();
  await expect(opener.getByRole('img', { name: 'Image from you' })).toBeVisible();
  await expect.poll(() => opener.getByRole('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(1000);
  await opener.click();
  const lightbox = page.getByRole('dialog', { name: 'Image from you' });
  await expect(lightbox).toBeVisible();
  await expect(lightbox.getByRole('img', { name: 'Image from you' })).toBeVisible();
  await expect(lightbox.getByRole('link', { name: 'Download' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(lightbox).toBeHidden();
  await expect(opener).toBeFocused();
});
