/**
 * Mentions (ui.md §4.4.7), pure: where an `@` may start a mention, which mention the caret is typing, inserting the
 * chosen name, and the ids a finished message mentions.
 */

export interface MentionMember {
  id: number;
  name: string;
}

export const MAX_MENTIONS = 50;

/** A mention may start at the beginning, after whitespace, or after opening punctuation ("(@Mira"), not in "a@b.c". */
const BEFORE_TRIGGER = /[\s\p{Ps}\p{Pi}"'<]/u;

export function isTriggerPosition(text: string, at: number): boolean {
  if (text[at] !== '@') return false;
  if (at === 0) return true;
  return BEFORE_TRIGGER.test(text[at - 1] as string);
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The text with fenced code blocks and inline code spans blanked out (same length), so `@` inside them is ignored. */
export function maskCode(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  const outside: string[] = [];
  for (const line of lines) {
    const marker = FENCE.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker;
      outside.push(' '.repeat(line.length));
    } else if (fence !== null) {
      const closes = marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker;
      if (closes) fence = null;
      outside.push(' '.repeat(line.length));
    } else {
      outside.push(line);
    }
  }
  return maskInlineCode(outside.join('\n'));
}

/** A run of n backticks opens a code span closed by the next run of exactly n backticks. */
function maskInlineCode(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i];
      i += 1;
      continue;
    }
    let run = 0;
    while (text[i + run] === '`') run += 1;
    const close = findRun(text, i + run, run);
    if (close === -1) {
      out += text.slice(i, i + run);
      i += run;
      continue;
    }
    out += ' '.repeat(close + run - i);
    i = close + run;
  }
  return out;
}

function findRun(text: string, from: number, length: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i += 1;
      continue;
    }
    let run = 0;
    while (text[i + run] === '`') run += 1;
    if (run === length) return i;
    i += run;
  }
  return -1;
}

/**
 * The ids of the members a message mentions, in order of first appearance, each once, at most 50. At each valid `@`
 * outside code, the longest member name the following text starts with wins, so "@하늘아" (a particle after the name)
 * still mentions 하늘, and "@Mira Kim" prefers "Mira Kim" over "Mira".
 */
export function extractMentions(text: string, members: readonly MentionMember[]): number[] {
  if (members.length === 0) return [];
  const names = members
    .map((member) => ({ id: member.id, name: fold(member.name) }))
    .filter((member) => member.name !== '')
    .sort((a, b) => b.name.length - a.name.length);
  const longest = names[0]?.name.length;
  if (longest === undefined) return [];
  const source = maskCode(text.normalize('NFC'));
  const ids: number[] = [];
  for (let at = source.indexOf('@'); at !== -1 && ids.length < MAX_MENTIONS; at = source.indexOf('@', at + 1)) {
    if (!isTriggerPosition(source, at)) continue;
    const rest = fold(source.slice(at + 1, at + 1 + longest + 8));
    const found = names.find((member) => rest.startsWith(member.name));
    if (found !== undefined && !ids.includes(found.id)) ids.push(found.id);
  }
  return ids;
}

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** The text from after the `@` to the caret. */
  query: string;
}

/**
 * The mention being typed at `caret`, if any: an `@` at a trigger position, with no newline before the caret. A space
 * ends it unless some member's name starts with the query including that space ("@Mira K" for "Mira Kim").
 */
export function findMentionQuery(text: string, caret: number, members: readonly MentionMember[]): MentionQuery | null {
  const start = text.lastIndexOf('@', caret - 1);
  if (start === -1 || !isTriggerPosition(text, start)) return null;
  const query = text.slice(start + 1, caret);
  if (query.includes('\n')) return null;
  if (/\s/.test(query)) {
    const folded = fold(query);
    if (!members.some((member) => fold(member.name).startsWith(folded))) return null;
  }
  return { start, query };
}

/** Replaces `@query` (from `start` to `caret`) with `@Full Name ` and says where the caret goes. */
export function insertMention(text: string, mention: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}

/** Whether the query already holds a member's whole name (maybe with a particle after it): the mention is complete. */
export function isCompleteMention(query: string, members: readonly MentionMember[]): boolean {
  const folded = fold(query);
  return members.some((member) => member.name !== '' && folded.startsWith(fold(member.name)));
}

/** `@Name ` typed in at the caret on request (the agent panel's Mention button), with a space before it if needed. */
export function insertMentionAt(text: string, caret: number, name: string): { text: string; caret: number } {
  const before = text.slice(0, caret);
  const gap = before === '' || /\s$/.test(before) ? '' : ' ';
  const inserted = `${gap}@${name} `;
  return { text: before + inserted + text.slice(caret), caret: caret + inserted.length };
}
