import type { Element } from 'hast';
import { ImageOff } from 'lucide-react';
import { memo, useMemo, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import renderMarkdown, { type Components, type Options } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import { classList, CodeBlock } from './CodeBlock';
import { safeHref } from './links';
import { LiveCaret } from './live-tail';
import { rehypeCaret, rehypeMentions, remarkHtmlAsText, SANITIZE_SCHEMA, type MentionTarget } from './markdown-plugins';

/**
 * Message Markdown (ui.md §4.4.3): GFM with hard line breaks, raw HTML shown as text and everything sanitized.
 * Links open in a new tab and only http, https and mailto are followed; Markdown images are never loaded (they
 * render as a link labelled with their alt text); member mentions are chips; fenced code gets a `CodeBlock`.
 */

/** Block and inline styles for the rendered Markdown; Korean wraps at words, long tokens still break. */
export const MARKDOWN_CLASS =
  'min-w-0 [word-break:keep-all] [overflow-wrap:anywhere] [&>*:first-child]:mt-0 [&>*:last-child]:mb-0 ' +
  '[&_p]:my-1.5 [&_ul]:my-1.5 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-1.5 [&_ol]:list-decimal [&_ol]:pl-6 ' +
  '[&_li]:my-0.5 [&_.contains-task-list]:list-none [&_.contains-task-list]:pl-1 [&_blockquote]:my-2 ' +
  '[&_blockquote]:border-l-4 [&_blockquote]:border-border [&_blockquote]:pl-3 [&_blockquote]:text-text-muted ' +
  '[&_h1]:mt-3 [&_h1]:mb-1.5 [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:mt-3 [&_h2]:mb-1.5 [&_h2]:text-lg ' +
  '[&_h2]:font-semibold [&_h3]:mt-2 [&_h3]:mb-1 [&_h3]:font-semibold [&_h4]:font-semibold [&_hr]:my-3 ' +
  '[&_hr]:border-border [&_th]:border [&_th]:border-border [&_th]:px-2 [&_th]:py-1 [&_th]:text-left ' +
  '[&_td]:border [&_td]:border-border [&_td]:px-2 [&_td]:py-1 [&_del]:opacity-70';

function textOf(node: Element | undefined): string {
  if (!node) return '';
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '')).join('');
}

function languageOf(code: Element | undefined): string | null {
  const found = classList(code?.properties.className).find((name) => name.startsWith('language-'));
  return found ? found.slice('language-'.length) : null;
}

function MarkdownImage({ src, alt }: { src?: string | undefined; alt?: string | undefined }) {
  const { t } = useTranslation('messages');
  const label = alt?.trim() ? alt : t('markdownImage.untitled');
  const href = safeHref(src);
  const content = (
    <>
      <ImageOff aria-hidden="true" className="mr-1 inline size-3.5 align-[-2px]" />
      {t('markdownImage.label', { alt: label })}
    </>
  );
  if (!href) return <span className="text-text-muted">{content}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline underline-offset-2">
      {content}
    </a>
  );
}

function buildComponents(streaming: boolean): Components {
  return {
    a({ href, children }) {
      const safe = safeHref(href);
      if (!safe) return <span>{children}</span>;
      return (
        <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline underline-offset-2 [overflow-wrap:anywhere]">
          {children}
        </a>
      );
    },
    img({ src, alt }) {
      return <MarkdownImage src={typeof src === 'string' ? src : undefined} alt={alt} />;
    },
    pre({ node }) {
      const code = node?.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      return <CodeBlock code={textOf(code)} language={languageOf(code)} streaming={streaming} />;
    },
    code({ children }) {
      // Block code is drawn by `pre` above; what reaches here is inline code.
      return <code className="rounded-md bg-black/5 px-1.5 py-0.5 font-mono text-[0.9em] dark:bg-white/10">{children}</code>;
    },
    table({ children }) {
      return (
        <div className="my-2 max-w-full overflow-x-auto">
          <table className="border-collapse text-sm">{children}</table>
        </div>
      );
    },
    span({ node, children }) {
      if (node?.properties.dataCaret !== undefined) return <LiveCaret />;
      if (node?.properties.dataMention !== undefined) {
        return (
          <span data-mention={String(node.properties.dataMention)} className="rounded-full bg-accent-tint px-1.5 py-px font-medium text-accent [word-break:keep-all]">
            {children}
          </span>
        );
      }
      return <span>{children}</span>;
    },
  };
}

const REMARK_PLUGINS = [remarkGfm, remarkBreaks, remarkHtmlAsText];
/** One set of renderers per mode: the cached trees below hold them, so they must keep their identity. */
const COMPONENTS = { finished: buildComponents(false), streaming: buildComponents(true) };

/**
 * Parsed finished messages, newest last. Parsing is the costly part of drawing a row, and the same messages are drawn
 * again whenever a room is reopened or the virtual list brings a row back; the tree a parse yields is immutable React
 * elements, so it is kept and reused. Live replies change with every parse and are not kept.
 */
const parsed = new Map<string, ReactElement>();
const PARSED_KEPT = 600;

function parse(text: string, members: readonly MentionTarget[], streaming: boolean, caret: boolean): ReactElement {
  const options: Options = {
    children: text,
    remarkPlugins: REMARK_PLUGINS,
    rehypePlugins: [[rehypeSanitize, SANITIZE_SCHEMA], [rehypeMentions, { members }], [rehypeCaret, { enabled: caret }]],
    components: streaming ? COMPONENTS.streaming : COMPONENTS.finished,
  };
  if (streaming || caret) return renderMarkdown(options);
  const key = `${members.map((member) => `${member.id}:${member.name}`).join(',')}\u0000${text}`;
  const tree = parsed.get(key) ?? renderMarkdown(options);
  // Map order is insertion order: re-inserting marks it newest, and the oldest goes first when full.
  parsed.delete(key);
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, tree);
  return tree;
}

export const Markdown = memo(function Markdown({
  text,
  members = [],
  streaming = false,
  caret = false,
  className = '',
}: {
  text: string;
  members?: readonly MentionTarget[];
  streaming?: boolean;
  /** Draw the live caret at the end of the text. */
  caret?: boolean;
  className?: string;
}) {
  const tree = useMemo(() => parse(text, members, streaming, caret), [text, members, streaming, caret]);
  return <div className={`${MARKDOWN_CLASS} ${className}`}>{tree}</div>;
});
