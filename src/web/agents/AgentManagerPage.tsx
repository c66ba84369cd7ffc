import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import { Spinner } from '../components/Spinner';
import { errorText } from '../lib/errors';
import { PageHeader } from '../shell/PageHeader';
import { nutshellLine } from './agent-groups';
import { AgentAvatar } from '../components/AgentAvatar';
import { AgentDetail } from './AgentDetail';
import { AgentList, AgentSearch } from './AgentList';
import { CreateAgentDialog } from './CreateAgentDialog';
import { useAgents, useIsAdmin } from './use-agents';

/**
 * The agent manager, `/agents` and `/agents/:agentId` (ui.md §4.7): a 320 px list next to the detail pane; on
 * phones the list and the detail are separate views.
 */
export function AgentManagerPage() {
  const { t } = useTranslation('manager');
  const { agentId: rawId } = useParams();
  const agentId = rawId !== undefined && /^\d+$/.test(rawId) ? Number(rawId) : undefined;
  const agents = useAgents();
  const admin = useIsAdmin();
  const [query, setQuery] = useState('');
  const [createOpen, setCreateOpen] = useState(false);
  const selected = agents.data?.find((agent) => agent.id === agentId);

  return (
    <>
      <PageHeader title={selected?.name ?? t('title')}>
        <span className="flex-1" />
        {admin && (
          <button
            type="button"
            onClick={() => setCreateOpen(true)}
            className="flex items-center gap-1.5 rounded-control bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg"
          >
            <Plus aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
            {t('agents:newAgent')}
          </button>
        )}
      </PageHeader>
      <div className="flex min-h-0 flex-1">
        <div className={`flex min-h-0 w-full flex-col gap-2 border-r border-border p-2 md:w-80 md:shrink-0 ${rawId ? 'hidden md:flex' : ''}`}>
          <AgentSearch value={query} onChange={setQuery} />
          <div className="min-h-0 flex-1 overflow-y-auto">
            {agents.isPending && (
              <p className="flex items-center gap-2 p-3 text-sm text-text-muted">
                <Spinner /> {t('common:loading')}
              </p>
            )}
            {agents.isError && (
              <div role="alert" className="p-3 text-sm">
                <p className="text-danger">{errorText(t, agents.error)}</p>
                <button type="button" onClick={() => void agents.refetch()} className="mt-1 font-medium text-accent hover:underline">
                  {t('common:actions.retry')}
                </button>
              </div>
            )}
            {agents.data?.length === 0 && <p className="p-3 text-sm text-text-muted">{t('agents:empty')}</p>}
            {agents.data && (
              <AgentList
                agents={agents.data}
                query={query}
                renderRow={(agent) => (
                  <NavLink
                    to={`/agents/${agent.id}`}
                    className="flex items-center gap-2.5 rounded-control px-2 py-1.5 hover:bg-surface-2 aria-[current=page]:bg-accent-tint"
                  >
                    <AgentAvatar name={agent.name} picture={agent.profile_pic} size={32} />
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-sm font-medium">{agent.name}</span>
                      <span className="block truncate text-xs text-text-muted">{nutshellLine(agent)}</span>
                    </span>
                  </NavLink>
                )}
              />
            )}
          </div>
        </div>
        <div className={`min-h-0 flex-1 overflow-y-auto ${rawId ? '' : 'hidden md:block'}`}>
          {agentId !== undefined ? (
            <AgentDetail key={agentId} agentId={agentId} fallback={selected} admin={admin} />
          ) : rawId !== undefined ? (
            <p className="p-6 text-text-muted">{t('agents:notFound')}</p>
          ) : (
            <p className="p-6 text-text-muted">{t('selectHint')}</p>
          )}
        </div>
      </div>
      {admin && <CreateAgentDialog open={createOpen} onOpenChange={setCreateOpen} />}
    </>
  );
}
