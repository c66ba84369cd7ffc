import { act, configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Agent, RoomSummary } from '../../src/shared/models';
import { AgentManagerPage } from '../../src/web/agents/AgentManagerPage';
import { AgentsTab } from '../../src/web/agents/AgentsTab';
import { SidebarTabs } from '../../src/web/agents/SidebarTabs';
import { AppDialogs } from '../../src/web/dialogs/AppDialogs';
import { openDialog } from '../../src/web/dialogs/dialog-events';
import '../../src/web/dialogs/QuickSwitcher';
import '../../src/web/agent-panel/AgentProfileDialog';
import { renderRoutes, Route, stubFetch, type FakeRoute } from './helpers';

// Lazy chunks and translations load slowly on a busy 2-core machine.
configure({ asyncUtilTimeout: 5000 });

function agent(id: number, name: string, group: string | null): Agent {
  return {
    id,
    name,
    group,
    config_file: group ? `agents/group_${group}/${name}` : `agents/${name}`,
    profile_pic: null,
    in_a_nutshell: `${name} in a nutshell`,
    characteristics: '',
    recent_events: '',
    is_critic: false,
    interrupt_every_turn: false,
    priority: 0,
    transparent: false,
    system_prompt: '',
    session_id: null,
    created_at: '2026-01-05T09:30:00.000Z',
  };
}

const admin = { role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };
const guest = { role: 'guest', user_id: 'guest-1', expires_at: '2030-01-01T00:00:00.000Z' };
const agents = [agent(1, 'Mira', 'Harbour'), agent(2, '미라벨', null)];

function room(id: number, name: string): RoomSummary {
  const at = '2026-01-05T09:30:00.000Z';
  return {
    id,
    name,
    owner_id: 'admin',
    max_interactions: null,
    is_paused: false,
    is_finished: false,
    default_provider: 'openai',
    default_model: null,
    created_at: at,
    last_activity_at: at,
    last_read_at: at,
    running: null,
    has_unread: false,
  };
}

function setup(url: string, extra: Record<string, FakeRoute> = {}, session: object = admin) {
  const fake = stubFetch({ 'GET /api/auth/verify': { body: session }, 'GET /api/agents': { body: agents }, ...extra });
  renderRoutes(url, <Route path="agents/:agentId?" element={<AgentManagerPage />} />);
  return fake;
}

