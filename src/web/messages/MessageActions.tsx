import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Check, Copy, MoreHorizontal, RefreshCw, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../shared/models';
import { Modal } from '../components/Modal';
import { toast } from '../components/toast';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import type { TimelineAction } from '../timeline/timeline-types';
import { useWhiteboard } from '../whiteboard/whiteboard-context';
import { boardText } from '../whiteboard/whiteboard';
import { messageApi } from './message-endpoints';
import { isAgentReply, withThinking } from './message-kind';
import { dispatchToTimeline, useRoomWhiteboard } from './room-timeline';
import { useCopy } from './use-copy';

/** The timeline changes message actions make (optimistic delete and its rollback; regenerate in flight). */
export type MessageTimelineAction = Extract<
  TimelineAction,
  { type: 'deleteOptimistic' | 'deleteRolledBack' | 'deleted' | 'regenerateStarted' | 'regenerateFailed' }
>;

const OPEN_EVENT = 'chitchats:open-message-actions';

/**
 * Opens the ⋯ menu of the message actions inside `row` (ui.md §4.4.2: Enter or Shift+F10 on a focused row, a long
 * press on touch). Returns false when the row has no menu.
 */
export function openMessageActions(row: Element): boolean {
  const actions = row.querySelector('[data-message-actions]');
  if (actions === null || actions.querySelector('[data-message-menu]') === null) return false;
  actions.dispatchEvent(new CustomEvent(OPEN_EVENT));
  return true;
}

const ICON_BUTTON =
  'inline-flex items-center justify-center rounded-control p-1.5 text-text-muted hover:bg-surface-2 hover:text-text data-[state=open]:bg-surface-2 coarse:min-h-11 coarse:min-w-11';
const MENU_ITEM =
  'flex cursor-default select-none items-center gap-2 rounded-control px-2.5 py-1.5 text-sm outline-none data-[highlighted]:bg-surface-2 data-[disabled]:opacity-50 coarse:min-h-11';

/**
 * A message's actions (ui.md §4.4.2 "Message actions"): **Copy** (the raw Markdown, or the board lines of a
 * whiteboard diff; ✓ for 2 s, announced) and a ⋯ menu with **Copy with thinking**, **Regenerate** (latest agent
 * message; owner or admin) and **Delete** (owner or admin; confirmed; optimistic, rolled back with a toast and
 * Retry when the server refuses). Real buttons, so touch and keyboard work; the row decides when they show.
 *
 * The timeline changes (`deleteOptimistic`, `deleteRolledBack`, `deleted`, `regenerateStarted`, `regenerateFailed`)
 * go to the room's timeline store, or to `onTimelineAction` when given.
 */
