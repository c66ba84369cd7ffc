import type { Element, ElementContent, Root } from 'hast';
import { Check, Copy, WrapText } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCopy } from './use-copy';

/**
 * A fenced code block (ui.md §4.4.3): a header with the language and Copy, a wrap toggle, blocks over 30 lines
 * collapsed to "Show all N lines", and highlighting from the lazily loaded lowlight chunk. Tokens are React
 * elements, never `innerHTML`.
 */

export const COLLAPSE_OVER_LINES = 30;
/** Lines shown while a long block is collapsed. */
const COLLAPSED_LINES = 20;

type Highlighter = typeof import('./highlight');
let highlighter: Promise<Highlighter> | null = null;

function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= import('./highlight').catch((error: unknown) => {
    highlighter = null;
    throw error;
  });
  return highlighter;
}

/** highlight.js token classes → theme colours, light and dark (ui.md §6). */
const TOKEN_CLASS: Readonly<Record<string, string>> = {
  'hljs-keyword': 'text-[#a626a4] dark:text-[#c678dd]',
  'hljs-built_in': 'text-[#c18401] dark:text-[#e6c07b]',
  'hljs-type': 'text-[#c18401] dark:text-[#e6c07b]',
  'hljs-literal': 'text-[#0184bb] dark:text-[#56b6c2]',
  'hljs-number': 'text-[#986801] dark:text-[#d19a66]',
  'hljs-string': 'text-[#50a14f] dark:text-[#98c379]',
  'hljs-regexp': 'text-[#50a14f] dark:text-[#98c379]',
  'hljs-comment': 'italic text-[#6a737d] dark:text-[#7f848e]',
  'hljs-quote': 'italic text-[#6a737d] dark:text-[#7f848e]',
  'hljs-doctag': 'text-[#a626a4] dark:text-[#c678dd]',
  'hljs-meta': 'text-[#4078f2] dark:text-[#61aeee]',
  'hljs-title': 'text-[#4078f2] dark:text-[#61aeee]',
  'hljs-function': 'text-[#4078f2] dark:text-[#61aeee]',
  'hljs-params': 'text-text',
  'hljs-attr': 'text-[#986801] dark:text-[#d19a66]',
  'hljs-attribute': 'text-[#986801] dark:text-[#d19a66]',
  'hljs-variable': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-template-variable': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-name': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-tag': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-selector-tag': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-selector-class': 'text-[#986801] dark:text-[#d19a66]',
  'hljs-selector-id': 'text-[#4078f2] dark:text-[#61aeee]',
  'hljs-symbol': 'text-[#0184bb] dark:text-[#56b6c2]',
  'hljs-bullet': 'text-[#0184bb] dark:text-[#56b6c2]',
  'hljs-link': 'underline text-[#4078f2] dark:text-[#61aeee]',
  'hljs-section': 'font-semibold text-[#e45649] dark:text-[#e06c75]',
  'hljs-addition': 'text-[#50a14f] dark:text-[#98c379]',
  'hljs-deletion': 'text-[#e45649] dark:text-[#e06c75]',
  'hljs-emphasis': 'italic',
  'hljs-strong': 'font-semibold',
};

export function classList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ') : [];
}

function classesOf(node: Element): string {
  return classList(node.properties.className)
    .map((name) => TOKEN_CLASS[name])
    .filter((name): name is string => name !== undefined)
    .join(' ');
}

function renderNodes(nodes: readonly ElementContent[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${keyPrefix}.${index}`;
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    return (
      <span key={key} className={classesOf(node) || undefined}>
        {renderNodes(node.children, key)}
      </span>
    );
  });
}

/** A highlighted tree as React elements (text and spans only; never HTML strings). */
export function highlightedTree(tree: Root): ReactNode[] {
  return renderNodes(tree.children as ElementContent[], 't');
}

function useHighlight(code: string, language: string | null, enabled: boolean): Root | null {
  const [tree, setTree] = useState<{ code: string; language: string; root: Root | null } | null>(null);
  useEffect(() => {
    if (!enabled || language === null) return;
    let cancelled = false;
    loadHighlighter().then(
      (module) => {
        if (!cancelled) setTree({ code, language, root: module.highlight(code, language) });
      },
      () => {
        // Offline or a failed chunk: the block stays plain.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [code, language, enabled]);
  return tree !== null && tree.code === code && tree.language === language ? tree.root : null;
}

export function CodeBlock({ code, language, streaming = false }: { code: string; language: string | null; streaming?: boolean }) {
  const { t } = useTranslation('messages');
  const [wrap, setWrap] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const { copied, copy } = useCopy();
  const text = code.replace(/\n$/, '');
  const lines = text.split('\n');
  const collapsible = lines.length > COLLAPSE_OVER_LINES && !streaming;
  const collapsed = collapsible && !expanded;
  const shown = collapsed ? lines.slice(0, COLLAPSED_LINES).join('\n') : text;
  // Highlighting waits until a streaming block stops growing, so the chunk is not re-run on every delta.
  const tree = useHighlight(shown, language, !streaming);

  return (
    <div className="my-2 overflow-hidden rounded-control border border-border bg-surface text-sm" data-testid="code-block">
      <div className="flex items-center gap-2 border-b border-border bg-surface-2 px-3 py-1 text-xs text-text-muted">
        <span className="min-w-0 flex-1 truncate font-mono">{language ?? t('code.plain')}</span>
        <button
          type="button"
          onClick={() => setWrap((value) => !value)}
          aria-pressed={wrap}
          aria-label={t('code.wrap')}
          title={t('code.wrap')}
          className="rounded-control p-1 hover:bg-surface hover:text-text coarse:min-w-11"
        >
          <WrapText aria-hidden="true" className="mx-auto size-4" />
        </button>
        <button
          type="button"
          onClick={() => void copy(text, t('code.copiedAnnouncement'))}
          className="inline-flex items-center gap-1 rounded-control px-1.5 py-1 hover:bg-surface hover:text-text"
        >
          {copied ? <Check aria-hidden="true" className="size-3.5" /> : <Copy aria-hidden="true" className="size-3.5" />}
          {copied ? t('copied') : t('code.copy')}
        </button>
      </div>
      <pre className={`overflow-x-auto px-3 py-2 font-mono text-[13px] leading-5 ${wrap ? 'whitespace-pre-wrap [overflow-wrap:anywhere]' : 'whitespace-pre'}`}>
        <code className="[word-break:normal]">{tree ? highlightedTree(tree) : shown}</code>
      </pre>
      {collapsible && (
        <button
          type="button"
          onClick={() => setExpanded((value) => !value)}
          aria-expanded={expanded}
          className="w-full border-t border-border bg-surface-2 px-3 py-1.5 text-xs font-medium text-accent hover:underline"
        >
          {expanded ? t('code.collapse') : t('code.showAll', { count: lines.length })}
        </button>
      )}
    </div>
  );
}
