import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AgentFields, AgentQueries } from '../db/agents.js';
import type { AgentRow } from '../db/schema.js';
import { buildSystemPrompt, type SystemPromptConfig } from '../prompts/system-prompt.js';
import type { ProviderId } from './agent-overrides.js';
import { adoptableFolder, isDirectory } from './agent-adoption.js';
import { isStrictlyInsideDir, realPathInside } from './agent-paths.js';
import {
  AgentFolderExistsError,
  agentFolderPath,
  createAgentFolder,
  trashAgentFolder,
  updateAgentFiles,
} from './agent-writer.js';
import { discoverAgents, type DiscoveredAgent } from './discovery.js';
import type { AgentConfig, AgentConfigStore } from './effective-config.js';
import { resolveProfilePicturePath } from './profile-picture.js';
import { watchAgentsDir, type AgentsDirWatcher } from './watcher.js';

/**
 * The agent catalog: the filesystem is the source of truth, the agents table its cache (behavior.md §2.11–2.13).
 * Discovery and every change the watcher reports flow through one serialized queue into the table, so the API
 * shows an edit, a flipped group flag or a new folder within a debounce interval, without a restart.
 */
export interface AgentCatalogDeps {
  agentsDir: string;
  queries: AgentQueries;
  configs: AgentConfigStore;
  prompts: SystemPromptConfig;
  log: Logger;
  userName: string;
  timeZone: string;
  defaultProvider: () => ProviderId;
  maxImageBytes: number;
  rescanIntervalMs: number;
  now?: () => Date;
}

export interface NewAgentInput {
  name: string;
  group: string | null;
  /** Adopt an existing folder instead of writing one (`agents/<rel>` or `<rel>`). */
  configFile: string | null;
  texts: { inANutshell: string; characteristics: string; recentEvents: string };
  flags: { interrupt_every_turn?: boolean; priority?: number; transparent?: boolean; critic?: boolean };
  profilePicDataUrl: string | null;
}

export interface AgentUpdateInput {
  texts: Partial<Record<'inANutshell' | 'characteristics' | 'recentEvents', string>>;
  profilePicDataUrl: string | null;
}

export type CreateAgentResult =
  | { ok: true; agent: AgentRow }
  | { ok: false; reason: 'name_taken' | 'folder_exists' | 'bad_config_file'; relPath?: string };

