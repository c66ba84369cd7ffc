import { mkdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import type { EventName } from 'chokidar/handler.js';
import type { Logger } from 'pino';
import { AGENT_MARKER_FILES, GROUP_PREFIX } from './discovery.js';
import { BOUNDARIES_FILE, EXTREME_TRAITS_FILE } from './boundaries.js';
import { GROUP_CONFIG_FILE } from './group-config.js';

export interface AgentsDirWatcher {
  /** Resolves once the initial scan is done; changes after that are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** chokidar's event names; `all` handlers only ever see add, addDir, change, unlink and unlinkDir. */
type FsEvent = EventName;

/** What one filesystem event means for the agent catalog. */
export interface ChangeMeaning {
  /** Folder whose cached configuration is stale: an agent folder, a group folder, or AGENTS_DIR itself. */
  dir: string | null;
  /** Whether the set of agents may have changed, so discovery must run again. */
  rescan: boolean;
}

const GROUP_SHARED_FILES = new Set([GROUP_CONFIG_FILE, BOUNDARIES_FILE, EXTREME_TRAITS_FILE]);
const MARKER_FILES = new Set<string>(AGENT_MARKER_FILES);
const IGNORED: ChangeMeaning = { dir: null, rescan: false };

/**
 * Recursive watch of AGENTS_DIR (behavior.md §2.11 rules 2–3). File changes are batched per window of
 * `fileDebounceMs` and reported as the set of affected folders; anything that may add or remove an agent is
 * batched per `rescanDebounceMs`. The window starts at the first event and is not extended by later ones, so a
 * steady stream of writes cannot postpone a report indefinitely. Hidden paths (locks, temp files, .trash) are
 * never watched.
 */
export function watchAgentsDir({
  agentsDir,
  log,
  onFilesChanged,
  onStructureChanged,
  fileDebounceMs = 100,
  rescanDebounceMs = 200,
}: {
  agentsDir: string;
  log: Logger;
  onFilesChanged: (dirs: Set<string>) => void;
  onStructureChanged: () => void;
  fileDebounceMs?: number;
  rescanDebounceMs?: number;
}): AgentsDirWatcher {
  const root = resolve(agentsDir);
  // The server owns AGENTS_DIR; creating it now means a pack copied in later is watched like any other change.
  mkdirSync(root, { recursive: true });
  let pendingDirs = new Set<string>();
  let fileTimer: NodeJS.Timeout | null = null;
  let rescanTimer: NodeJS.Timeout | null = null;

  // Callbacks run from timers: an exception there would crash the process, so it is logged instead.
  const report = (what: string, callback: () => void): void => {
    try {
      callback();
    } catch (err) {
      log.error({ err, dir: root }, `agents watcher ${what} handler failed`);
    }
  };
  const flushFiles = (): void => {
    fileTimer = null;
    const dirs = pendingDirs;
    pendingDirs = new Set();
    report('file change', () => onFilesChanged(dirs));
  };
  const flushRescan = (): void => {
    rescanTimer = null;
    report('rescan', onStructureChanged);
  };

  const watcher = watch(root, {
    ignoreInitial: true,
    // AGENTS_DIR / group / agent / file: nothing deeper matters (behavior.md §2.1 rule 1).
    depth: 2,
    ignored: (path: string) => isHiddenPath(root, path),
  });

  watcher.on('all', (event: FsEvent, path: string) => {
    const meaning = classifyChange({ root, event, path });
    if (meaning.dir !== null) {
      pendingDirs.add(meaning.dir);
      fileTimer ??= setTimeout(flushFiles, fileDebounceMs);
    }
    if (meaning.rescan) rescanTimer ??= setTimeout(flushRescan, rescanDebounceMs);
  });
  watcher.on('error', (err: unknown) => log.warn({ err, dir: root }, 'agents folder watcher error'));

  const ready = new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));

  return {
    ready,
    async close() {
      if (fileTimer) clearTimeout(fileTimer);
      if (rescanTimer) clearTimeout(rescanTimer);
      fileTimer = null;
      rescanTimer = null;
      await watcher.close();
    },
  };
}

export function isHiddenPath(root: string, path: string): boolean {
  return relative(root, path)
    .split(sep)
    .some((segment) => segment.startsWith('.'));
}

/** Maps an event under AGENTS_DIR to the folder to invalidate and whether discovery must run again. */
export function classifyChange({ root, event, path }: { root: string; event: FsEvent; path: string }): ChangeMeaning {
  const segments = relative(root, path).split(sep);
  const [first, second, third] = segments;
  if (first === undefined || first === '' || first.startsWith('..')) return IGNORED;
  const isDirEvent = event === 'addDir' || event === 'unlinkDir';
  const inGroup = first.startsWith(GROUP_PREFIX);

  if (segments.length === 1) {
    // A top-level folder is an agent or a group appearing or vanishing; the only shared top-level file is the
    // ungrouped agents' boundaries.yaml.
    if (isDirEvent) return { dir: null, rescan: true };
    return first === BOUNDARIES_FILE ? { dir: root, rescan: false } : IGNORED;
  }
  if (inGroup && segments.length === 2 && second !== undefined) {
    if (isDirEvent) return { dir: null, rescan: true };
    return GROUP_SHARED_FILES.has(second) ? { dir: join(root, first), rescan: false } : IGNORED;
  }
  const agentDir = inGroup && second !== undefined ? join(root, first, second) : join(root, first);
  const fileName = inGroup ? third : second;
  const isDirectChild = segments.length === (inGroup ? 3 : 2);
  // A marker file appearing or vanishing can turn a folder into an agent or back.
  const touchesMarker = isDirectChild && !isDirEvent && event !== 'change' && MARKER_FILES.has(fileName ?? '');
  return { dir: agentDir, rescan: touchesMarker };
}
