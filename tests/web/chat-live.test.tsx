import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, RoomSummary, RoomWithAgents } from '../../src/shared/models';
import { forgetLiveRooms, timelineStore } from '../../src/web/chat/live-room';
import { RoomRoute } from '../../src/web/chat/RoomPage';
import { ToastRegion, clearToasts } from '../../src/web/components/toast';
import { updateSettings } from '../../src/web/lib/settings';
import { renderRoutes, Route } from './helpers';

/**
 * The wired chat page (ui.md §3.3–3.7, §4.4.2): fetch is stubbed at the transport, and the event stream is a
 * ReadableStream the test writes SSE frames into.
 */

const ROOM_ID = 5;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const agent = {
  id: 11,
  name: 'Mira',
  group: null,
  config_file: null,
  profile_pic: null,
  in_a_nutshell: null,
  characteristics: null,
  recent_events: null,
  is_critic: false,
  interrupt_every_turn: false,
  priority: 0,
  transparent: false,
  system_prompt: '',
  session_id: null,
  created_at: at(600),
};

function roomSummary(patch: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id: ROOM_ID,
    name: 'Harbour',
    owner_id: 'admin',
    max_interactions: null,
    is_paused: false,
    is_finished: false,
    default_provider: 'openai',
    default_model: null,
    created_at: at(600),
    last_activity_at: at(1),
    last_read_at: at(1),
    running: null,
    has_unread: false,
    ...patch,
  };
}

function roomWithAgents(): RoomWithAgents {
  const { has_unread: _unread, ...fields } = roomSummary();
  return { ...fields, agents: [agent] };
}

function message(id: number, patch: Partial<Message> = {}): Message {
  return {
    id,
    room_id: ROOM_ID,
    agent_id: agent.id,
    content: `reply ${id}`,
    role: 'assistant',
    participant_type: null,
    participant_name: null,
    thinking: null,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: 'openai',
    model: null,
    is_skip: false,
    timestamp: at(10),
    agent_name: 'Mira',
    agent_profile_pic: null,
    ...patch,
  };
}

function userMessage(id: number, content: string): Message {
  return message(id, { agent_id: null, content, role: 'user', participant_type: 'user', agent_name: null, provider: null });
}

/** An SSE response body the test pushes frames into. */
function sseStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    stream,
    send(type: string, data: unknown, id?: number) {
      controller.enqueue(encoder.encode(`event: ${type}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`));
    },
    close() {
      controller.close();
    },
  };
}

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

interface Server {
  streams: ReturnType<typeof sseStream>[];
  calls: { method: string; path: string; search: string; body: unknown; headers: Record<string, string> }[];
  routes: Record<string, Handler>;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

function stubServer(routes: Record<string, Handler>, streamAnswer?: () => Response): Server {
  const server: Server = { streams: [], calls: [], routes };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://localhost');
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = (init.headers ?? {}) as Record<string, string>;
      server.calls.push({
        method,
        path: url.pathname,
        search: url.search,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        headers,
      });
      if (url.pathname === `/api/rooms/${ROOM_ID}/events`) {
        if (streamAnswer) return streamAnswer();
        const sse = sseStream();
        server.streams.push(sse);
        return new Response(sse.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      }
      const handler = server.routes[`${method} ${url.pathname}`];
      if (handler === undefined) return json({ detail: 'Not Found' }, 404);
      return handler(url, init);
    }),
  );
  return server;
}

const session = { role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };

function baseRoutes(history: Message[]): Record<string, Handler> {
  return {
    'GET /api/auth/verify': () => json(session),
    'GET /api/rooms': () => json([roomSummary()]),
    'GET /api/agents': () => json([agent]),
    'GET /api/providers': () => json({ default: 'openai', providers: [] }),
    [`GET /api/rooms/${ROOM_ID}/agents`]: () => json([agent]),
    [`GET /api/rooms/${ROOM_ID}/messages`]: () => json(history),
    [`GET /api/rooms/${ROOM_ID}/messages/poll`]: () => json([]),
    [`GET /api/rooms/${ROOM_ID}/chatting-agents`]: () => json({ chatting_agents: [] }),
    [`POST /api/rooms/${ROOM_ID}/mark-read`]: () => json({ message: 'ok' }),
  };
}

