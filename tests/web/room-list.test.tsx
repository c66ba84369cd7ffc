import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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
