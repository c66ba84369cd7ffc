import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/server/agents/atomic-write.js';
import { discoverAgents } from '../../../src/server/agents/discovery.js';
import { withFolderLock } from '../../../src/server/agents/file-lock.js';
import { classifyChange, watchAgentsDir, type AgentsDirWatcher } from '../../../src/server/agents/watcher.js';
import { silentLog, useTempDir, waitFor, writeTree } from './support.js';

const tmp = useTempDir();

/** Starts a watcher that records every report; closed by the test through `stop`. */
async function recordChanges(agentsDir: string, debounce: { fileDebounceMs?: number; rescanDebounceMs?: number } = {}) {
  const fileReports: Set<string>[] = [];
  let rescans = 0;
  const watcher: AgentsDirWatcher = watchAgentsDir({
    agentsDir,
    log: silentLog,
    onFilesChanged: (dirs) => fileReports.push(dirs),
    onStructureChanged: () => (rescans += 1),
    ...debounce,
  });
  await watcher.ready;
  return {
    changedDirs: () => new Set(fileReports.flatMap((dirs) => [...dirs])),
    fileReports,
    rescans: () => rescans,
    stop: () => watcher.close(),
  };
}

function fsEventHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'FSEventWrap').length;
}

describe('watchAgentsDir', () => {
  it('reports the agent folder of an edited file, and nothing else', async () => {
    await writeTree(tmp(), { 'group_G/Mira/characteristics.md': 'old', 'Tobin/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    try {
      await writeFile(join(tmp(), 'group_G', 'Mira', 'characteristics.md'), 'new text');
      await waitFor(() => watch.changedDirs().has(join(tmp(), 'group_G', 'Mira')), { what: 'file report' });
      expect(watch.changedDirs()).toEqual(new Set([join(tmp(), 'group_G', 'Mira')]));
      expect(watch.rescans()).toBe(0);
    } finally {
      await watch.stop();
    }
  });

  it('batches several edits into one report of the affected folders', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x', 'Tobin/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    try {
      await writeFile(join(tmp(), 'Mira', 'characteristics.md'), 'a');
      await writeFile(join(tmp(), 'Mira', 'recent_events.md'), 'b');
      await writeFile(join(tmp(), 'Tobin', 'agent.yaml'), 'priority: 1\n');
      const expected = new Set([join(tmp(), 'Mira'), join(tmp(), 'Tobin')]);
      await waitFor(() => watch.changedDirs().size === 2, { what: 'both folders' });
      expect(watch.changedDirs()).toEqual(expected);
      expect(watch.fileReports.length).toBeLessThanOrEqual(2);
    } finally {
      await watch.stop();
    }
  });

  it('reports an atomic replace as a change of that folder', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    try {
      await writeFileAtomic(join(tmp(), 'Mira', 'characteristics.md'), 'replaced');
      await waitFor(() => watch.changedDirs().has(join(tmp(), 'Mira')), { what: 'atomic write report' });
    } finally {
      await watch.stop();
    }
  });

  it('reports the group folder when group_config.yaml or a boundary file changes, and AGENTS_DIR for its boundaries.yaml', async () => {
    await writeTree(tmp(), { 'group_G/Mira/characteristics.md': 'x', 'Tobin/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    try {
      await writeFile(join(tmp(), 'group_G', 'group_config.yaml'), 'priority: 3\n');
      await writeFile(join(tmp(), 'group_G', 'extreme_traits.yaml'), 'Mira: wild\n');
      await writeFile(join(tmp(), 'boundaries.yaml'), 'Tobin: x\n');
      await waitFor(() => watch.changedDirs().size === 2, { what: 'group and root reports' });
      expect(watch.changedDirs()).toEqual(new Set([join(tmp(), 'group_G'), tmp()]));
    } finally {
      await watch.stop();
    }
  });

  it('triggers a rescan that finds a new agent folder created after watching starts', async () => {
    const watch = await recordChanges(tmp());
    try {
      await mkdir(join(tmp(), 'group_New', 'Nova'), { recursive: true });
      await writeFile(join(tmp(), 'group_New', 'Nova', 'characteristics.md'), 'Nova is new.');
      await waitFor(() => watch.rescans() > 0, { what: 'rescan' });
      // The rescan may have fired before the file landed; the file's own event schedules another.
      const found = await waitFor(async () => {
        const agents = await discoverAgents({ agentsDir: tmp(), log: silentLog });
        return agents.find((a) => a.name === 'Nova');
      });
      expect(found.relPath).toBe('agents/group_New/Nova');
    } finally {
      await watch.stop();
    }
  });

  it('triggers a rescan when a folder becomes an agent or an agent folder disappears', async () => {
    await writeTree(tmp(), { 'Draft/notes.txt': 'x', 'Old/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    try {
      await writeFile(join(tmp(), 'Draft', 'in_a_nutshell.md'), 'now an agent');
      await waitFor(() => watch.rescans() >= 1, { what: 'rescan for new marker file' });
      const before = watch.rescans();
      await rm(join(tmp(), 'Old'), { recursive: true });
      await waitFor(() => watch.rescans() > before, { what: 'rescan for removed folder' });
    } finally {
      await watch.stop();
    }
  });

  it('ignores hidden paths: locks, temp files and the trash', async () => {
    await writeTree(tmp(), {
      'Mira/characteristics.md': 'x',
      'Tobin/characteristics.md': 'x',
      '.trash/Old-20250101T000000/characteristics.md': 'x',
    });
    // Equal windows: a rescan scheduled by an earlier event would fire before the barrier's report.
    const watch = await recordChanges(tmp(), { fileDebounceMs: 50, rescanDebounceMs: 50 });
    try {
      await withFolderLock(join(tmp(), 'Mira'), async () => {
        await writeFile(join(tmp(), 'Mira', '.characteristics.md.tmp-abc'), 'temp');
      });
      await writeFile(join(tmp(), '.trash', 'Old-20250101T000000', 'characteristics.md'), 'edited in trash');
      await mkdir(join(tmp(), '.trash', 'Newer-20250102T000000'));
      await writeFile(join(tmp(), '.trash', 'Newer-20250102T000000', 'in_a_nutshell.md'), 'x');
      await mkdir(join(tmp(), '.hidden-agent'));
      // A visible edit afterwards works as a barrier: once it is reported, earlier events have been seen too.
      await writeFile(join(tmp(), 'Tobin', 'characteristics.md'), 'barrier');
      await waitFor(() => watch.changedDirs().has(join(tmp(), 'Tobin')), { what: 'barrier report' });
      expect(watch.changedDirs()).toEqual(new Set([join(tmp(), 'Tobin')]));
      expect(watch.rescans()).toBe(0);
    } finally {
      await watch.stop();
    }
  });

  it('stops reporting and releases its file handles on close', async () => {
    const before = fsEventHandles();
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x' });
    const watch = await recordChanges(tmp());
    expect(fsEventHandles()).toBeGreaterThan(before);
    await watch.stop();
    // libuv drops a closed handle from the active list on the next loop turn.
    await waitFor(() => fsEventHandles() === before, { timeoutMs: 1000, what: 'fs watch handles to close' });
    await writeFile(join(tmp(), 'Mira', 'characteristics.md'), 'after close');
    // A second watcher observing the same edit proves time has passed for the first one to (not) fire.
    const probe = await recordChanges(tmp());
    try {
      await writeFile(join(tmp(), 'Mira', 'characteristics.md'), 'probe');
      await waitFor(() => probe.changedDirs().size > 0, { what: 'probe report' });
      expect(watch.fileReports).toEqual([]);
    } finally {
      await probe.stop();
    }
  });

  it('creates a missing AGENTS_DIR so later agents are watched', async () => {
    const agentsDir = join(tmp(), 'agents');
    const watch = await recordChanges(agentsDir);
    try {
      await writeTree(agentsDir, { 'Mira/characteristics.md': 'x' });
      await waitFor(() => watch.rescans() > 0, { what: 'rescan' });
    } finally {
      await watch.stop();
    }
  });
});

describe('classifyChange', () => {
  const root = '/agents';
  const cases: [Parameters<typeof classifyChange>[0]['event'], string, string | null, boolean][] = [
    ['addDir', '/agents/Mira', null, true],
    ['unlinkDir', '/agents/group_G', null, true],
    ['addDir', '/agents/group_G/Mira', null, true],
    ['change', '/agents/boundaries.yaml', '/agents', false],
    ['change', '/agents/README.md', null, false],
    ['change', '/agents/group_G/group_config.yaml', '/agents/group_G', false],
    ['add', '/agents/group_G/boundaries.yaml', '/agents/group_G', false],
    ['change', '/agents/group_G/extreme_traits.yaml', '/agents/group_G', false],
    ['change', '/agents/group_G/notes.txt', null, false],
    ['change', '/agents/Mira/characteristics.md', '/agents/Mira', false],
    ['add', '/agents/Mira/characteristics.md', '/agents/Mira', true],
    ['unlink', '/agents/group_G/Mira/in_a_nutshell.md', '/agents/group_G/Mira', true],
    ['add', '/agents/group_G/Mira/profile.png', '/agents/group_G/Mira', false],
    ['add', '/agents/Mira/sub/characteristics.md', '/agents/Mira', false],
    ['add', '/elsewhere/x', null, false],
  ];
  it.each(cases)('%s %s → dir %s, rescan %s', (event, path, dir, rescan) => {
    expect(classifyChange({ root, event, path })).toEqual({ dir, rescan });
  });
});
