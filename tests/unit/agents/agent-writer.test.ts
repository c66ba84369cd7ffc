import { mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AgentFolderExistsError,
  AgentImageError,
  AgentPathError,
  agentFolderPath,
  createAgentFolder,
  formatAgentText,
  trashAgentFolder,
  updateAgentFiles,
} from '../../../src/server/agents/agent-writer.js';
import { discoverAgents } from '../../../src/server/agents/discovery.js';
import { dataUrl, JPEG, PNG } from './images.js';
import { silentLog, useTempDir, writeTree } from './support.js';

const tmp = useTempDir();
const texts = { inANutshell: '  Mira keeps the lighthouse.  ', characteristics: 'Quiet.\r\nKind.', recentEvents: '' };
const read = (...parts: string[]) => readFile(join(tmp(), ...parts), 'utf8');
const exists = (...parts: string[]) => stat(join(tmp(), ...parts)).then(() => true, () => false);

describe('formatAgentText', () => {
  it('trims, uses LF and ends with exactly one newline; empty stays empty', () => {
    expect(formatAgentText('  a\r\nb \n\n')).toBe('a\nb\n');
    expect(formatAgentText(' \n ')).toBe('');
  });
});

describe('createAgentFolder', () => {
  it('writes the three texts into AGENTS_DIR/<name>/ and is discoverable at once', async () => {
    const result = await createAgentFolder({ agentsDir: tmp(), name: 'Mira', group: null, texts });
    expect(result).toEqual({ dir: join(tmp(), 'Mira'), relPath: 'agents/Mira' });
    expect(await read('Mira', 'in_a_nutshell.md')).toBe('Mira keeps the lighthouse.\n');
    expect(await read('Mira', 'characteristics.md')).toBe('Quiet.\nKind.\n');
    expect(await read('Mira', 'recent_events.md')).toBe('');
    expect((await readdir(join(tmp(), 'Mira'))).sort()).toEqual(['characteristics.md', 'in_a_nutshell.md', 'recent_events.md']);
    expect((await discoverAgents({ agentsDir: tmp(), log: silentLog })).map((a) => a.relPath)).toEqual(['agents/Mira']);
  });

  it('creates the group folder for a grouped agent', async () => {
    const result = await createAgentFolder({ agentsDir: tmp(), name: 'Tobin', group: 'Cafe', texts });
    expect(result.relPath).toBe('agents/group_Cafe/Tobin');
    expect(await exists('group_Cafe', 'Tobin', 'characteristics.md')).toBe(true);
  });

  it('writes only non-default flags to agent.yaml', async () => {
    await createAgentFolder({
      agentsDir: tmp(),
      name: 'Narrator',
      group: null,
      texts,
      flags: { interrupt_every_turn: true, priority: 0, transparent: false, critic: true },
    });
    expect(await read('Narrator', 'agent.yaml')).toBe('interrupt_every_turn: true\ncritic: true\n');
    await createAgentFolder({ agentsDir: tmp(), name: 'Plain', group: null, texts, flags: { priority: 0 } });
    expect(await exists('Plain', 'agent.yaml')).toBe(false);
  });

  it('saves a data URL picture as profile.<ext>', async () => {
    await createAgentFolder({
      agentsDir: tmp(),
      name: 'Mira',
      group: 'G',
      texts,
      profilePicDataUrl: dataUrl('jpeg', JPEG),
      maxImageBytes: 1024,
    });
    expect(await readFile(join(tmp(), 'group_G', 'Mira', 'profile.jpg'))).toEqual(JPEG);
  });

  it('refuses an existing folder with AgentFolderExistsError and leaves it untouched', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'original' });
    await expect(createAgentFolder({ agentsDir: tmp(), name: 'Mira', group: null, texts })).rejects.toBeInstanceOf(
      AgentFolderExistsError,
    );
    expect(await read('Mira', 'characteristics.md')).toBe('original');
  });

  it('refuses a folder whose name differs only in Unicode normalisation', async () => {
    await writeTree(tmp(), { 'Zoe\u0308/characteristics.md': 'original' });
    await expect(createAgentFolder({ agentsDir: tmp(), name: 'Zoë', group: null, texts })).rejects.toThrow(
      "Agent folder 'agents/Zoë' already exists",
    );
  });

  it.each(['../x', 'a/b', '..', '.hidden', 'a\\b', ''])('rejects the name %j and writes nothing', async (name) => {
    await expect(createAgentFolder({ agentsDir: join(tmp(), 'agents'), name, group: null, texts })).rejects.toBeInstanceOf(
      AgentPathError,
    );
    expect(await readdir(tmp())).toEqual([]);
  });

  it('rejects an invalid group name', async () => {
    await expect(createAgentFolder({ agentsDir: tmp(), name: 'Mira', group: '../up', texts })).rejects.toBeInstanceOf(
      AgentPathError,
    );
  });

  it('rejects a group folder that is a symlink leading outside AGENTS_DIR', async () => {
    const agentsDir = join(tmp(), 'agents');
    await mkdir(join(tmp(), 'elsewhere'), { recursive: true });
    await mkdir(agentsDir);
    await symlink(join(tmp(), 'elsewhere'), join(agentsDir, 'group_Escape'));
    await expect(createAgentFolder({ agentsDir, name: 'Mira', group: 'Escape', texts })).rejects.toBeInstanceOf(AgentPathError);
    expect(await readdir(join(tmp(), 'elsewhere'))).toEqual([]);
  });

  it('validates the picture before creating anything', async () => {
    await expect(
      createAgentFolder({ agentsDir: tmp(), name: 'Mira', group: null, texts, profilePicDataUrl: dataUrl('png', JPEG), maxImageBytes: 1024 }),
    ).rejects.toMatchObject({ name: 'AgentImageError', reason: 'content_mismatch' });
    expect(await exists('Mira')).toBe(false);
  });
});