describe('create agent', () => {
  it('checks the name as you type, then creates the agent with its group and opens it', async () => {
    const user = userEvent.setup();
    const created = agent(9, '세린', 'Harbour');
    const { calls } = setup('/agents', { 'POST /api/agents': { body: created }, 'GET /api/agents/9': { body: created } });
    await user.click(await screen.findByRole('button', { name: 'New agent' }));
    const dialog = await screen.findByRole('dialog', { name: 'New agent' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });

    await user.type(name, '.hidden');
    expect(within(dialog).getByText("The name can't start with a dot.")).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    await user.clear(name);
    await user.type(name, 'a/b');
    expect(within(dialog).getByText('Use only letters, digits, spaces, - _ and .')).toBeTruthy();
    await user.clear(name);
    await user.type(name, 'mira');
    await user.clear(name);
    await user.type(name, 'Mira');
    expect(within(dialog).getByText('An agent with this name already exists.')).toBeTruthy();

    await user.clear(name);
    await user.type(name, '세린');
    expect(name.getAttribute('aria-invalid')).toBeNull();

    // In a nutshell and Characteristics are required.
    await user.click(within(dialog).getByRole('button', { name: 'Create agent' }));
    expect(within(dialog).getAllByText('This file is required.')).toHaveLength(2);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(within(dialog).getByRole('combobox', { name: 'Group (optional)' }), 'Harbour');
    await user.type(within(dialog).getByRole('textbox', { name: 'In a nutshell' }), 'Serin sells maps.');
    await user.type(within(dialog).getByRole('textbox', { name: 'Characteristics' }), 'Quiet.');
    await user.click(within(dialog).getByRole('button', { name: 'Create agent' }));

    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/agents/9'), { timeout: 5000 });
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: '세린',
      group: 'Harbour',
      in_a_nutshell: 'Serin sells maps.',
      characteristics: 'Quiet.',
      recent_events: '',
    });
  });

  it('creates an agent from a folder that has none yet', async () => {
    const user = userEvent.setup();
    const created = agent(10, 'Fern', 'Frieren');
    const { calls } = setup('/agents', {
      'GET /api/agents/configs': {
        body: { configs: { Mira: { path: 'agents/group_Harbour/Mira', group: 'Harbour' }, Fern: { path: 'agents/group_Frieren/Fern', group: 'Frieren' } } },
      },
      'POST /api/agents': { body: created },
      'GET /api/agents/10': { body: created },
    });
    await user.click(await screen.findByRole('button', { name: 'New agent' }));
    const dialog = await screen.findByRole('dialog', { name: 'New agent' });
    await user.click(within(dialog).getByRole('tab', { name: 'Existing folder' }));
    // Mira already has an agent, so only Fern is offered.
    const radios = await within(dialog).findAllByRole('radio');
    expect(radios).toHaveLength(1);
    await user.click(within(dialog).getByRole('radio', { name: /Fern/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Create agent' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/agents/10'), { timeout: 5000 });
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Fern', config_file: 'agents/group_Frieren/Fern' });
  });

  it('shows a server conflict on the name field', async () => {
    const user = userEvent.setup();
    setup('/agents', { 'POST /api/agents': { status: 409, body: { detail: "Agent folder 'agents/Ghost' already exists" } } });
    await user.click(await screen.findByRole('button', { name: 'New agent' }));
    const dialog = await screen.findByRole('dialog', { name: 'New agent' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Ghost');
    await user.type(within(dialog).getByRole('textbox', { name: 'In a nutshell' }), 'x');
    await user.type(within(dialog).getByRole('textbox', { name: 'Characteristics' }), 'y');
    await user.click(within(dialog).getByRole('button', { name: 'Create agent' }));
    expect(await within(dialog).findByText('An agent with this name already exists.')).toBeTruthy();
  });
});

describe('sidebar agents tab', () => {
  it('switches between Rooms and Agents with clicks and arrow keys, and remembers the tab', async () => {
    const user = userEvent.setup();
    stubFetch({ 'GET /api/auth/verify': { body: admin }, 'GET /api/agents': { body: agents } });
    renderRoutes('/', <Route path="*" element={<SidebarTabs rooms={<p>room list</p>} />} />);
    expect(screen.getByRole('tab', { name: 'Rooms' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').textContent).toBe('room list');

    await user.click(screen.getByRole('tab', { name: 'Agents' }));
    expect(await screen.findByRole('button', { name: /^M?Mira/ })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem('chitchats.layout') ?? '{}').sidebarTab).toBe('agents');

    screen.getByRole('tab', { name: 'Agents' }).focus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Rooms' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Rooms' }));
    expect(JSON.parse(localStorage.getItem('chitchats.layout') ?? '{}').sidebarTab).toBe('rooms');
  });

  it('offers New agent to admins only, and Open manager to everyone', async () => {
    stubFetch({ 'GET /api/auth/verify': { body: guest }, 'GET /api/agents': { body: agents } });
    renderRoutes('/', <Route path="*" element={<AgentsTab />} />);
    expect(await screen.findByRole('button', { name: /^M?Mira/ })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open manager' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New agent' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Chat 1-on-1 with Mira' })).toBeTruthy();
  });

  it('opens the agent profile from a row', async () => {
    const user = userEvent.setup();
    stubFetch({
      'GET /api/auth/verify': { body: admin },
      'GET /api/agents': { body: agents },
      'GET /api/agents/1': { body: agents[0] },
      'GET /api/providers': { body: { default: 'openai', providers: [] } },
    });
    renderRoutes('/', <Route path="*" element={<AgentsTab />} />);
    await user.click(await screen.findByRole('button', { name: /^M?Mira/ }));
    expect(await screen.findByRole('dialog', {}, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Mira' }, { timeout: 5000 })).toBeTruthy();
  });

  it('opens a direct chat from a row', async () => {
    const user = userEvent.setup();
    const { calls } = stubFetch({
      'GET /api/auth/verify': { body: admin },
      'GET /api/agents': { body: agents },
      'GET /api/agents/1/direct-room': { body: { ...room(42, 'Direct: Mira'), agents: [], messages: [] } },
    });
    renderRoutes('/', <Route path="*" element={<AgentsTab />} />);
    await user.click(await screen.findByRole('button', { name: 'Chat 1-on-1 with Mira' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/42'), { timeout: 5000 });
    expect(calls.some((c) => c.url === '/api/agents/1/direct-room')).toBe(true);
  });
});

describe('quick switcher', () => {
  it('lists recent rooms, matches rooms and agents by initial consonants, and opens the choice with Enter', async () => {
    const user = userEvent.setup();
    stubFetch({
      'GET /api/auth/verify': { body: admin },
      'GET /api/agents': { body: agents },
      'GET /api/rooms': { body: [room(7, '항구의 밤'), room(3, 'Harbour talk')] },
      'GET /api/agents/1': { body: agents[0] },
      'GET /api/providers': { body: { default: 'openai', providers: [] } },
    });
    renderRoutes('/', <Route path="*" element={<AppDialogs />} />);
    await user.keyboard('{Control>}k{/Control}');
    const input = await screen.findByRole('combobox', { name: 'Go to a room or agent' }, { timeout: 5000 });
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['항구의 밤Room', 'Harbour talkRoom']));

    await user.type(input, 'ㅁㄹ');
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual([expect.stringMatching(/미라벨Agent$/)]);

    await user.clear(input);
    await user.type(input, 'ㅎㄱ');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['항구의 밤Room']);
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]!.id);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/7'), { timeout: 5000 });
    expect(screen.queryByRole('combobox')).toBeNull();

    act(() => openDialog('switcher'));
    const again = await screen.findByRole('combobox', { name: 'Go to a room or agent' });
    await user.type(again, 'a');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Harbour talkRoom', expect.stringMatching(/MiraAgent$/)]);
    await user.keyboard('{ArrowDown}{Enter}');
    // An agent opens its profile, over the current page.
    expect(await screen.findByRole('dialog', {}, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Mira' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/rooms/7');
  });
});
