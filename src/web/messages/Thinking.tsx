import { ChevronRight } from 'lucide-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from '../lib/settings';
import { LazyMarkdown as Markdown } from './markdown-loader';
import { useRememberedOpen } from './remembered-open';

/**
 * The thinking disclosure above a reply (ui.md §4.4.4): "Thought for N s" when this session saw how long the agent
 * thought, else "Thinking". It starts open when `showThinking` is on; after that its state is remembered per message
 * or live bubble (`stateKey`, inherited by the message that replaces the bubble: remembered-open.ts).
 */

export function thoughtSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

export function Thinking({
  stateKey,
  inheritKey,
  text,
  thoughtMs,
}: {
  stateKey: number | string;
  inheritKey?: string | undefined;
  text: string;
  thoughtMs?: number | null | undefined;
}) {
  const { t } = useTranslation('messages');
  const { showThinking = false } = useSettings();
  const [open, toggle] = useRememberedOpen('thinking', stateKey, inheritKey, showThinking);
  const panelId = useId();
  const label = typeof thoughtMs === 'number' ? t('thinking.thoughtFor', { count: thoughtSeconds(thoughtMs) }) : t('thinking.label');

  return (
    <div className="mb-1.5">
      <button
        type="button"
        onClick={toggle}
        aria-expanded={open}
        aria-controls={panelId}
        className="-ml-1 inline-flex items-center gap-1 rounded-control px-1 py-0.5 text-xs font-medium text-text-muted hover:bg-black/5 hover:text-text dark:hover:bg-white/5"
      >
        <ChevronRight aria-hidden="true" className={`size-3.5 transition-transform ${open ? 'rotate-90' : ''}`} />
        {label}
      </button>
      {open && (
        <div id={panelId} className="mt-1 border-l-2 border-border pl-3 text-sm text-text-muted">
          <Markdown text={text} />
        </div>
      )}
    </div>
  );
}
