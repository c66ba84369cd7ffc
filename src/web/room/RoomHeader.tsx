import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Menu, MoreHorizontal, Pause, Play } from 'lucide-react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, RoomSummary } from '../../shared/models';
import { AgentAvatar } from '../components/AgentAvatar';
import { useSession } from '../auth/session';
import { ProviderChip } from '../components/ProviderChip';
import { errorText } from '../lib/errors';
import { parseDirectRoom } from '../rooms/direct-rooms';
import { useShell } from '../shell/shell-context';
import { ConfirmDialog } from './ConfirmDialog';
import { DeleteRoomDialog } from './DeleteRoomDialog';
import { LimitEditor } from './LimitEditor';
import { useClearConversation, usePauseRoom } from './room-actions';
import { RoomTitle } from './RoomTitle';
import { copyTranscript, exportTranscript } from './transcript-actions';

const iconProps = { 'aria-hidden': true, className: 'size-[18px]', strokeWidth: 1.75 } as const;
const itemClass =
  'flex cursor-default select-none items-center rounded-control px-3 py-2 text-sm outline-none data-[highlighted]:bg-surface-2 coarse:min-h-11';

/**
 * The chat room's sticky header (ui.md §4.4.1): sidebar toggle, the title (inline rename), chips (provider, Paused,
 * Settled, Limit), the connection indicator (`indicator`), then Pause/Resume, Members and the ⋯ menu.
 */
