import { expect, test, unique } from './fixtures.js';

/**
 * ui.md §9.3 scenario 29, phone parts: at 390×844 with touch (a coarse pointer) the sidebar is a modal drawer,
 * and every icon button is a 44×44 px touch target (§1 P3). The 10,000-message timings are measured by
 * `npm run bench -- ui` (bench/ui.ts).
 */

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

test('the drawer opens from the header, traps focus, closes with Esc and gives focus back', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('Phone room'));
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
  // No sidebar beside the page on a phone.
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeHidden();

  const toggle = page.getByRole('button', { name: 'Show sidebar' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  const drawer = page.getByRole('dialog', { name: 'Sidebar' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('navigation', { name: 'Sidebar' })).toBeVisible();

  // Focus stays inside the drawer however far Tab goes.
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    expect(await drawer.evaluate((node) => node.contains(document.activeElement))).toBe(true);
  }

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(toggle).toBeFocused();

  // Choosing a room in the drawer closes it.
  await toggle.click();
  await drawer.getByRole('link', { name: new RegExp(room.name) }).click();
  await expect(drawer).toBeHidden();
});

test('icon buttons are at least 44×44 px on a touch screen', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('Touch room'));
  await adminApi.addMember(room.id, 'Tobin');
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);

  const small = async () =>
    page.evaluate(() => {
      const out: string[] = [];
      for (const button of Array.from(document.querySelectorAll<HTMLElement>('button, [role="button"], a[aria-label]'))) {
        const rect = button.getBoundingClientRect();
        const style = getComputedStyle(button);
        if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden') continue;
        // Icon buttons: no visible text of their own, named by aria-label or title.
        if ((button.textContent ?? '').trim() !== '') continue;
        if (button.closest('.sr-only')) continue;
        if (rect.width < 44 || rect.height < 44) {
          const name = button.getAttribute('aria-label') ?? button.getAttribute('title') ?? button.outerHTML.slice(0, 60);
          out.push(`${name}: ${Math.round(rect.width)}×${Math.round(rect.height)}`);
        }
      }
      return out;
    });
  expect(await small(), 'icon buttons in the room').toEqual([]);

  await page.getByRole('button', { name: 'Show sidebar' }).click();
  await expect(page.getByRole('dialog', { name: 'Sidebar' })).toBeVisible();
  expect(await small(), 'icon buttons in the drawer').toEqual([]);
});

test('the agent panel opens as a sheet on a phone, closes with Esc and gives focus back', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('Sheet room'));
  await adminApi.addMember(room.id, 'Mira');
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
  // Below 1024 px the panel starts closed: no column beside the transcript.
  await expect(page.getByRole('complementary', { name: 'Members' })).toHaveCount(0);

  const toggle = page.getByRole('button', { name: /^Members/ });
  await toggle.click();
  const sheet = page.getByRole('dialog', { name: 'Members' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('list', { name: 'Members of this room' }).getByText('Mira', { exact: true })).toBeVisible();
  // A sheet over the room, as wide as the phone.
  expect(Math.round((await sheet.boundingBox())!.width)).toBe(390);

  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(toggle).toBeFocused();
});
