import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test, unique } from './fixtures.js';
import { runState } from './harness/state.js';

/**
 * ui.md §9.3 scenario 24: the agent manager (§4.7). One agent of our own goes through the whole life cycle, so the
 * fixture agents the other spec files use are never edited or deleted: created with a picture, edited in Split mode,
 * a conflict with a change on disk, Reload from disk, the unsaved-changes guard, and Delete.
 */

interface Created {
  id: number;
  name: string;
  group: string;
  /** The agent's folder in the server's temporary agents directory. */
  dir: string;
}

interface AgentBody {
  id: number;
  name: string;
  group: string | null;
  config_file: string | null;
  profile_pic: string | null;
  in_a_nutshell: string | null;
  characteristics: string | null;
  recent_events: string | null;
}

const suffix = unique('x').split(' ')[1]!;
const NAME = `Quill ${suffix}`;
const GROUP = `Lighthouse ${suffix}`;
const NUTSHELL = `${NAME} keeps the tide tables of a small harbour and corrects them in green ink.`;
const TRAITS = `**Personality.** Patient, dry, precise.`;

let created: Created | undefined;

test.describe.configure({ mode: 'serial' });

/** The first check after a cold page load: the app, the list and the agent load in a few requests in a row. */
const LOADED = { timeout: 15_000 };

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Sidebar' });

async function openSidebarAgents(page: Page) {
  await sidebar(page).getByRole('tab', { name: 'Agents' }).click();
  await expect(sidebar(page).getByRole('tab', { name: 'Agents' })).toHaveAttribute('aria-selected', 'true');
}

/** The persona editor's text field of one file (its tab has the same name, so the role tells them apart). */
const editorField = (page: Page, file: string) => page.getByRole('region', { name: 'Persona' }).getByRole('textbox', { name: file, exact: true });

test.afterAll(async ({ adminApi }) => {
  // A failed run must not leave our agent in the list the other spec files see.
  if (!created) return;
  const response = await adminApi.raw.get(`/api/agents/${created.id}`);
  if (response.ok()) await adminApi.raw.delete(`/api/agents/${created.id}?delete_folder=true`);
});

