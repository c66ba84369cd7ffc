import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { errorCode, isMissing, realPathInside } from './agent-paths.js';
import { agentNameError, compareCodePoints } from './names.js';

export interface DiscoveredAgent {
  /** NFC form of the folder name: the database key (behavior.md §2.2 rule 2). */
  name: string;
  group: string | null;
  /** `agents/<path relative to AGENTS_DIR>` with POSIX separators and on-disk folder names (api.md §3.1). */
  relPath: string;
  /** Absolute folder path exactly as found on disk; every file access goes through it. */
  dir: string;
}

export const GROUP_PREFIX = 'group_';
export const AGENT_MARKER_FILES = ['in_a_nutshell.md', 'characteristics.md'] as const;

/** Scans AGENTS_DIR per behavior.md §2.6. A missing AGENTS_DIR yields no agents. */
export async function discoverAgents({
  agentsDir,
  log,
}: {
  agentsDir: string;
  log: Logger;
}): Promise<DiscoveredAgent[]> {
  const root = resolve(agentsDir);
  const entries = await listSubfolders(root, root, log);
  const perEntry = await Promise.all(
    entries.map((entry) =>
      entry.startsWith(GROUP_PREFIX)
        ? groupDiscoveredAgents(root, entry, log)
        : agentDiscoveredAgent({ dir: join(root, entry), folderName: entry, group: null, relPath: `agents/${entry}`, log }),
    ),
  );
  const candidates = perEntry.flat().filter((c): c is DiscoveredAgent => c !== null);
  candidates.sort((a, b) => compareCodePoints(a.relPath, b.relPath));
  return keepFirstPerName(candidates, log);
}

async function groupDiscoveredAgents(root: string, folderName: string, log: Logger): Promise<(DiscoveredAgent | null)[]> {
  const group = folderName.slice(GROUP_PREFIX.length).normalize('NFC');
  const reason = agentNameError(group);
  if (reason !== null) {
    log.warn({ folder: `agents/${folderName}`, reason }, 'skipping group folder with an invalid name');
    return [];
  }
  const groupDir = join(root, folderName);
  const members = await listSubfolders(root, groupDir, log);
  return Promise.all(
    members.map((member) =>
      agentDiscoveredAgent({
        dir: join(groupDir, member),
        folderName: member,
        group,
        relPath: `agents/${folderName}/${member}`,
        log,
      }),
    ),
  );
}

async function agentDiscoveredAgent({
  dir,
  folderName,
  group,
  relPath,
  log,
}: {
  dir: string;
  folderName: string;
  group: string | null;
  relPath: string;
  log: Logger;
}): Promise<DiscoveredAgent | null> {
  if (!(await hasMarkerFile(dir, log))) return null;
  // No trim here: a folder named " Mira" is invalid rather than silently becoming "Mira".
  const name = folderName.normalize('NFC');
  const reason = agentNameError(name);
  if (reason !== null) {
    log.warn({ folder: relPath, reason }, 'skipping agent folder with an invalid name');
    return null;
  }
  return { name, group, relPath, dir };
}

async function hasMarkerFile(dir: string, log: Logger): Promise<boolean> {
  for (const file of AGENT_MARKER_FILES) {
    try {
      if ((await stat(join(dir, file))).isFile()) return true;
    } catch (err) {
      if (!isMissing(err)) log.warn({ err, folder: dir, file }, 'cannot inspect agent folder');
    }
  }
  return false;
}

/**
 * Non-hidden subfolders of `dir`, by on-disk name. A symlinked folder counts only when its target stays inside
 * AGENTS_DIR (behavior.md §2.2 rule 3): agent files are read and written through these paths.
 */
async function listSubfolders(root: string, dir: string, log: Logger): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    // An unreadable AGENTS_DIR is the caller's problem (startup should say so); an unreadable group is skipped.
    if (dir === root) throw err;
    log.warn({ err, folder: dir, code: errorCode(err) }, 'cannot read group folder');
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) names.push(entry.name);
    else if (entry.isSymbolicLink() && (await isSymlinkedFolderInside(root, join(dir, entry.name), log))) {
      names.push(entry.name);
    }
  }
  return names;
}

async function isSymlinkedFolderInside(root: string, path: string, log: Logger): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false;
  } catch {
    // A dangling symlink is simply not a folder.
    return false;
  }
  if ((await realPathInside(root, path)) !== null) return true;
  log.warn({ folder: path }, 'skipping symlinked folder that points outside the agents directory');
  return false;
}

function keepFirstPerName(sorted: DiscoveredAgent[], log: Logger): DiscoveredAgent[] {
  const winners = new Map<string, DiscoveredAgent>();
  for (const candidate of sorted) {
    const winner = winners.get(candidate.name);
    if (winner) {
      log.warn(
        { name: candidate.name, kept: winner.relPath, skipped: candidate.relPath },
        'duplicate agent name; the first folder in path order wins',
      );
      continue;
    }
    winners.set(candidate.name, candidate);
  }
  return [...winners.values()];
}
