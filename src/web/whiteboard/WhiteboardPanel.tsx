import { Check, ClipboardCopy } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useCopy } from '../messages/use-copy';
import { isPartialHistory, type BoardMessage } from './whiteboard';
import { useBoardStates } from './whiteboard-context';
import { BoardLines, PartialHistoryNote } from './WhiteboardCard';

/**
 * The agent panel's Whiteboard tab (ui.md §4.10): the current board with **Copy board**, replayed from the
 * loaded messages; "Partial history" with **Load full history** when older pages exist.
 */
export function WhiteboardPanel({
  messages,
  hasMoreBefore,
  onLoadFullHistory,
}: {
  messages: readonly BoardMessage[];
  hasMoreBefore: boolean;
  onLoadFullHistory?: () => void | Promise<void>;
}) {
  const { t } = useTranslation('messages');
  const states = useBoardStates(messages);
  const { copied, copy } = useCopy();
  const latest = states.latestId === null ? undefined : states.byMessage.get(states.latestId);
  const partial = isPartialHistory({ hasMoreBefore }, states);

  return (
    <section aria-label={t('whiteboard.panel')} className="flex flex-col gap-2 p-3 text-sm">
      {latest === undefined ? (
        <p className="text-text-muted">{hasMoreBefore ? t('whiteboard.noneLoaded') : t('whiteboard.none')}</p>
      ) : (
        <>
          <div className="flex items-center justify-end">
            <button
              type="button"
              onClick={() => void copy(states.current.join('\n'))}
              disabled={states.current.length === 0}
              className="inline-flex items-center gap-1.5 rounded-control px-2 py-1 text-xs font-medium text-text-muted hover:bg-surface-2 hover:text-text disabled:opacity-50 coarse:min-h-11"
            >
              {copied ? <Check aria-hidden="true" className="size-4" /> : <ClipboardCopy aria-hidden="true" className="size-4" />}
              {copied ? t('copied') : t('whiteboard.copyBoard')}
            </button>
          </div>
          {states.current.length === 0 ? (
            <p className="italic text-text-muted">{t('whiteboard.cleared')}</p>
          ) : (
            <BoardLines lines={states.current.map((text) => ({ text, status: 'kept' as const }))} />
          )}
        </>
      )}
      {(partial || (latest === undefined && hasMoreBefore)) && <PartialHistoryNote onLoadFull={onLoadFullHistory} />}
    </section>
  );
}
