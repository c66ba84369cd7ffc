import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { isStrictlyInsideDir, realPathInside } from './agent-paths.js';
import { GROUP_PREFIX, type DiscoveredAgent } from './discovery.js';
import { agentNameError } from './names.js';

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folder a `POST /agents` with `config_file` adopts, or null when the request must get 422 (api.md §10.4).
 * `config_file` (`agents/<rel>` or `<rel>`) must name a folder `<name>` directly in AGENTS_DIR (not a group
 * folder) or in one of its `group_*` folders, and must stay inside AGENTS_DIR after following symlinks
 * (behavior.md §2.2 rule 3). The returned `relPath` is rebuilt from the resolved path, never copied from the
 * request.
 */
export async function adoptableFolder({
  root,
  configFile,
  name,
}: {
  /** Absolute AGENTS_DIR. */
  root: string;
  configFile: string;
  /** The validated NFC agent name. */
  name: string;
}): Promise<DiscoveredAgent | null> {
  const dir = resolve(root, configFile.replace(/^agents[\\/]/, ''));
  if (!isStrictlyInsideDir(root, dir) || (await realPathInside(root, dir)) === null) return null;
  const segments = relative(root, dir).split(sep);
  const [first, second] = segments;
  if (first === undefined || segments.some((segment) => segment.startsWith('.'))) return null;
  let group: string | null = null;
  if (segments.length === 2 && first.startsWith(GROUP_PREFIX)) {
    group = first.slice(GROUP_PREFIX.length).normalize('NFC');
    if (agentNameError(group) !== null) return null;
  } else if (segments.length !== 1 || first.startsWith(GROUP_PREFIX)) {
    return null;
  }
  const folderName = second ?? first;
  if (folderName.normalize('NFC') !== name || !(await isDirectory(dir))) return null;
  return { name, group, relPath: `agents/${segments.join('/')}`, dir };
}
