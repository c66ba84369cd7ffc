import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Composer } from '../../src/web/chat/Composer';
import { updateSettings } from '../../src/web/lib/settings';

function setup(sendKey: 'enter' | 'mod-enter' = 'enter') {
  updateSettings({ sendKey });
  const onSend = vi.fn();
  render(<Composer onSend={onSend} />);
  const textarea = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  return { onSend, textarea, user: userEvent.setup() };
}

describe('composer', () => {
  beforeEach(() => updateSettings({ sendKey: undefined }));

  it('sends on Enter and clears the field', async () => {
    const { onSend, textarea, user } = setup();
    await user.type(textarea, '  안녕하세요  ');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith('안녕하세요');
    expect(textarea.value).toBe('');
  });

  it('never sends while an input method is composing (isComposing or keyCode 229)', async () => {
    const { onSend, textarea, user } = setup();
    await user.type(textarea, '한');
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter', isComposing: true });
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter', keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
    expect(textarea.value).toBe('한');
    // The Enter after the composition ended sends the finished syllable once.
    fireEvent.keyDown(textarea, { key: 'Enter', code: 'Enter' });
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith('한');
  });

  it('adds a newline on Shift+Enter', async () => {
    const { onSend, textarea, user } = setup();
    await user.type(textarea, 'one{Shift>}{Enter}{/Shift}two');
    expect(onSend).not.toHaveBeenCalled();
    expect(textarea.value).toBe('one\ntwo');
  });

  it('with the mod-enter setting, Enter is a newline and Ctrl+Enter sends', async () => {
    const { onSend, textarea, user } = setup('mod-enter');
    await user.type(textarea, 'one{Enter}two');
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).toHaveBeenCalledWith('one\ntwo');
  });

  it('does not send blank text; the Send button says why', async () => {
    const { onSend, textarea, user } = setup();
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send.getAttribute('aria-disabled')).toBe('true');
    expect(send.getAttribute('title')).toBe('Type a message first');
    await user.click(send);
    await user.type(textarea, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await user.type(textarea, 'hi');
    expect(send.getAttribute('aria-disabled')).toBe('false');
    await user.click(send);
    expect(onSend).toHaveBeenCalledWith('hi');
  });
});
