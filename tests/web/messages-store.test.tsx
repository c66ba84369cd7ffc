import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/models';
import { forgetLiveRooms, timelineStore } from '../../src/web/chat/live-room';
import { loadMarkdown } from '../../src/web/messages/markdown-loader';
import { MessageActions } from '../../src/web/messages/MessageActions';
import { MessageContent } from '../../src/web/messages/MessageContent';
import { RoomWhiteboardPanel, useRoomHasWhiteboard } from '../../src/web/whiteboard/RoomWhiteboardPanel';
import { stubFetch } from './helpers';

/** Message bodies and actions wired to the room's timeline store, as the transcript mounts them (ui.md §2.3). */

const ROOM = 8;
function message(id: number, patch: Partial<Message> = {}): Message {
  return {
    id,
    room_id: ROOM,
    agent_id: 30,
    content: 'Hello',
    role: 'assistant',
    participant_type: null,
    participant_name: null,
    thinking: null,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: null,
    model: null,
    is_skip: false,
    timestamp: '2026-01-01T10:00:00Z',
    agent_name: 'Whiteboard',
    agent_profile_pic: null,
    ...patch,
  };
}

function hold(messages: Message[], limit = 200) {
  timelineStore.open(ROOM);
  timelineStore.dispatch(ROOM, { type: 'pageLoaded', which: 'newest', messages, limit });
}

beforeAll(async () => {
  await loadMarkdown();
});

afterEach(() => forgetLiveRooms());

describe('with the timeline store', () => {
  it('replays the whiteboard over the held history without any provider', () => {
    const first = message(1, { content: '[whiteboard diff]\n+ Agenda' });
    const second = message(2, { content: '[whiteboard diff]\n+ Budget' });
    hold([first, second]);
    render(<MessageContent message={second} />);
    const items = [...screen.getByTestId('board-lines').querySelectorAll('li')];
    expect(items.map((item) => [item.dataset.status, item.textContent])).toEqual([
      ['kept', 'Agenda'],
      ['added', 'Added: Budget'],
    ]);
    expect(screen.queryByText(/Partial history/)).toBeNull();
  });

  it('says the history is partial when older pages exist, and loads them all on request', async () => {
    const user = userEvent.setup();
    const older = message(1, { content: '[whiteboard diff]\n+ Agenda' });
    const newest = message(2, { content: '[whiteboard diff]\n~ Agenda → Agenda v2' });
    hold([newest], 1);
    const { calls } = stubFetch({ 'GET /api/rooms/8/messages': { body: [older] } });
    render(<MessageContent message={newest} />);
    expect(screen.getByText(/Partial history/)).toBeDefined();
    // Without the older diff, the replace matches nothing.
    expect(screen.getByText('Board cleared')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Load full history' }));
    await waitFor(() => expect(screen.queryByText(/Partial history/)).toBeNull());
    expect(calls[0]?.url).toContain('before_id=2');
    const line = within(screen.getByTestId('board-lines')).getByText('Agenda v2');
    expect(line.closest('li')?.dataset.status).toBe('changed');
  });

  it('hides a deleted message in the store at once and drops it when the server confirms', async () => {
    const user = userEvent.setup();
    const target = message(5, { agent_name: 'Mira', content: 'Bye' });
    hold([target]);
    stubFetch({ 'DELETE /api/rooms/8/messages/5': { body: { message: 'Message deleted successfully' } } });
    render(<MessageActions message={target} roomId={ROOM} isLatestAgentMessage={false} canDelete />);
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete message' }));
    await waitFor(() => expect(timelineStore.getSnapshot(ROOM).messages.map((m) => m.id)).toEqual([]));
    expect(timelineStore.getSnapshot(ROOM).tombstones).toContain(5);
  });

  it('shows the current board in the room whiteboard panel and says when the room has one', () => {
    function Probe() {
      return <output data-testid="has-board">{String(useRoomHasWhiteboard(ROOM))}</output>;
    }
    hold([message(1, { content: 'plain reply' })]);
    const { rerender } = render(<Probe />);
    expect(screen.getByTestId('has-board').textContent).toBe('false');
    hold([message(1, { content: '[whiteboard diff]\n+ Agenda\n+ Venue' }), message(2, { content: '[whiteboard diff]\n- Venue' })]);
    rerender(
      <>
        <Probe />
        <RoomWhiteboardPanel roomId={ROOM} />
      </>,
    );
    expect(screen.getByTestId('has-board').textContent).toBe('true');
    expect(screen.getByText('Agenda')).toBeDefined();
    expect(screen.queryByText('Venue')).toBeNull();
  });
});
