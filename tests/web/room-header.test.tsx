import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomSummary } from '../../src/shared/models';
import { adminSession, agent, guestSession, room } from './room-fixtures';
import { clearToasts, ToastRegion } from '../../src/web/components/toast';
import { queryKeys } from '../../src/web/lib/query';
import { RoomFrame } from '../../src/web/room/RoomFrame';
import { useRooms } from '../../src/web/rooms/rooms-data';
import { renderRoutes, Route, stubFetch, type FakeRoute } from './helpers';
import { useParams } from 'react-router';

function RoomHarness() {
  const { roomId = '' } = useParams();
  const rooms = useRooms();
  const current = rooms.data?.find((r) => r.id === Number(roomId));
  return (
    <RoomFrame room={current} title={current?.name ?? ''} focusTitle={false}>
      <p>transcript of {roomId}</p>
    </RoomFrame>
  );
}

function renderRoom(url: string, routes: Record<string, FakeRoute>, list: RoomSummary[], session = adminSession) {
  const fetchStub = stubFetch({
    'GET /api/auth/verify': { body: session },
    'GET /api/rooms': { body: list },
    'GET /api/agents': { body: [] },
    'GET /api/providers': { body: { default: 'claude', providers: [] } },
    ...routes,
  });
  const view = renderRoutes(
    url,
    <>
      <Route
        path="/rooms/:roomId"
        element={
          <>
            <RoomHarness />
            <ToastRegion />
          </>
        }
      />
      <Route
        path="/"
        element={
          <>
            <p>home</p>
            <ToastRegion />
          </>
        }
      />
    </>,
  );
  return { ...fetchStub, ...view };
}

afterEach(() => clearToasts());

describe('room header: rename', () => {
  it('renames the room inline on Enter, optimistically, with the PATCH the server expects', async () => {
    const user = userEvent.setup();
    const { calls, queryClient } = renderRoom(
      '/rooms/3',
      { 'PATCH /api/rooms/3': { body: { ...room(3, '새 이름'), agents: [], messages: [] } }, 'GET /api/rooms/3/agents': { body: [] } },
      [room(3, 'Harbour')],
    );
    await user.click(await screen.findByRole('button', { name: 'Rename room' }));
    const field = screen.getByRole('textbox', { name: 'Room name' });
    await user.clear(field);
    await user.type(field, '새 이름{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: '새 이름' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: '새 이름' });
    expect(queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.[0]?.name).toBe('새 이름');
  });

  it('shows a taken name (409) inline, keeps the field, and rolls the list back', async () => {
    const user = userEvent.setup();
    const { queryClient } = renderRoom(
      '/rooms/3',
      {
        'PATCH /api/rooms/3': { status: 409, body: { detail: "Room with name 'Lobby' already exists" } },
        'GET /api/rooms/3/agents': { body: [] },
      },
      [room(3, 'Harbour')],
    );
    await user.click(await screen.findByRole('button', { name: 'Rename room' }));
    const field = screen.getByRole('textbox', { name: 'Room name' });
    await user.clear(field);
    await user.type(field, 'Lobby{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('A room with this name already exists');
    expect((screen.getByRole('textbox', { name: 'Room name' }) as HTMLInputElement).value).toBe('Lobby');
    expect(queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.[0]?.name).toBe('Harbour');
  });

  it('cancels on Esc without a call', async () => {
    const user = userEvent.setup();
    const { calls } = renderRoom('/rooms/3', { 'GET /api/rooms/3/agents': { body: [] } }, [room(3, 'Harbour')]);
    await user.click(await screen.findByRole('button', { name: 'Rename room' }));
    await user.type(screen.getByRole('textbox', { name: 'Room name' }), ' two{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Room name' })).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: 'Harbour' })).toBeTruthy();
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });
});

