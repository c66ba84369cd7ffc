import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { REPO } from './harness/server.js';

/**
 * The README screenshots (docs/screenshots/*.png): a real room with a conversation, in the light and dark themes
 * and on a phone. Only with `UPDATE_SCREENSHOTS=1`, so ordinary test runs never change the working tree:
 *
 *     UPDATE_SCREENSHOTS=1 npx playwright test -c tests/e2e screenshots
 */

const OUT = join(REPO, 'docs', 'screenshots');

test.skip(process.env.UPDATE_SCREENSHOTS !== '1', 'README screenshots are taken only with UPDATE_SCREENSHOTS=1');
test.describe.configure({ mode: 'serial' });

const CONVERSATION = {
  user: 'We need a name for the rooftop weather station. Ideas?',
  replies: {
    하늘: '비 올 확률 70%, 좋은 이름이 나올 확률 100%예요. **"구름관측소"** 어때요? 짧고, 옥상 텃밭과도 잘 어울려요.',
    Mira: 'Call it *Gerald II*. Every machine deserves a name, and this one will hum at night — I can already hear it.',
    Tobin:
      'On the night tram we had a stop called **Lantern Hill**. The regulars said the weather always turned there first.\n\n- short\n- easy to say\n- a little bit of a story',
  } as Record<string, string>,
};

let roomId = 0;
let roomName = '';

test.beforeAll(async ({ adminApi, fake }) => {
  test.setTimeout(300_000);
  // A unique name per run: the plain one is taken when the harness server is reused (E2E_REUSE=1).
  roomName = 'Rooftop weather station';
  const rooms = await (await adminApi.raw.get('/api/rooms')).json() as { id: number; name: string }[];
  const taken = rooms.some((room) => room.name === roomName);
  if (taken) roomName = `Rooftop weather station ${rooms.length + 1}`;
  roomId = (await adminApi.createRoom(roomName)).id;
  await fake.script(CONVERSATION.user, Object.fromEntries(Object.entries(CONVERSATION.replies).map(([name, text]) => [name, [{ text, delayMs: 5 }]])));
  for (const name of Object.keys(CONVERSATION.replies)) await adminApi.addMember(roomId, name);
  await adminApi.send(roomId, CONVERSATION.user);
  const replies = async () =>
    (await adminApi.messages(roomId)).filter((message) => message.agent_id !== null && Object.values(CONVERSATION.replies).includes(message.content)).length;
  await expect.poll(replies, { timeout: 240_000 }).toBe(3);
});

async function settle(page: Page): Promise<void> {
  await page.goto(`/rooms/${roomId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(roomName);
  await expect(page.getByRole('article').filter({ hasText: 'Lantern Hill' })).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  // Nothing focused or hovered in the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
}

for (const theme of ['light', 'dark'] as const) {
  test(`room in the ${theme} theme`, async ({ page }) => {
    await page.addInitScript((value) => localStorage.setItem('chitchats.settings', JSON.stringify({ v: 1, theme: value })), theme);
    await page.setViewportSize({ width: 1280, height: 800 });
    await settle(page);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, `room-${theme}.png`), animations: 'disabled', caret: 'hide' });
  });
}

test.describe('phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

  test('room on a phone', async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('chitchats.settings', JSON.stringify({ v: 1, theme: 'light' })));
    await settle(page);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'room-phone.png'), animations: 'disabled', caret: 'hide' });
  });
});
