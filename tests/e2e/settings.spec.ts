import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { chooseKorean, chooseTheme, composer, expect, sessions, test, unique } from './fixtures.js';

/** ui.md §9.3 scenario 28: language, theme without a flash, and axe in both themes. */

test('switching to 한국어 translates the shell, sets html[lang=ko], and survives a reload', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('언어 방'));
  await page.goto(`/rooms/${room.id}`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
  await expect(sidebar.getByRole('button', { name: 'New room' })).toBeVisible();

  await chooseKorean(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  const koSidebar = page.getByRole('navigation', { name: '사이드바' });
  await expect(koSidebar).toBeVisible();
  await expect(koSidebar.getByRole('button', { name: 'New room' })).toHaveCount(0);
  await expect(koSidebar.getByRole('button', { name: /로그아웃/ })).toBeVisible();
  // The composer's label and placeholder follow.
  const field = composer(page, '메시지');
  await expect(field).toBeVisible();
  expect(await field.getAttribute('placeholder')).toMatch(/메시지/);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByRole('navigation', { name: '사이드바' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '사이드바' }).getByRole('button', { name: /로그아웃/ })).toBeVisible();
});

/**
 * How light a computed CSS colour is, 0 (black) to 1 (white): relative luminance for `rgb()`, the L of `lab()`,
 * `oklab()` and `oklch()` (Chromium reports Tailwind 4's oklch tokens as lab).
 */
function lightness(color: string): number {
  const lab = /^(?:ok)?l(?:ab|ch)\(\s*([\d.]+)(%?)/.exec(color);
  if (lab) {
    const value = Number(lab[1]);
    return color.startsWith('ok') && lab[2] !== '%' ? value : value / 100;
  }
  const parts = /rgba?\(([^)]+)\)/.exec(color)?.[1]?.split(/[ ,/]+/).filter(Boolean).map(Number) ?? [];
  const [r = 255, g = 255, b = 255] = parts;
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

test('the dark theme survives a reload with no light flash: the background is dark at DOMContentLoaded', async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const probe = window as unknown as { __e2eFirst?: { dark: boolean; background: string } };
      probe.__e2eFirst = {
        dark: document.documentElement.classList.contains('dark'),
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
  });
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible();
  await chooseTheme(page, 'dark');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);

  await page.reload();
  const first = await page.evaluate(() => (window as unknown as { __e2eFirst?: { dark: boolean; background: string } }).__e2eFirst);
  expect(first?.dark).toBe(true);
  expect(lightness(first?.background ?? ''), `background at DOMContentLoaded: ${first?.background}`).toBeLessThan(0.25);
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
});

test('compact density makes the transcript avatars smaller', async ({ page, adminApi, fake }) => {
  const room = await adminApi.createRoom(unique('Compact'));
  const token = unique('compact').replace(' ', '-');
  await fake.script(token, { Mira: [{ text: 'Short and sweet.', delayMs: 5 }] });
  await adminApi.addMember(room.id, 'Mira');
  await adminApi.send(room.id, `Hello ${token}`);
  await page.goto(`/rooms/${room.id}`);
  const reply = page.getByRole('article').filter({ hasText: 'Short and sweet.' });
  const avatarWidth = async () => (await reply.locator('.agent-avatar').first().boundingBox())?.width ?? 0;
  await expect(reply).toBeVisible();
  const comfortable = await avatarWidth();
  expect(comfortable).toBe(36);

  await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.locator('label').filter({ hasText: 'Compact' }).click();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.poll(avatarWidth).toBeLessThan(comfortable);
});

test('keyboard only: create a room and send a message without the mouse', async ({ page }) => {
  const name = unique('Keys only');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /^Rooms \d+$/ })).toBeVisible();
  // Tab from the top of the page to New room, as a keyboard user would.
  const newRoom = page.getByRole('button', { name: 'New room' });
  for (let i = 0; i < 10 && !(await newRoom.evaluate((node) => node === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(newRoom).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.type(name);
  await expect(dialog.getByRole('radio', { checked: true })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  // The composer has focus once the room opens (ui.md §4.3).
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type('Typed, never clicked');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('article').filter({ hasText: 'Typed, never clicked' })).toBeVisible();
});

test('the transcript is one tab stop: ↑/↓ move between rows, Home and End jump, Esc returns to the composer', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('Arrow keys'));
  for (const text of ['first line', 'second line', 'third line']) await adminApi.send(room.id, text);
  await page.goto(`/rooms/${room.id}`);
  const field = composer(page);
  await expect(page.getByRole('article').filter({ hasText: 'third line' })).toBeVisible();
  await field.focus();
  // Back from the composer, past its persona button, to the transcript's one tab stop: its scroller, not a row's button.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('virtuoso-scroller');
  const focusedText = () => page.evaluate(() => document.activeElement?.closest('article')?.textContent ?? '');
  await page.keyboard.press('ArrowUp');
  await expect.poll(focusedText).toContain('third line');
  await page.keyboard.press('ArrowUp');
  await expect.poll(focusedText).toContain('second line');
  await page.keyboard.press('Home');
  await expect.poll(focusedText).toContain('first line');
  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedText).toContain('second line');
  await page.keyboard.press('End');
  await expect.poll(focusedText).toContain('third line');
  // Enter on the focused row opens its actions; Esc closes them again.
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem', { name: 'Copy message' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(field).toBeFocused();
});

async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(' | ')}`);
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.addInitScript((value) => {
    localStorage.setItem('chitchats.settings', JSON.stringify({ v: 1, theme: value }));
  }, theme);
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`axe in the ${theme} theme`, () => {
    test.describe('logged out', () => {
      test.use({ storageState: sessions.none });

      test('the login page has no serious or critical violations', async ({ page }) => {
        await useTheme(page, theme);
        await page.goto('/login');
        await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });
    });

    test('a room with a conversation has no serious or critical violations', async ({ page, adminApi, fake }) => {
      const room = await adminApi.createRoom(unique(`Axe ${theme}`));
      const token = unique('axe').replace(' ', '-');
      await fake.script(token, { Mira: [{ text: 'A **short** answer with `code` and a [link](https://example.org).', delayMs: 5 }] });
      await adminApi.addMember(room.id, 'Mira');
      await adminApi.send(room.id, `Hello there ${token}`);
      await useTheme(page, theme);
      await page.goto(`/rooms/${room.id}`);
      await expect(page.getByRole('article').filter({ hasText: 'A short answer' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the agent manager has no serious or critical violations', async ({ page }) => {
      await useTheme(page, theme);
      await page.goto('/agents');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText('Tobin').first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the Create room dialog has no serious or critical violations', async ({ page }) => {
      await useTheme(page, theme);
      await page.goto('/');
      await page.getByRole('button', { name: 'New room' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create room' });
      await expect(dialog.getByRole('radio').first()).toBeVisible();
      expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
    });
  });
}
