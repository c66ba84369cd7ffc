import { ChevronDown, ChevronRight, Search, X } from 'lucide-react';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { filterAgents, groupAgents, UNGROUPED } from './agent-groups';
import { toggleAgentGroup, useAgentLayout } from './agent-layout';

/** The Korean-aware search field over agent names and groups, with a clear button. */
export function AgentSearch({ value, onChange, className = '' }: { value: string; onChange: (value: string) => void; className?: string }) {
  const { t } = useTranslation('agents');
  const id = useId();
  return (
    <div className={`relative ${className}`}>
      <label htmlFor={id} className="sr-only">
        {t('search.label')}
      </label>
      <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-text-muted" strokeWidth={1.75} />
      <input
        id={id}
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value && !event.nativeEvent.isComposing) {
            event.stopPropagation();
            onChange('');
          }
        }}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        className="w-full rounded-control border border-border bg-surface py-1.5 pl-8 pr-8 text-sm placeholder:text-text-muted [&::-webkit-search-cancel-button]:hidden"
      />
      {value && (
        <button
          type="button"
          onClick={() => onChange('')}
          aria-label={t('search.clear')}
          title={t('search.clear')}
          className="absolute right-1 top-1/2 -translate-y-1/2 rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-w-11"
        >
          <X aria-hidden="true" className="size-4" strokeWidth={1.75} />
        </button>
      )}
    </div>
  );
}

/**
 * Agents grouped by `group` (ui.md §4.2): each group header shows a count and collapses, and the collapsed state
 * is remembered. While searching, every group with a match shows open. `renderRow` draws one agent.
 */
export function AgentList({ agents, query, renderRow }: { agents: readonly Agent[]; query: string; renderRow: (agent: Agent) => ReactNode }) {
  const { t } = useTranslation('agents');
  const { collapsedAgentGroups } = useAgentLayout();
  const searching = query.trim() !== '';
  const groups = useMemo(() => groupAgents(filterAgents(agents, query)), [agents, query]);
  const baseId = useId();

  if (agents.length > 0 && groups.length === 0) {
    return <p className="px-2.5 py-3 text-sm text-text-muted">{t('search.noMatch')}</p>;
  }

  return (
    <div className="flex flex-col gap-1">
      {groups.map((group, index) => {
        const name = group.key === UNGROUPED ? t('ungrouped') : group.key;
        const collapsed = !searching && collapsedAgentGroups.includes(group.key);
        const listId = `${baseId}-${index}`;
        return (
          <section key={group.key} aria-label={name}>
            <h3>
              <button
                type="button"
                aria-expanded={!collapsed}
                aria-controls={listId}
                onClick={() => toggleAgentGroup(group.key)}
                disabled={searching}
                className="flex w-full items-center gap-1 rounded-control px-2 py-1 text-left text-xs font-semibold uppercase tracking-wide text-text-muted hover:bg-surface-2 disabled:hover:bg-transparent"
              >
                {collapsed ? (
                  <ChevronRight aria-hidden="true" className="size-3.5" strokeWidth={2} />
                ) : (
                  <ChevronDown aria-hidden="true" className="size-3.5" strokeWidth={2} />
                )}
                <span className="min-w-0 flex-1 truncate">{name}</span>
                <span aria-hidden="true" className="font-normal tabular-nums">
                  {group.agents.length}
                </span>
                <span className="sr-only">{t('groupCount', { count: group.agents.length })}</span>
              </button>
            </h3>
            {!collapsed && (
              <ul id={listId} className="flex flex-col gap-0.5">
                {group.agents.map((agent) => (
                  <li key={agent.id}>{renderRow(agent)}</li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