export function MessageActions({
  message,
  roomId,
  isLatestAgentMessage,
  canDelete,
  onTimelineAction,
}: {
  message: Message;
  roomId: number;
  isLatestAgentMessage: boolean;
  canDelete: boolean;
  onTimelineAction?: (action: MessageTimelineAction) => void;
}) {
  const { t } = useTranslation('messages');
  const { copied, copy } = useCopy();
  const provided = useWhiteboard();
  const fromStore = useRoomWhiteboard(roomId, provided === null && isAgentReply(message));
  const whiteboard = provided ?? fromStore;
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [regenerating, setRegenerating] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const toolbar = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = toolbar.current;
    if (!element) return;
    const open = () => setMenuOpen(true);
    element.addEventListener(OPEN_EVENT, open);
    return () => element.removeEventListener(OPEN_EVENT, open);
  }, []);

  const board = whiteboard?.states.byMessage.get(message.id);
  const copyText = board ? boardText(board.lines.map((line) => line.text)) : message.content;
  const thinking = message.thinking?.trim() ? message.thinking : null;
  const canRegenerate = isLatestAgentMessage && canDelete && isAgentReply(message);
  const dispatch = (action: MessageTimelineAction) => (onTimelineAction ? onTimelineAction(action) : dispatchToTimeline(roomId, action));

  const remove = async () => {
    setConfirmOpen(false);
    dispatch({ type: 'deleteOptimistic', messageId: message.id });
    try {
      await messageApi.deleteMessage(roomId, message.id);
      dispatch({ type: 'deleted', data: { room_id: roomId, message_id: message.id } });
    } catch (error) {
      // Already gone on the server: the deletion is what the user wanted.
      if (isApiError(error) && error.status === 404) {
        dispatch({ type: 'deleted', data: { room_id: roomId, message_id: message.id } });
        return;
      }
      dispatch({ type: 'deleteRolledBack', messageId: message.id });
      toast(t('actions.deleteFailed', { reason: errorText(t, error) }), {
        tone: 'error',
        action: { label: t('actions.retry'), onClick: () => void remove() },
      });
    }
  };

  const regenerate = async () => {
    if (regenerating) return;
    setRegenerating(true);
    dispatch({ type: 'regenerateStarted', messageId: message.id });
    try {
      await messageApi.regenerate(roomId, message.id);
    } catch (error) {
      dispatch({ type: 'regenerateFailed', messageId: message.id });
      toast(t('actions.regenerateFailed', { reason: errorText(t, error) }), { tone: 'error' });
    } finally {
      setRegenerating(false);
    }
  };


  return (
    <div
      ref={toolbar}
      data-message-actions=""
      data-testid="message-actions"
      onKeyDown={(event) => {
        if ((event.shiftKey && event.key === 'F10') || event.key === 'ContextMenu') {
          event.preventDefault();
          setMenuOpen(true);
        }
      }}
      className="flex items-center gap-0.5 rounded-control border border-border bg-surface shadow-sm"
    >
      <button
        type="button"
        onClick={() => void copy(copyText, t('copiedAnnouncement'))}
        tabIndex={-1}
        aria-label={copied ? t('copied') : board ? t('copyBoardLines') : t('copyMessage')}
        title={copied ? t('copied') : board ? t('copyBoardLines') : t('copyMessage')}
        className={ICON_BUTTON}
      >
        {copied ? <Check aria-hidden="true" className="size-4 text-success" /> : <Copy aria-hidden="true" className="size-4" />}
      </button>
      {canRegenerate && (
        <button
          type="button"
          onClick={() => void regenerate()}
          tabIndex={-1}
          disabled={regenerating}
          aria-busy={regenerating || undefined}
          aria-label={regenerating ? t('actions.regenerating') : t('actions.regenerate')}
          title={regenerating ? t('actions.regenerating') : t('actions.regenerate')}
          className={`${ICON_BUTTON} disabled:opacity-60`}
        >
          <RefreshCw aria-hidden="true" className={`size-4 ${regenerating ? 'motion-safe:animate-spin' : ''}`} />
        </button>
      )}
      {/* Every action is in the ⋯ menu too, which Enter or Shift+F10 on a focused row opens: the toolbar's buttons
          stay out of the tab order, so the transcript is one tab stop (ui.md §4.4.2 "Keyboard"). */}
      <DropdownMenu.Root open={menuOpen} onOpenChange={setMenuOpen}>
          <DropdownMenu.Trigger data-message-menu="" tabIndex={-1} aria-label={t('actions.menu')} title={t('actions.menu')} className={ICON_BUTTON}>
            <MoreHorizontal aria-hidden="true" className="size-4" />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-48 rounded-card border border-border bg-surface p-1 shadow-lg">
              <DropdownMenu.Item className={MENU_ITEM} onSelect={() => void copy(copyText, t('copiedAnnouncement'))}>
                <Copy aria-hidden="true" className="size-4" />
                {board ? t('copyBoardLines') : t('copyMessage')}
              </DropdownMenu.Item>
              {thinking !== null && (
                <DropdownMenu.Item className={MENU_ITEM} onSelect={() => void copy(withThinking(message, t('thinkingHeading')), t('copiedAnnouncement'))}>
                  <Copy aria-hidden="true" className="size-4" />
                  {t('copyWithThinking')}
                </DropdownMenu.Item>
              )}
              {canRegenerate && (
                <DropdownMenu.Item className={MENU_ITEM} disabled={regenerating} onSelect={() => void regenerate()}>
                  <RefreshCw aria-hidden="true" className="size-4" />
                  {t('actions.regenerate')}
                </DropdownMenu.Item>
              )}
              {canDelete && (
                <DropdownMenu.Item className={`${MENU_ITEM} text-danger`} onSelect={() => setConfirmOpen(true)}>
                  <Trash2 aria-hidden="true" className="size-4" />
                  {t('actions.delete')}
                </DropdownMenu.Item>
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      {canDelete && (
        <Modal open={confirmOpen} onOpenChange={setConfirmOpen} title={t('actions.deleteTitle')} description={t('actions.deleteDescription')}>
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setConfirmOpen(false)}
              className="rounded-control px-3 py-1.5 font-medium text-text-muted hover:bg-surface-2 hover:text-text"
            >
              {t('actions.cancel')}
            </button>
            <button type="button" onClick={() => void remove()} className="rounded-control bg-danger px-3 py-1.5 font-medium text-white hover:opacity-90">
              {t('actions.deleteConfirm')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