describe('agentFolderPath', () => {
  it('builds the default folder and the agents/ relative path', async () => {
    await expect(agentFolderPath({ agentsDir: tmp(), name: 'Mira', group: 'Cafe' })).resolves.toEqual({
      dir: join(tmp(), 'group_Cafe', 'Mira'),
      relPath: 'agents/group_Cafe/Mira',
    });
  });
});

describe('updateAgentFiles', () => {
  it('replaces only the texts given as strings, even empty ones', async () => {
    await writeTree(tmp(), {
      'Mira/in_a_nutshell.md': 'old nutshell\n',
      'Mira/characteristics.md': 'old traits\n',
      'Mira/recent_events.md': 'old events\n',
    });
    await updateAgentFiles({
      dir: join(tmp(), 'Mira'),
      texts: { inANutshell: '  new nutshell ', characteristics: '', recentEvents: null },
    });
    expect(await read('Mira', 'in_a_nutshell.md')).toBe('new nutshell\n');
    expect(await read('Mira', 'characteristics.md')).toBe('');
    expect(await read('Mira', 'recent_events.md')).toBe('old events\n');
    expect(await exists('Mira', '.lock')).toBe(false);
  });

  it('saves a new picture as profile.<ext> and removes other profile.* files but not other images', async () => {
    await writeTree(tmp(), { 'Mira/profile.jpg': 'old', 'Mira/Profile.GIF': 'old', 'Mira/avatar.png': 'keep' });
    await updateAgentFiles({ dir: join(tmp(), 'Mira'), profilePicDataUrl: dataUrl('png', PNG), maxImageBytes: 1024 });
    expect((await readdir(join(tmp(), 'Mira'))).sort()).toEqual(['avatar.png', 'profile.png']);
    expect(await readFile(join(tmp(), 'Mira', 'profile.png'))).toEqual(PNG);
  });

  it('leaves the picture alone when profilePicDataUrl is null or absent', async () => {
    await writeTree(tmp(), { 'Mira/profile.jpg': 'old' });
    await updateAgentFiles({ dir: join(tmp(), 'Mira'), profilePicDataUrl: null });
    await updateAgentFiles({ dir: join(tmp(), 'Mira') });
    expect(await readdir(join(tmp(), 'Mira'))).toEqual(['profile.jpg']);
  });

  it('throws AgentImageError for a string that is not an acceptable image and changes nothing', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'old\n' });
    const attempt = updateAgentFiles({
      dir: join(tmp(), 'Mira'),
      texts: { characteristics: 'new' },
      profilePicDataUrl: dataUrl('png', PNG),
      maxImageBytes: 4,
    });
    await expect(attempt).rejects.toBeInstanceOf(AgentImageError);
    expect(await read('Mira', 'characteristics.md')).toBe('old\n');
  });

  it('sets flags in agent.yaml, keeping other keys and comments', async () => {
    await writeTree(tmp(), { 'Mira/agent.yaml': '# tuned by hand\nmodel: gpt-5.1 # fast\npriority: 1\n' });
    await updateAgentFiles({ dir: join(tmp(), 'Mira'), flags: { priority: 0, transparent: true } });
    expect(await read('Mira', 'agent.yaml')).toBe('# tuned by hand\nmodel: gpt-5.1 # fast\npriority: 0\ntransparent: true\n');
  });

  it('refuses to overwrite an agent.yaml it cannot parse', async () => {
    await writeTree(tmp(), { 'Mira/agent.yaml': 'priority: [unclosed\n' });
    await expect(updateAgentFiles({ dir: join(tmp(), 'Mira'), flags: { priority: 2 } })).rejects.toThrow(/not a valid YAML map/);
    expect(await read('Mira', 'agent.yaml')).toBe('priority: [unclosed\n');
  });

  it('creates a missing folder first', async () => {
    await updateAgentFiles({ dir: join(tmp(), 'group_G', 'Imported'), texts: { characteristics: 'x' } });
    expect(await read('group_G', 'Imported', 'characteristics.md')).toBe('x\n');
  });
});

