import type { Agent } from '../../shared/models';
import { matchKorean } from '../lib/korean-search';

/** Grouping and search of the agent lists (ui.md §4.2 Agents tab, §4.7): pure, so both lists behave the same. */

export const agentCollator = new Intl.Collator(['ko', 'en']);

/** The key of the "Ungrouped" group. Group names are never empty (api.md §1.6), so it cannot collide. */
export const UNGROUPED = '';

export interface AgentGroup {
  /** The group name, or UNGROUPED. */
  key: string;
  agents: Agent[];
}

/** Agents by `group`: groups and names in Korean-then-English collation, "Ungrouped" last. */
export function groupAgents(agents: readonly Agent[]): AgentGroup[] {
  const groups = new Map<string, Agent[]>();
  for (const agent of [...agents].sort((a, b) => agentCollator.compare(a.name, b.name))) {
    const key = agent.group ?? UNGROUPED;
    const list = groups.get(key);
    if (list) list.push(agent);
    else groups.set(key, [agent]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === UNGROUPED ? 1 : b === UNGROUPED ? -1 : agentCollator.compare(a, b)))
    .map(([key, list]) => ({ key, agents: list }));
}

/** Korean-aware search over name and group (initial consonants, mixed queries, a syllable still being typed). */
export function filterAgents(agents: readonly Agent[], query: string): Agent[] {
  if (query.trim() === '') return [...agents];
  return agents.filter((agent) => matchKorean(query, agent.name) !== null || (agent.group !== null && matchKorean(query, agent.group) !== null));
}

/** The first line of `in_a_nutshell`, without Markdown emphasis marks, for a list row. */
export function nutshellLine(agent: Pick<Agent, 'in_a_nutshell'>): string {
  const line = (agent.in_a_nutshell ?? '').split('\n').find((text) => text.trim() !== '') ?? '';
  return line.replace(/^#+\s*/, '').replace(/[*_`]/g, '').trim();
}

/** Every existing group name, collated (for the Create agent group picker). */
export function groupNames(agents: readonly Agent[]): string[] {
  return [...new Set(agents.flatMap((agent) => (agent.group ? [agent.group] : [])))].sort(agentCollator.compare);
}
