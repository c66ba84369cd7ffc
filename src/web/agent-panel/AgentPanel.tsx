import * as Tabs from '@radix-ui/react-tabs';
import { X } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, RoomSummary } from '../../shared/models';
import { useSession } from '../auth/session';
import { requestMention } from '../composer/composer-events';
import { Spinner } from '../components/Spinner';
import { ConfirmDialog } from '../room/ConfirmDialog';
import { AgentProfileDialog } from './AgentProfileDialog';
import { AddAgents } from './AddAgents';
import { MemberCard } from './MemberCard';
import { useAgents } from '../agents/use-agents';
import { useAddMember, useAskToReply, useMembers, useRemoveMember, type MemberEntry, type MemberStatus } from './agents-data';

export interface AgentPanelProps {
  room: RoomSummary;
  /** Live status per member, from the room's event stream (the chat page fills it); Idle without it. */
  statusFor?: (agentId: number) => MemberStatus;
  /** The error text behind an *Error* status, for its tooltip. */
  statusDetailFor?: (agentId: number) => string | undefined;
  /** Whether a turn is live in the room (hides Ask to reply); defaults to the room's `running`. */
  live?: boolean;
  /** The Whiteboard tab's content; the tab shows only when given (the room has whiteboard messages). */
  whiteboard?: ReactNode;
  /** Bumped to focus the Add agents search (the No agents banner). */
  addRequest?: number;
  /** Shown as a close button (the sheet on smaller screens). */
  onClose?: () => void;
}

/**
 * The agent panel (ui.md §4.5): "Members (n)", member cards with status and actions, and Add agents below them.
 * Guests never see Remove (§5).
 */
export function AgentPanel({ room, statusFor, statusDetailFor, live, whiteboard, addRequest = 0, onClose }: AgentPanelProps) {
  const { t } = useTranslation('room');
  const isAdmin = useSession().data?.role === 'admin';
  const members = useMembers(room.id);
  const agents = useAgents();
  const add = useAddMember(room.id);
  const remove = useRemoveMember(room.id);
  const ask = useAskToReply(room.id);
  const [removing, setRemoving] = useState<Agent | undefined>();
  const [profileId, setProfileId] = useState<number | undefined>();
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (addRequest > 0) search.current?.focus();
  }, [addRequest]);

  const list: readonly MemberEntry[] = members.data ?? [];
  const memberIds = new Set(list.map((m) => m.id));
  const candidates = (agents.data ?? []).filter((a) => !memberIds.has(a.id));
  const somethingLive = live ?? room.running !== null;
  const askingId = ask.isPending ? ask.variables?.id : undefined;

  const membersTab = (
    <div className="flex flex-col">
      {members.isError ? (
        <p role="alert" className="text-sm text-danger">
          {t('panel.membersError')}{' '}
          <button type="button" onClick={() => void members.refetch()} className="font-medium text-accent hover:underline">
            {t('common:actions.retry')}
          </button>
        </p>
      ) : members.isPending ? (
        <p className="flex items-center gap-2 text-sm text-text-muted">
          <Spinner /> {t('panel.membersLoading')}
        </p>
      ) : list.length === 0 ? (
        <p className="text-sm text-text-muted">{t('panel.noMembers')}</p>
      ) : (
        <ul className="flex flex-col gap-2" aria-label={t('panel.membersList')}>
          {list.map((agent) => (
            <MemberCard
              key={agent.id}
              agent={agent}
              status={statusFor?.(agent.id) ?? 'idle'}
              statusDetail={statusDetailFor?.(agent.id)}
              paused={room.is_paused}
              canAsk={!room.is_paused && !somethingLive}
              asking={askingId === agent.id}
              canRemove={isAdmin}
              onAsk={() => ask.mutate(agent)}
              onMention={() => {
                requestMention(room.id, agent.name);
                onClose?.();
              }}
              onProfile={() => setProfileId(agent.id)}
              onRemove={() => setRemoving(agent)}
            />
          ))}
        </ul>
      )}
      <AddAgents
        ref={search}
        candidates={candidates}
        loading={agents.isPending}
        error={agents.isError}
        onRetry={() => void agents.refetch()}
        onAdd={(agent) => add.mutate(agent)}
      />
    </div>
  );

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex h-14 shrink-0 items-center justify-between gap-2 border-b border-border px-4">
        <h2 className="font-semibold">{t('panel.title', { count: list.filter((m) => !m.adding).length })}</h2>
        {onClose && (
          <button
            type="button"
            onClick={onClose}
            aria-label={t('common:actions.close')}
            title={t('common:actions.close')}
            className="rounded-control p-1.5 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
          >
            <X aria-hidden="true" className="mx-auto size-[18px]" strokeWidth={1.75} />
          </button>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-3">
        {whiteboard ? (
          <Tabs.Root defaultValue="members">
            <Tabs.List className="mb-3 flex gap-1 border-b border-border" aria-label={t('panel.tabs')}>
              {(['members', 'whiteboard'] as const).map((tab) => (
                <Tabs.Trigger
                  key={tab}
                  value={tab}
                  className="-mb-px border-b-2 border-transparent px-3 py-1.5 text-sm text-text-muted data-[state=active]:border-accent data-[state=active]:text-text coarse:min-h-11"
                >
                  {t(`panel.tab.${tab}`)}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            <Tabs.Content value="members">{membersTab}</Tabs.Content>
            <Tabs.Content value="whiteboard">{whiteboard}</Tabs.Content>
          </Tabs.Root>
        ) : (
          membersTab
        )}
      </div>

      {isAdmin && (
        <ConfirmDialog
          open={removing !== undefined}
          onOpenChange={(open) => !open && setRemoving(undefined)}
          title={t('panel.removeTitle')}
          body={t('panel.removeBody', { name: removing?.name ?? '' })}
          confirmLabel={t('panel.remove')}
          onConfirm={() => {
            if (removing) remove.mutate(removing);
            setRemoving(undefined);
          }}
        />
      )}
      <AgentProfileDialog
        agentId={profileId}
        room={room}
        isMember={profileId !== undefined && memberIds.has(profileId)}
        onAddToRoom={(agent) => add.mutate(agent)}
        onOpenChange={(open) => !open && setProfileId(undefined)}
      />
    </div>
  );
}
