import { AtSign, MessageSquareReply, UserRound, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';
import { AgentAvatar } from '../components/AgentAvatar';
import type { MemberEntry, MemberStatus } from './agents-data';
import { BehaviourChips } from './behaviour';

const STATUS_CLASS: Record<MemberStatus | 'paused', string> = {
  idle: 'bg-surface-2 text-text-muted',
  thinking: 'bg-accent-tint text-accent',
  writing: 'bg-accent-tint text-accent',
  passed: 'bg-surface-2 text-text-muted italic',
  error: 'bg-danger/10 text-danger',
  paused: 'bg-warning/15 text-warning',
};

const actionClass =
  'flex items-center gap-1 rounded-control px-2 py-1 text-xs font-medium text-text-muted hover:bg-surface-2 hover:text-text disabled:opacity-50 coarse:min-h-11';

/** A member card (ui.md §4.5): avatar, name, group, status pill, behaviour chips and the actions the role allows. */
export function MemberCard({
  agent,
  status,
  statusDetail,
  paused,
  canAsk,
  asking,
  canRemove,
  onAsk,
  onMention,
  onProfile,
  onRemove,
}: {
  agent: MemberEntry;
  status: MemberStatus;
  statusDetail?: string | undefined;
  paused: boolean;
  canAsk: boolean;
  asking: boolean;
  canRemove: boolean;
  onAsk: () => void;
  onMention: () => void;
  onProfile: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation('room');
  const pill = paused ? 'paused' : status;
  return (
    <li className="rounded-card border border-border bg-surface p-3" aria-busy={agent.adding === true}>
      <div className="flex items-start gap-3">
        <AgentAvatar name={agent.name} picture={agent.profile_pic} size={40} />
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2">
            <span className="truncate font-medium">{agent.name}</span>
            {agent.adding ? (
              <span className="flex items-center gap-1 text-xs text-text-muted">
                <Spinner className="size-3" />
                {t('panel.adding')}
              </span>
            ) : (
              <span title={statusDetail} className={`rounded-full px-2 text-xs leading-5 ${STATUS_CLASS[pill]}`}>
                {t(`status.${pill}`)}
              </span>
            )}
          </div>
          {agent.group && <div className="truncate text-xs text-text-muted">{agent.group}</div>}
          <div className="mt-1.5">
            <BehaviourChips agent={agent} />
          </div>
        </div>
      </div>
      {!agent.adding && (
        <div className="mt-2 flex flex-wrap gap-1">
          {canAsk && (
            <button type="button" onClick={onAsk} disabled={asking} aria-busy={asking} aria-label={`${t('panel.ask')}: ${agent.name}`} className={actionClass}>
              {asking ? <Spinner className="size-3.5" /> : <MessageSquareReply aria-hidden="true" className="size-3.5" strokeWidth={1.75} />}
              {t('panel.ask')}
            </button>
          )}
          <button type="button" onClick={onMention} aria-label={`${t('panel.mention')}: ${agent.name}`} className={actionClass}>
            <AtSign aria-hidden="true" className="size-3.5" strokeWidth={1.75} />
            {t('panel.mention')}
          </button>
          <button type="button" onClick={onProfile} aria-label={`${t('panel.profile')}: ${agent.name}`} className={actionClass}>
            <UserRound aria-hidden="true" className="size-3.5" strokeWidth={1.75} />
            {t('panel.profile')}
          </button>
          {canRemove && (
            <button type="button" onClick={onRemove} aria-label={`${t('panel.remove')}: ${agent.name}`} className={`${actionClass} hover:text-danger`}>
              <X aria-hidden="true" className="size-3.5" strokeWidth={1.75} />
              {t('panel.remove')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
