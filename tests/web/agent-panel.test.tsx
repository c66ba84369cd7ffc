import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomSummary } from '../../src/shared/models';
import { AgentPanel, type AgentPanelProps } from '../../src/web/agent-panel/AgentPanel';
import { onMentionRequest } from '../../src/web/composer/composer-events';
import { clearToasts, ToastRegion } from '../../src/web/components/toast';
import { queryKeys } from '../../src/web/lib/query';
import { useRooms } from '../../src/web/rooms/rooms-data';
import { renderRoutes, Route, stubFetch, type FakeRoute } from './helpers';
import { adminSession, agent, guestSession, room } from './room-fixtures';

const mira = agent(1, 'Mira', { group: 'Harbour', priority: 2, transparent: true });
const jun = agent(2, 'Jun', { group: 'Harbour', is_critic: true });
const sora = agent(3, '소라', { interrupt_every_turn: true, characteristics: 'Calm.\nKind.' });

function Panel(props: Partial<AgentPanelProps> & { roomId: number }) {
  const rooms = useRooms();
  const current = rooms.data?.find((r) => r.id === props.roomId);
  return current ? <AgentPanel room={current} {...props} /> : null;
}

function renderPanel(routes: Record<string, FakeRoute>, options: { session?: object; room?: RoomSummary; props?: Partial<AgentPanelProps> } = {}) {
  const current = options.room ?? room(3, 'Harbour');
  const stub = stubFetch({
    'GET /api/auth/verify': { body: options.session ?? adminSession },
    'GET /api/rooms': { body: [current] },
    'GET /api/rooms/3/agents': { body: [mira] },
    'GET /api/agents': { body: [mira, jun, sora] },
    'GET /api/providers': {
      body: {
        default: 'claude',
        providers: [
          { name: 'claude', available: true, default_model: null, models: [], reason: null, auth_mode: null },
          { name: 'codex', available: false, default_model: null, models: [], reason: 'codex CLI not found', auth_mode: null },
        ],
      },
    },
    ...routes,
  });
  const view = renderRoutes(
    '/rooms/3',
    <Route
      path="*"
      element={
        <>
          <Panel roomId={current.id} {...options.props} />
          <ToastRegion />
        </>
      }
    />,
  );
  return { ...stub, ...view };
}

afterEach(() => clearToasts());

