import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQuery } from '@tanstack/react-query';
import { ChevronDown, LayoutList, MessageCircle, Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Agent } from '../../shared/models';
import { AgentProfileDialog } from '../agent-panel/AgentProfileDialog';
import { PROVIDER_IDS } from '../../shared/providers';
import { Spinner } from '../components/Spinner';
import { api } from '../lib/endpoints';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { useSettings } from '../lib/settings';
import { nutshellLine } from './agent-groups';
import { AgentAvatar } from '../components/AgentAvatar';
import { AgentList, AgentSearch } from './AgentList';
import { CreateAgentDialog } from './CreateAgentDialog';
import { useAgents, useIsAdmin } from './use-agents';
import { useOpenDirectChat } from '../rooms/use-open-direct-chat';

const iconProps = { 'aria-hidden': true, className: 'size-[18px]', strokeWidth: 1.75 } as const;

/** The sidebar's Agents tab (ui.md §4.2): search, grouped rows with a Chat button, New agent and Open manager. */
export function AgentsTab() {
  const { t } = useTranslation('agents');
  const agents = useAgents();
  const admin = useIsAdmin();
  const [query, setQuery] = useState('');
  const [createOpen, setCreateOpen] = useState(false);
  const [profileId, setProfileId] = useState<number | undefined>();
  const directChat = useOpenDirectChat();

  return (
    <div className="flex flex-col gap-2 px-2">
      <AgentSearch value={query} onChange={setQuery} />
      {directChat.isError && (
        <p role="alert" className="px-2.5 text-sm text-danger">
          {t('chat.failed')} {errorText(t, directChat.error)}
        </p>
      )}
      {agents.data ? (
        agents.data.length === 0 ? (
          <p className="px-2.5 py-3 text-sm text-text-muted">{t('empty')}</p>
        ) : (
          <AgentList
            agents={agents.data}
            query={query}
            renderRow={(agent) => (
              <AgentRow
                agent={agent}
                busy={directChat.isPending && directChat.variables?.agentId === agent.id}
                onOpen={() => setProfileId(agent.id)}
                onChat={(provider) => directChat.mutate({ agentId: agent.id, provider })}
              />
            )}
          />
        )
      ) : agents.isError ? (
        <div className="px-2.5 py-3 text-sm">
          <p className="text-danger">{errorText(t, agents.error)}</p>
          <button type="button" onClick={() => void agents.refetch()} className="mt-1 font-medium text-accent hover:underline">
            {t('common:actions.retry')}
          </button>
        </div>
      ) : (
        <ul aria-hidden="true" className="flex flex-col gap-1 px-2.5 py-1">
          {[0, 1, 2, 3].map((i) => (
            <li key={i} className="h-11 animate-pulse rounded-control bg-surface-2" />
          ))}
        </ul>
      )}
      <div className="flex flex-wrap gap-2 px-0.5 pt-1">
        {admin && (
          <button
            type="button"
            onClick={() => setCreateOpen(true)}
            className="flex items-center gap-1.5 rounded-control border border-border px-2.5 py-1.5 text-sm font-medium hover:bg-surface-2"
          >
            <Plus {...iconProps} />
            {t('newAgent')}
          </button>
        )}
        <Link to="/agents" className="flex items-center gap-1.5 rounded-control px-2.5 py-1.5 text-sm text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11">
          <LayoutList {...iconProps} />
          {t('openManager')}
        </Link>
      </div>
      {admin && <CreateAgentDialog open={createOpen} onOpenChange={setCreateOpen} />}
      <AgentProfileDialog agentId={profileId} onOpenChange={(open) => !open && setProfileId(undefined)} />
    </div>
  );
}

function AgentRow({
  agent,
  busy,
  onOpen,
  onChat,
}: {
  agent: Agent;
  busy: boolean;
  onOpen: () => void;
  onChat: (provider?: (typeof PROVIDER_IDS)[number]) => void;
}) {
  const { t } = useTranslation('agents');
  const compact = useSettings().density === 'compact';
  const line = nutshellLine(agent);
  return (
    <div className="group flex items-center gap-1 rounded-control hover:bg-surface-2">
      <button
        type="button"
        onClick={onOpen}
        aria-haspopup="dialog"
        className="flex min-w-0 flex-1 items-center gap-2.5 rounded-control px-2 py-1.5 text-left compact:gap-2 compact:py-1"
      >
        <AgentAvatar name={agent.name} picture={agent.profile_pic} size={compact ? 24 : 32} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium">{agent.name}</span>
          {line && <span className="block truncate text-xs text-text-muted">{line}</span>}
        </span>
      </button>
      <button
        type="button"
        onClick={() => onChat()}
        disabled={busy}
        aria-label={t('chat.with', { name: agent.name })}
        title={t('chat.with', { name: agent.name })}
        className="rounded-control p-1.5 text-text-muted hover:bg-surface hover:text-text coarse:min-w-11"
      >
        {busy ? <Spinner /> : <MessageCircle {...iconProps} />}
      </button>
      <ProviderMenu name={agent.name} onChoose={onChat} />
    </div>
  );
}

/** The Chat button's menu: the providers and whether each can run now. */
function ProviderMenu({ name, onChoose }: { name: string; onChoose: (provider: (typeof PROVIDER_IDS)[number]) => void }) {
  const { t } = useTranslation('agents');
  const [open, setOpen] = useState(false);
  const providers = useQuery({ queryKey: queryKeys.providers, queryFn: ({ signal }) => api.providers(signal), enabled: open, staleTime: 30_000 });
  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger
        aria-label={t('chat.choose', { name })}
        title={t('chat.choose', { name })}
        className="mr-1 rounded-control p-1 text-text-muted hover:bg-surface hover:text-text coarse:min-w-11"
      >
        <ChevronDown aria-hidden="true" className="size-3.5" strokeWidth={2} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-52 rounded-card border border-border bg-surface p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1 text-xs text-text-muted">{t('chat.provider')}</DropdownMenu.Label>
          {PROVIDER_IDS.map((provider) => {
            const info = providers.data?.providers.find((p) => p.name === provider);
            return (
              <DropdownMenu.Item
                key={provider}
                onSelect={() => onChoose(provider)}
                className="flex cursor-default flex-col rounded-control px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-surface-2"
              >
                <span>{t(`common:providers.${provider}`)}</span>
                {info && !info.available && <span className="text-xs text-text-muted">{t('chat.unavailable')}</span>}
              </DropdownMenu.Item>
            );
          })}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