function Wrapper({ children }: { children: ReactNode }) {
  return <VirtuosoMockContext.Provider value={{ viewportHeight: 2_000, itemHeight: 60 }}>{children}</VirtuosoMockContext.Provider>;
}

function renderRoom() {
  return renderRoutes(
    `/rooms/${ROOM_ID}`,
    <Route
      path="/rooms/:roomId"
      element={
        <Wrapper>
          <RoomRoute />
          <ToastRegion />
        </Wrapper>
      }
    />,
  );
}

function snapshot(patch: Partial<{ last_message_id: number | null; generating: unknown[] }> = {}) {
  return { room_id: ROOM_ID, room: roomWithAgents(), last_message_id: null, replay_truncated: false, generating: [], ...patch };
}

function transcript() {
  return screen.getByRole('region', { name: 'Messages' });
}

describe('live chat room', () => {
  beforeEach(() => {
    forgetLiveRooms();
    clearToasts();
  });
  afterEach(() => {
    forgetLiveRooms();
  });

  it('shows the history, goes Live on the snapshot, and grows a live bubble from deltas until its message replaces it', async () => {
    const server = stubServer(baseRoutes([userMessage(1, 'Hello there'), message(2, { content: 'Hi! Welcome aboard.' })]));
    renderRoom();

    expect(await screen.findByText('Hi! Welcome aboard.')).toBeTruthy();
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    expect(screen.getByTestId('connection-indicator').getAttribute('data-state-kind')).toBe('connecting');

    await act(async () => sse.send('snapshot', snapshot({ last_message_id: 2 })));
    await waitFor(() => expect(screen.getByTestId('connection-indicator').getAttribute('data-state-kind')).toBe('live'));

    await act(async () => {
      sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 't1', attempt: 1, provider: 'openai', model: null });
      sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'thinking', text: 'Let me think about the harbour' });
    });
    const bubble = await screen.findByTestId('live-bubble');
    await waitFor(() => expect(within(bubble).getByTestId('thinking-preview').textContent).toContain('Let me think about the harbour'));
    expect(within(bubble).getByText('thinking…')).toBeTruthy();
    expect(screen.getByTestId('typing-line').textContent).toBe('Mira is writing…');

    await act(async () => {
      sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'response', text: 'The ships ' });
      sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'response', text: 'are in.' });
    });
    await waitFor(() => expect(within(screen.getByTestId('live-bubble')).getByText('The ships are in.')).toBeTruthy());

    await act(async () => {
      sse.send('message', message(3, { content: 'The ships are in.', timestamp: new Date().toISOString() }), 3);
      sse.send('agent_end', { agent_id: 11, agent_name: 'Mira', turn_id: 't1', outcome: 'responded', message_id: 3 });
    });
    await waitFor(() => expect(screen.queryByTestId('live-bubble')).toBeNull());
    expect(within(transcript()).getAllByText('The ships are in.')).toHaveLength(1);
    expect(screen.getByTestId('typing-line').textContent).toBe('');
    // The finished reply is announced politely.
    await waitFor(() => expect(screen.getByTestId('message-announcer').textContent).toBe('Mira: The ships are in.'));
  });

  it('collapses the live thinking to "Thought for N s" when the response starts; opened live, it stays open on the message', async () => {
    const server = stubServer(baseRoutes([userMessage(1, 'When do we ring the bell?')]));
    renderRoom();
    await screen.findByText('When do we ring the bell?');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    await act(async () => sse.send('snapshot', snapshot({ last_message_id: 1 })));

    await act(async () => {
      sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 't1', attempt: 1, provider: 'openai', model: null });
      sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'thinking', text: 'Weigh the tide tables' });
    });
    const bubble = await screen.findByTestId('live-bubble');
    await waitFor(() => expect(within(bubble).getByTestId('thinking-preview').textContent).toContain('Weigh the tide tables'));
    expect(within(bubble).queryByRole('button', { name: /^Thought for/ })).toBeNull();

    await act(async () => sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'response', text: 'Seven bells.' }));
    const disclosure = await within(screen.getByTestId('live-bubble')).findByRole('button', { name: /^Thought for \d+ s$/ });
    expect(disclosure.getAttribute('aria-expanded')).toBe('false');
    expect(within(screen.getByTestId('live-bubble')).queryByText('Weigh the tide tables')).toBeNull();
    await userEvent.setup().click(disclosure);
    expect(disclosure.getAttribute('aria-expanded')).toBe('true');
    expect(await within(screen.getByTestId('live-bubble')).findByText('Weigh the tide tables')).toBeTruthy();

    await act(async () => {
      sse.send('message', message(2, { content: 'Seven bells.', thinking: 'Weigh the tide tables', timestamp: new Date().toISOString() }), 2);
      sse.send('agent_end', { agent_id: 11, agent_name: 'Mira', turn_id: 't1', outcome: 'responded', message_id: 2 });
    });
    await waitFor(() => expect(screen.queryByTestId('live-bubble')).toBeNull());
    const kept = within(transcript()).getByRole('button', { name: /^Thought for \d+ s$/ });
    expect(kept.getAttribute('aria-expanded')).toBe('true');
    expect(within(transcript()).getByText('Weigh the tide tables')).toBeTruthy();
  });

  it('a critic note opened while the critic writes stays open when its report lands, and the next live note starts closed', async () => {
    const critic = { ...agent, id: 12, name: 'Critic', is_critic: true };
    const members = [agent, critic];
    const server = stubServer({
      ...baseRoutes([userMessage(1, 'How was the scene?')]),
      'GET /api/agents': () => json(members),
      [`GET /api/rooms/${ROOM_ID}/agents`]: () => json(members),
    });
    renderRoom();
    await screen.findByText('How was the scene?');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    await act(async () => sse.send('snapshot', snapshot({ last_message_id: 1, room: { ...roomWithAgents(), agents: members } } as never)));

    const start = (turn: string) =>
      act(async () => {
        sse.send('agent_start', { agent_id: 12, agent_name: 'Critic', agent_profile_pic: null, turn_id: turn, attempt: 1, provider: 'openai', model: null });
        sse.send('delta', { agent_id: 12, turn_id: turn, kind: 'response', text: `Pacing notes ${turn}` });
      });
    await start('t1');
    const live = await within(await screen.findByTestId('live-bubble')).findByRole('button', { name: 'Critic note' });
    expect(live.getAttribute('aria-expanded')).toBe('false');
    await userEvent.setup().click(live);
    expect(await within(screen.getByTestId('live-bubble')).findByText('Pacing notes t1')).toBeTruthy();

    await act(async () => {
      sse.send('message', message(2, { agent_id: 12, agent_name: 'Critic', content: 'Pacing notes t1', timestamp: new Date().toISOString() }), 2);
      sse.send('agent_end', { agent_id: 12, agent_name: 'Critic', turn_id: 't1', outcome: 'responded', message_id: 2 });
    });
    await waitFor(() => expect(screen.queryByTestId('live-bubble')).toBeNull());
    expect(within(transcript()).getByRole('button', { name: 'Critic note' }).getAttribute('aria-expanded')).toBe('true');
    expect(within(transcript()).getByText('Pacing notes t1')).toBeTruthy();

    await start('t2');
    const next = await within(await screen.findByTestId('live-bubble')).findByRole('button', { name: 'Critic note' });
    expect(next.getAttribute('aria-expanded')).toBe('false');
  });

  it('keeps the live thinking open once the response starts when showThinking is on', async () => {
    updateSettings({ showThinking: true });
    try {
      const server = stubServer(baseRoutes([userMessage(1, 'When do we ring the bell?')]));
      renderRoom();
      await screen.findByText('When do we ring the bell?');
      await waitFor(() => expect(server.streams).toHaveLength(1));
      const sse = server.streams[0]!;
      await act(async () => sse.send('snapshot', snapshot({ last_message_id: 1 })));
      await act(async () => {
        sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 't1', attempt: 1, provider: 'openai', model: null });
        sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'thinking', text: 'Weigh the tide tables' });
        sse.send('delta', { agent_id: 11, turn_id: 't1', kind: 'response', text: 'Seven bells.' });
      });
      const disclosure = await within(await screen.findByTestId('live-bubble')).findByRole('button', { name: /^Thought for \d+ s$/ });
      expect(disclosure.getAttribute('aria-expanded')).toBe('true');
      expect(await within(screen.getByTestId('live-bubble')).findByText('Weigh the tide tables')).toBeTruthy();
    } finally {
      updateSettings({ showThinking: undefined });
    }
  });

  it('shows an own message at once and keeps one row when the stream confirms it before the POST answers', async () => {
    let answerSend!: (response: Response) => void;
    const server = stubServer({
      ...baseRoutes([message(1, { content: 'Ready when you are.' })]),
      [`POST /api/rooms/${ROOM_ID}/messages/send`]: () => new Promise<Response>((resolve) => (answerSend = resolve)),
    });
    renderRoom();
    await screen.findByText('Ready when you are.');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    await act(async () => server.streams[0]!.send('snapshot', snapshot({ last_message_id: 1 })));

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message'), 'Set sail');
    await user.keyboard('{Enter}');
    expect(await within(transcript()).findByText('Set sail')).toBeTruthy();
    expect(within(transcript()).getByText(/Sending…|Queued/)).toBeTruthy();

    const stored = userMessage(2, 'Set sail');
    await act(async () => server.streams[0]!.send('message', stored, 2));
    await act(async () => answerSend(json(stored)));
    await waitFor(() => expect(within(transcript()).queryByText(/Sending…|Queued/)).toBeNull());
    expect(within(transcript()).getAllByText('Set sail')).toHaveLength(1);
  });

  it('keeps a failed send as a Failed row with Retry, which sends it again', async () => {
    let sendStatus = 422;
    const server = stubServer({
      ...baseRoutes([]),
      [`POST /api/rooms/${ROOM_ID}/messages/send`]: () =>
        sendStatus === 422 ? json({ detail: [{ loc: ['body', 'content'], msg: 'bad' }] }, 422) : json(userMessage(7, 'Ahoy')),
    });
    renderRoom();
    await screen.findByText('Say hello to start the conversation');
    await waitFor(() => expect(server.streams).toHaveLength(1));

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message'), 'Ahoy');
    await user.keyboard('{Enter}');
    const alert = await within(transcript()).findByRole('alert');
    expect(alert.textContent).toContain('Failed: the server refused it');
    expect(within(transcript()).getByText('Ahoy')).toBeTruthy();

    sendStatus = 200;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(transcript()).queryByRole('alert')).toBeNull());
    expect(within(transcript()).getAllByText('Ahoy')).toHaveLength(1);
    expect(server.calls.filter((call) => call.method === 'POST' && call.path.endsWith('/messages/send'))).toHaveLength(2);
  });

  it('discards a failed send with an Undo toast that brings it back', async () => {
    stubServer({
      ...baseRoutes([]),
      [`POST /api/rooms/${ROOM_ID}/messages/send`]: () => json({ detail: 'Forbidden' }, 403),
    });
    renderRoom();
    await screen.findByText('Say hello to start the conversation');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message'), 'Lost at sea');
    await user.keyboard('{Enter}');
    const alert = await within(transcript()).findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(within(transcript()).queryByText('Lost at sea')).toBeNull());
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(await within(transcript()).findByText('Lost at sea')).toBeTruthy();
  });

  it('resumes with Last-Event-ID after the stream drops', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const server = stubServer(baseRoutes([message(1), message(4, { content: 'Newest so far' })]));
    renderRoom();
    await screen.findByText('Newest so far');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    await act(async () => server.streams[0]!.send('snapshot', snapshot({ last_message_id: 4 })));
    await act(async () => server.streams[0]!.close());
    await waitFor(() => expect(screen.getByTestId('connection-indicator').getAttribute('data-state-kind')).toBe('reconnecting'));
    await act(async () => vi.advanceTimersByTimeAsync(1_500));
    await waitFor(() => expect(server.streams).toHaveLength(2));
    const streamCalls = server.calls.filter((call) => call.path.endsWith('/events'));
    expect(streamCalls[0]!.headers['Last-Event-ID']).toBeUndefined();
    expect(streamCalls[1]!.headers['Last-Event-ID']).toBe('4');
  });

  it('falls back to polling after 5 failed stream attempts and says so in the header', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const server = stubServer(baseRoutes([message(1, { content: 'Still here' })]), () => json({ detail: 'Server error' }, 503));
    renderRoom();
    await screen.findByText('Still here');
    for (let attempt = 0; attempt < 6; attempt += 1) await act(async () => vi.advanceTimersByTimeAsync(20_000));
    await waitFor(() => expect(screen.getByTestId('connection-indicator').getAttribute('data-state-kind')).toBe('polling'));
    expect(screen.getByTestId('connection-indicator').textContent).toContain('Limited: polling');
    await act(async () => vi.advanceTimersByTimeAsync(3_500));
    expect(server.calls.some((call) => call.path.endsWith('/messages/poll'))).toBe(true);
  });

  it('shows a Retry on an agent-error notice that asks that agent to respond', async () => {
    const server = stubServer({
      ...baseRoutes([userMessage(1, 'Tell me a story')]),
      [`POST /api/rooms/${ROOM_ID}/agents/11/respond`]: () => json({ message: 'Response started', agent_id: 11 }, 202),
    });
    renderRoom();
    await screen.findByText('Tell me a story');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    await act(async () => {
      sse.send('snapshot', snapshot({ last_message_id: 1 }));
      sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 't9', attempt: 1, provider: 'openai', model: null });
      sse.send('agent_error', { agent_id: 11, agent_name: 'Mira', turn_id: 't9', error: 'timeout' });
      sse.send(
        'message',
        message(2, { agent_id: null, role: 'assistant', participant_type: 'system', content: 'Mira could not respond: timeout', agent_name: null }),
        2,
      );
      sse.send('agent_end', { agent_id: 11, agent_name: 'Mira', turn_id: 't9', outcome: 'error', message_id: null });
    });
    const notice = (await screen.findByText(/Mira could not respond/)).closest('article')!;
    await userEvent.setup().click(within(notice as HTMLElement).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(server.calls.some((call) => call.method === 'POST' && call.path.endsWith('/agents/11/respond'))).toBe(true));
  });

  it('the agent panel follows the stream: Writing while a reply streams, Error with its reason, then a Whiteboard tab', async () => {
    const server = stubServer(baseRoutes([userMessage(1, 'Plan the trip')]));
    renderRoom();
    await screen.findByText('Plan the trip');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    const card = async () => (await screen.findByRole('list', { name: 'Members of this room' })).querySelector('li')!;
    await act(async () => sse.send('snapshot', snapshot({ last_message_id: 1 })));
    await waitFor(async () => expect(within(await card()).getByRole('button', { name: /^Ask to reply\W*Mira$/ })).toBeTruthy());
    await act(async () => {
      sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 'w1', attempt: 1, provider: 'openai', model: null });
      sse.send('delta', { agent_id: 11, turn_id: 'w1', kind: 'response', text: 'Packing the' });
    });
    await waitFor(async () => expect(within(await card()).getByText('Writing…')).toBeTruthy());
    // Ask to reply hides while a turn is live.
    expect(within(await card()).queryByRole('button', { name: /^Ask to reply\W*Mira$/ })).toBeNull();

    await act(async () => {
      sse.send('agent_error', { agent_id: 11, agent_name: 'Mira', turn_id: 'w1', error: 'the model server timed out' });
      sse.send('agent_end', { agent_id: 11, agent_name: 'Mira', turn_id: 'w1', outcome: 'error', message_id: null });
    });
    await waitFor(async () => expect(within(await card()).getByText('Error').getAttribute('title')).toBe('the model server timed out'));
    expect(screen.queryByRole('tab', { name: 'Whiteboard' })).toBeNull();

    await act(async () => sse.send('message', message(2, { content: '[whiteboard diff]\n+ Tickets booked' }), 2));
    const tab = await screen.findByRole('tab', { name: 'Whiteboard' });
    await userEvent.setup().click(tab);
    expect((await screen.findAllByText('Tickets booked')).length).toBeGreaterThan(0);
  });

  it('Pause in the header and Stop in the composer both stop the live turn: the bubble reads Stopping…', async () => {
    for (const control of ['Pause', 'Stop'] as const) {
      forgetLiveRooms();
      const server = stubServer({
        ...baseRoutes([userMessage(1, 'Keep going')]),
        [`POST /api/rooms/${ROOM_ID}/pause`]: () => json({ ...roomWithAgents(), is_paused: true }),
      });
      const view = renderRoom();
      await screen.findByText('Keep going');
      await waitFor(() => expect(server.streams).toHaveLength(1));
      await act(async () => {
        server.streams[0]!.send('snapshot', snapshot({ last_message_id: 1 }));
        server.streams[0]!.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: `s-${control}`, attempt: 1, provider: 'openai', model: null });
        server.streams[0]!.send('delta', { agent_id: 11, turn_id: `s-${control}`, kind: 'response', text: 'Half a thought' });
      });
      const bubble = await screen.findByTestId('live-bubble');
      await userEvent.setup().click(await screen.findByRole('button', { name: control }));
      await waitFor(() => expect(within(bubble).getByText('Stopping…')).toBeTruthy());
      expect(server.calls.filter((call) => call.method === 'POST' && call.path === `/api/rooms/${ROOM_ID}/pause`)).toHaveLength(1);
      view.unmount();
    }
  });

  it('merges consecutive passed turns into one muted line', async () => {
    stubServer(
      baseRoutes([
        userMessage(1, 'Anyone?'),
        message(2, { is_skip: true, content: '', agent_name: 'Mira' }),
        message(3, { is_skip: true, content: '', agent_id: 12, agent_name: 'Tobin' }),
      ]),
    );
    renderRoom();
    const line = await screen.findByTestId('passed-line');
    expect(line.textContent).toContain('Mira, Tobin passed');
    expect(screen.getAllByTestId('passed-line')).toHaveLength(1);
  });

  it('keeps the timeline in the store while the room is open', async () => {
    stubServer(baseRoutes([message(1, { content: 'Kept' })]));
    renderRoom();
    await screen.findByText('Kept');
    expect(timelineStore.getSnapshot(ROOM_ID).messages.map((m) => m.id)).toEqual([1]);
  });

  it('Edit takes a failed send out of the transcript and hands its text back to the composer', async () => {
    stubServer({
      ...baseRoutes([]),
      [`POST /api/rooms/${ROOM_ID}/messages/send`]: () => json({ detail: 'Payload too large' }, 413),
    });
    renderRoom();
    await screen.findByText('Say hello to start the conversation');
    const user = userEvent.setup();
    const textarea = screen.getByLabelText('Message') as HTMLTextAreaElement;
    await user.type(textarea, 'A very long tale');
    await user.keyboard('{Enter}');
    const alert = await within(transcript()).findByRole('alert');
    expect(alert.textContent).toContain('Failed: too large');
    await user.click(within(alert).getByRole('button', { name: 'Edit' }));
    await waitFor(() => expect(within(transcript()).queryByText('A very long tale')).toBeNull());
    await waitFor(() => expect(textarea.value).toBe('A very long tale'));
  });

  it('holds a send made while offline as "Waiting for connection" and sends it when the browser is back online', async () => {
    const server = stubServer({
      ...baseRoutes([]),
      [`POST /api/rooms/${ROOM_ID}/messages/send`]: () => json(userMessage(3, 'Still there?')),
    });
    renderRoom();
    await screen.findByText('Say hello to start the conversation');
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await act(async () => window.dispatchEvent(new Event('offline')));
    await waitFor(() => expect(screen.getByTestId('connection-indicator').getAttribute('data-state-kind')).toBe('offline'));

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message'), 'Still there?');
    await user.keyboard('{Enter}');
    expect(await within(transcript()).findByText('Waiting for connection')).toBeTruthy();
    expect(server.calls.some((call) => call.method === 'POST')).toBe(false);

    onLine.mockReturnValue(true);
    await act(async () => window.dispatchEvent(new Event('online')));
    await waitFor(() => expect(server.calls.some((call) => call.method === 'POST' && call.path.endsWith('/messages/send'))).toBe(true));
    await waitFor(() => expect(within(transcript()).queryByText('Waiting for connection')).toBeNull());
    onLine.mockRestore();
  });

  it('marks the room read when a finished message arrives at the bottom, but not for live deltas', async () => {
    const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const server = stubServer(baseRoutes([message(1, { content: 'Earlier' })]));
    renderRoom();
    await screen.findByText('Earlier');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    const markReads = () => server.calls.filter((call) => call.method === 'POST' && call.path.endsWith('/mark-read')).length;
    await act(async () => {
      sse.send('snapshot', snapshot({ last_message_id: 1 }));
      sse.send('agent_start', { agent_id: 11, agent_name: 'Mira', agent_profile_pic: null, turn_id: 't2', attempt: 1, provider: 'openai', model: null });
      sse.send('delta', { agent_id: 11, turn_id: 't2', kind: 'response', text: 'Half a' });
    });
    await screen.findByTestId('live-bubble');
    expect(markReads()).toBe(0);
    await act(async () => sse.send('message', message(2, { content: 'Half a thought, finished.', timestamp: new Date().toISOString() }), 2));
    await waitFor(() => expect(markReads()).toBe(1));
    hasFocus.mockRestore();
  });

  it('marks the room read when the first reply arrives in a room that held only your own messages', async () => {
    const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const server = stubServer(baseRoutes([userMessage(1, 'Anyone here?')]));
    renderRoom();
    await screen.findByText('Anyone here?');
    await waitFor(() => expect(server.streams).toHaveLength(1));
    const sse = server.streams[0]!;
    const markReads = () => server.calls.filter((call) => call.method === 'POST' && call.path.endsWith('/mark-read')).length;
    await act(async () => sse.send('snapshot', snapshot({ last_message_id: 1 })));
    expect(markReads()).toBe(0);
    await act(async () => sse.send('message', message(2, { content: 'Here I am.', timestamp: new Date().toISOString() }), 2));
    await screen.findByText('Here I am.');
    await waitFor(() => expect(markReads()).toBe(1));
    hasFocus.mockRestore();
  });

  it('hides passed lines when the showPassed setting is off', async () => {
    updateSettings({ showPassed: false });
    try {
      stubServer(baseRoutes([userMessage(1, 'Anyone?'), message(2, { is_skip: true, content: '' }), message(3, { content: 'I am here' })]));
      renderRoom();
      await screen.findByText('I am here');
      expect(screen.queryByTestId('passed-line')).toBeNull();
    } finally {
      updateSettings({ showPassed: undefined });
    }
  });
});
