import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import type { Agent } from '../../shared/models';
import { Spinner } from '../components/Spinner';
import { api } from '../lib/endpoints';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { PageHeader } from '../shell/PageHeader';

const collator = new Intl.Collator(['ko', 'en']);

/**
 * `/agents` and `/agents/:agentId` (ui.md §4.7), in a first read-only form: the agents grouped by `group`, and the
 * chosen agent's persona text. Editing, creation, pictures and reload come with the agent manager.
 */
export function AgentsPage() {
  const { t } = useTranslation('agents');
  const { agentId } = useParams();
  const agents = useQuery({ queryKey: queryKeys.agents, queryFn: ({ signal }) => api.agents(signal), staleTime: 30_000, refetchInterval: 60_000 });
  const selected = agents.data?.find((agent) => String(agent.id) === agentId);

  const groups = new Map<string, Agent[]>();
  for (const agent of [...(agents.data ?? [])].sort((a, b) => collator.compare(a.name, b.name))) {
    const group = agent.group ?? '';
    groups.set(group, [...(groups.get(group) ?? []), agent]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : collator.compare(a, b)));

  return (
    <>
      <PageHeader title={selected?.name ?? t('title')} />
      <div className="flex min-h-0 flex-1">
        <div className={`min-h-0 w-full overflow-y-auto border-r border-border p-2 md:w-80 ${agentId ? 'hidden md:block' : ''}`}>
          {agents.isPending && (
            <p className="flex items-center gap-2 p-3 text-sm text-text-muted">
              <Spinner /> {t('common:loading')}
            </p>
          )}
          {agents.isError && (
            <p role="alert" className="p-3 text-sm text-danger">
              {errorText(t, agents.error)}
            </p>
          )}
          {agents.data?.length === 0 && <p className="p-3 text-sm text-text-muted">{t('empty')}</p>}
          {ordered.map(([group, members]) => (
            <section key={group} aria-label={`${group || t('ungrouped')} (${members.length})`} className="mb-3">
              <h2 className="px-2.5 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-text-muted">
                {group || t('ungrouped')} <span className="font-normal">({members.length})</span>
              </h2>
              <ul className="flex flex-col gap-0.5">
                {members.map((agent) => (
                  <li key={agent.id}>
                    <NavLink
                      to={`/agents/${agent.id}`}
                      className="block rounded-control px-2.5 py-2 hover:bg-surface-2 aria-[current=page]:bg-accent-tint"
                    >
                      <span className="block truncate font-medium">{agent.name}</span>
                      {agent.in_a_nutshell && (
                        <span className="block truncate text-sm text-text-muted">{agent.in_a_nutshell.split('\n')[0]}</span>
                      )}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
        <div className={`min-h-0 flex-1 overflow-y-auto p-6 ${agentId ? '' : 'hidden md:block'}`}>
          {selected ? (
            <AgentDetail agent={selected} />
          ) : agentId && agents.data ? (
            <p className="text-text-muted">{t('notFound')}</p>
          ) : (
            <p className="text-text-muted">{t('selectHint')}</p>
          )}
        </div>
      </div>
    </>
  );
}

function AgentDetail({ agent }: { agent: Agent }) {
  const { t } = useTranslation('agents');
  const fields = [
    ['inANutshell', agent.in_a_nutshell],
    ['characteristics', agent.characteristics],
    ['recentEvents', agent.recent_events],
  ] as const;
  return (
    <article aria-labelledby="agent-name" className="mx-auto max-w-2xl">
      <h2 id="agent-name" className="text-xl font-semibold">
        {agent.name}
      </h2>
      {agent.group && <p className="text-sm text-text-muted">{agent.group}</p>}
      {fields.map(([key, value]) => (
        <section key={key} className="mt-6">
          <h3 className="mb-1 text-sm font-semibold text-text-muted">{t(key)}</h3>
          <div className="prose-chat rounded-card bg-surface-2 p-4 text-sm">{value || t('none')}</div>
        </section>
      ))}
    </article>
  );
}
