import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/shared/models';
import { clearToasts, ToastRegion } from '../../src/web/components/toast';
import { MessageActions, openMessageActions, type MessageTimelineAction } from '../../src/web/messages/MessageActions';
import { WhiteboardProvider } from '../../src/web/whiteboard/whiteboard-context';
import { stubFetch } from './helpers';

/** Message actions (ui.md §4.4.2 "Message actions", §10 items 48, 51, 52). */

function message(patch: Partial<Message> = {}): Message {
  return {
    id: 42,
    room_id: 3,
    agent_id: 7,
    content: '**Raw** markdown',
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
    agent_name: 'Mira',
    agent_profile_pic: null,
    ...patch,
  };
}

afterEach(() => clearToasts());

function setup(props: Partial<Parameters<typeof MessageActions>[0]> = {}) {
  const actions: MessageTimelineAction[] = [];
  const user = userEvent.setup();
  render(
    <>
      <MessageActions
        message={message()}
        roomId={3}
        isLatestAgentMessage={false}
        canDelete
        onTimelineAction={(action) => actions.push(action)}
        {...props}
      />
      <ToastRegion />
    </>,
  );
  return { actions, user };
}

describe('copy', () => {
  it('copies the raw Markdown and confirms with a check that is announced', async () => {
    const { user } = setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await user.click(screen.getByRole('button', { name: 'Copy message' }));
    expect(writeText).toHaveBeenCalledWith('**Raw** markdown');
    expect(screen.getByRole('button', { name: 'Copied' })).toBeDefined();
    await waitFor(() => expect(screen.getByTestId('message-announcer').textContent).toBe('Message copied to the clipboard'));
  });

  it('copies with thinking from the menu, by keyboard', async () => {
    const { user } = setup({ message: message({ thinking: 'Weigh it' }) });
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    screen.getByRole('button', { name: 'Message actions' }).focus();
    await user.keyboard('{Enter}');
    const item = await screen.findByRole('menuitem', { name: 'Copy with thinking' });
    item.focus();
    await user.keyboard('{Enter}');
    expect(writeText).toHaveBeenCalledWith('> **Thinking**\n> Weigh it\n\n**Raw** markdown');
  });

  it('copies the board lines of a whiteboard message', async () => {
    const diff = message({ content: '[whiteboard diff]\n+ One\n+ Two' });
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    render(
      <WhiteboardProvider messages={[diff]} hasMoreBefore={false}>
        <MessageActions message={diff} roomId={3} isLatestAgentMessage={false} canDelete={false} />
      </WhiteboardProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Copy board' }));
    expect(writeText).toHaveBeenCalledWith('One\nTwo');
  });

  it('says so in a toast when the clipboard refuses', async () => {
    const { user } = setup();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    await user.click(screen.getByRole('button', { name: 'Copy message' }));
    expect((await screen.findByRole('alert')).textContent).toContain("Couldn't copy to the clipboard");
  });
});

describe('keyboard and touch', () => {
  it('opens the menu with Shift+F10 from the copy button', async () => {
    const { user } = setup();
    screen.getByRole('button', { name: 'Copy message' }).focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(await screen.findByRole('menuitem', { name: 'Delete' })).toBeDefined();
  });

  it('opens the menu for a row from outside (Enter on a focused row, long press)', async () => {
    setup();
    expect(openMessageActions(document.body)).toBe(true);
    expect(await screen.findByRole('menuitem', { name: 'Delete' })).toBeDefined();
  });
});

describe('delete', () => {
  it('is not offered without the right to delete', async () => {
    const { user } = setup({ canDelete: false });
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    expect(await screen.findByRole('menuitem', { name: 'Copy message' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Delete' })).toBeNull();
  });

  it('asks first, then removes the message optimistically and confirms it with the server', async () => {
    const { calls } = stubFetch({ 'DELETE /api/rooms/3/messages/42': { body: { message: 'Message deleted successfully' } } });
    const { actions, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this message?' });
    expect(dialog.textContent).toContain('may still remember it');
    expect(calls).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Delete message' }));
    await waitFor(() => expect(actions).toEqual([{ type: 'deleteOptimistic', messageId: 42 }, { type: 'deleted', data: { room_id: 3, message_id: 42 } }]));
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual(['DELETE /api/rooms/3/messages/42']);
  });

  it('cancelling keeps the message', async () => {
    const { calls } = stubFetch({});
    const { actions, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(actions).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('puts the message back with an error toast and Retry when the server refuses', async () => {
    stubFetch({ 'DELETE /api/rooms/3/messages/42': { status: 403, body: { detail: 'Not your room' } } });
    const { actions, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete message' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain("Couldn't delete the message");
    expect(actions).toEqual([
      { type: 'deleteOptimistic', messageId: 42 },
      { type: 'deleteRolledBack', messageId: 42 },
    ]);
    const { calls } = stubFetch({ 'DELETE /api/rooms/3/messages/42': { body: { message: 'ok' } } });
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(calls).toHaveLength(1));
  });

  it('treats a message already gone (404) as deleted', async () => {
    stubFetch({ 'DELETE /api/rooms/3/messages/42': { status: 404, body: { detail: 'Message not found' } } });
    const { actions, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Message actions' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete message' }));
    await waitFor(() => expect(actions.at(-1)).toEqual({ type: 'deleted', data: { room_id: 3, message_id: 42 } }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('regenerate', () => {
  it('is offered only on the latest agent message, to owners', () => {
    setup({ isLatestAgentMessage: false });
    expect(screen.queryByRole('button', { name: 'Regenerate' })).toBeNull();
  });

  it('calls the regenerate route and marks the message as regenerating', async () => {
    const { calls } = stubFetch({
      'POST /api/rooms/3/messages/42/regenerate': { status: 202, body: { message: 'Regeneration started', deleted_message_id: 42, agent_id: 7 } },
    });
    const { actions, user } = setup({ isLatestAgentMessage: true });
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual(['POST /api/rooms/3/messages/42/regenerate']));
    expect(actions).toEqual([{ type: 'regenerateStarted', messageId: 42 }]);
  });

  it('rolls back and explains a 409 in a toast', async () => {
    stubFetch({ 'POST /api/rooms/3/messages/42/regenerate': { status: 409, body: { detail: 'Only the latest agent message can be regenerated' } } });
    const { actions, user } = setup({ isLatestAgentMessage: true });
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect((await screen.findByRole('alert')).textContent).toContain("Couldn't regenerate");
    expect(actions).toEqual([
      { type: 'regenerateStarted', messageId: 42 },
      { type: 'regenerateFailed', messageId: 42 },
    ]);
  });
});
