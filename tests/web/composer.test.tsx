import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agent } from '../../src/shared/models';
import { Composer } from '../../src/web/composer/Composer';
import { resetDraftPruningForTests } from '../../src/web/composer/use-draft';
import { i18next } from '../../src/web/i18n';
import { queryKeys } from '../../src/web/lib/query';
import { updateSettings } from '../../src/web/lib/settings';
import { draftsKey, parseDrafts } from '../../src/web/send/drafts';
import { testQueryClient } from './helpers';

const USER = 'u1';
type Props = Partial<ComponentProps<typeof Composer>>;

function renderComposer(props: Props = {}, label = 'Message') {
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.me, { role: 'admin', user_id: USER, expires_at: '2099-01-01T00:00:00Z' });
  const onSend = vi.fn();
  const onStop = vi.fn();
  const all = { roomId: 7, members: [] as Agent[], onSend, onStop, replying: false, ...props };
  const view = render(
    <QueryClientProvider client={queryClient}>
      <Composer {...all} />
    </QueryClientProvider>,
  );
  const rerender = (next: Props) =>
    view.rerender(
      <QueryClientProvider client={queryClient}>
        <Composer {...all} {...next} />
      </QueryClientProvider>,
    );
  const textarea = screen.getByRole('combobox', { name: label }) as HTMLTextAreaElement;
  return { ...view, rerender, onSend, onStop, textarea };
}

function storedDraft(roomId = 7) {
  return parseDrafts(localStorage.getItem(draftsKey(USER)))[roomId];
}

describe('composer: send keys', () => {
  beforeEach(() => updateSettings({ sendKey: undefined }));

  it('sends on Enter as the user and clears the field', async () => {
    updateSettings({ sendKey: 'enter' });
    const { onSend, textarea } = renderComposer();
    const user = userEvent.setup();
    await user.type(textarea, '  안녕하세요  ');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith({ content: '안녕하세요', participant_type: 'user' });
    expect(textarea.value).toBe('');
  });

  it.each(['enter', 'mod-enter'] as const)('never sends while an input method is composing (%s mode)', async (sendKey) => {
    updateSettings({ sendKey });
    const { onSend, textarea } = renderComposer();
    fireEvent.change(textarea, { target: { value: '한' } });
    const ctrl = sendKey === 'mod-enter';
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter', ctrlKey: ctrl, isComposing: true });
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter', ctrlKey: ctrl, keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
    expect(textarea.value).toBe('한');
    // The Enter after the composition ended sends the finished syllable once.
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter', ctrlKey: ctrl });
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith({ content: '한', participant_type: 'user' });
  });

  it('adds a newline on Shift+Enter', async () => {
    updateSettings({ sendKey: 'enter' });
    const { onSend, textarea } = renderComposer();
    await userEvent.setup().type(textarea, 'one{Shift>}{Enter}{/Shift}two');
    expect(onSend).not.toHaveBeenCalled();
    expect(textarea.value).toBe('one\ntwo');
  });

  it('with the mod-enter setting, Enter is a newline and Ctrl+Enter sends', async () => {
    updateSettings({ sendKey: 'mod-enter' });
    const { onSend, textarea } = renderComposer();
    const user = userEvent.setup();
    await user.type(textarea, 'one{Enter}two');
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).toHaveBeenCalledWith({ content: 'one\ntwo', participant_type: 'user' });
  });

  it('defaults to Ctrl+Enter on a coarse pointer', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query !== '(pointer: fine)', media: query }) as MediaQueryList);
    const { onSend, textarea } = renderComposer();
    await userEvent.setup().type(textarea, 'one{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(textarea.value).toBe('one\n');
  });

  it('does not send blank text; the Send button says why', async () => {
    const { onSend, textarea } = renderComposer();
    const user = userEvent.setup();
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send.getAttribute('aria-disabled')).toBe('true');
    expect(send.getAttribute('title')).toBe('Type a message or attach an image first');
    await user.click(send);
    await user.type(textarea, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await user.type(textarea, 'hi');
    expect(send.getAttribute('aria-disabled')).toBe('false');
    await user.click(send);
    expect(onSend).toHaveBeenCalledWith({ content: 'hi', participant_type: 'user' });
  });
});

