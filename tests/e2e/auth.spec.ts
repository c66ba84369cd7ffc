import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, sessions, test } from './fixtures.js';
import { REPO, START_TIMEOUT_MS, startAppServer, type AppServer } from './harness/server.js';
import { GUEST_PASSWORD, runState } from './harness/state.js';

/**
 * ui.md §9.3 scenarios 1 (first run) and 2 (wrong password, rate limit). Both need a server of their own: one
 * that starts without a password, and whose login limit the test may exhaust without locking out other tests.
 */

test.describe.serial('a server started without a password', () => {
  let server: AppServer;
  let root: string;
  let password = '';

  test.use({ storageState: sessions.none });

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(START_TIMEOUT_MS + 10_000);
    root = mkdtempSync(join(tmpdir(), 'chitchats-e2e-first-run-'));
    server = await startAppServer(
      {
        DATA_DIR: join(root, 'data'),
        AGENTS_DIR: runState().agentsDir,
        CONFIG_DIR: join(REPO, 'config'),
        WEB_DIR: runState().webDir,
        OPENAI_BASE_URL: runState().openai,
        OPENAI_MODEL: 'fake-model',
        DEFAULT_PROVIDER: 'openai',
        // Scenario 2 exhausts it: one successful login (scenario 1) and two wrong ones are allowed.
        RATE_LIMIT_LOGIN: '3',
      },
      { host: 'localhost' },
    );
    password = /generated an admin password[^\n]*\n\s*\n\s+(\S+)/.exec(server.output())?.[1] ?? '';
  });

  test.afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('scenario 1: the login page shows the first-run hint, the printed password logs in, and no token is readable by scripts', async ({
    page,
  }) => {
    expect(password, 'the server prints the generated password on stdout').not.toBe('');
    await page.goto(`${server.baseURL}/`);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText(/generated an admin password/i)).toBeVisible();

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible();
    await expect(page).not.toHaveURL(/\/login/);

    // The session is the HttpOnly cookie: nothing a script can read holds it.
    const readable = await page.evaluate(() => ({ cookie: document.cookie, storage: JSON.stringify({ ...localStorage }) }));
    expect(readable.cookie).toBe('');
    expect(readable.storage).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    const cookies = await page.context().cookies();
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((cookie) => cookie.httpOnly)).toBe(true);

    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible();
    await expect(page).not.toHaveURL(/\/login/);
  });

  test('scenario 2: a wrong password is announced, the field keeps its value selected, and the limit shows a countdown', async ({ page }) => {
    await page.goto(`${server.baseURL}/login`);
    const field = page.getByLabel('Password', { exact: true });
    // A property on the DOM node survives only if the page does not remount the form.
    await field.evaluate((node) => ((node as HTMLInputElement & { e2eMark?: number }).e2eMark = 42));

    await field.fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong password');
    await expect(field).toHaveValue('not-the-password');
    await expect(field).toBeFocused();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect
      .poll(() => field.evaluate((node: HTMLInputElement) => [node.selectionStart, node.selectionEnd]))
      .toEqual([0, 'not-the-password'.length]);
    expect(await field.evaluate((node) => (node as HTMLInputElement & { e2eMark?: number }).e2eMark)).toBe(42);

    // The third attempt of this minute is still answered; the fourth is over the limit.
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toContainText(/Too many attempts\. Try again in \d+ s/);
    const submit = page.getByRole('button', { name: /Try again in \d+ s/ });
    await expect(submit).toBeDisabled();
    const first = Number(/(\d+) s/.exec((await submit.textContent()) ?? '')?.[1]);
    await expect.poll(async () => Number(/(\d+) s/.exec((await submit.textContent()) ?? '')?.[1]), { timeout: 10_000 }).toBeLessThan(first);
  });
});

test.describe('logging in on the shared server', () => {
  test.use({ storageState: sessions.none });

  test('the guest logs in through the same password box and sees the Guest role', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel('Password', { exact: true }).fill(GUEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
    await expect(sidebar).toBeVisible();
    await expect(sidebar.getByText('Guest', { exact: true })).toBeVisible();
  });

  test('a deep link while logged out returns to that page after logging in', async ({ page }) => {
    await page.goto('/agents');
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel('Password', { exact: true }).fill('admin-password-for-tests');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(/\/agents$/);
  });
});