test('creating an agent with a picture lists it in its sidebar group with the avatar', async ({ page, adminApi }) => {
  const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 40, g: 160, b: 120 } } })
    .png()
    .toBuffer();

  await page.goto('/agents');
  await page.getByRole('main').getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await expect(dialog.getByRole('tab', { name: 'New persona' })).toHaveAttribute('aria-selected', 'true');
  await dialog.getByLabel('Name', { exact: true }).fill(NAME);
  await dialog.getByLabel('Group (optional)').fill(GROUP);
  await dialog.getByLabel('In a nutshell', { exact: true }).fill(NUTSHELL);
  await dialog.getByLabel('Characteristics', { exact: true }).fill(TRAITS);
  await dialog.getByLabel('Recent events (optional)').fill('- [2026-05-04 06:00] The first tide table of the season was printed.');
  await dialog.getByLabel('Picture (optional)').setInputFiles({ name: 'quill.png', mimeType: 'image/png', buffer: png });
  // The chosen picture previews in the dialog before anything is sent.
  await expect(dialog.locator('img[src^="data:image/"]')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog).toBeHidden();

  // On success the app goes to the new agent's page.
  await expect(page).toHaveURL(/\/agents\/\d+$/);
  const id = Number(/\/agents\/(\d+)$/.exec(page.url())?.[1]);
  await expect(page.getByRole('heading', { level: 2, name: NAME })).toBeVisible();

  const agent = (await (await adminApi.raw.get(`/api/agents/${id}`)).json()) as AgentBody;
  // Known from here on, so afterAll removes it even if a check below fails.
  created = { id, name: NAME, group: GROUP, dir: join(runState().agentsDir, (agent.config_file ?? '').replace(/^agents\//, '')) };
  expect(agent.name).toBe(NAME);
  expect(agent.group).toBe(GROUP);
  expect(agent.profile_pic).toBeTruthy();
  expect(agent.config_file).toBeTruthy();
  expect(existsSync(join(created.dir, 'characteristics.md'))).toBe(true);

  // The sidebar's Agents tab lists it under its own group, with its picture (loaded, not the initial fallback).
  await openSidebarAgents(page);
  const group = sidebar(page).getByRole('region', { name: GROUP });
  await expect(group.getByRole('heading', { name: new RegExp(`^${GROUP}`) })).toBeVisible();
  const row = group.getByRole('listitem').filter({ hasText: NAME });
  await expect(row).toHaveCount(1);
  const avatar = row.locator('img.agent-avatar');
  await expect(avatar).toHaveAttribute('src', new RegExp(`/api/agents/${encodeURIComponent(NAME)}/profile-pic`));
  await expect.poll(() => avatar.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
  await expect(row.getByTestId('avatar-initial')).toHaveCount(0);
  // It is in no other group.
  await expect(sidebar(page).getByRole('listitem').filter({ hasText: NAME })).toHaveCount(1);
});

test('Characteristics edited in Split mode is saved with Ctrl+S', async ({ page, adminApi }) => {
  test.skip(!created, 'needs the agent of the first test');
  const agent = created!;
  const text = `**Personality.** Patient, dry, precise.\n\n**Voice.** Speaks in _tide times_ ${suffix}.`;

  await page.goto(`/agents/${agent.id}`);
  const modes = page.getByRole('group', { name: 'View' });
  // Split is the default from 1280 px.
  await expect(modes.getByRole('button', { name: 'Split' })).toHaveAttribute('aria-pressed', 'true', LOADED);
  await page.getByRole('tab', { name: 'Characteristics' }).click();
  const field = editorField(page, 'Characteristics');
  await expect(field).toHaveValue(TRAITS);
  await field.fill(text);

  // Split shows the text and its rendered preview side by side; the tab is marked unsaved.
  const preview = page.getByRole('region', { name: 'Preview' }).filter({ visible: true });
  await expect(preview.locator('strong', { hasText: 'Voice.' })).toBeVisible();
  await expect(preview.locator('em', { hasText: 'tide times' })).toBeVisible();
  await expect(page.getByRole('tab', { name: /Characteristics.*unsaved changes/ })).toBeVisible();

  await field.press('Control+s');
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Characteristics', exact: true })).toBeVisible();

  // The file on disk and the server have the new text.
  expect(readFileSync(join(agent.dir, 'characteristics.md'), 'utf8').trim()).toBe(text);
  const saved = (await (await adminApi.raw.get(`/api/agents/${agent.id}`)).json()) as AgentBody;
  expect(saved.characteristics?.trim()).toBe(text);

  await page.reload();
  await page.getByRole('tab', { name: 'Characteristics' }).click();
  await expect(editorField(page, 'Characteristics')).toHaveValue(text);
});

test('saving a tab whose file changed on disk opens the conflict dialog, and Load disk version shows the disk text', async ({ page, adminApi }) => {
  test.skip(!created, 'needs the agent of the first test');
  const agent = created!;
  const mine = `- [2026-05-05 09:00] ${agent.name} wrote this in the browser.`;
  const disk = `- [2026-05-05 09:30] ${agent.name} remembered the lamp on the pier (written on disk ${suffix}).`;

  await page.goto(`/agents/${agent.id}`);
  await page.getByRole('tab', { name: 'Recent events' }).click();
  const field = editorField(page, 'Recent events');
  await expect(field).toHaveValue(/The first tide table/, LOADED);
  await field.fill(mine);

  // The agent "writes a memory" while the tab has unsaved edits.
  writeFileSync(join(agent.dir, 'recent_events.md'), `${disk}\n`);
  await expect
    .poll(async () => ((await (await adminApi.raw.get(`/api/agents/${agent.id}`)).json()) as AgentBody).recent_events?.trim(), {
      message: 'the server sees the file changed on disk',
    })
    .toBe(disk);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('dialog', { name: 'The file changed on disk' });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('Recent events');
  await expect(conflict.getByRole('button', { name: /Overwrite with mine/ })).toBeVisible();
  await expect(conflict.getByRole('button', { name: /Copy mine to the clipboard/ })).toBeVisible();

  await conflict.getByRole('button', { name: /Load disk version/ }).click();
  await expect(conflict).toBeHidden();
  await expect(field).toHaveValue(disk);
  // The tab is clean again, and nothing of mine reached the disk.
  await expect(page.getByRole('tab', { name: 'Recent events', exact: true })).toBeVisible();
  expect(readFileSync(join(agent.dir, 'recent_events.md'), 'utf8').trim()).toBe(disk);
});

test('Reload from disk shows a file changed on disk at once', async ({ page }) => {
  test.skip(!created, 'needs the agent of the first test');
  const agent = created!;
  const nutshell = `${agent.name} moved the tide tables to the lighthouse cellar (${suffix}).`;

  await page.goto(`/agents/${agent.id}`);
  const field = editorField(page, 'In a nutshell');
  await expect(field).toHaveValue(NUTSHELL, LOADED);

  writeFileSync(join(agent.dir, 'in_a_nutshell.md'), `${nutshell}\n`);
  // The page has not refetched on its own (it polls every 30 s): it still shows the old text.
  await expect(field).toHaveValue(NUTSHELL);

  await page.getByRole('button', { name: 'Reload from disk' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Reloaded from disk.' })).toBeVisible();
  await expect(field).toHaveValue(nutshell);
  // The list next to the editor follows too.
  await expect(page.getByRole('link', { name: new RegExp(`${agent.name}.*cellar`) })).toBeVisible();
});

test('leaving with unsaved edits asks first: in-app navigation and a reload', async ({ page }) => {
  test.skip(!created, 'needs the agent of the first test');
  const agent = created!;
  const draft = `A draft that is not saved ${suffix}.`;

  await page.goto(`/agents/${agent.id}`);
  await page.getByRole('tab', { name: 'Characteristics' }).click();
  const field = editorField(page, 'Characteristics');
  await expect(field).toHaveValue(/tide times/, LOADED);
  await field.fill(draft);

  // Switching agents asks; Keep editing stays with the edits.
  const miraLink = page.getByRole('main').getByRole('link', { name: /^Mira/ });
  await miraLink.click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Keep editing' }).click();
  await expect(leave).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}$`));
  await expect(field).toHaveValue(draft);

  // A reload gets the browser's own prompt.
  const dialogs: string[] = [];
  page.once('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await page.evaluate(() => window.location.reload());
  await expect.poll(() => dialogs).toEqual(['beforeunload']);
  await expect(field).toHaveValue(draft);

  // Discard changes lets the navigation through, and nothing was saved.
  await miraLink.click();
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page).toHaveURL(/\/agents\/\d+$/);
  await expect(page).not.toHaveURL(new RegExp(`/agents/${agent.id}$`));
  await expect(page.getByRole('heading', { level: 2, name: 'Mira' })).toBeVisible();
  expect(readFileSync(join(agent.dir, 'characteristics.md'), 'utf8')).not.toContain(draft);
});

test('deleting moves the folder to the trash, removes the agent from the sidebar and its rooms, and it does not come back', async ({
  page,
  adminApi,
}) => {
  test.skip(!created, 'needs the agent of the first test');
  const agent = created!;
  const room = await adminApi.createRoom(unique('Quill room'));
  const added = await adminApi.raw.post(`/api/rooms/${room.id}/agents/${agent.id}`);
  expect(added.ok()).toBe(true);
  expect(await adminApi.members(room.id)).toEqual([agent.name]);

  // The room shows the agent as a member first.
  await page.goto(`/rooms/${room.id}`);
  const members = page.getByRole('list', { name: 'Members of this room' });
  await expect(members.getByText(agent.name, { exact: true })).toBeVisible(LOADED);

  // To the agent through the app: sidebar Agents › Open manager › the agent.
  await openSidebarAgents(page);
  await expect(sidebar(page).getByRole('listitem').filter({ hasText: agent.name })).toHaveCount(1);
  await sidebar(page).getByRole('link', { name: 'Open manager' }).click();
  await page.getByRole('main').getByRole('link', { name: new RegExp(`^${agent.name}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}$`));

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${agent.name}?` });
  await expect(confirm).toContainText('They leave every room; their messages stay.');
  // This build always moves the folder to the trash (spec README resolution 9), and the dialog says so.
  await expect(confirm).toContainText('moved to the trash folder');
  await confirm.getByRole('button', { name: 'Delete agent' }).click();
  await expect(confirm).toBeHidden();
  await expect(page).toHaveURL(/\/agents$/);

  // Gone from the manager's list and the sidebar, and its group with it.
  await expect(page.getByRole('link').filter({ hasText: agent.name })).toHaveCount(0);
  await expect(sidebar(page).getByRole('listitem').filter({ hasText: agent.name })).toHaveCount(0);
  await expect(sidebar(page).getByRole('region', { name: agent.group })).toHaveCount(0);

  // The folder is in the trash, not where discovery would find it.
  expect(existsSync(agent.dir)).toBe(false);
  const trash = join(runState().agentsDir, '.trash');
  expect(readdirSync(trash).filter((entry) => entry.startsWith(`${agent.name}-`))).toHaveLength(1);

  // Gone from its room, which the app had open with the agent in it a moment ago.
  await sidebar(page).getByRole('tab', { name: 'Rooms' }).click();
  await sidebar(page).getByRole('link', { name: new RegExp(room.name) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
  await expect(page.getByText('No agents in this room yet.')).toBeVisible();
  await expect(members).toHaveCount(0);
  expect(await adminApi.members(room.id)).toEqual([]);

  // It does not come back: not after the agents folder is scanned again, not after a reload. A new folder (not an
  // agent: no persona files) makes the server scan the agents folder.
  const probe = join(runState().agentsDir, `rescan-probe-${suffix}`);
  mkdirSync(probe);
  try {
    await page.goto('/agents');
    await openSidebarAgents(page);
    await expect(sidebar(page).getByRole('listitem').filter({ hasText: 'Mira' })).toHaveCount(1);
    await expect(sidebar(page).getByRole('listitem').filter({ hasText: agent.name })).toHaveCount(0);
    await expect(page.getByRole('link').filter({ hasText: agent.name })).toHaveCount(0);
    // Absence over time: checked a few times across the scan's window (200 ms debounce).
    for (let check = 0; check < 4; check += 1) {
      const names = ((await (await adminApi.raw.get('/api/agents')).json()) as AgentBody[]).map((entry) => entry.name);
      expect(names).not.toContain(agent.name);
      await page.waitForTimeout(400);
    }
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  created = undefined;
});
