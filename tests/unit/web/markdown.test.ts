import { describe, expect, it } from 'vitest';
import { safeHref } from '../../../src/web/messages/links.js';
import { findMentions } from '../../../src/web/messages/markdown-plugins.js';
import { imageUrl, messageKind, withThinking } from '../../../src/web/messages/message-kind.js';

/** Pure pieces of message rendering (ui.md §4.4.3, §4.4.7 chips, §3.4 kinds). */

describe('safeHref', () => {
  it('follows only http, https and mailto', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('mailto:a@b.co')).toBe('mailto:a@b.co');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative', '#top', '', null, undefined]) {
      expect(safeHref(bad), String(bad)).toBeNull();
    }
  });
});

describe('findMentions (chips)', () => {
  const members = [
    { id: 1, name: 'Mira' },
    { id: 2, name: 'Mira Sol' },
    { id: 3, name: '하늘' },
  ];

  it('takes the longest member name, in any case, with a particle right after', () => {
    expect(findMentions('hi @mira sol!', members)).toEqual([{ start: 3, end: 12, id: 2 }]);
    expect(findMentions('@하늘아 안녕', members)).toEqual([{ start: 0, end: 3, id: 3 }]);
    expect(findMentions('(@Mira)', members)).toEqual([{ start: 1, end: 6, id: 1 }]);
  });

  it('ignores e-mail addresses and non-members', () => {
    expect(findMentions('write to x@Mira.com', members)).toEqual([]);
    expect(findMentions('@Nobody here', members)).toEqual([]);
    expect(findMentions('@Mira', [])).toEqual([]);
  });

  it('matches decomposed Hangul once the text is NFC', () => {
    const nfd = '@하늘'.normalize('NFD');
    expect(findMentions(nfd.normalize('NFC'), members)).toHaveLength(1);
  });
});

describe('message kinds', () => {
  const base = { participant_type: null, role: 'assistant' as const, is_skip: false, agent_id: 5 };

  it('tells notices, people, situations, skips, critics and agents apart', () => {
    expect(messageKind({ ...base, participant_type: 'system', agent_id: null })).toBe('notice');
    expect(messageKind({ ...base, participant_type: 'user', role: 'user', agent_id: null })).toBe('user');
    expect(messageKind({ ...base, participant_type: 'character', role: 'user', agent_id: null })).toBe('character');
    expect(messageKind({ ...base, participant_type: 'situation_builder', role: 'user', agent_id: null })).toBe('situation');
    expect(messageKind({ ...base, is_skip: true })).toBe('skip');
    expect(messageKind(base, [{ id: 5, is_critic: true } as never])).toBe('critic');
    expect(messageKind(base, [{ id: 5, is_critic: false } as never])).toBe('agent');
  });

  it('builds image URLs only for the four accepted types', () => {
    expect(imageUrl({ image_data: 'AAAA', image_media_type: 'image/webp' })).toBe('data:image/webp;base64,AAAA');
    expect(imageUrl({ image_data: 'AA-_', image_media_type: 'image/png' })).toBe('data:image/png;base64,AA+/');
    expect(imageUrl({ image_data: 'AAAA', image_media_type: 'image/svg+xml' })).toBeNull();
    expect(imageUrl({ image_data: null, image_media_type: null })).toBeNull();
  });

  it('copies with thinking as a quoted block before the reply', () => {
    expect(withThinking({ content: 'Reply', thinking: 'a\n\nb' }, 'Thinking')).toBe('> **Thinking**\n> a\n>\n> b\n\nReply');
    expect(withThinking({ content: 'Reply', thinking: '  ' }, 'Thinking')).toBe('Reply');
  });
});
