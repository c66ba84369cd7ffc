import { useTranslation } from 'react-i18next';
import { AgentAvatar } from '../components/AgentAvatar';
import type { MentionCandidate } from './use-mention-menu';

export function mentionOptionId(listId: string, id: number): string {
  return `${listId}-agent-${id}`;
}

interface MentionMenuProps {
  listId: string;
  candidates: readonly MentionCandidate[];
  active: number;
  hasMembers: boolean;
  onChoose: (candidate: MentionCandidate) => void;
  onHover: (index: number) => void;
}

/**
 * The @mention listbox (ui.md §4.4.7). Focus stays in the textarea (a combobox with `aria-activedescendant`);
 * options take clicks without stealing it.
 */
export function MentionMenu({ listId, candidates, active, hasMembers, onChoose, onHover }: MentionMenuProps) {
  const { t } = useTranslation('composer');
  return (
    <div className="absolute inset-x-0 bottom-full z-30 mb-2 overflow-hidden rounded-card border border-border bg-surface shadow-xl">
      <ul id={listId} role="listbox" aria-label={t('mentions.label')} className="max-h-[calc(8*2.75rem)] overflow-y-auto py-1">
        {candidates.map((agent, index) => (
          <li
            key={agent.id}
            id={mentionOptionId(listId, agent.id)}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onChoose(agent)}
            onMouseMove={() => {
              if (index !== active) onHover(index);
            }}
            className="flex min-h-11 cursor-pointer items-center gap-2 px-3 aria-selected:bg-accent-tint"
          >
            <AgentAvatar name={agent.name} picture={agent.profile_pic} size={28} />
            <span className="truncate font-medium">{agent.name}</span>
            {agent.group !== null && <span className="ml-auto truncate text-xs text-text-muted">{agent.group}</span>}
          </li>
        ))}
      </ul>
      {candidates.length === 0 && (
        <p role="status" className="px-3 py-2.5 text-sm text-text-muted">
          {hasMembers ? t('mentions.noMatch') : t('mentions.noMembers')}
        </p>
      )}
    </div>
  );
}
