import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, sessions, test, unique } from './fixtures.js';
import { freePort, ownServerEnv, START_TIMEOUT_MS, startAppServer, type AppServer } from './harness/server.js';
import { ADMIN_PASSWORD } from './harness/state.js';

/** ui.md §9.3 scenario 4: provider availability in Create room, a Codex room's chips, and the dialog's validation. */

test.describe.serial('a server whose OpenAI-compatible endpoint does not answer', () => {
  let server: AppServer;
  let root: string;

  test.use({ storageState: sessions.none });

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(START_TIMEOUT_MS + 10_000);
    root = mkdtempSync(join(tmpdir(), 'chitchats-e2e-providers-'));
    // Nothing listens on a port that was free a moment ago: the availability check fails with a reason.
    const silent = await freePort();
    server = await startAppServer(ownServerEnv(join(root, 'data'), { OPENAI_BASE_URL: `http://127.0.0.1:${silent}/v1` }), { host: 'localhost' });
  });

  test.afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('the unavailable card is disabled with the reason, Create is disabled, and the warning opens Help at Providers', async ({ page }) => {
    await page.goto(`${server.baseURL}/login`);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'New room' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create room' });
    const openai = dialog.getByRole('radio', { name: /OpenAI-compatible/ });
    await expect(openai).toBeDisabled();
    const reason = await openai.evaluate((node) => document.getElementById(node.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    expect(reason.trim()).not.toBe('');
    expect(reason).not.toMatch(/^Ready/);
    await dialog.getByLabel('Name').fill(unique('Nowhere'));
    await expect(dialog.getByRole('button', { name: 'Create', exact: true })).toBeDisabled();

    await dialog.getByRole('button', { name: 'How to set up a provider' }).click();
    const help = page.getByRole('dialog', { name: 'Help' });
    await expect(help.getByRole('tab', { name: 'Providers' })).toHaveAttribute('aria-selected', 'true');
  });
});

test('a Codex room shows the Codex chip in the sidebar and the header', async ({ page, adminApi }) => {
  const room = await adminApi.createRoom(unique('Codex room'), { default_provider: 'codex' });
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
  const row = page.getByRole('navigation', { name: 'Sidebar' }).getByRole('link', { name: new RegExp(room.name) });
  await expect(row.locator('[title^="Codex"]')).toBeVisible();
  await expect(page.locator('header [title^="Codex"]').getByText('Codex', { exact: true })).toBeVisible();
});

test('a limit of 0 in Create room is a field error and creates nothing', async ({ page, adminApi }) => {
  const name = unique('Zero limit');
  await page.goto('/');
  await page.getByRole('button', { name: 'New room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Max interactions').fill('0');
  await expect(dialog.getByRole('radio', { checked: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialog.getByText('Enter a whole number from 1 to 10,000, or leave it blank.')).toBeVisible();
  await expect(dialog.getByLabel('Max interactions')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toBeVisible();

  // A valid limit creates the room with it.
  await dialog.getByLabel('Max interactions').fill('3');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const listed = (await (await adminApi.raw.get('/api/rooms')).json()) as { name: string; max_interactions: number | null }[];
  expect(listed.find((room) => room.name === name)?.max_interactions).toBe(3);
});
