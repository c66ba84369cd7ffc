import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import type { Parent as MdastParent, Root as MdastRoot, RootContent as MdastContent } from 'mdast';
import { defaultSchema } from 'rehype-sanitize';

/**
 * The pieces of the Markdown pipeline (ui.md §4.4.3) that are ours: raw HTML kept as text, the sanitize
 * allow-list, and mention chips. Pure tree transforms.
 */

type Schema = typeof defaultSchema;

/** GitHub's allow-list, with `className` allowed only as `language-*` on `code` (and GFM's own task-list markers). */
export const SANITIZE_SCHEMA: Schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    a: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy', 'dataFootnoteBackref', 'dataFootnoteRef', 'href'],
    h2: [],
    section: ['dataFootnotes'],
  },
};

const FLOW_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/** remark: raw HTML is never rendered; it shows as the text the author typed. */
export function remarkHtmlAsText() {
  const visit = (parent: MdastParent) => {
    parent.children = parent.children.map((child): MdastContent => {
      if (child.type === 'html') {
        const text = { type: 'text' as const, value: child.value };
        return (FLOW_PARENTS.has(parent.type) ? { type: 'paragraph', children: [text] } : text) as MdastContent;
      }
      if ('children' in child) visit(child as MdastParent);
      return child;
    });
  };
  return (tree: MdastRoot) => visit(tree);
}

export interface MentionTarget {
  id: number;
  name: string;
}

/** An `@` starts a mention at the start, after whitespace, or after opening punctuation (ui.md §4.4.7). */
const OPENERS = /[\s([{"'“‘«「『【〈《<]/u;
const NO_MENTIONS_INSIDE = new Set(['code', 'pre', 'a']);

export interface MentionSpan {
  start: number;
  end: number;
  id: number;
}

function fold(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase();
}

/** Where room members are mentioned in plain text: the longest member name right after each valid `@`. */
export function findMentions(text: string, members: readonly MentionTarget[]): MentionSpan[] {
  if (members.length === 0 || !text.includes('@')) return [];
  const names = members
    .map((member) => ({ id: member.id, folded: fold(member.name.trim()) }))
    .filter((member) => member.folded !== '')
    .sort((a, b) => b.folded.length - a.folded.length);
  const spans: MentionSpan[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const before = at === 0 ? '' : text[at - 1];
    if (before !== '' && before !== undefined && !OPENERS.test(before)) continue;
    const rest = text.slice(at + 1);
    for (const name of names) {
      // Compare the same number of characters after folding; NFC keeps Hangul syllables whole.
      const candidate = fold(rest.slice(0, name.folded.length));
      if (candidate === name.folded) {
        spans.push({ start: at, end: at + 1 + name.folded.length, id: name.id });
        at += name.folded.length;
        break;
      }
    }
  }
  return spans;
}

function mentionChip(text: string, id: number): Element {
  return { type: 'element', tagName: 'span', properties: { dataMention: String(id) }, children: [{ type: 'text', value: text }] };
}

/** rehype (after sanitizing): `@Name` of a room member becomes a chip, except inside code and links. */
export function rehypeMentions(options: { members: readonly MentionTarget[] }) {
  const { members } = options;
  const visit = (parent: HastRoot | Element) => {
    const next: (ElementContent | HastContent)[] = [];
    for (const child of parent.children) {
      if (child.type === 'text') {
        const value = child.value.normalize('NFC');
        const spans = findMentions(value, members);
        if (spans.length === 0) {
          next.push(child);
          continue;
        }
        let cursor = 0;
        for (const span of spans) {
          if (span.start > cursor) next.push({ type: 'text', value: value.slice(cursor, span.start) });
          next.push(mentionChip(value.slice(span.start, span.end), span.id));
          cursor = span.end;
        }
        if (cursor < value.length) next.push({ type: 'text', value: value.slice(cursor) });
        continue;
      }
      if (child.type === 'element' && !NO_MENTIONS_INSIDE.has(child.tagName)) visit(child);
      next.push(child);
    }
    parent.children = next as typeof parent.children;
  };
  return (tree: HastRoot) => {
    if (members.length > 0) visit(tree);
  };
}

/** Where a live reply's caret goes: inside the last block, after its last text (a code block gets it after it). */
export function rehypeCaret(options: { enabled: boolean }) {
  return (tree: HastRoot) => {
    if (!options.enabled) return;
    const caret: Element = { type: 'element', tagName: 'span', properties: { dataCaret: '' }, children: [] };
    let parent: HastRoot | Element = tree;
    for (;;) {
      const last: ElementContent | HastContent | undefined = [...parent.children]
        .reverse()
        .find((child) => child.type === 'element' || (child.type === 'text' && child.value.trim() !== ''));
      if (last === undefined || last.type !== 'element' || last.tagName === 'pre' || last.tagName === 'table' || last.tagName === 'br') break;
      parent = last;
    }
    (parent.children as (ElementContent | HastContent)[]).push(caret);
  };
}
