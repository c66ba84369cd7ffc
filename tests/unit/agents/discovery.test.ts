import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverAgents } from '../../../src/server/agents/discovery.js';
import { captureLog, silentLog, useTempDir, writeTree } from './support.js';

const tmp = useTempDir();

describe('discoverAgents', () => {
  it('returns no agents and does not throw when AGENTS_DIR is missing', async () => {
    await expect(discoverAgents({ agentsDir: join(tmp(), 'nope'), log: silentLog })).resolves.toEqual([]);
  });

  it('finds ungrouped and grouped agents with name, group, relPath and real folder', async () => {
    const root = join(tmp(), 'my-agents');
    await writeTree(root, {
      'Mira/in_a_nutshell.md': 'Mira keeps the lighthouse.',
      'group_Cafe/Tobin/characteristics.md': '',
    });
    const agents = await discoverAgents({ agentsDir: root, log: silentLog });
    expect(agents).toEqual([
      { name: 'Mira', group: null, relPath: 'agents/Mira', dir: join(root, 'Mira') },
      { name: 'Tobin', group: 'Cafe', relPath: 'agents/group_Cafe/Tobin', dir: join(root, 'group_Cafe', 'Tobin') },
    ]);
  });

  it('counts a folder as an agent only when it holds in_a_nutshell.md or characteristics.md', async () => {
    await writeTree(tmp(), {
      'OnlyNutshell/in_a_nutshell.md': 'x',
      'OnlyTraits/characteristics.md': 'x',
      'NotAnAgent/recent_events.md': 'x',
      'Empty/': '',
      'MarkerIsAFolder/in_a_nutshell.md/': '',
      'loose-file.md': 'x',
    });
    const names = (await discoverAgents({ agentsDir: tmp(), log: silentLog })).map((a) => a.name);
    expect(names).toEqual(['OnlyNutshell', 'OnlyTraits']);
  });

  it('skips a folder whose name starts with a dot, at every level', async () => {
    await writeTree(tmp(), {
      '.trash/Old-20250101T000000/in_a_nutshell.md': 'x',
      '.hidden/characteristics.md': 'x',
      'group_G/.Secret/characteristics.md': 'x',
      'group_G/Visible/characteristics.md': 'x',
    });
    const agents = await discoverAgents({ agentsDir: tmp(), log: silentLog });
    expect(agents.map((a) => a.relPath)).toEqual(['agents/group_G/Visible']);
  });

  it('sorts by relative path in code-point order', async () => {
    await writeTree(tmp(), {
      'b/characteristics.md': 'x',
      'B/characteristics.md': 'x',
      'group_Z/a/characteristics.md': 'x',
      'group_A/z/characteristics.md': 'x',
      'Ä/characteristics.md': 'x',
    });
    const paths = (await discoverAgents({ agentsDir: tmp(), log: silentLog })).map((a) => a.relPath);
    expect(paths).toEqual(['agents/B', 'agents/b', 'agents/group_A/z', 'agents/group_Z/a', 'agents/Ä']);
  });

  it('keeps the first folder in path order for a duplicate name and warns naming both paths', async () => {
    await writeTree(tmp(), {
      'Zed/characteristics.md': 'top',
      'group_Night/Zed/characteristics.md': 'grouped',
    });
    const { log, warnings } = captureLog();
    const agents = await discoverAgents({ agentsDir: tmp(), log });
    expect(agents).toEqual([{ name: 'Zed', group: null, relPath: 'agents/Zed', dir: join(tmp(), 'Zed') }]);
    expect(warnings()).toEqual([
      expect.objectContaining({ name: 'Zed', kept: 'agents/Zed', skipped: 'agents/group_Night/Zed' }),
    ]);
  });

  it('lets the next duplicate become the agent once the winner disappears', async () => {
    await writeTree(tmp(), {
      'Zed/characteristics.md': 'top',
      'group_Night/Zed/characteristics.md': 'grouped',
    });
    await rm(join(tmp(), 'Zed'), { recursive: true });
    const agents = await discoverAgents({ agentsDir: tmp(), log: silentLog });
    expect(agents.map((a) => a.relPath)).toEqual(['agents/group_Night/Zed']);
  });

  it('treats NFC and NFD spellings of a name as one agent and keeps the on-disk folder path', async () => {
    const nfd = 'Zoe\u0308'; // Zoë decomposed
    await writeTree(tmp(), { [`${nfd}/characteristics.md`]: 'x', 'group_G/Zoë/characteristics.md': 'x' });
    const { log, warnings } = captureLog();
    const agents = await discoverAgents({ agentsDir: tmp(), log });
    expect(agents).toEqual([{ name: 'Zoë', group: null, relPath: `agents/${nfd}`, dir: join(tmp(), nfd) }]);
    expect(warnings()).toHaveLength(1);
  });

  it('skips agent and group folders with invalid names, with a warning', async () => {
    await writeTree(tmp(), {
      'Bad!Name/characteristics.md': 'x',
      ' Spaced/characteristics.md': 'x',
      'group_/Orphan/characteristics.md': 'x',
      'group_Bad:Group/Member/characteristics.md': 'x',
      'Good/characteristics.md': 'x',
    });
    const { log, warnings } = captureLog();
    const agents = await discoverAgents({ agentsDir: tmp(), log });
    expect(agents.map((a) => a.name)).toEqual(['Good']);
    expect(warnings().map((w) => w.folder).sort()).toEqual(
      ['agents/ Spaced', 'agents/Bad!Name', 'agents/group_', 'agents/group_Bad:Group'].sort(),
    );
  });

  it('does not treat a group folder itself as an agent, and ignores deeper nesting', async () => {
    await writeTree(tmp(), {
      'group_G/characteristics.md': 'x',
      'group_G/Member/characteristics.md': 'x',
      'group_G/Member/Nested/characteristics.md': 'x',
    });
    const paths = (await discoverAgents({ agentsDir: tmp(), log: silentLog })).map((a) => a.relPath);
    expect(paths).toEqual(['agents/group_G/Member']);
  });

  it('follows a symlinked agent folder inside AGENTS_DIR but not one pointing outside', async () => {
    const root = join(tmp(), 'agents');
    await writeTree(tmp(), {
      'agents/group_G/Real/characteristics.md': 'x',
      'outside/Evil/characteristics.md': 'x',
    });
    await symlink(join(root, 'group_G', 'Real'), join(root, 'Alias'));
    await symlink(join(tmp(), 'outside', 'Evil'), join(root, 'Evil'));
    const { log, warnings } = captureLog();
    const names = (await discoverAgents({ agentsDir: root, log })).map((a) => a.name);
    expect(names).toEqual(['Alias', 'Real']);
    expect(warnings()).toEqual([expect.objectContaining({ folder: join(root, 'Evil') })]);
  });

  it('sees a renamed folder as a new agent name', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x' });
    await rename(join(tmp(), 'Mira'), join(tmp(), 'Mirabel'));
    await mkdir(join(tmp(), 'unrelated'));
    const names = (await discoverAgents({ agentsDir: tmp(), log: silentLog })).map((a) => a.name);
    expect(names).toEqual(['Mirabel']);
  });
});