describe('agent panel: members', () => {
  it('lists the members with their behaviour chips and live status', async () => {
    renderPanel({}, { props: { statusFor: (id) => (id === 1 ? 'writing' : 'idle') } });
    const list = await screen.findByRole('list', { name: 'Members of this room' });
    const card = within(list).getByText('Mira').closest('li')!;
    expect(within(card).getByText('Goes first')).toBeTruthy();
    expect(within(card).getByText('Narrator')).toBeTruthy();
    expect(within(card).getByText('Writing…')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Members (1)' })).toBeTruthy();
  });

  it('adds an agent with an optimistic card, then shows the server members', async () => {
    const user = userEvent.setup();
    let answer: (value: Response) => void = () => {};
    const { calls } = renderPanel({});
    const fetch = vi.mocked(globalThis.fetch);
    const original = fetch.getMockImplementation()!;
    fetch.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input) === '/api/rooms/3/agents/2' && init?.method === 'POST') {
        calls.push({ method: 'POST', url: String(input), body: undefined, init });
        return new Promise<Response>((resolve) => (answer = resolve));
      }
      return original(input, init);
    });
    await user.click(await screen.findByRole('button', { name: 'Add Jun' }));
    const list = screen.getByRole('list', { name: 'Members of this room' });
    expect(within(list).getByText('Jun')).toBeTruthy();
    expect(within(list).getByText('Adding…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add Jun' })).toBeNull();
    answer(Response.json({ ...room(3, 'Harbour'), agents: [mira, jun] }));
    await waitFor(() => expect(within(list).queryByText('Adding…')).toBeNull());
    expect(within(list).getByText('Jun')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/rooms/3/agents/2')).toBe(true);
  });

  it('rolls a failed add back with a toast', async () => {
    const user = userEvent.setup();
    renderPanel({ 'POST /api/rooms/3/agents/2': { status: 404, body: { detail: 'Room or Agent not found' } } });
    await user.click(await screen.findByRole('button', { name: 'Add Jun' }));
    expect(await screen.findByText(/Couldn't add Jun/)).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Members of this room' })).queryByText('Jun')).toBeNull();
  });

  it('filters the agents to add with Korean-aware search', async () => {
    const user = userEvent.setup();
    renderPanel({});
    await user.type(await screen.findByRole('searchbox', { name: 'Search agents' }), 'ㅅㄹ');
    expect(screen.getByRole('button', { name: 'Add 소라' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add Jun' })).toBeNull();
  });

  it('says so when every agent is already a member', async () => {
    renderPanel({ 'GET /api/agents': { body: [mira] } });
    expect(await screen.findByText('All agents are already here')).toBeTruthy();
  });

  it('removes a member only after the admin confirms', async () => {
    const user = userEvent.setup();
    const { calls } = renderPanel({ 'DELETE /api/rooms/3/agents/1': { body: { message: 'Agent removed from room successfully' } } });
    await user.click(await screen.findByRole('button', { name: /^Remove\W*Mira$/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Remove agent?' });
    expect(within(dialog).getByText('Remove Mira from this room? Their past messages stay.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: /^Remove\W*Mira$/ }));
    dialog = await screen.findByRole('dialog', { name: 'Remove agent?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Members of this room' })).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/rooms/3/agents/1')).toBe(true);
  });

  it('asks a member to reply with the respond route', async () => {
    const user = userEvent.setup();
    const { calls } = renderPanel({ 'POST /api/rooms/3/agents/1/respond': { status: 202, body: { message: 'Response started', agent_id: 1 } } });
    await user.click(await screen.findByRole('button', { name: /^Ask to reply\W*Mira$/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/rooms/3/agents/1/respond')).toBe(true));
  });

  it('explains a refused ask (409 busy) in a toast', async () => {
    const user = userEvent.setup();
    renderPanel({ 'POST /api/rooms/3/agents/1/respond': { status: 409, body: { detail: 'Room is busy' } } });
    await user.click(await screen.findByRole('button', { name: /^Ask to reply\W*Mira$/ }));
    expect(await screen.findByText("Mira can't reply now. An agent is replying.")).toBeTruthy();
  });

  it('hides Ask to reply while the room is paused or a run is live', async () => {
    renderPanel({}, { room: room(3, 'Harbour', { is_paused: true }) });
    await screen.findByText('Mira');
    expect(screen.queryByRole('button', { name: /^Ask to reply\W*Mira$/ })).toBeNull();
    expect(screen.getByText('Paused', { selector: 'span' })).toBeTruthy();
  });

  it('mentions a member in the composer from its card', async () => {
    const user = userEvent.setup();
    const heard = vi.fn();
    const stop = onMentionRequest(3, heard);
    renderPanel({});
    await user.click(await screen.findByRole('button', { name: /^Mention\W*Mira$/ }));
    expect(heard).toHaveBeenCalledWith('Mira');
    stop();
  });

  it('shows a guest no Remove button', async () => {
    renderPanel({}, { session: guestSession, room: room(3, 'Harbour', { owner_id: 'guest-1' }) });
    await screen.findByText('Mira');
    expect(screen.queryByRole('button', { name: /^Remove\W*Mira$/ })).toBeNull();
    expect(screen.getByRole('button', { name: /^Ask to reply\W*Mira$/ })).toBeTruthy();
  });
});

describe('agent profile', () => {
  it('shows the persona and the system prompt, and Chat twice opens the same direct room', async () => {
    const user = userEvent.setup();
    const directRoom = { ...room(12, 'Direct: Mira'), agents: [mira], messages: [] };
    const { calls, queryClient } = renderPanel({
      'GET /api/agents/1': { body: { ...mira, characteristics: 'Quiet.' } },
      'GET /api/agents/1/direct-room': { body: directRoom },
    });
    await user.click(await screen.findByRole('button', { name: /^Profile\W*Mira$/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Mira' });
    expect(within(dialog).getByText('Mira in a nutshell')).toBeTruthy();
    expect(await within(dialog).findByText('Quiet.')).toBeTruthy();
    await user.click(within(dialog).getByText('Current system prompt'));
    expect(within(dialog).getByText('You are Mira.')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Add to this room' })).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: 'Chat 1-on-1' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/12'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(await screen.findByRole('button', { name: /^Profile\W*Mira$/ }));
    dialog = await screen.findByRole('dialog', { name: 'Mira' });
    await user.click(within(dialog).getByRole('button', { name: 'Chat 1-on-1' }));
    await waitFor(() => expect(calls.filter((c) => c.url.startsWith('/api/agents/1/direct-room'))).toHaveLength(2));
    expect(screen.getByTestId('location').textContent).toBe('/rooms/12');
    expect(calls.filter((c) => c.url.startsWith('/api/agents/1/direct-room')).every((c) => c.url === '/api/agents/1/direct-room')).toBe(true);
    const listed = queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)!;
    expect(listed.filter((r) => r.id === 12)).toHaveLength(1);
  });

  it('opens a direct chat with a chosen provider', async () => {
    const user = userEvent.setup();
    const { calls } = renderPanel({
      'GET /api/agents/1': { body: mira },
      'GET /api/agents/1/direct-room': { body: { ...room(13, 'Direct: Mira (claude)'), agents: [mira], messages: [] } },
    });
    await user.click(await screen.findByRole('button', { name: /^Profile\W*Mira$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Mira' });
    await user.click(within(dialog).getByRole('button', { name: 'Chat 1-on-1 with a provider' }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: /Codex/ }).getAttribute('aria-disabled')).toBe('true');
    await user.click(within(menu).getByRole('menuitem', { name: /Claude/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/13'));
    expect(calls.find((c) => c.url.startsWith('/api/agents/1/direct-room'))?.url).toBe('/api/agents/1/direct-room?provider=claude');
  });

  it('lets an admin upload a picture after the type and size checks', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { calls } = renderPanel({
      'GET /api/agents/1': { body: mira },
      'PATCH /api/agents/1': { body: { ...mira, profile_pic: 'profile.webp' } },
    });
    await user.click(await screen.findByRole('button', { name: /^Profile\W*Mira$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Mira' });
    const input = within(dialog).getByLabelText('Change picture', { selector: 'input' }) as HTMLInputElement;
    await user.upload(input, new File(['x'], 'notes.txt', { type: 'text/plain' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('Use a PNG, JPEG, WebP or GIF image.');
    await user.upload(input, new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('The image is larger than 5 MB.');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);

    await user.upload(input, new File([new Uint8Array([137, 80, 78, 71])], 'me.png', { type: 'image/png' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH' && c.url === '/api/agents/1')).toBe(true));
    const body = calls.find((c) => c.method === 'PATCH')?.body as { profile_pic: string };
    expect(body.profile_pic).toMatch(/^data:image\/(png|webp);base64,/);
  });

  it('gives a guest a read-only profile (no picture upload, no Edit)', async () => {
    const user = userEvent.setup();
    renderPanel({ 'GET /api/agents/1': { body: mira } }, { session: guestSession, room: room(3, 'Harbour', { owner_id: 'guest-1' }) });
    await user.click(await screen.findByRole('button', { name: /^Profile\W*Mira$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Mira' });
    expect(within(dialog).queryByRole('button', { name: 'Change picture' })).toBeNull();
    expect(within(dialog).queryByRole('link', { name: 'Edit' })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Chat 1-on-1' })).toBeTruthy();
  });
});
