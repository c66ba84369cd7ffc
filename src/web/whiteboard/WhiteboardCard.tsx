import { Check, ClipboardCopy, History, Presentation } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';
import { useCopy } from '../messages/use-copy';
import type { BoardLine, BoardState } from './whiteboard';

/** Over this many removed lines, "Removed" starts collapsed (ui.md §4.10). */
const REMOVED_OPEN_UP_TO = 3;

export function BoardLines({ lines }: { lines: readonly BoardLine[] }) {
  const { t } = useTranslation('messages');
  return (
    <ul className="space-y-0.5" data-testid="board-lines">
      {lines.map((line, index) => (
        <li
          key={`${index}:${line.text}`}
          data-status={line.status}
          title={line.status === 'changed' && line.was ? t('whiteboard.was', { text: line.was }) : undefined}
          className={`rounded px-2 py-0.5 [overflow-wrap:anywhere] ${
            line.status === 'added'
              ? 'border-l-4 border-success bg-success/10'
              : line.status === 'changed'
                ? 'border-l-4 border-warning bg-warning/10'
                : 'border-l-4 border-transparent'
          }`}
        >
          {line.status !== 'kept' && <span className="sr-only">{t(line.status === 'added' ? 'whiteboard.addedPrefix' : 'whiteboard.changedPrefix')}</span>}
          {line.text}
        </li>
      ))}
    </ul>
  );
}

export function PartialHistoryNote({ onLoadFull }: { onLoadFull?: (() => void | Promise<void>) | undefined }) {
  const { t } = useTranslation('messages');
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const load = async () => {
    if (!onLoadFull) return;
    setLoading(true);
    setFailed(false);
    try {
      await onLoadFull();
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  };
  return (
    <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-text-muted">
      <History aria-hidden="true" className="size-3.5" />
      <span>{t('whiteboard.partial')}</span>
      {onLoadFull && (
        <button
          type="button"
          onClick={() => void load()}
          disabled={loading}
          aria-busy={loading || undefined}
          className="inline-flex items-center gap-1 rounded-control px-1 font-medium text-accent hover:underline disabled:opacity-60 coarse:min-h-11"
        >
          {loading && <Spinner />}
          {t('whiteboard.loadFull')}
        </button>
      )}
      {failed && (
        <span role="alert" className="text-danger">
          {t('whiteboard.loadFailed')}
        </span>
      )}
    </p>
  );
}

/**
 * A whiteboard diff message (ui.md §4.10): the board after it, added lines green and changed lines amber (with a
 * prefix for screen readers), removed lines struck through under "Removed" (collapsed past 3), "Board cleared" for
 * an empty board, and **Show diff** for the raw operations.
 */
export function WhiteboardCard({
  state,
  partial,
  onLoadFull,
}: {
  state: BoardState;
  partial: boolean;
  onLoadFull?: (() => void | Promise<void>) | undefined;
}) {
  const { t } = useTranslation('messages');
  const [showDiff, setShowDiff] = useState(false);
  const [removedOpen, setRemovedOpen] = useState(state.removed.length <= REMOVED_OPEN_UP_TO);
  const diffId = useId();
  const removedId = useId();
  const { copied, copy } = useCopy();
  const board = state.lines.map((line) => line.text).join('\n');

  return (
    <section aria-label={t('whiteboard.title')} className="rounded-card border border-border bg-surface px-3 py-2 text-sm" data-testid="whiteboard-card">
      <div className="mb-1.5 flex items-center gap-2">
        <Presentation aria-hidden="true" className="size-4 text-text-muted" />
        <span className="flex-1 text-xs font-semibold uppercase tracking-wide text-text-muted">{t('whiteboard.title')}</span>
        {state.lines.length > 0 && (
          <button
            type="button"
            onClick={() => void copy(board)}
            aria-label={copied ? t('copied') : t('whiteboard.copyBoard')}
            title={copied ? t('copied') : t('whiteboard.copyBoard')}
            className="rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-w-11"
          >
            {copied ? <Check aria-hidden="true" className="mx-auto size-4" /> : <ClipboardCopy aria-hidden="true" className="mx-auto size-4" />}
          </button>
        )}
      </div>
      {state.lines.length === 0 ? <p className="px-2 italic text-text-muted">{t('whiteboard.cleared')}</p> : <BoardLines lines={state.lines} />}
      {state.removed.length > 0 && (
        <div className="mt-2">
          <button
            type="button"
            onClick={() => setRemovedOpen((open) => !open)}
            aria-expanded={removedOpen}
            aria-controls={removedId}
            className="text-xs font-medium text-text-muted hover:text-text coarse:min-h-11"
          >
            {t('whiteboard.removed', { count: state.removed.length })}
          </button>
          {removedOpen && (
            <ul id={removedId} className="mt-0.5 space-y-0.5 text-text-muted">
              {state.removed.map((line, index) => (
                <li key={`${index}:${line}`} className="px-2 line-through [overflow-wrap:anywhere]">
                  <span className="sr-only">{t('whiteboard.removedPrefix')}</span>
                  {line}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => setShowDiff((open) => !open)}
          aria-expanded={showDiff}
          aria-controls={diffId}
          className="text-xs font-medium text-accent hover:underline coarse:min-h-11"
        >
          {showDiff ? t('whiteboard.hideDiff') : t('whiteboard.showDiff')}
        </button>
      </div>
      {showDiff && (
        <pre id={diffId} className="mt-1 overflow-x-auto rounded-control bg-surface-2 px-2 py-1 font-mono text-xs whitespace-pre-wrap">
          {state.diff.raw.join('\n') || t('whiteboard.emptyDiff')}
        </pre>
      )}
      {partial && <PartialHistoryNote onLoadFull={onLoadFull} />}
    </section>
  );
}