export function createAgentCatalog(deps: AgentCatalogDeps) {
  const { agentsDir, queries, configs, log } = deps;
  const root = resolve(agentsDir);
  const now = deps.now ?? (() => new Date());
  /** name → folder, as of the latest discovery. */
  let discovered = new Map<string, DiscoveredAgent>();
  let queue: Promise<unknown> = Promise.resolve();
  let watcher: AgentsDirWatcher | null = null;
  let rescanTimer: NodeJS.Timeout | null = null;

  /** Discovery and row refreshes run one at a time, so two refreshes never race to insert the same agent. */
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task, task);
    queue = result.catch((err: unknown) => log.error({ err }, 'agent catalog update failed'));
    return result;
  }

  function rowFields(config: AgentConfig): AgentFields {
    return {
      name: config.name,
      group: config.group,
      configFile: config.relPath,
      profilePic: config.profilePic,
      inANutshell: config.inANutshell,
      characteristics: config.characteristics,
      recentEvents: config.recentEvents,
      isCritic: config.flags.isCritic,
      isWhiteboard: config.flags.isWhiteboard,
      interruptEveryTurn: config.flags.interruptEveryTurn,
      priority: config.flags.priority,
      transparent: config.flags.transparent,
      // Informational snapshot: default provider's template, no time line (behavior.md §2.12 rule 1).
      systemPrompt: buildSystemPrompt({
        config: deps.prompts,
        provider: config.provider ?? deps.defaultProvider(),
        agentName: config.name,
        userName: deps.userName,
        texts: config,
        timeZone: deps.timeZone,
        includeTimeLine: false,
      }),
    };
  }

  function differs(row: AgentRow, fields: AgentFields): boolean {
    return (Object.keys(fields) as (keyof AgentFields)[]).some((key) => row[key as keyof AgentRow] !== fields[key]);
  }

  /**
   * Brings the agent's row in line with its folder. `known` is the current row when the caller already read it
   * (null: no row yet); batch callers pass it so a sync costs one query, not one per agent.
   */
  async function upsert(agent: DiscoveredAgent, known?: AgentRow | null): Promise<AgentRow | null> {
    let config: AgentConfig;
    try {
      config = await configs.get(agent);
    } catch (err) {
      // §2.7 rule 6 and §2.11 rule 4: an unreadable or vanished folder keeps its database copy.
      log.warn({ err, agent: agent.name, dir: agent.dir }, 'agent folder unreadable; keeping the database copy');
      return known !== undefined ? known : queries.getAgentByName(agent.name);
    }
    const fields = rowFields(config);
    const existing = known !== undefined ? known : await queries.getAgentByName(agent.name);
    if (existing) return differs(existing, fields) ? queries.updateAgent(existing.id, fields) : existing;
    const inserted = await queries.insertAgent({ ...fields, createdAt: now() });
    // Another process inserted it first (cluster): refresh theirs.
    if (inserted === 'duplicate') {
      const theirs = await queries.getAgentByName(agent.name);
      return theirs ? queries.updateAgent(theirs.id, fields) : null;
    }
    log.info({ agent: agent.name, path: agent.relPath }, 'agent discovered');
    return inserted;
  }

  /** Refreshes several agents against one read of the table. */
  async function upsertAll(agents: DiscoveredAgent[]): Promise<void> {
    if (agents.length <= 1) {
      for (const agent of agents) await upsert(agent);
      return;
    }
    const rows = new Map((await queries.listAgents()).map((row) => [row.name, row]));
    for (const agent of agents) await upsert(agent, rows.get(agent.name) ?? null);
  }

  async function syncAll(): Promise<void> {
    const found = await discoverAgents({ agentsDir: root, log });
    discovered = new Map(found.map((agent) => [agent.name, agent]));
    await upsertAll(found);
  }

  /** Folders the watcher reported: an agent folder, a group folder, or AGENTS_DIR itself (shared files). */
  async function refreshDirs(dirs: Set<string>): Promise<void> {
    for (const dir of dirs) configs.invalidate(dir);
    const affected = [...discovered.values()].filter((agent) =>
      [...dirs].some((dir) => resolve(agent.dir) === resolve(dir) || dirname(resolve(agent.dir)) === resolve(dir)),
    );
    await upsertAll(affected);
  }

  /**
   * The agent's folder: where discovery last saw it, else its `config_file`. A stored path that leaves
   * AGENTS_DIR (imported data, or a symlink planted later) is treated as no folder rather than written through.
   */
  async function folderOf(row: AgentRow): Promise<string | null> {
    const known = discovered.get(row.name);
    if (known) return known.dir;
    if (!row.configFile) return null;
    const dir = resolve(root, row.configFile.replace(/^agents\//, ''));
    if (!isStrictlyInsideDir(root, dir) || (await realPathInside(root, dir)) === null) return null;
    return dir;
  }

  /** An agent without a folder (imported data) gets one at the default location (behavior.md §2.13 rule 2). */
  async function defaultFolder(row: AgentRow): Promise<DiscoveredAgent> {
    try {
      const created = await createAgentFolder({
        agentsDir: root,
        name: row.name,
        group: row.group,
        texts: {
          inANutshell: row.inANutshell ?? '',
          characteristics: row.characteristics ?? '',
          recentEvents: row.recentEvents ?? '',
        },
        maxImageBytes: deps.maxImageBytes,
      });
      return { name: row.name, group: row.group, relPath: created.relPath, dir: created.dir };
    } catch (err) {
      // A folder without marker files already sits there (discovery would have matched one with them): use it.
      if (!(err instanceof AgentFolderExistsError)) throw err;
      const existing = await agentFolderPath({ agentsDir: root, name: row.name, group: row.group });
      return { name: row.name, group: row.group, ...existing };
    }
  }

  async function refreshOne(agent: DiscoveredAgent): Promise<AgentRow | null> {
    discovered.set(agent.name, agent);
    configs.invalidate(agent.dir);
    return upsert(agent);
  }

  return {
    async start(): Promise<void> {
      await serialized(syncAll);
      watcher = watchAgentsDir({
        agentsDir: root,
        log,
        onFilesChanged: (dirs) => void serialized(() => refreshDirs(dirs)),
        onStructureChanged: () => void serialized(syncAll),
      });
      await watcher.ready;
      rescanTimer = setInterval(() => void serialized(syncAll), deps.rescanIntervalMs);
      rescanTimer.unref();
    },

    async stop(): Promise<void> {
      if (rescanTimer) clearInterval(rescanTimer);
      rescanTimer = null;
      await watcher?.close();
      watcher = null;
      await queue;
    },

    /** A fresh scan for `/agents/configs`, in path order. */
    async listConfigs(): Promise<Record<string, { path: string; group: string | null }>> {
      const found = await discoverAgents({ agentsDir: root, log });
      return Object.fromEntries(found.map((agent) => [agent.name, { path: agent.relPath, group: agent.group }]));
    },

    async create(input: NewAgentInput): Promise<CreateAgentResult> {
      return serialized(async (): Promise<CreateAgentResult> => {
        if (await queries.getAgentByName(input.name)) return { ok: false, reason: 'name_taken' };
        let folder: DiscoveredAgent | null;
        if (input.configFile !== null) {
          folder = await adoptableFolder({ root, configFile: input.configFile, name: input.name });
          if (!folder) return { ok: false, reason: 'bad_config_file' };
        } else {
          const created = await createAgentFolder({
            agentsDir: root,
            name: input.name,
            group: input.group,
            texts: input.texts,
            flags: input.flags,
            profilePicDataUrl: input.profilePicDataUrl,
            maxImageBytes: deps.maxImageBytes,
          });
          folder = { name: input.name, group: input.group, relPath: created.relPath, dir: created.dir };
        }
        const row = await refreshOne(folder);
        if (!row) return { ok: false, reason: 'name_taken' };
        return { ok: true, agent: row };
      });
    },

    /** Writes the files, then the row follows from disk (api.md §10.5). Null when the agent does not exist. */
    async update(id: number, input: AgentUpdateInput): Promise<AgentRow | null> {
      return serialized(async () => {
        const row = await queries.getAgentById(id);
        if (!row) return null;
        const dir = await folderOf(row);
        const folder =
          dir && (await isDirectory(dir))
            ? (discovered.get(row.name) ?? { name: row.name, group: row.group, relPath: row.configFile ?? '', dir })
            : await defaultFolder(row);
        await updateAgentFiles({
          dir: folder.dir,
          texts: input.texts,
          profilePicDataUrl: input.profilePicDataUrl,
          maxImageBytes: deps.maxImageBytes,
        });
        return refreshOne(folder);
      });
    },

    async reload(row: AgentRow): Promise<{ ok: true; agent: AgentRow } | { ok: false; reason: 'no_config_file' | 'unreadable' }> {
      return serialized(async () => {
        if (!row.configFile) return { ok: false as const, reason: 'no_config_file' as const };
        const dir = await folderOf(row);
        if (!dir || !(await isDirectory(dir))) return { ok: false as const, reason: 'unreadable' as const };
        const agent = discovered.get(row.name) ?? { name: row.name, group: row.group, relPath: row.configFile, dir };
        configs.invalidate(agent.dir);
        try {
          // Read here rather than in upsert, which keeps the database copy when the folder cannot be read.
          await configs.get(agent);
        } catch (err) {
          log.warn({ err, agent: agent.name, dir: agent.dir }, 'agent reload failed');
          return { ok: false as const, reason: 'unreadable' as const };
        }
        const refreshed = await refreshOne(agent);
        return refreshed ? { ok: true as const, agent: refreshed } : { ok: false as const, reason: 'unreadable' as const };
      });
    },

    /** Moves the folder to `.trash/` (so discovery cannot resurrect it), then deletes the row. */
    async remove(row: AgentRow): Promise<void> {
      await serialized(async () => {
        const dir = await folderOf(row);
        if (dir && (await isDirectory(dir))) {
          await trashAgentFolder({ agentsDir: root, dir, name: row.name, now });
          configs.invalidate(dir);
        }
        discovered.delete(row.name);
        await queries.deleteAgent(row.id);
      });
    },

    /**
     * The agent's effective configuration as its files say now (behavior.md §2.11 rule 2: re-stated every
     * turn). Null when its folder is gone or unreadable; the caller then works from the database copy.
     */
    async effectiveConfig(row: AgentRow): Promise<AgentConfig | null> {
      const dir = await folderOf(row);
      if (!dir) return null;
      const agent = discovered.get(row.name) ?? { name: row.name, group: row.group, relPath: row.configFile ?? '', dir };
      try {
        return await configs.get(agent);
      } catch (err) {
        log.warn({ err, agent: row.name, dir }, 'agent folder unreadable; using the database copy');
        return null;
      }
    },

    /** A writer (memorize) changed a file of this folder; the next read rebuilds. */
    invalidateFolder(dir: string): void {
      configs.invalidate(dir);
    },

    /** api.md §10.9: the agent row's folder first (discovered, or an adopted folder discovery does not list). */
    async profilePicturePath(name: string): Promise<string | null> {
      let knownDir = discovered.get(name)?.dir ?? null;
      if (knownDir === null) {
        const row = await queries.getAgentByName(name);
        knownDir = row ? await folderOf(row) : null;
      }
      return resolveProfilePicturePath({ agentsDir: root, name, knownDir });
    },
  };
}

export type AgentCatalog = ReturnType<typeof createAgentCatalog>;
