import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../shared/models';
import { AgentPanel, type AgentPanelProps } from '../agent-panel/AgentPanel';
import { useMembers } from '../agent-panel/agents-data';
import { PageHeader } from '../shell/PageHeader';
import { RoomBanners } from './RoomBanners';
import { RoomHeader } from './RoomHeader';
import { useAgentPanel } from './panel-layout';

/**
 * The frame of an open room (ui.md §4.2, §4.4.1, §4.5): the header with its actions, the banner, the transcript and
 * composer (`children`), and the agent panel: a remembered column from 1024 px, a sheet from the right below that.
 */
export function RoomFrame({
  room,
  title,
  focusTitle,
  indicator,
  onCleared,
  panel,
  children,
}: {
  /** The room's list entry; until the list has it, a plain header shows `title`. */
  room: RoomSummary | undefined;
  title: string;
  focusTitle: boolean;
  /** The connection indicator, shown after the chips. */
  indicator?: ReactNode;
  /** Called after Clear conversation succeeds (the transcript empties). */
  onCleared?: () => void;
  /** Live data for the panel from the chat page (member status, the whiteboard tab). */
  panel?: Pick<AgentPanelProps, 'statusFor' | 'statusDetailFor' | 'live' | 'whiteboard'>;
  children: ReactNode;
}) {
  if (!room) {
    return (
      <>
        <PageHeader title={title} focusTitle={focusTitle}>
          {indicator}
        </PageHeader>
        {children}
      </>
    );
  }
  return (
    <ListedRoomFrame room={room} focusTitle={focusTitle} indicator={indicator} onCleared={onCleared} panel={panel}>
      {children}
    </ListedRoomFrame>
  );
}

function ListedRoomFrame({
  room,
  focusTitle,
  indicator,
  onCleared,
  panel,
  children,
}: {
  room: RoomSummary;
  focusTitle: boolean;
  indicator: ReactNode;
  onCleared: (() => void) | undefined;
  panel: Pick<AgentPanelProps, 'statusFor' | 'statusDetailFor' | 'live' | 'whiteboard'> | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation('room');
  const members = useMembers(room.id);
  const agentPanel = useAgentPanel();
  const [addRequest, setAddRequest] = useState(0);

  const showAddAgents = () => {
    agentPanel.setOpen(true);
    setTimeout(() => setAddRequest((n) => n + 1), 50);
  };

  const panelBody = (onClose?: () => void) => (
    <AgentPanel room={room} addRequest={addRequest} {...panel} {...(onClose ? { onClose } : {})} />
  );

  return (
    <div className="flex min-h-0 flex-1">
      <div className="flex min-w-0 flex-1 flex-col">
        <RoomHeader
          room={room}
          members={members.data ?? []}
          panelOpen={agentPanel.open}
          onTogglePanel={agentPanel.toggle}
          focusTitle={focusTitle}
          indicator={indicator}
          {...(onCleared ? { onCleared } : {})}
        />
        <RoomBanners room={room} memberCount={members.data?.length ?? 0} membersLoaded={members.isSuccess} onAddAgents={showAddAgents} />
        {children}
      </div>
      {agentPanel.desktop
        ? agentPanel.open && (
            <aside aria-label={t('panel.region')} className="flex w-80 shrink-0 flex-col border-l border-border bg-surface">
              {panelBody()}
            </aside>
          )
        : (
            <Dialog.Root open={agentPanel.open} onOpenChange={agentPanel.setOpen}>
              <Dialog.Portal>
                <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
                <DialogContent
                  aria-describedby={undefined}
                  className="fixed inset-y-0 right-0 z-50 flex w-full flex-col bg-surface pb-[env(safe-area-inset-bottom)] pr-[env(safe-area-inset-right)] pt-[env(safe-area-inset-top)] shadow-xl sm:w-96"
                >
                  <Dialog.Title className="sr-only">{t('panel.region')}</Dialog.Title>
                  {panelBody(() => agentPanel.setOpen(false))}
                </DialogContent>
              </Dialog.Portal>
            </Dialog.Root>
          )}
    </div>
  );
}
