import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agent } from '../../src/shared/models';
import { Composer } from '../../src/web/composer/Composer';
import { requestMention } from '../../src/web/composer/composer-events';
import { queryKeys } from '../../src/web/lib/query';
import { updateSettings } from '../../src/web/lib/settings';
import { testQueryClient } from './helpers';

function agent(id: number, name: string, group: string | null = null): Agent {
  return {
    id,
    name,
    group,
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
    created_at: '2026-01-01T00:00:00Z',
  } as Agent;
}

const MEMBERS = [agent(1, 'Mira'), agent(2, 'Mira Kim', 'Frieren'), agent(3, '하늘'), agent(4, '한결')];

function renderComposer(props: Partial<ComponentProps<typeof Composer>> = {}) {
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.me, { role: 'admin', user_id: 'u1', expires_at: '2099-01-01T00:00:00Z' });
  const onSend = vi.fn();
  const all = { roomId: 3, members: MEMBERS, onSend, onStop: vi.fn(), replying: false, ...props };
  const view = render(
    <QueryClientProvider client={queryClient}>
      <Composer {...all} />
    </QueryClientProvider>,
  );
  const rerender = (next: Partial<ComponentProps<typeof Composer>>) =>
    view.rerender(
      <QueryClientProvider client={queryClient}>
        <Composer {...all} {...next} />
      </QueryClientProvider>,
    );
  const textarea = screen.getByRole('combobox', { name: 'Message' }) as HTMLTextAreaElement;
  return { onSend, textarea, rerender, user: userEvent.setup() };
}

/** An option's visible text without the avatar's decorative initial: "Mira Kim · Frieren". */
const optionText = (option: HTMLElement) =>
  Array.from(option.querySelectorAll('span:not([aria-hidden])'), (part) => part.textContent).join(' · ');
const options = () => screen.queryAllByRole('option').map(optionText);
const selected = () => {
  const option = screen.getAllByRole('option').find((candidate) => candidate.getAttribute('aria-selected') === 'true');
  return option && optionText(option);
};

describe('composer: mention menu', () => {
  beforeEach(() => updateSettings({ sendKey: 'enter' }));

  it('opens on @ with the members, moves with ↑/↓ (wrapping) and inserts the full name with Enter', async () => {
    const { textarea, user, onSend } = renderComposer();
    await user.type(textarea, 'hi @');
    expect(textarea.getAttribute('aria-expanded')).toBe('true');
    expect(options()).toEqual(['Mira', 'Mira Kim · Frieren', '하늘', '한결']);
    expect(selected()).toBe('Mira');
    await user.keyboard('{ArrowUp}');
    expect(selected()).toBe('한결');
    expect(textarea.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[3]!.id);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selected()).toBe('Mira Kim · Frieren');
    await user.keyboard('{Enter}');
    expect(textarea.value).toBe('hi @Mira Kim ');
    expect(textarea.selectionStart).toBe(textarea.value.length);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('inserts with Tab and filters Korean names by initial consonants', async () => {
    const { textarea, user } = renderComposer();
    await user.type(textarea, '@ㅎㄱ');
    expect(options()).toEqual(['한결']);
    await user.keyboard('{Tab}');
    expect(textarea.value).toBe('@한결 ');
  });

  it('keeps a query with a space open while a name starts with it', async () => {
    const { textarea, user } = renderComposer();
    await user.type(textarea, '@mira k');
    expect(options()).toEqual(['Mira Kim · Frieren']);
    await user.type(textarea, 'x');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('closes on Esc and stays closed for that @', async () => {
    const { textarea, user } = renderComposer();
    await user.type(textarea, '@M');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.type(textarea, 'i');
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.type(textarea, ' @');
    expect(screen.getByRole('listbox')).toBeTruthy();
  });

  it('ignores Enter, Tab and arrows while an input method is composing', async () => {
    const { textarea, user, onSend } = renderComposer();
    await user.type(textarea, '@하');
    fireEvent.keyDown(textarea, { key: 'ArrowDown', isComposing: true });
    fireEvent.keyDown(textarea, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(textarea, { key: 'Tab', keyCode: 229 });
    expect(textarea.value).toBe('@하');
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(textarea, { key: 'Enter' });
    expect(textarea.value).toBe('@하늘 ');
  });

  it('says when nothing matches, and when there are no members', async () => {
    const { textarea, user, rerender } = renderComposer();
    await user.type(textarea, '@zz');
    expect(screen.getByText('No matching agents')).toBeTruthy();
    rerender({ members: [] });
    expect(screen.getByText('Add agents to mention them')).toBeTruthy();
  });

  it('follows the live members list', async () => {
    const { textarea, user, rerender } = renderComposer();
    await user.type(textarea, '@새');
    expect(screen.getByText('No matching agents')).toBeTruthy();
    rerender({ members: [...MEMBERS, agent(5, '새봄')] });
    expect(options()).toEqual(['새봄']);
  });

  it('inserts a name asked for by the agent panel', () => {
    const { textarea } = renderComposer();
    fireEvent.change(textarea, { target: { value: 'hello', selectionStart: 5 } });
    act(() => requestMention(3, 'Mira Kim'));
    expect(textarea.value).toBe('hello @Mira Kim ');
    act(() => requestMention(4, 'Mira'));
    expect(textarea.value).toBe('hello @Mira Kim ');
  });
});

describe('composer: sending mentions', () => {
  beforeEach(() => updateSettings({ sendKey: 'enter' }));

  it('sends the mentioned ids with the text unchanged, particles included', async () => {
    const { textarea, user, onSend } = renderComposer();
    await user.type(textarea, '@하늘아 `@Mira` 일어나');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith({ content: '@하늘아 `@Mira` 일어나', participant_type: 'user', mentioned_agent_ids: [3] });
  });

  it('shows the Only mentioned reply chip with a mention, sends mention_mode only, and resets after the send', async () => {
    const { textarea, user, onSend } = renderComposer();
    expect(screen.queryByRole('button', { name: 'Only mentioned reply' })).toBeNull();
    await user.type(textarea, '@Mira hi');
    const chip = screen.getByRole('button', { name: 'Only mentioned reply' });
    expect(chip.getAttribute('aria-pressed')).toBe('false');
    await user.click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledWith({ content: '@Mira hi', participant_type: 'user', mentioned_agent_ids: [1], mention_mode: 'only' });
    await user.type(textarea, '@Mira again');
    expect(screen.getByRole('button', { name: 'Only mentioned reply' }).getAttribute('aria-pressed')).toBe('false');
  });
});
