import type { Components } from 'react-markdown';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import { safeHref } from './links';

/**
 * Message Markdown (ui.md §4.4.3): GFM with hard line breaks, raw HTML shown as text and everything sanitized.
 * Links open in a new tab and only http, https and mailto are followed; images are never loaded.
 */

const components: Components = {
  a({ href, children }) {
    const safe = safeHref(href);
    if (!safe) return <span className="underline decoration-dotted">{children}</span>;
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer" className="text-accent underline underline-offset-2 break-words">
        {children}
      </a>
    );
  },
};

export function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={[remarkGfm, remarkBreaks]} rehypePlugins={[rehypeSanitize]} components={components} skipHtml>
      {text}
    </ReactMarkdown>
  );
}
