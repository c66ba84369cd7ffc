import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** ui.md §4.4.2 "Long messages": taller than this is clamped… */
export const CLAMP_OVER_PX = 1_500;
/** …to this height, with a fade and **Show more**. */
export const CLAMPED_PX = 600;

/** Messages the reader expanded, remembered in memory for the page's life. */
const expandedIds = new Set<number>();

/**
 * Whether a text can render taller than CLAMP_OVER_PX at all: even on a 320 px phone (about 30 characters a line,
 * 24 px lines, code blocks folded at 20 lines) a text under these sizes stays well below it. Only those that can are
 * measured, because measuring forces a layout in the middle of a commit and a room opens with a dozen rows at once.
 */
export function mayBeTall(text: string): boolean {
  if (text.length > 1_200) return true;
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) if ((lines += 1) > 30) return true;
  return false;
}

export function LongClamp({
  messageId,
  children,
  disabled = false,
}: {
  messageId: number;
  children: ReactNode;
  /** Live replies and texts that cannot be tall (`mayBeTall`) are never measured or clamped. */
  disabled?: boolean;
}) {
  const { t } = useTranslation('messages');
  const inner = useRef<HTMLDivElement>(null);
  const [tall, setTall] = useState(false);
  const [expanded, setExpanded] = useState(() => expandedIds.has(messageId));

  useLayoutEffect(() => {
    const element = inner.current;
    if (!element || disabled) return;
    const measure = () => setTall(element.scrollHeight > CLAMP_OVER_PX);
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [disabled]);

  const clamped = tall && !expanded && !disabled;
  const toggle = () => {
    if (expanded) expandedIds.delete(messageId);
    else expandedIds.add(messageId);
    setExpanded(!expanded);
  };

  return (
    <div>
      <div
        ref={inner}
        data-clamped={clamped || undefined}
        className={clamped ? 'relative max-h-[600px] overflow-hidden [mask-image:linear-gradient(to_bottom,black_80%,transparent)]' : undefined}
      >
        {children}
      </div>
      {tall && !disabled && (
        <button type="button" onClick={toggle} aria-expanded={expanded} className="mt-1 text-sm font-medium text-accent hover:underline coarse:min-h-11">
          {expanded ? t('showLess') : t('showMore')}
        </button>
      )}
    </div>
  );
}
