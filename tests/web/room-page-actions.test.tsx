import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/shared/models';
import { forgetLiveRooms } from '../../src/web/chat/live-room';
import { RoomRoute } from '../../src/web/chat/RoomPage';
import { ToastRegion, clearToasts } from '../../src/web/components/toast';
import { HomePage } from '../../src/web/screens/HomePage';
import { roomsDeletedHere } from '../../src/web/rooms/rooms-data';
import { userMessage } from '../unit/web/helpers/fixtures';
import { renderRoutes, Route } from './helpers';
import { room } from './room-fixtures';

/**
 * The chat page's own messages and the room's `deleted` event (ui.md §4.4.2 "Message actions", §3.3): found by the
 * end-to-end scenarios 15 and 16. Fetch is stubbed at the transport; the event stream is a ReadableStream.
 */

const ROOM_ID = 9;
const now = new Date().toISOString();

const summary = () => room(ROOM_ID, 'Harbour', { owner_id: 'guest-1', default_provider: 'openai', created_at: now, last_activity_at: now, last_read_at: now });
const own = (id: number, content: string) => userMessage(id, content, { room_id: ROOM_ID, timestamp: now });

function stubServer(history: Message[]) {
  const encoder = new TextEncoder();
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  const calls: string[] = [];
  const { has_unread: _unread, ...fields } = summary();
  let listed = [summary()];
  const routes: Record<string, () => Response | Promise<Response>> = {
    'GET /api/auth/verify': () => Response.json({ role: 'guest', user_id: 'guest-1', expires_at: '2030-01-01T00:00:00.000Z' }),
    // After the deletion the list answers slowly, as a busy server would: the page must not wait for it.
    'GET /api/rooms': async () => {
      if (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      return Response.json(listed);
    },
    'GET /api/agents': () => Response.json([]),
    'GET /api/providers': () => Response.json({ default: 'openai', providers: [] }),
    [`GET /api/rooms/${ROOM_ID}/agents`]: () => Response.json([]),
    [`GET /api/rooms/${ROOM_ID}/messages`]: () => Response.json(history),
    [`POST /api/rooms/${ROOM_ID}/mark-read`]: () => Response.json({ message: 'ok' }),
    [`DELETE /api/rooms/${ROOM_ID}/messages/1`]: () => Response.json({ message: 'Message deleted successfully' }),
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://localhost');
      const key = `${(init.method ?? 'GET').toUpperCase()} ${url.pathname}`;
      calls.push(key);
      if (url.pathname === `/api/rooms/${ROOM_ID}/events`) {
        const body = new ReadableStream<Uint8Array>({ start: (controller) => void streams.push(controller) });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      }
      return routes[key]?.() ?? Response.json({ detail: 'Not Found' }, { status: 404 });
    }),
  );
  const send = (type: string, data: unknown) => streams.at(-1)?.enqueue(encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`));
  const snapshot = () => send('snapshot', { room_id: ROOM_ID, room: { ...fields, agents: [] }, last_message_id: null, replay_truncated: false, generating: [] });
  const deleted = () => {
    listed = [];
    send('room', { reason: 'deleted', room: { ...fields, agents: [] } });
  };
  return { calls, streams, snapshot, deleted };
}

function renderRoom() {
  return renderRoutes(
    `/rooms/${ROOM_ID}`,
    <>
      <Route
        path="/rooms/:roomId"
        element={
          <VirtuosoMockContext.Provider value={{ viewportHeight: 2_000, itemHeight: 60 }}>
            <RoomRoute />
            <ToastRegion />
          </VirtuosoMockContext.Provider>
        }
      />
      <Route
        path="/"
        element={
          <>
            <HomePage />
            <ToastRegion />
          </>
        }
      />
    </>,
  );
}

describe('chat page: own messages and a deleted room', () => {
  beforeEach(() => {
    forgetLiveRooms();
    clearToasts();
  });
  afterEach(() => {
    forgetLiveRooms();
    roomsDeletedHere.forget(ROOM_ID);
  });

  it("gives the owner's own message the message actions, so they can delete it", async () => {
    const user = userEvent.setup();
    const server = stubServer([own(1, 'Wrong room, sorry')]);
    renderRoom();
    const article = (await screen.findByText('Wrong room, sorry')).closest('article')!;
    expect(within(article).getByRole('button', { name: 'Copy message' })).toBeTruthy();
    await user.click(within(article).getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Delete this message?' })).getByRole('button', { name: 'Delete message' }));
    await waitFor(() => expect(screen.queryByText('Wrong room, sorry')).toBeNull());
    expect(server.calls).toContain(`DELETE /api/rooms/${ROOM_ID}/messages/1`);
  });

  it('goes home with a toast when the room is deleted elsewhere, and home does not reopen it as the last room', async () => {
    const server = stubServer([own(1, 'Hello')]);
    renderRoom();
    await screen.findByText('Hello');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    await act(async () => server.snapshot());
    await act(async () => server.deleted());
    expect(await screen.findByText('This room was deleted')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Welcome' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/');
    await act(async () => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(screen.getByTestId('location').textContent).toBe('/');
  });

  it('leaves the navigation to the delete when this tab deleted the room (it has moved on to the next room)', async () => {
    const server = stubServer([own(1, 'Hello')]);
    renderRoom();
    await screen.findByText('Hello');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    await act(async () => server.snapshot());
    roomsDeletedHere.add(ROOM_ID);
    await act(async () => server.deleted());
    // The stream is closed for good (unavailable), yet nothing sends the app home or toasts.
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.getByTestId('location').textContent).toBe(`/rooms/${ROOM_ID}`);
    expect(screen.queryByText('This room was deleted')).toBeNull();
  });
});
