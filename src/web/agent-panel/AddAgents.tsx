import { Plus, Search } from 'lucide-react';
import { forwardRef, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { Spinner } from '../components/Spinner';
import { filterAgents, groupAgents } from '../agents/agent-groups';
import { AgentAvatar } from '../components/AgentAvatar';

/**
 * Add agents (ui.md §4.5): a searchable (Korean-aware) list of the agents who are not members, grouped, each with a
 * + button; several can be added in a row.
 */
export const AddAgents = forwardRef<HTMLInputElement, {
  candidates: readonly Agent[];
  loading: boolean;
  error: boolean;
  onRetry: () => void;
  onAdd: (agent: Agent) => void;
}>(function AddAgents({ candidates, loading, error, onRetry, onAdd }, ref) {
  const { t } = useTranslation('room');
  const [query, setQuery] = useState('');
  const searchId = useId();

  const groups = useMemo(() => groupAgents(filterAgents(candidates, query)), [candidates, query]);

  return (
    <section aria-labelledby={`${searchId}-heading`} className="mt-4">
      <h3 id={`${searchId}-heading`} className="mb-2 text-xs font-semibold uppercase tracking-wide text-text-muted">
        {t('panel.addHeading')}
      </h3>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {t('panel.agentsError')}{' '}
          <button type="button" onClick={onRetry} className="font-medium text-accent hover:underline">
            {t('common:actions.retry')}
          </button>
        </p>
      ) : loading ? (
        <p className="flex items-center gap-2 text-sm text-text-muted">
          <Spinner /> {t('panel.agentsLoading')}
        </p>
      ) : candidates.length === 0 ? (
        <p className="text-sm text-text-muted">{t('panel.allHere')}</p>
      ) : (
        <>
          <div className="relative mb-2">
            <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-text-muted" strokeWidth={1.75} />
            <input
              ref={ref}
              id={searchId}
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              placeholder={t('panel.search')}
              aria-label={t('panel.search')}
              className="w-full rounded-control border border-border bg-bg py-1.5 pl-8 pr-2 text-sm"
            />
          </div>
          {groups.length === 0 && <p className="text-sm text-text-muted">{t('panel.noMatch')}</p>}
          {groups.map(({ key, agents }) => (
            <div key={key} className="mb-2">
              <div className="px-1 py-1 text-xs text-text-muted">{key || t('panel.ungrouped')}</div>
              <ul className="flex flex-col gap-0.5">
                {agents.map((agent) => (
                  <li key={agent.id} className="flex items-center gap-2 rounded-control px-1 py-1 hover:bg-surface-2">
                    <AgentAvatar name={agent.name} picture={agent.profile_pic} size={28} />
                    <span className="min-w-0 flex-1 truncate text-sm">{agent.name}</span>
                    <button
                      type="button"
                      onClick={() => onAdd(agent)}
                      aria-label={t('panel.add', { name: agent.name })}
                      title={t('panel.add', { name: agent.name })}
                      className="rounded-control p-1.5 text-text-muted hover:bg-surface hover:text-accent coarse:min-h-11 coarse:min-w-11"
                    >
                      <Plus aria-hidden="true" className="mx-auto size-4" strokeWidth={2} />
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
});
