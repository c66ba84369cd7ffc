import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/shared/models';
import { updateSettings } from '../../src/web/lib/settings';
import { loadMarkdown } from '../../src/web/messages/markdown-loader';
import { MessageContent } from '../../src/web/messages/MessageContent';
import { WhiteboardProvider } from '../../src/web/whiteboard/whiteboard-context';
import { WhiteboardPanel } from '../../src/web/whiteboard/WhiteboardPanel';
import { agent } from '../unit/web/helpers/fixtures';

/** The message body (ui.md §4.4.2–4.4.4, §4.4.6, §4.10, §9.1 `MessageRow`). */

let nextId = 100;
function message(patch: Partial<Message> = {}): Message {
  return {
    id: nextId++,
    room_id: 1,
    agent_id: 7,
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
    agent_name: 'Mira',
    agent_profile_pic: null,
    ...patch,
  };
}


const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

// The renderer is its own chunk; the tests start once it is here, as a room does a moment after opening.
beforeAll(async () => {
  await loadMarkdown();
  await import('../../src/web/messages/highlight');
}, 60_000);

afterEach(() => {
  updateSettings({ showThinking: undefined });
});

describe('Markdown sanitization', () => {
  it('never runs a <script> and shows raw HTML as text', () => {
    const { container } = render(<MessageContent message={message({ content: 'Hi <script>window.pwned = 1</script>\n\n<b onclick="x()">bold?</b>' })} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<script>window.pwned = 1</script>');
    expect(container.textContent).toContain('<b onclick="x()">');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('drops onerror attributes: an <img onerror> stays text and no element carries handlers', () => {
    const { container } = render(<MessageContent message={message({ content: '<img src=x onerror="alert(1)">' })} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.textContent).toContain('onerror="alert(1)"');
  });

  it('turns javascript: and data: links into plain text and keeps safe links in a new tab', () => {
    const { container } = render(
      <MessageContent
        message={message({ content: '[bad](javascript:alert(1)) [data](data:text/html,hi) [good](https://example.com/x) [mail](mailto:a@b.co)' })}
      />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/x', 'mailto:a@b.co']);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
    expect(screen.getByText('bad').closest('a')).toBeNull();
    expect(screen.getByText('data').closest('a')).toBeNull();
  });

  it('never loads Markdown images: they become a link labelled with the alt text', () => {
    const { container } = render(<MessageContent message={message({ content: '![a cat](https://example.com/cat.png) ![](javascript:x)' })} />);
    expect(container.querySelector('img')).toBeNull();
    const link = screen.getByRole('link', { name: 'Image: a cat' });
    expect(link.getAttribute('href')).toBe('https://example.com/cat.png');
    expect(screen.getByText('Image: untitled').closest('a')).toBeNull();
  });

  it('renders GFM (tables, strikethrough, task lists) and single newlines as line breaks', () => {
    const { container } = render(
      <MessageContent message={message({ content: 'line one\nline two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done' })} />,
    );
    expect(container.querySelector('br')).not.toBeNull();
    expect(container.querySelector('table')).not.toBeNull();
    expect(container.querySelector('del')?.textContent).toBe('gone');
    expect(container.querySelector('input[type="checkbox"]')).not.toBeNull();
  });
});

describe('code blocks', () => {
  it('shows the language, copies the code and highlights it with token elements', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const { container } = render(<MessageContent message={message({ content: '```ts\nconst answer = 42;\n```' })} />);
    const block = screen.getByTestId('code-block');
    expect(within(block).getByText('ts')).toBeDefined();
    await user.click(within(block).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('const answer = 42;');
    expect(await within(block).findByText('Copied')).toBeDefined();
    // The lazily loaded highlighter turns `const` into its own span.
    await waitFor(() => expect([...container.querySelectorAll('pre code span')].some((span) => span.textContent === 'const')).toBe(true), { timeout: 10_000 });
  });

  it('collapses blocks over 30 lines to "Show all N lines"', async () => {
    const user = userEvent.setup();
    const code = Array.from({ length: 40 }, (_, index) => `line ${index + 1}`).join('\n');
    render(<MessageContent message={message({ content: '```\n' + code + '\n```' })} />);
    expect(screen.queryByText(/line 40/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show all 40 lines' }));
    expect(screen.getByText(/line 40/)).toBeDefined();
  });

  it('keeps mentions out of code but shows member mentions elsewhere as chips', () => {
    const members = [agent(7, 'Mira'), agent(8, 'Tobin Lee')];
    const { container } = render(<MessageContent message={message({ content: 'Hey @Tobin Lee and @하늘 and `@Mira`, mail a@Mira.com' })} members={members} />);
    const chips = [...container.querySelectorAll('[data-mention]')];
    expect(chips.map((chip) => chip.textContent)).toEqual(['@Tobin Lee']);
    expect(chips[0]?.getAttribute('data-mention')).toBe('8');
  });
  it('a message drawn again after its members changed gets chips for the new members (kept parses are per member list)', () => {
    const content = message({ content: 'Thanks, @Tobin and @Mira' });
    const first = render(<MessageContent message={content} members={[agent(7, 'Mira')]} />);
    expect([...first.container.querySelectorAll('[data-mention]')].map((chip) => chip.textContent)).toEqual(['@Mira']);
    first.unmount();
    const again = render(<MessageContent message={content} members={[agent(7, 'Mira'), agent(9, 'Tobin')]} />);
    expect([...again.container.querySelectorAll('[data-mention]')].map((chip) => chip.textContent)).toEqual(['@Tobin', '@Mira']);
  });
});

describe('thinking', () => {
  it('is a collapsed disclosure by default that opens and closes', async () => {
    const user = userEvent.setup();
    render(<MessageContent message={message({ thinking: 'Consider the tides', content: 'Answer' })} />);
    const toggle = screen.getByRole('button', { name: 'Thinking' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('Consider the tides')).toBeNull();
    await user.click(toggle);
    expect(screen.getByText('Consider the tides')).toBeDefined();
    await user.click(toggle);
    expect(screen.queryByText('Consider the tides')).toBeNull();
  });

  it('reads "Thought for N s" when the duration is known and starts open with showThinking', () => {
    updateSettings({ showThinking: true });
    render(<MessageContent message={message({ thinking: 'Plan', content: 'Done' })} thoughtMs={4_400} />);
    expect(screen.getByRole('button', { name: 'Thought for 4 s' }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('Plan')).toBeDefined();
  });
});

describe('row types', () => {
  it('collapses a critic reply into a "Critic note"', async () => {
    const user = userEvent.setup();
    render(<MessageContent message={message({ agent_id: 9, content: 'Too verbose.' })} members={[agent(9, 'Critic', { is_critic: true })]} />);
    expect(screen.queryByText('Too verbose.')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Critic note' }));
    expect(screen.getByText('Too verbose.')).toBeDefined();
  });

  it('renders user, character and situation bodies as Markdown', () => {
    render(
      <>
        <MessageContent message={message({ agent_id: null, role: 'user', participant_type: 'user', content: '**mine**' })} />
        <MessageContent message={message({ agent_id: null, role: 'user', participant_type: 'character', participant_name: 'Ann', content: '*as Ann*' })} />
        <MessageContent message={message({ agent_id: null, role: 'user', participant_type: 'situation_builder', content: 'A storm rolls in.' })} />
      </>,
    );
    expect(screen.getByText('mine').tagName).toBe('STRONG');
    expect(screen.getByText('as Ann').tagName).toBe('EM');
    expect(screen.getByText('A storm rolls in.').closest('[data-kind]')?.getAttribute('data-kind')).toBe('situation');
  });

  it('shows a provider/model badge on agent replies', () => {
    render(<MessageContent message={message({ provider: 'claude', model: 'sonnet' })} roomProvider="openai" />);
    const badge = screen.getByTestId('model-badge');
    expect(badge.textContent).toContain('Claude');
    expect(badge.querySelector('[title]')?.getAttribute('title')).toContain('sonnet');
  });

  it('mutes the badge to hover and focus when the message used the room provider', () => {
    render(<MessageContent message={message({ provider: 'openai', model: 'gpt' })} roomProvider="openai" />);
    const badge = screen.getByTestId('model-badge');
    expect(badge.className).toContain('opacity-0');
    expect(badge.className).toContain('group-focus-within:opacity-100');
    expect(badge.className).toContain('coarse:opacity-100');
  });

  it('shows a caret at the end of a live reply, inside its last paragraph, and none once finished', () => {
    const live = message({ content: 'First part\n\nStill **streaming**' });
    const { rerender } = render(<MessageContent message={live} live />);
    const caret = screen.getByTestId('live-caret');
    expect(caret.closest('p')?.textContent).toBe('Still streaming');
    expect(caret.previousSibling?.textContent).toBe('streaming');
    rerender(<MessageContent message={live} />);
    expect(screen.queryByTestId('live-caret')).toBeNull();
  });

  it('draws a delta at once as plain text before the caret, and the next parse (≤ 100 ms later) formats it', async () => {
    // The first delta ends with the space before the next word: the parse drops it, the tail must keep it.
    const first = message({ content: 'The tide is **high** ' });
    const { rerender } = render(<MessageContent message={first} live />);
    rerender(<MessageContent message={{ ...first, content: 'The tide is **high** and *rising* ' }} live />);
    const caret = screen.getByTestId('live-caret');
    // Straight after the delta: the new words are on screen, unformatted, inside the same paragraph.
    expect(caret.closest('p')?.textContent).toBe('The tide is high and *rising*');
    expect(caret.closest('p')?.querySelector('em')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('live-caret').closest('p')?.querySelector('em')?.textContent).toBe('rising'));
    expect(screen.getByTestId('live-caret').closest('p')?.textContent).toBe('The tide is high and rising');
  });

  it('shows the image and opens it in a lightbox that Esc closes, returning focus', async () => {
    const user = userEvent.setup();
    render(<MessageContent message={message({ image_data: PNG_1PX, image_media_type: 'image/png' })} />);
    const thumb = screen.getByRole('button', { name: 'Open the image from Mira' });
    expect(within(thumb).getByRole('img', { name: 'Image from Mira' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await user.click(thumb);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('link', { name: 'Download' }).getAttribute('download')).toMatch(/\.png$/);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(thumb);
  });

  it('never shows an SVG image from a message', () => {
    const { container } = render(<MessageContent message={message({ image_data: 'PHN2Zz48L3N2Zz4=', image_media_type: 'image/svg+xml' })} />);
    expect(container.querySelector('img')).toBeNull();
  });

  it('clamps very long messages with Show more', async () => {
    const scrollHeight = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(2_000);
    const user = userEvent.setup();
    const { container } = render(<MessageContent message={message({ content: 'A long story. '.repeat(120) })} />);
    expect(container.querySelector('[data-clamped]')).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(container.querySelector('[data-clamped]')).toBeNull();
    scrollHeight.mockRestore();
  });

  it('does not measure a message too short to be tall', () => {
    const scrollHeight = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(2_000);
    const { container } = render(<MessageContent message={message({ content: 'A short line.\n'.repeat(20) })} />);
    expect(container.querySelector('[data-clamped]')).toBeNull();
    expect(scrollHeight).not.toHaveBeenCalled();
    scrollHeight.mockRestore();
  });
});

describe('whiteboard cards', () => {
  const wb = (id: number, ...lines: string[]) => message({ id, agent_id: 30, agent_name: '화이트보드', content: ['[화이트보드 diff]', ...lines].join('\n') });

  it('renders each diff as the board after it, with added and changed lines marked and removed ones listed', async () => {
    const user = userEvent.setup();
    const history = [wb(1, '+ Agenda', '+ Budget'), wb(2, '~ Budget → Budget: 5k', '- Agenda', '+ Venue')];
    render(
      <WhiteboardProvider messages={history} hasMoreBefore={false}>
        <MessageContent message={history[1]!} />
      </WhiteboardProvider>,
    );
    const card = screen.getByTestId('whiteboard-card');
    const items = [...within(card).getByTestId('board-lines').querySelectorAll('li')];
    expect(items.map((item) => [item.dataset.status, item.textContent])).toEqual([
      ['changed', 'Changed: Budget: 5k'],
      ['added', 'Added: Venue'],
    ]);
    expect(within(card).getByText('Agenda').className).toContain('line-through');
    expect(within(card).queryByText(/\[화이트보드 diff\]/)).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Show diff' }));
    expect(within(card).getByText(/~ Budget → Budget: 5k/)).toBeDefined();
    expect(within(card).queryByText(/Partial history/)).toBeNull();
  });

  it('shows "Board cleared" for an empty board and the partial-history note with Load full history', async () => {
    const user = userEvent.setup();
    const loadFull = vi.fn(async () => {});
    const history = [wb(5, 'CLEAR')];
    render(
      <WhiteboardProvider messages={history} hasMoreBefore onLoadFullHistory={loadFull}>
        <MessageContent message={history[0]!} />
      </WhiteboardProvider>,
    );
    expect(screen.getByText('Board cleared')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Load full history' }));
    expect(loadFull).toHaveBeenCalledTimes(1);
  });

  it('renders a whiteboard-agent message without a marker as a normal reply', () => {
    render(<MessageContent message={message({ agent_id: 30, content: 'Just saying hi' })} />);
    expect(screen.queryByTestId('whiteboard-card')).toBeNull();
    expect(screen.getByText('Just saying hi')).toBeDefined();
  });

  it('shows the current board in the panel with Copy board', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    render(<WhiteboardPanel messages={[wb(1, '+ A', '+ B'), wb(2, '- A')]} hasMoreBefore={false} />);
    expect(screen.getByText('B')).toBeDefined();
    expect(screen.queryByText('A')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Copy board' }));
    expect(writeText).toHaveBeenCalledWith('B');
  });
});

