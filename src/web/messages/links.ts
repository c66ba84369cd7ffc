/** The link schemes a message may follow (ui.md §4.4.3); anything else renders as plain text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href to use, or null when the link must not be followed (`javascript:`, `data:`, relative paths…). */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  try {
    const url = new URL(trimmed);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