export function RoomHeader({
  room,
  members,
  panelOpen,
  onTogglePanel,
  focusTitle,
  onCleared,
  indicator,
}: {
  room: RoomSummary;
  members: readonly Agent[];
  panelOpen: boolean;
  onTogglePanel: () => void;
  focusTitle: boolean;
  onCleared?: () => void;
  indicator?: ReactNode;
}) {
  const { t } = useTranslation('room');
  const { toggleSidebar, sidebarExpanded } = useShell();
  const isAdmin = useSession().data?.role === 'admin';
  const pause = usePauseRoom(room.id);
  const clear = useClearConversation(room.id, onCleared);
  const [limitOpen, setLimitOpen] = useState(false);
  const [renameRequest, setRenameRequest] = useState(0);
  const [confirmClear, setConfirmClear] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // What a menu item opens next (the limit popover, the rename field). It opens once the menu has closed, in place
  // of the menu's focus return to ⋯: focus landing there afterwards would dismiss the popover or end the rename.
  const afterMenu = useRef<(() => void) | null>(null);
  const direct = parseDirectRoom(room.name);
  const directAgent = direct ? members.find((m) => m.name === direct.agentName) : undefined;

  return (
    <header className="sticky top-0 z-10 flex h-14 shrink-0 items-center gap-2 border-b border-border bg-bg/80 px-3 pt-[env(safe-area-inset-top)] backdrop-blur">
      <button
        type="button"
        onClick={toggleSidebar}
        aria-expanded={sidebarExpanded}
        aria-label={sidebarExpanded ? t('common:nav.closeSidebar') : t('common:nav.openSidebar')}
        title={sidebarExpanded ? t('common:nav.closeSidebar') : t('common:nav.openSidebar')}
        className="rounded-control p-2 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
      >
        <Menu {...iconProps} />
      </button>
      {direct && <AgentAvatar name={direct.agentName} picture={directAgent?.profile_pic} size={28} />}
      <RoomTitle
        roomId={room.id}
        name={room.name}
        display={direct ? direct.agentName : undefined}
        canRename
        focusTitle={focusTitle}
        editRequest={renameRequest}
      />

      {/* Below 640 px the title keeps the room: Paused and Settled have their banners, the limit is in the ⋯ menu. */}
      <div className="hidden min-w-0 items-center gap-1.5 overflow-hidden sm:flex">
        <ProviderChip provider={room.default_provider} model={room.default_model} />
        {room.default_model && <span className="hidden truncate text-xs text-text-muted sm:inline">{room.default_model}</span>}
        {room.is_paused && <span className="rounded-full bg-warning/15 px-2 text-xs font-medium leading-5 text-warning">{t('paused')}</span>}
        {!room.is_paused && room.is_finished && (
          <span className="rounded-full bg-success/15 px-2 text-xs font-medium leading-5 text-success">{t('settled')}</span>
        )}
        <LimitEditor roomId={room.id} limit={room.max_interactions} open={limitOpen} onOpenChange={setLimitOpen} />
      </div>

      {/* The connection state never gets squeezed out: it leads the group that does not shrink. */}
      <div className="ml-auto flex shrink-0 items-center gap-1">
        {indicator}
        <button
          type="button"
          aria-pressed={room.is_paused}
          onClick={() => pause.mutate(!room.is_paused)}
          title={room.is_paused ? t('resume') : t('pause')}
          className="flex items-center gap-1.5 rounded-control px-2 py-1.5 text-sm text-text-muted hover:bg-surface-2 hover:text-text aria-pressed:text-warning coarse:min-h-11 coarse:min-w-11"
        >
          {room.is_paused ? <Play {...iconProps} /> : <Pause {...iconProps} />}
          <span className="sr-only sm:not-sr-only">{room.is_paused ? t('resume') : t('pause')}</span>
        </button>

        <button
          type="button"
          onClick={onTogglePanel}
          aria-expanded={panelOpen}
          aria-label={t('panel.toggle', { count: members.length })}
          title={t('panel.toggle', { count: members.length })}
          className="flex items-center gap-1.5 rounded-control px-2 py-1.5 text-sm text-text-muted hover:bg-surface-2 hover:text-text aria-expanded:bg-surface-2 coarse:min-h-11"
        >
          <span className="flex -space-x-2" aria-hidden="true">
            {members.slice(0, 3).map((m) => (
              <AgentAvatar key={m.id} name={m.name} picture={m.profile_pic} size={22} className="ring-2 ring-bg" />
            ))}
          </span>
          <span aria-hidden="true">{members.length}</span>
        </button>

        <DropdownMenu.Root>
          <DropdownMenu.Trigger
            aria-label={t('menu.label')}
            title={t('menu.label')}
            className="rounded-control p-2 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
          >
            <MoreHorizontal {...iconProps} />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              align="end"
              sideOffset={6}
              className="z-50 min-w-60 rounded-card border border-border bg-surface p-1 shadow-xl"
              onCloseAutoFocus={(event) => {
                const next = afterMenu.current;
                afterMenu.current = null;
                if (next === null) return;
                event.preventDefault();
                next();
              }}
            >
              <DropdownMenu.Item className={itemClass} onSelect={() => void copyTranscript(t, room, false)}>
                {t('menu.copy')}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={itemClass} onSelect={() => void copyTranscript(t, room, true)}>
                {t('menu.copyThinking')}
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="my-1 h-px bg-border" />
              <DropdownMenu.Item className={itemClass} onSelect={() => void exportTranscript(t, room, 'markdown')}>
                {t('menu.exportMarkdown')}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={itemClass} onSelect={() => void exportTranscript(t, room, 'markdown', true)}>
                {t('menu.exportMarkdownThinking')}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={itemClass} onSelect={() => void exportTranscript(t, room, 'json')}>
                {t('menu.exportJson')}
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="my-1 h-px bg-border" />
              <DropdownMenu.Item className={itemClass} onSelect={() => (afterMenu.current = () => setLimitOpen(true))}>
                {t('menu.limit')}
              </DropdownMenu.Item>
              <DropdownMenu.Item className={itemClass} onSelect={() => (afterMenu.current = () => setRenameRequest((n) => n + 1))}>
                {t('menu.rename')}
              </DropdownMenu.Item>
              {isAdmin && (
                <>
                  <DropdownMenu.Separator className="my-1 h-px bg-border" />
                  <DropdownMenu.Item className={`${itemClass} text-danger`} onSelect={() => setConfirmClear(true)}>
                    {t('menu.clear')}
                  </DropdownMenu.Item>
                  <DropdownMenu.Item className={`${itemClass} text-danger`} onSelect={() => setConfirmDelete(true)}>
                    {t('menu.delete')}
                  </DropdownMenu.Item>
                </>
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </div>

      {isAdmin && (
        <>
          <ConfirmDialog
            open={confirmClear}
            onOpenChange={(open) => {
              setConfirmClear(open);
              if (!open) clear.reset();
            }}
            title={t('clear.title')}
            body={t('clear.body', { name: room.name })}
            confirmLabel={t('clear.confirm')}
            busy={clear.isPending}
            error={clear.error ? t('clear.failed', { reason: errorText(t, clear.error) }) : undefined}
            onConfirm={() => clear.mutate(undefined, { onSuccess: () => setConfirmClear(false) })}
          />
          <DeleteRoomDialog room={room} isOpenRoom open={confirmDelete} onOpenChange={setConfirmDelete} />
        </>
      )}
    </header>
  );
}