describe('trashAgentFolder', () => {
  const at = () => new Date(Date.UTC(2025, 2, 9, 14, 5, 42, 999));

  it('moves the folder to .trash/<name>-<UTC yyyyMMddTHHmmss> so discovery no longer sees it', async () => {
    await writeTree(tmp(), { 'group_G/Mira/characteristics.md': 'x' });
    const target = await trashAgentFolder({ agentsDir: tmp(), dir: join(tmp(), 'group_G', 'Mira'), name: 'Mira', now: at });
    expect(target).toBe(join(tmp(), '.trash', 'Mira-20250309T140542'));
    expect(await read('.trash', 'Mira-20250309T140542', 'characteristics.md')).toBe('x');
    expect(await exists('group_G', 'Mira')).toBe(false);
    expect(await discoverAgents({ agentsDir: tmp(), log: silentLog })).toEqual([]);
    // Its group held nothing else, so the empty group folder goes too.
    expect(await exists('group_G')).toBe(false);
  });

  it('keeps a group folder that still holds another agent or its group_config.yaml', async () => {
    await writeTree(tmp(), {
      'group_A/Mira/characteristics.md': 'x',
      'group_A/Tobin/characteristics.md': 'x',
      'group_B/Ana/characteristics.md': 'x',
      'group_B/group_config.yaml': 'interrupt_every_turn: false\n',
    });
    await trashAgentFolder({ agentsDir: tmp(), dir: join(tmp(), 'group_A', 'Mira'), name: 'Mira', now: at });
    await trashAgentFolder({ agentsDir: tmp(), dir: join(tmp(), 'group_B', 'Ana'), name: 'Ana', now: at });
    expect(await exists('group_A', 'Tobin', 'characteristics.md')).toBe(true);
    expect(await exists('group_B', 'group_config.yaml')).toBe(true);
  });

  it('adds -2, -3 when the trash name is taken', async () => {
    await writeTree(tmp(), { '.trash/Mira-20250309T140542/x': 'x', '.trash/Mira-20250309T140542-2/x': 'x', 'Mira/characteristics.md': 'x' });
    const target = await trashAgentFolder({ agentsDir: tmp(), dir: join(tmp(), 'Mira'), name: 'Mira', now: at });
    expect(target).toBe(join(tmp(), '.trash', 'Mira-20250309T140542-3'));
  });

  it('refuses a folder outside AGENTS_DIR, AGENTS_DIR itself, or one already in the trash', async () => {
    const agentsDir = join(tmp(), 'agents');
    await writeTree(tmp(), { 'outside/characteristics.md': 'x', 'agents/.trash/Old/x': 'x' });
    for (const dir of [join(tmp(), 'outside'), agentsDir, join(agentsDir, '.trash', 'Old'), join(agentsDir, '.trash')]) {
      await expect(trashAgentFolder({ agentsDir, dir, name: 'Mira', now: at })).rejects.toBeInstanceOf(AgentPathError);
    }
    expect(await exists('outside', 'characteristics.md')).toBe(true);
  });

  it('refuses a name that would build a path', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x' });
    await expect(trashAgentFolder({ agentsDir: tmp(), dir: join(tmp(), 'Mira'), name: '../x', now: at })).rejects.toBeInstanceOf(
      AgentPathError,
    );
    expect(await exists('Mira', 'characteristics.md')).toBe(true);
  });
});