describe('composer: persona', () => {
  it('sends as Situation', async () => {
    const { onSend, textarea } = renderComposer();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send as: You' }));
    await user.click(screen.getByRole('radio', { name: 'Situation' }));
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Send as: Situation' })).toBeTruthy();
    expect(textarea.placeholder).toBe('Message as Situation…');
    await user.type(textarea, 'It starts to rain.{Enter}');
    expect(onSend).toHaveBeenCalledWith({ content: 'It starts to rain.', participant_type: 'situation_builder' });
  });

  it('needs a name to send as a character, then remembers it among the recent names', async () => {
    const { onSend, textarea } = renderComposer();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send as: You' }));
    await user.click(screen.getByRole('radio', { name: 'Character' }));
    await user.keyboard('{Escape}');
    await user.type(textarea, 'Hello there{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send.getAttribute('aria-disabled')).toBe('true');
    expect(send.getAttribute('title')).toBe("Enter the character's name in the persona menu");

    await user.click(screen.getByRole('button', { name: 'Send as: Character' }));
    await user.type(screen.getByRole('textbox', { name: 'Character name' }), 'Captain{Enter}');
    expect(textarea.placeholder).toBe('Message as Captain…');
    await user.click(send);
    expect(onSend).toHaveBeenCalledWith({ content: 'Hello there', participant_type: 'character', participant_name: 'Captain' });

    // The persona stays for the next message, and the name is offered again.
    await user.click(screen.getByRole('button', { name: 'Send as: Character: Captain' }));
    const recent = screen.getByRole('group', { name: 'Recent characters' });
    expect(within(recent).getByRole('button', { name: 'Captain' })).toBeTruthy();
    expect(storedDraft()?.recentCharacters).toEqual(['Captain']);
  });
});

describe('composer: Stop', () => {
  it('shows Stop only while agents are replying, and it calls onStop', async () => {
    const { onStop, rerender } = renderComposer();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    rerender({ replying: true });
    const stop = screen.getByRole('button', { name: 'Stop' });
    expect(stop.getAttribute('title')).toBe('Stop the replies (pauses the room)');
    await userEvent.setup().click(stop);
    expect(onStop).toHaveBeenCalledTimes(1);
  });
});

describe('composer: drafts', () => {
  beforeEach(() => resetDraftPruningForTests());

  it('saves the draft 300 ms after typing stops, per room', () => {
    vi.useFakeTimers();
    const { textarea } = renderComposer();
    fireEvent.change(textarea, { target: { value: 'half a thought' } });
    act(() => vi.advanceTimersByTime(299));
    expect(storedDraft()).toBeUndefined();
    act(() => vi.advanceTimersByTime(1));
    expect(storedDraft()?.text).toBe('half a thought');
    expect(storedDraft(8)).toBeUndefined();
  });

  it('restores text and persona when the room opens again, and not in another room', async () => {
    const first = renderComposer();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send as: You' }));
    await user.click(screen.getByRole('radio', { name: 'Situation' }));
    await user.keyboard('{Escape}');
    fireEvent.change(first.textarea, { target: { value: '아직 못 보낸 글' } });
    first.unmount(); // a room switch saves at once

    const again = renderComposer();
    expect(again.textarea.value).toBe('아직 못 보낸 글');
    expect(screen.getByRole('button', { name: 'Send as: Situation' })).toBeTruthy();
    again.unmount();

    const other = renderComposer({ roomId: 8 });
    expect(other.textarea.value).toBe('');
  });

  it('saves on pagehide', () => {
    const { textarea } = renderComposer();
    fireEvent.change(textarea, { target: { value: 'leaving' } });
    window.dispatchEvent(new Event('pagehide'));
    expect(storedDraft()?.text).toBe('leaving');
  });

  it('clears the draft text when the message is sent', async () => {
    localStorage.setItem(
      draftsKey(USER),
      JSON.stringify({ version: 1, rooms: { 7: { text: 'old', persona: 'user', characterName: '', recentCharacters: [], outbox: [], updatedAt: Date.now() } } }),
    );
    const { textarea } = renderComposer();
    expect(textarea.value).toBe('old');
    await userEvent.setup().type(textarea, '{Enter}');
    expect(storedDraft()).toBeUndefined();
  });

  it('prunes drafts untouched for 30 days', () => {
    const old = Date.now() - 31 * 24 * 60 * 60 * 1_000;
    localStorage.setItem(
      draftsKey(USER),
      JSON.stringify({ version: 1, rooms: { 7: { text: 'ancient', persona: 'user', characterName: '', recentCharacters: [], outbox: [], updatedAt: old } } }),
    );
    const { textarea } = renderComposer();
    expect(textarea.value).toBe('');
    expect(storedDraft()).toBeUndefined();
  });
});

describe('composer: Edit from a failed send', () => {
  it('puts the text back into an empty composer', () => {
    const { rerender, textarea } = renderComposer();
    rerender({ editText: { text: 'try again', nonce: 1 } });
    expect(textarea.value).toBe('try again');
  });

  it('asks before replacing text already in the composer', async () => {
    const { rerender, textarea } = renderComposer();
    fireEvent.change(textarea, { target: { value: 'newer text' } });
    rerender({ editText: { text: 'failed text', nonce: 1 } });
    expect(textarea.value).toBe('newer text');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Add below' }));
    expect(textarea.value).toBe('newer text\n\nfailed text');
    rerender({ editText: { text: 'second failure', nonce: 2 } });
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    expect(textarea.value).toBe('second failure');
  });
});

describe('composer: Korean', () => {
  it('writes the placeholder with the particle that fits the persona', async () => {
    await i18next.changeLanguage('ko');
    try {
      const { textarea } = renderComposer({}, '메시지');
      expect(textarea.placeholder).toBe('나로 메시지 보내기…');
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: '보내는 사람: 나' }));
      await user.click(screen.getByRole('radio', { name: '상황' }));
      expect(textarea.placeholder).toBe('상황으로 메시지 보내기…');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});
