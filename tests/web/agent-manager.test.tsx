import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/models';
import { reloadAgentLayout } from '../../src/web/agents/agent-layout';
import { AgentManagerPage } from '../../src/web/agents/AgentManagerPage';
import { renderRoutes, Route, stubFetch, type FakeRoute } from './helpers';

// Lazy chunks and translations load slowly on a busy 2-core machine.
configure({ asyncUtilTimeout: 5000 });

function agent(id: number, name: string, group: string | null, patch: Partial<Agent> = {}): Agent {
  return {
    id,
    name,
    group,
    config_file: group ? `agents/group_${group}/${name}` : `agents/${name}`,
    profile_pic: null,
    in_a_nutshell: `${name} in a nutshell`,
    characteristics: `${name} characteristics`,
    recent_events: '',
    is_critic: false,
    interrupt_every_turn: false,
    priority: 0,
    transparent: false,
    system_prompt: '',
    session_id: null,
    created_at: '2026-01-05T09:30:00.000Z',
    ...patch,
  };
}

const admin = { role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };
const guest = { role: 'guest', user_id: 'guest-1', expires_at: '2030-01-01T00:00:00.000Z' };

const mira = agent(1, 'Mira', null, { characteristics: 'Mira keeps the lighthouse.' });
const agents = [
  mira,
  agent(2, '프리렌', '장송의 프리렌'),
  agent(3, '페른', '장송의 프리렌'),
  agent(4, 'Ahn', 'Harbour'),
  agent(5, '가람', 'Harbour'),
];

function setup(url: string, extra: Record<string, FakeRoute> = {}, session: object = admin) {
  const routes: Record<string, FakeRoute> = {
    'GET /api/auth/verify': { body: session },
    'GET /api/agents': { body: agents },
    'GET /api/agents/1': { body: mira },
    ...extra,
  };
  const fake = stubFetch(routes);
  const view = renderRoutes(url, <Route path="agents/:agentId?" element={<AgentManagerPage />} />);
  return { ...fake, routes, view };
}

const location = () => screen.getByTestId('location').textContent;

async function editCharacteristics(user: ReturnType<typeof userEvent.setup>, text: string) {
  await user.click(await screen.findByRole('tab', { name: 'Characteristics' }));
  const editor = await screen.findByRole('textbox', { name: 'Characteristics' });
  await user.clear(editor);
  await user.type(editor, text);
  return editor as HTMLTextAreaElement;
}

describe('agent list', () => {
  it('groups agents with counts in Korean collation, Ungrouped last, and remembers collapsed groups', async () => {
    const user = userEvent.setup();
    setup('/agents');
    const harbour = await screen.findByRole('region', { name: 'Harbour' });
    const headers = screen.getAllByRole('button', { expanded: true }).map((b) => b.textContent);
    expect(headers).toEqual(['장송의 프리렌22 agents', 'Harbour22 agents', 'Ungrouped11 agent']);
    // Korean before Latin inside a group (Intl.Collator(['ko', 'en'])).
    expect(within(harbour).getAllByRole('link').map((l) => l.textContent)).toEqual([expect.stringContaining('가람'), expect.stringContaining('Ahn')]);

    await user.click(within(harbour).getByRole('button', { name: /Harbour/ }));
    expect(within(harbour).queryByRole('link')).toBeNull();
    expect(JSON.parse(localStorage.getItem('chitchats.layout') ?? '{}').collapsedAgentGroups).toEqual(['Harbour']);

    // A fresh page reads the remembered state.
    reloadAgentLayout();
    setup('/agents');
    const again = await screen.findAllByRole('region', { name: 'Harbour' });
    expect(within(again.at(-1)!).getByRole('button', { name: /Harbour/ }).getAttribute('aria-expanded')).toBe('false');
    expect(within(again.at(-1)!).queryByRole('link')).toBeNull();
  });

  it('finds agents by initial consonants and by a syllable still being typed', async () => {
    const user = userEvent.setup();
    setup('/agents');
    const search = await screen.findByRole('searchbox', { name: 'Search agents' });
    await screen.findByRole('link', { name: /Mira/ });

    await user.type(search, 'ㄱㄹ');
    expect(screen.getAllByRole('link').map((l) => l.textContent)).toEqual([expect.stringContaining('가람')]);

    await user.clear(search);
    await user.type(search, '페');
    expect(screen.getAllByRole('link').map((l) => l.textContent)).toEqual([expect.stringContaining('페른')]);

    await user.clear(search);
    await user.type(search, 'zzz');
    expect(screen.getByText('No agent matches.')).toBeTruthy();
  });
});

