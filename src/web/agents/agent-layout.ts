import { useSyncExternalStore } from 'react';
import { readStored, STORAGE_PREFIX, writeStored } from '../lib/storage';

/**
 * The agent lists' part of the `layout` key (ui.md §2.3): the sidebar tab and the collapsed agent groups. Other
 * fields of the same key (the sidebar state) are kept as they are; changes sync across tabs.
 */

export type SidebarTab = 'rooms' | 'agents';

interface AgentLayout {
  sidebarTab: SidebarTab;
  collapsedAgentGroups: string[];
}

const KEY = 'layout';
const VERSION = 1;

function load(): AgentLayout {
  const stored = readStored<AgentLayout>(KEY, VERSION);
  return {
    sidebarTab: stored?.sidebarTab === 'agents' ? 'agents' : 'rooms',
    collapsedAgentGroups: Array.isArray(stored?.collapsedAgentGroups)
      ? stored.collapsedAgentGroups.filter((group): group is string => typeof group === 'string')
      : [],
  };
}

let current = load();
const listeners = new Set<() => void>();

function save(patch: Partial<AgentLayout>): void {
  current = { ...current, ...patch };
  writeStored(KEY, VERSION, { ...readStored<AgentLayout>(KEY, VERSION), ...patch });
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== null && event.key !== STORAGE_PREFIX + KEY) return;
    current = load();
    for (const listener of listeners) listener();
  });
}

const getLayout = () => current;

export function useAgentLayout(): AgentLayout {
  return useSyncExternalStore(subscribe, getLayout, getLayout);
}

export function setSidebarTab(tab: SidebarTab): void {
  save({ sidebarTab: tab });
}

export function toggleAgentGroup(group: string): void {
  const collapsed = current.collapsedAgentGroups;
  save({ collapsedAgentGroups: collapsed.includes(group) ? collapsed.filter((g) => g !== group) : [...collapsed, group] });
}

/** For tests: re-read storage. */
export function reloadAgentLayout(): void {
  current = load();
}
