import { describe, expect, it } from 'vitest';
import { extractMentions, findMentionQuery, insertMention, insertMentionAt, isCompleteMention, MAX_MENTIONS } from '../../../src/web/composer/mentions.js';

const members = [
  { id: 1, name: 'Mira' },
  { id: 2, name: 'Mira Kim' },
  { id: 3, name: '하늘' },
  { id: 4, name: 'Dr. Who' },
];

describe('extractMentions', () => {
  it('finds names with spaces and prefers the longest name', () => {
    expect(extractMentions('@Mira Kim hello', members)).toEqual([2]);
    expect(extractMentions('@Mira hello', members)).toEqual([1]);
    expect(extractMentions('hi @Dr. Who!', members)).toEqual([4]);
  });

  it('ignores case and normalization form', () => {
    expect(extractMentions('@mira KIM', members)).toEqual([2]);
    expect(extractMentions(`@${'하늘'.normalize('NFD')} 안녕`, members)).toEqual([3]);
    expect(extractMentions('@하늘', [{ id: 9, name: '하늘'.normalize('NFD') }])).toEqual([9]);
  });

  it('matches a name with a particle right after it', () => {
    expect(extractMentions('@하늘아 일어나', members)).toEqual([3]);
    expect(extractMentions('@하늘은 어때?', members)).toEqual([3]);
  });

  it('does not treat an e-mail address as a mention', () => {
    expect(extractMentions('write to x@Mira.com', members)).toEqual([]);
  });

  it('accepts a mention after opening punctuation', () => {
    expect(extractMentions('(@Mira) and “@하늘”', members)).toEqual([1, 3]);
  });

  it('skips mentions inside code spans and fences', () => {
    expect(extractMentions('`@Mira` and ``a @하늘 b``', members)).toEqual([]);
    expect(extractMentions('```\n@Mira\n```\n@하늘', members)).toEqual([3]);
    expect(extractMentions('~~~js\n@Mira\n', members)).toEqual([]);
    // An unclosed backtick is just a backtick.
    expect(extractMentions('a ` @Mira', members)).toEqual([1]);
  });

  it('counts each member once, in order of first appearance', () => {
    expect(extractMentions('@하늘 @Mira @하늘 @mira', members)).toEqual([3, 1]);
  });

  it('returns nothing without members', () => {
    expect(extractMentions('@Mira', [])).toEqual([]);
  });

  it('caps the ids at 50', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, name: `agent${String(i).padStart(2, '0')}` }));
    const text = many.map((member) => `@${member.name}`).join(' ');
    const ids = extractMentions(text, many);
    expect(ids).toHaveLength(MAX_MENTIONS);
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(50);
  });
});

describe('findMentionQuery', () => {
  it('starts at an @ at the beginning, after a space or after opening punctuation', () => {
    expect(findMentionQuery('@Mi', 3, members)).toEqual({ start: 0, query: 'Mi' });
    expect(findMentionQuery('hi @', 4, members)).toEqual({ start: 3, query: '' });
    expect(findMentionQuery('(@하', 3, members)).toEqual({ start: 1, query: '하' });
  });

  it('does not start inside an e-mail address', () => {
    expect(findMentionQuery('me@Mi', 5, members)).toBeNull();
  });

  it('keeps a query containing a space only while a member name starts with it', () => {
    expect(findMentionQuery('@Mira K', 7, members)).toEqual({ start: 0, query: 'Mira K' });
    expect(findMentionQuery('@Mira x', 7, members)).toBeNull();
    expect(findMentionQuery('@Dr. ', 5, members)).toEqual({ start: 0, query: 'Dr. ' });
  });

  it('ends at a newline and only looks before the caret', () => {
    expect(findMentionQuery('@Mi\nra', 6, members)).toBeNull();
    expect(findMentionQuery('hello @Mi', 3, members)).toBeNull();
  });
});

describe('insertMention', () => {
  it('replaces the query with the full name and a space, and puts the caret after it', () => {
    expect(insertMention('hi @mi', { start: 3, query: 'mi' }, 6, 'Mira Kim')).toEqual({ text: 'hi @Mira Kim ', caret: 13 });
  });

  it('keeps the text after the caret without doubling a space', () => {
    expect(insertMention('@ㅎ there', { start: 0, query: 'ㅎ' }, 2, '하늘')).toEqual({ text: '@하늘 there', caret: 4 });
  });
});

describe('isCompleteMention', () => {
  it('is true once the query holds a whole name, particle or not', () => {
    expect(isCompleteMention('하늘아', members)).toBe(true);
    expect(isCompleteMention('하느', members)).toBe(false);
  });
});

describe('insertMentionAt', () => {
  it('types @Name at the caret, with a space before it after a word', () => {
    expect(insertMentionAt('', 0, 'Mira')).toEqual({ text: '@Mira ', caret: 6 });
    expect(insertMentionAt('hello', 5, 'Mira Kim')).toEqual({ text: 'hello @Mira Kim ', caret: 16 });
    expect(insertMentionAt('hi  there', 3, '하늘')).toEqual({ text: 'hi @하늘  there', caret: 7 });
  });
});
