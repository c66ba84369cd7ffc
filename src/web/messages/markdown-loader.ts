import { createElement, useEffect, useSyncExternalStore, type ReactElement } from 'react';
import type { MentionTarget } from './markdown-plugins';
import { LiveCaret } from './live-tail';

/**
 * The Markdown renderer (react-markdown, GFM, sanitizer, ~50 kB gzip) lives in its own chunk so the chat route
 * stays within its budget (ui.md §1 P2). It starts loading as soon as this module is evaluated, in parallel with
 * the room's first page; until it arrives (or if it cannot load) a body shows as plain text, which is always safe.
 */

type MarkdownModule = typeof import('./Markdown');

let loaded: MarkdownModule | null = null;
let pending: Promise<MarkdownModule> | null = null;
const listeners = new Set<() => void>();

export function loadMarkdown(): Promise<MarkdownModule> {
  pending ??= import('./Markdown').then(
    (module) => {
      loaded = module;
      for (const listener of listeners) listener();
      return module;
    },
    (error: unknown) => {
      pending = null;
      throw error;
    },
  );
  return pending;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const current = () => loaded;

if (typeof window !== 'undefined') void loadMarkdown().catch(() => {});

export interface MarkdownProps {
  text: string;
  members?: readonly MentionTarget[];
  streaming?: boolean;
  caret?: boolean;
  className?: string;
}

/** `Markdown` once its chunk is here; plain wrapped text before that. */
export function LazyMarkdown(props: MarkdownProps): ReactElement {
  const module = useSyncExternalStore(subscribe, current, current);
  useEffect(() => {
    if (module === null) void loadMarkdown().catch(() => {});
  }, [module]);
  if (module !== null) return createElement(module.Markdown, props);
  return createElement(
    'div',
    { className: `whitespace-pre-wrap [word-break:keep-all] [overflow-wrap:anywhere] ${props.className ?? ''}`, 'data-markdown-pending': '' },
    props.text,
    props.caret ? createElement(LiveCaret) : null,
  );
}
