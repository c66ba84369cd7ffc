import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { fileSignature, type YamlStore } from '../prompts/yaml-store.js';
import type { ProviderId } from './agent-overrides.js';
import { AGENT_YAML_FILE } from './agent-overrides.js';
import { AGENT_TEXT_FILES, memoryFileName, readAgentFolder } from './agent-files.js';
import { boundaryFiles, hasBoundaryEntry } from './boundaries.js';
import type { DiscoveredAgent } from './discovery.js';
import { GROUP_CONFIG_FILE, parseGroupConfig } from './group-config.js';

export interface AgentFlags {
  isCritic: boolean;
  isWhiteboard: boolean;
  interruptEveryTurn: boolean;
  priority: number;
  transparent: boolean;
}

/** An agent's effective configuration (behavior.md §2.11 rule 1). Plain data; treat it as immutable. */
export interface AgentConfig {
  name: string;
  group: string | null;
  relPath: string;
  dir: string;
  inANutshell: string;
  characteristics: string;
  recentEvents: string;
  memory: ReadonlyMap<string, string>;
  profilePic: string | null;
  flags: AgentFlags;
  provider: ProviderId | null;
  model: string | null;
  thinkingBudget: number | null;
  groupTools: Record<string, Record<string, unknown>>;
  hasBoundary: boolean;
  /** Combined signature of every source file; changes whenever the configuration may have changed. */
  signature: string;
}

export type AgentConfigStore = ReturnType<typeof createAgentConfigStore>;

interface CacheEntry {
  signature: string;
  config: AgentConfig;
}

/**
 * Effective configuration per agent folder, cached under the signatures (mtime + size) of every file it was
 * built from. Each `get` re-stats those files and rebuilds on any difference (§2.11 rule 2), so a missed watcher
 * event can delay nothing; `invalidate` lets the watcher and writers drop entries immediately.
 */
export function createAgentConfigStore({
  agentsDir,
  yaml,
  recallMemoryFile,
  log,
}: {
  agentsDir: string;
  yaml: YamlStore;
  recallMemoryFile: string;
  log: Logger;
}) {
  const root = resolve(agentsDir);
  const entries = new Map<string, CacheEntry>();

  function sourceFiles(agent: DiscoveredAgent): { dir: string; groupDir: string | null; files: string[] } {
    const dir = resolve(agent.dir);
    const groupDir = agent.group === null ? null : dirname(dir);
    const files = [
      // The folder itself: its mtime moves when a file (a new picture) appears or disappears.
      dir,
      ...Object.values(AGENT_TEXT_FILES).map((file) => join(dir, file)),
      join(dir, memoryFileName(recallMemoryFile)),
      join(dir, AGENT_YAML_FILE),
      ...(groupDir === null ? [] : [join(groupDir, GROUP_CONFIG_FILE)]),
      ...boundaryFiles({ agentsDir: root, groupDir }),
    ];
    return { dir, groupDir, files };
  }

  async function get(agent: DiscoveredAgent): Promise<AgentConfig> {
    const sources = sourceFiles(agent);
    // Stat before reading: a write that lands mid-build leaves a stale signature, so the next get rebuilds.
    const signature = [agent.name, agent.group ?? '', ...sources.files.map(fileSignature)].join('|');
    const cached = entries.get(sources.dir);
    if (cached && cached.signature === signature) return cached.config;
    const config = await build(agent, sources, signature);
    entries.set(sources.dir, { signature, config });
    return config;
  }

  async function build(
    agent: DiscoveredAgent,
    { dir, groupDir }: { dir: string; groupDir: string | null },
    signature: string,
  ): Promise<AgentConfig> {
    // A vanished folder must not read as an agent whose files are all empty (behavior.md §2.11 rule 4): stat
    // throws ENOENT, so callers keep the database copy (§2.7 rule 6).
    if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a folder`);
    const folder = await readAgentFolder({ dir, recallMemoryFile, yaml, log });
    const groupConfigPath = groupDir === null ? null : join(groupDir, GROUP_CONFIG_FILE);
    const groupConfig =
      groupConfigPath === null
        ? { tools: {} }
        : parseGroupConfig({ raw: yaml.read(groupConfigPath), file: groupConfigPath, log });
    const own = folder.overrides;
    return {
      name: agent.name,
      group: agent.group,
      relPath: agent.relPath,
      dir,
      inANutshell: folder.inANutshell,
      characteristics: folder.characteristics,
      recentEvents: folder.recentEvents,
      memory: folder.memory,
      profilePic: folder.profilePic,
      // README binding resolution 8: agent.yaml > group_config.yaml > defaults.
      flags: {
        isCritic: (own.critic ?? false) || agent.name.toLowerCase() === 'critic',
        // behavior.md §5.13: the original UI's names make an agent the whiteboard too.
        isWhiteboard: (own.whiteboard ?? false) || agent.name === 'Whiteboard' || agent.name === '화이트보드',
        interruptEveryTurn: own.interrupt_every_turn ?? groupConfig.interrupt_every_turn ?? false,
        priority: own.priority ?? groupConfig.priority ?? 0,
        transparent: own.transparent ?? groupConfig.transparent ?? false,
      },
      provider: own.provider ?? null,
      model: own.model ?? null,
      thinkingBudget: own.thinking_budget ?? null,
      groupTools: groupConfig.tools,
      hasBoundary: hasBoundaryEntry({ files: boundaryFiles({ agentsDir: root, groupDir }), name: agent.name, yaml }),
      signature,
    };
  }

  /**
   * Drops cached entries: one agent folder, or every agent directly inside a group folder (or AGENTS_DIR for
   * ungrouped agents) when a shared file changed; everything when called without a folder. Exact parent match,
   * never a path prefix.
   */
  function invalidate(dir?: string): void {
    if (dir === undefined) {
      entries.clear();
      return;
    }
    const target = resolve(dir);
    for (const key of [...entries.keys()]) {
      if (key === target || dirname(key) === target) entries.delete(key);
    }
  }

  return { get, invalidate };
}
