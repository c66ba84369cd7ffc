import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../src/shared/models';
import { RoomsSection } from '../../src/web/rooms/RoomsSection';
import { renderRoutes, Route, stubFetch } from './helpers';

function room(id: number, name: string, patch: Partial<RoomSummary> = {}): RoomSummary {
  const at = new Date(Date.now() - 5 * 60_000).toISOString();
  return {
    id,
    name,
    owner_id: 'admin',
    max_interactions: null,
    is_paused: false,
    is_finished: false,
    default_provider: 'openai',
    default_model: 'llama3.1:8b',
    created_at: at,
    last_activity_at: at,
    last_read_at: at,
    running: null,
    has_unread: false,
    ...patch,
  };
}

const session = { success: true, role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };

describe('room list', () => {
  it('renders the rooms in the server order as links, with the unread marker and the current room', async () => {
    const { calls } = stubFetch({
      'GET /api/auth/verify': { body: session },
      'GET /api/rooms': { body: [room(7, '항구의 밤', { has_unread: true }), room(3, 'Harbour', { is_paused: true })] },
    });
    renderRoutes('/rooms/3', <Route path="*" element={<RoomsSection />} />);

    const links = await screen.findAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/rooms/7', '/rooms/3']);

    const unread = links[0]!;
    expect(within(unread).getByText('항구의 밤').className).toContain('font-semibold');
    expect(within(unread).getByText('Unread messages')).toBeTruthy();
    expect(within(unread).getByTitle('OpenAI-compatible · llama3.1:8b')).toBeTruthy();
    expect(within(unread).getByText('5m')).toBeTruthy();

    const read = links[1]!;
    expect(within(read).queryByText('Unread messages')).toBeNull();
    expect(within(read).getByText('Harbour').className).not.toContain('font-semibold');
    expect(within(read).getByText('Paused')).toBeTruthy();
    expect(read.getAttribute('aria-current')).toBe('page');
    expect(unread.getAttribute('aria-current')).toBeNull();

    const list = calls.find((call) => call.url === '/api/rooms');
    expect(list?.init.credentials).toBe('same-origin');
  });

  it('offers to create a room when there is none', async () => {
    stubFetch({ 'GET /api/auth/verify': { body: session }, 'GET /api/rooms': { body: [] } });
    renderRoutes('/', <Route path="*" element={<RoomsSection />} />);
    expect(await screen.findByText('No rooms yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create room' })).toBeTruthy();
  });
});

describe('room list: filter, direct chats and row menu', () => {
  // The row menu and the Korean matcher load on first use; warm the module cache so the tests time the UI, not the transform.
  beforeAll(async () => {
    await import('../../src/web/rooms/RoomRowMenuContent');
    await import('../../src/web/lib/korean-search');
  }, 60_000);

  it('filters rooms with Korean-aware matching (initial consonants) and clears the filter', async () => {
    const user = userEvent.setup();
    stubFetch({
      'GET /api/auth/verify': { body: session },
      'GET /api/rooms': { body: [room(7, '항구의 밤'), room(3, 'Harbour'), room(4, '하늘 정원')] },
    });
    renderRoutes('/', <Route path="*" element={<RoomsSection />} />);
    const filter = await screen.findByRole('textbox', { name: 'Filter rooms' });
    await user.type(filter, 'ㅎㄱ');
    await waitFor(() => expect(screen.getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['/rooms/7']));
    await user.clear(filter);
    await user.type(filter, '하느');
    expect(screen.getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['/rooms/4']);
    await user.type(filter, 'zz');
    expect(screen.queryAllByRole('link')).toHaveLength(0);
    expect(screen.getByText('No rooms match.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear the filter' }));
    expect(screen.getAllByRole('link')).toHaveLength(3);
  });

  it('lists direct rooms in a Direct chats section under the agent name, with the provider', async () => {
    stubFetch({
      'GET /api/auth/verify': { body: session },
      'GET /api/rooms': { body: [room(9, 'Direct: Mira (codex)', { default_provider: 'codex' }), room(3, 'Harbour'), room(8, 'Direct: Mira')] },
      'GET /api/agents': { body: [] },
    });
    renderRoutes('/', <Route path="*" element={<RoomsSection />} />);
    const direct = (await screen.findByRole('region', { name: /Direct chats/ })) as HTMLElement;
    const links = within(direct).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/rooms/9', '/rooms/8']);
    expect(within(links[0]!).getByText('Mira')).toBeTruthy();
    expect(within(links[0]!).getByText('Codex')).toBeTruthy();
    const rooms = screen.getByRole('region', { name: /^Rooms/ });
    expect(within(rooms).getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['/rooms/3']);
  });

  it('deletes the open room from its row menu after confirming, and moves to the next room', async () => {
    const user = userEvent.setup();
    const { calls } = stubFetch({
      'GET /api/auth/verify': { body: session },
      'GET /api/rooms': { body: [room(7, 'Lobby'), room(3, 'Harbour'), room(5, 'Garden')] },
      'DELETE /api/rooms/3': { body: { message: 'Room deleted successfully' } },
    });
    renderRoutes('/rooms/3', <Route path="*" element={<RoomsSection />} />);
    await user.click(await screen.findByRole('button', { name: 'Actions for Harbour' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }, { timeout: 5000 }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete room?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete room' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/5'));
    expect(calls.some((call) => call.method === 'DELETE' && call.url === '/api/rooms/3')).toBe(true);
    expect(screen.getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['/rooms/7', '/rooms/5']);
  });

  it('offers no Delete in the row menu to a guest', async () => {
    const user = userEvent.setup();
    stubFetch({
      'GET /api/auth/verify': { body: { ...session, role: 'guest', user_id: 'g1' } },
      'GET /api/rooms': { body: [room(3, 'Harbour', { owner_id: 'g1' })] },
    });
    renderRoutes('/', <Route path="*" element={<RoomsSection />} />);
    await user.click(await screen.findByRole('button', { name: 'Actions for Harbour' }));
    expect(await screen.findByRole('menuitem', { name: 'Rename' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: 'Copy link' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Delete' })).toBeNull();
  });

  it('renames from the row menu and shows a taken name inline', async () => {
    const user = userEvent.setup();
    stubFetch({
      'GET /api/auth/verify': { body: session },
      'GET /api/rooms': { body: [room(3, 'Harbour')] },
      'PATCH /api/rooms/3': { status: 409, body: { detail: "Room with name 'Lobby' already exists" } },
    });
    renderRoutes('/', <Route path="*" element={<RoomsSection />} />);
    await user.click(await screen.findByRole('button', { name: 'Actions for Harbour' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Rename' }, { timeout: 5000 }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename room' });
    const field = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(field);
    await user.type(field, 'Lobby{Enter}');
    expect((await within(dialog).findByRole('alert')).textContent).toBe('A room with this name already exists');
    expect(screen.getAllByRole('link', { hidden: true })[0]?.textContent).toContain('Harbour');
  });
});