describe('persona editor', () => {
  it('saves the current tab with Ctrl+S, sending only that file in the PATCH body', async () => {
    const user = userEvent.setup();
    const saved = { ...mira, characteristics: 'Mira keeps the lighthouse at night.' };
    const { calls } = setup('/agents/1', { 'PATCH /api/agents/1': { body: saved } });
    await editCharacteristics(user, 'Mira keeps the lighthouse at night.');

    await user.keyboard('{Control>}s{/Control}');
    expect(await screen.findByText('Saved')).toBeTruthy();
    const patch = calls.filter((c) => c.method === 'PATCH');
    expect(patch).toHaveLength(1);
    expect(patch[0]!.url).toBe('/api/agents/1');
    expect(patch[0]!.body).toEqual({ characteristics: 'Mira keeps the lighthouse at night.' });
    // The editor read the agent again before writing (conflict check).
    const lastGet = calls.filter((c) => c.method === 'GET' && c.url === '/api/agents/1').length;
    expect(lastGet).toBeGreaterThanOrEqual(1);
    expect(screen.queryByText('(unsaved changes)')).toBeNull();
  });

  describe('when the file changed on disk before saving', () => {
    const disk = { ...mira, characteristics: 'Mira keeps the lighthouse.\n- [2026-01-05 10:00] saw a ship' };

    async function conflict() {
      const user = userEvent.setup();
      const fake = setup('/agents/1', { 'PATCH /api/agents/1': { body: { ...mira, characteristics: 'Mine' } } });
      await editCharacteristics(user, 'Mine');
      fake.routes['GET /api/agents/1'] = { body: disk };
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(await screen.findByRole('dialog', { name: 'The file changed on disk' })).toBeTruthy();
      return { user, ...fake };
    }

    it('"Load disk version" replaces the text with the disk text and writes nothing', async () => {
      const { user, calls } = await conflict();
      await user.click(screen.getByRole('button', { name: /Load disk version/ }));
      expect(screen.queryByRole('dialog')).toBeNull();
      expect((screen.getByRole('textbox', { name: 'Characteristics' }) as HTMLTextAreaElement).value).toBe(disk.characteristics);
      expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
      expect(screen.queryByText('(unsaved changes)')).toBeNull();
    });

    it('"Overwrite with mine" writes my text', async () => {
      const { user, calls } = await conflict();
      await user.click(screen.getByRole('button', { name: /Overwrite with mine/ }));
      expect(await screen.findByText('Saved')).toBeTruthy();
      expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ characteristics: 'Mine' }]);
    });

    it('"Cancel" keeps my unsaved text and writes nothing', async () => {
      const { user, calls } = await conflict();
      await user.click(screen.getByRole('button', { name: 'Cancel' }));
      expect(screen.queryByRole('dialog')).toBeNull();
      expect((screen.getByRole('textbox', { name: 'Characteristics' }) as HTMLTextAreaElement).value).toBe('Mine');
      expect(screen.getByText('(unsaved changes)')).toBeTruthy();
      expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    });
  });

  it('marks a dirty tab, shows "Changed on disk" when a refetch differs, and asks before leaving', async () => {
    const user = userEvent.setup();
    const { routes, view } = setup('/agents/1');
    await editCharacteristics(user, 'Draft');
    expect(within(screen.getByRole('tab', { name: /Characteristics/ })).getByText('(unsaved changes)')).toBeTruthy();

    routes['GET /api/agents/1'] = { body: { ...mira, characteristics: 'Changed by a memory' } };
    await act(() => view.queryClient.refetchQueries({ queryKey: ['agent', 1] }));
    expect(await screen.findByText(/changed on disk while you were editing/)).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Characteristics' }) as HTMLTextAreaElement).value).toBe('Draft');

    // Closing or reloading the tab gets the browser prompt.
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);

    // Switching agents asks first; "Keep editing" stays.
    await user.click(screen.getByRole('link', { name: /프리렌/ }));
    expect(await screen.findByRole('dialog', { name: 'Leave without saving?' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect(location()).toBe('/agents/1');

    await user.click(screen.getByRole('link', { name: /프리렌/ }));
    await user.click(await screen.findByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(location()).toBe('/agents/2'));
  });

  it('does not prompt when leaving without edits', async () => {
    const user = userEvent.setup();
    setup('/agents/1');
    await screen.findByRole('textbox', { name: 'In a nutshell' });
    await screen.findByRole('link', { name: /프리렌/ });
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(false);
    await user.click(screen.getByRole('link', { name: /프리렌/ }));
    await waitFor(() => expect(location()).toBe('/agents/2'));
  });
});

describe('agent actions', () => {
  it('reloads an agent from disk', async () => {
    const user = userEvent.setup();
    const { calls } = setup('/agents/1', { 'POST /api/agents/1/reload': { body: { ...mira, in_a_nutshell: 'Reloaded text' } } });
    await user.click(await screen.findByRole('button', { name: 'Reload from disk' }));
    expect(await screen.findByText('Reloaded from disk.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/agents/1/reload')).toBe(true);
    expect((screen.getByRole('textbox', { name: 'In a nutshell' }) as HTMLTextAreaElement).value).toBe('Reloaded text');
  });

  it('deletes an agent after confirmation, moving its folder to the trash', async () => {
    const user = userEvent.setup();
    const { calls } = setup('/agents/1', { 'DELETE /api/agents/1': { body: { message: 'Agent deleted successfully' } } });
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Mira?' });
    expect(within(dialog).getByText('They leave every room; their messages stay.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Delete agent' }));
    await waitFor(() => expect(location()).toBe('/agents'));
    const remove = calls.find((c) => c.method === 'DELETE');
    expect(remove?.url).toBe('/api/agents/1?delete_folder=true');
  });

  it('shows a failed reload inline', async () => {
    const user = userEvent.setup();
    setup('/agents/1', { 'POST /api/agents/1/reload': { status: 400, body: { detail: 'Failed to load config from agents/Mira' } } });
    await user.click(await screen.findByRole('button', { name: 'Reload from disk' }));
    expect((await screen.findByRole('alert')).textContent).toContain("Couldn't reload the agent.");
  });
});

describe('guests', () => {
  it('see the persona read-only: no save, modes, picture, reload, delete or new agent', async () => {
    setup('/agents/1', {}, guest);
    expect(await screen.findByText('Mira in a nutshell', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    for (const name of ['Save', 'Edit', 'Split', 'Reload from disk', 'Delete', 'New agent', 'Change picture']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    expect(screen.getByRole('button', { name: 'Chat 1-on-1' })).toBeTruthy();
  });
});
