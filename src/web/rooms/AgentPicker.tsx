import { Search, X } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { filterAgents, groupAgents } from '../agents/agent-groups';
import { useAgents } from '../agents/use-agents';
import { AgentAvatar } from '../components/AgentAvatar';
import { Spinner } from '../components/Spinner';

/**
 * The Create room dialog's agent choice (ui.md §4.3 field 5): an optional, Korean-searchable list of checkboxes,
 * grouped and with avatars; the chosen agents show as chips above it.
 */
export function AgentPicker({ chosen, onChange }: { chosen: readonly Agent[]; onChange: (next: Agent[]) => void }) {
  const { t } = useTranslation('rooms');
  const agents = useAgents();
  const [query, setQuery] = useState('');
  const headingId = useId();
  const hintId = useId();
  const groups = useMemo(() => groupAgents(filterAgents(agents.data ?? [], query)), [agents.data, query]);
  const chosenIds = new Set(chosen.map((agent) => agent.id));
  const toggle = (agent: Agent) => onChange(chosenIds.has(agent.id) ? chosen.filter((a) => a.id !== agent.id) : [...chosen, agent]);

  return (
    <fieldset aria-describedby={hintId}>
      <legend id={headingId} className="text-sm font-medium">
        {t('create.agents')}
      </legend>
      <p id={hintId} className="mb-1.5 text-xs text-text-muted">
        {t('create.agentsHint')}
      </p>
      {chosen.length > 0 && (
        <ul aria-label={t('create.agentsChosen')} className="mb-2 flex flex-wrap gap-1.5">
          {chosen.map((agent) => (
            <li key={agent.id} className="flex items-center gap-1 rounded-full bg-accent-tint py-0.5 pl-0.5 pr-1 text-sm">
              <AgentAvatar name={agent.name} picture={agent.profile_pic} size={20} />
              {agent.name}
              <button
                type="button"
                onClick={() => toggle(agent)}
                aria-label={t('create.unchoose', { name: agent.name })}
                title={t('create.unchoose', { name: agent.name })}
                className="rounded-full p-0.5 text-text-muted hover:text-text"
              >
                <X aria-hidden="true" className="size-3.5" strokeWidth={2} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {agents.isError ? (
        <p role="alert" className="text-sm text-danger">
          {t('create.agentsError')}{' '}
          <button type="button" onClick={() => void agents.refetch()} className="font-medium text-accent hover:underline">
            {t('common:actions.retry')}
          </button>
        </p>
      ) : agents.isPending ? (
        <p className="flex items-center gap-2 text-sm text-text-muted">
          <Spinner /> {t('create.agentsLoading')}
        </p>
      ) : (agents.data ?? []).length === 0 ? (
        <p className="text-sm text-text-muted">{t('create.agentsNone')}</p>
      ) : (
        <div className="rounded-control border border-border">
          <div className="relative border-b border-border">
            <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-text-muted" strokeWidth={1.75} />
            <input
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              // Enter here must not submit the dialog's form half-filled.
              onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
              aria-label={t('create.agentsSearch')}
              placeholder={t('create.agentsSearch')}
              className="w-full rounded-t-control bg-transparent py-1.5 pl-8 pr-2 text-sm"
            />
          </div>
          <div className="max-h-44 overflow-y-auto p-1">
            {groups.length === 0 && <p className="px-2 py-1 text-sm text-text-muted">{t('create.agentsNoMatch')}</p>}
            {groups.map(({ key, agents: members }) => (
              <div key={key} role="group" aria-label={key || t('create.ungrouped')}>
                <div className="px-2 pb-0.5 pt-1 text-xs text-text-muted">{key || t('create.ungrouped')}</div>
                {members.map((agent) => (
                  <label key={agent.id} className="flex cursor-pointer items-center gap-2 rounded-control px-2 py-1 hover:bg-surface-2 coarse:min-h-11">
                    <input type="checkbox" checked={chosenIds.has(agent.id)} onChange={() => toggle(agent)} className="accent-[var(--color-accent)]" />
                    <AgentAvatar name={agent.name} picture={agent.profile_pic} size={24} />
                    <span className="truncate text-sm">{agent.name}</span>
                  </label>
                ))}
              </div>
            ))}
          </div>
        </div>
      )}
    </fieldset>
  );
}