describe('room header: pause and resume', () => {
  it('pauses optimistically, shows the Paused banner, and resumes from the banner', async () => {
    const user = userEvent.setup();
    const paused = { ...room(3, 'Harbour', { is_paused: true }), agents: [agent(1, 'Mira')], messages: [] };
    const resumed = { ...room(3, 'Harbour'), agents: [agent(1, 'Mira')], messages: [] };
    const { calls } = renderRoom(
      '/rooms/3',
      {
        'POST /api/rooms/3/pause': { body: paused },
        'POST /api/rooms/3/resume': { body: resumed },
        'GET /api/rooms/3/agents': { body: [agent(1, 'Mira')] },
      },
      [room(3, 'Harbour', { is_finished: true })],
    );
    expect(await screen.findByText('The agents have nothing new to say. Send a message to continue.')).toBeTruthy();
    const toggle = screen.getByRole('button', { name: 'Pause' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await user.click(toggle);
    expect(await screen.findByText("Paused: agents won't reply or continue on their own.")).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Resume' })[0]?.getAttribute('aria-pressed')).toBe('true');
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/rooms/3/pause')).toBe(true);

    const banner = screen.getByText("Paused: agents won't reply or continue on their own.").parentElement!;
    await user.click(within(banner).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.queryByText("Paused: agents won't reply or continue on their own.")).toBeNull());
    expect(screen.queryByText('The agents have nothing new to say. Send a message to continue.')).toBeNull();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/rooms/3/resume')).toBe(true);
  });

  it('rolls a failed pause back and says so', async () => {
    const user = userEvent.setup();
    renderRoom(
      '/rooms/3',
      { 'POST /api/rooms/3/pause': { status: 500, body: { detail: 'boom' } }, 'GET /api/rooms/3/agents': { body: [agent(1, 'Mira')] } },
      [room(3, 'Harbour')],
    );
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed')).toBe('false'));
  });

  it('reflects a room entry changed in the shared cache (as the stream does)', async () => {
    const { queryClient } = renderRoom('/rooms/3', { 'GET /api/rooms/3/agents': { body: [agent(1, 'Mira')] } }, [room(3, 'Harbour')]);
    await screen.findByRole('button', { name: 'Pause' });
    act(() => queryClient.setQueryData<RoomSummary[]>(queryKeys.rooms, [room(3, 'Harbour', { is_paused: true })]));
    expect(await screen.findByText("Paused: agents won't reply or continue on their own.")).toBeTruthy();
  });
});

async function openMenu(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Room actions' }));
  return screen.findByRole('menu');
}

describe('room header: clear conversation', () => {
  it('focuses Cancel first; Enter on Cancel and Esc close without clearing; F5 is not taken', async () => {
    const user = userEvent.setup();
    const { calls } = renderRoom('/rooms/3', { 'GET /api/rooms/3/agents': { body: [] } }, [room(3, 'Harbour')]);
    const menu = await openMenu(user);
    await user.click(within(menu).getByRole('menuitem', { name: 'Clear conversation…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Clear conversation?' });
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(document.activeElement).toBe(cancel));

    const f5 = new KeyboardEvent('keydown', { key: 'F5', bubbles: true, cancelable: true });
    cancel.dispatchEvent(f5);
    expect(f5.defaultPrevented).toBe(false);

    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Clear conversation…' }));
    await screen.findByRole('dialog', { name: 'Clear conversation?' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('clears after confirming, waiting for the call, and empties the loaded transcript', async () => {
    const user = userEvent.setup();
    const { calls, queryClient } = renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'DELETE /api/rooms/3/messages': { body: { message: 'All messages cleared successfully' } } },
      [room(3, 'Harbour')],
    );
    queryClient.setQueryData(queryKeys.roomMessages(3), [{ id: 1 }]);
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Clear conversation…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Clear conversation?' });
    await user.click(within(dialog).getByRole('button', { name: 'Clear conversation' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/rooms/3/messages')).toBe(true);
    expect(queryClient.getQueryData(queryKeys.roomMessages(3))).toEqual([]);
  });

  it('keeps the dialog open with the error when clearing fails', async () => {
    const user = userEvent.setup();
    renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'DELETE /api/rooms/3/messages': { status: 404, body: { detail: 'Room not found or no messages to delete' } } },
      [room(3, 'Harbour')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Clear conversation…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Clear conversation?' });
    await user.click(within(dialog).getByRole('button', { name: 'Clear conversation' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain("Couldn't clear the conversation.");
  });
});

describe('room header: delete', () => {
  it('deletes after an in-app confirmation and moves to the next room', async () => {
    const user = userEvent.setup();
    const { calls, queryClient } = renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'GET /api/rooms/5/agents': { body: [] }, 'DELETE /api/rooms/3': { body: { message: 'Room deleted successfully' } } },
      [room(3, 'Harbour'), room(5, 'Lobby')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Delete room…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete room?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete room' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/5'));
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/rooms/3')).toBe(true);
    expect(queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.map((r) => r.id)).toEqual([5]);
  });

  it('goes home when the last room is deleted, and puts the room back when the call fails', async () => {
    const user = userEvent.setup();
    const { queryClient } = renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'DELETE /api/rooms/3': { status: 500, body: { detail: 'boom' } } },
      [room(3, 'Harbour')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Delete room…' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete room' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/'));
    await waitFor(() => expect(queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.map((r) => r.id)).toEqual([3]));
    expect((await screen.findByText(/Couldn't delete “Harbour”/)).textContent).toBeTruthy();
  });
});

describe('room header: limit', () => {
  it('sets a limit, shows the chip, and clears it to unlimited (null) when left blank', async () => {
    const user = userEvent.setup();
    const { calls } = renderRoom(
      '/rooms/3',
      {
        'GET /api/rooms/3/agents': { body: [] },
        'PATCH /api/rooms/3': { body: { ...room(3, 'Harbour', { max_interactions: 20 }), agents: [], messages: [] } },
      },
      [room(3, 'Harbour')],
    );
    expect(screen.queryByText(/^Limit/)).toBeNull();
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Room limit…' }));
    const field = await screen.findByRole('spinbutton', { name: 'Max interactions' });
    await user.type(field, '20{Enter}');
    expect(await screen.findByText('Limit 20')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.body).toEqual({ max_interactions: 20 });

    await user.click(screen.getByRole('button', { name: /Change the limit/ }));
    const again = await screen.findByRole('spinbutton', { name: 'Max interactions' });
    await user.clear(again);
    await user.type(again, '{Enter}');
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.body).toEqual({ max_interactions: null }));
  });
});

describe('room header: menu items that open something', () => {
  it('opens the limit popover and the rename field after the menu has closed, and they keep the focus', async () => {
    const user = userEvent.setup();
    renderRoom('/rooms/3', { 'GET /api/rooms/3/agents': { body: [] } }, [room(3, 'Harbour')]);
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Room limit…' }));
    const field = await screen.findByRole('spinbutton', { name: 'Max interactions' });
    // The menu's own focus handling runs after it closes; the popover must survive it.
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.getByRole('spinbutton', { name: 'Max interactions' })).toBe(field);
    await waitFor(() => expect(document.activeElement).toBe(field));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('spinbutton', { name: 'Max interactions' })).toBeNull());

    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Rename…' }));
    const name = await screen.findByRole('textbox', { name: 'Room name' });
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    // Still editing: no focus came back to ⋯ to blur (and so end) the rename.
    expect(screen.getByRole('textbox', { name: 'Room name' })).toBe(name);
    expect(document.activeElement).not.toBe(screen.getByRole('button', { name: 'Room actions' }));
  });
});

describe('room header: export and copy', () => {
  it('downloads the Markdown export with thinking under the server-given file name', async () => {
    const user = userEvent.setup();
    const createObjectURL = vi.fn(() => 'blob:export');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { calls } = renderRoom(
      '/rooms/3',
      {
        'GET /api/rooms/3/agents': { body: [] },
        'GET /api/rooms/3/export': {
          body: '# 항구',
          headers: { 'Content-Disposition': `attachment; filename="room-3.md"; filename*=UTF-8''${encodeURIComponent('항구-3.md')}` },
        },
      },
      [room(3, '항구')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Export Markdown with thinking' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const anchor = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(anchor.download).toBe('항구-3.md');
    const exportCall = calls.find((c) => c.url.startsWith('/api/rooms/3/export'));
    expect(exportCall?.url).toBe('/api/rooms/3/export?format=markdown&include_thinking=true');
    click.mockRestore();
  });

  it('exports JSON, named after the room when the header has no name', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { calls } = renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'GET /api/rooms/3/export': { body: { format: 'chitchats.room.v1' } } },
      [room(3, 'Night harbour')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Export JSON' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect((click.mock.instances[0] as unknown as HTMLAnchorElement).download).toBe('Night_harbour-3.json');
    expect(calls.find((c) => c.url.startsWith('/api/rooms/3/export'))?.url).toBe('/api/rooms/3/export?format=json');
    click.mockRestore();
  });

  it('copies the Markdown export through the clipboard, and offers a download when the clipboard refuses', async () => {
    const user = userEvent.setup();
    const write = vi.fn(async (_items: unknown[]) => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    class FakeClipboardItem {
      constructor(readonly items: Record<string, Promise<Blob>>) {}
    }
    vi.stubGlobal('ClipboardItem', FakeClipboardItem);
    Object.defineProperty(navigator, 'clipboard', { value: { write }, configurable: true });
    const { calls } = renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [] }, 'GET /api/rooms/3/export': { body: '# Harbour' } },
      [room(3, 'Harbour')],
    );
    await user.click(within(await openMenu(user)).getByRole('menuitem', { name: 'Copy transcript' }));
    await waitFor(() => expect(write).toHaveBeenCalled());
    const item = write.mock.calls[0]?.[0]?.[0] as FakeClipboardItem;
    expect(item.items['text/plain']).toBeInstanceOf(Promise);
    expect(calls.find((c) => c.url.startsWith('/api/rooms/3/export'))?.url).toBe('/api/rooms/3/export?format=markdown');
    expect(await screen.findByRole('button', { name: 'Download' })).toBeTruthy();
  });
});

describe('room header: role gating', () => {
  it('shows no admin-only control to a guest', async () => {
    const user = userEvent.setup();
    renderRoom(
      '/rooms/3',
      { 'GET /api/rooms/3/agents': { body: [agent(1, 'Mira')] }, 'GET /api/agents': { body: [agent(1, 'Mira'), agent(2, 'Jun')] } },
      [room(3, 'Harbour', { owner_id: 'guest-1' })],
      guestSession,
    );
    const menu = await openMenu(user);
    expect(within(menu).getByRole('menuitem', { name: 'Export JSON' })).toBeTruthy();
    expect(within(menu).queryByRole('menuitem', { name: 'Clear conversation…' })).toBeNull();
    expect(within(menu).queryByRole('menuitem', { name: 'Delete room…' })).toBeNull();
    await user.keyboard('{Escape}');
    expect(await screen.findByText('Mira')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.getByRole('button', { name: /^Ask to reply/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rename room' })).toBeTruthy();
  });

  it('shows the admin-only controls to an admin', async () => {
    const user = userEvent.setup();
    renderRoom('/rooms/3', { 'GET /api/rooms/3/agents': { body: [agent(1, 'Mira')] } }, [room(3, 'Harbour')]);
    const menu = await openMenu(user);
    expect(within(menu).getByRole('menuitem', { name: 'Clear conversation…' })).toBeTruthy();
    expect(within(menu).getByRole('menuitem', { name: 'Delete room…' })).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(await screen.findByRole('button', { name: /^Remove/ })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
  });
});
