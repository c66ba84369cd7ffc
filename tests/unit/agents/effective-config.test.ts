import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createYamlStore } from '../../../src/server/prompts/yaml-store.js';
import { discoverAgents, type DiscoveredAgent } from '../../../src/server/agents/discovery.js';
import { createAgentConfigStore } from '../../../src/server/agents/effective-config.js';
import { captureLog, silentLog, useTempDir, writeTree } from './support.js';

const tmp = useTempDir();

function makeStore(log = silentLog) {
  return createAgentConfigStore({
    agentsDir: tmp(),
    yaml: createYamlStore({ log }),
    recallMemoryFile: 'consolidated_memory',
    log,
  });
}

async function agent(name: string): Promise<DiscoveredAgent> {
  const found = (await discoverAgents({ agentsDir: tmp(), log: silentLog })).find((a) => a.name === name);
  if (!found) throw new Error(`agent ${name} not discovered`);
  return found;
}

describe('createAgentConfigStore: flags', () => {
  it('defaults every flag and override when no yaml file exists', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'Quiet.' });
    const config = await makeStore().get(await agent('Mira'));
    expect(config).toMatchObject({
      name: 'Mira',
      group: null,
      characteristics: 'Quiet.',
      flags: { isCritic: false, isWhiteboard: false, interruptEveryTurn: false, priority: 0, transparent: false },
      provider: null,
      model: null,
      thinkingBudget: null,
      groupTools: {},
      hasBoundary: false,
      profilePic: null,
    });
  });

  it('takes group_config.yaml flags for agents of the group', async () => {
    await writeTree(tmp(), {
      'group_Cafe/group_config.yaml': 'interrupt_every_turn: true\npriority: 3\ntransparent: true\n',
      'group_Cafe/Narrator/characteristics.md': 'x',
    });
    const config = await makeStore().get(await agent('Narrator'));
    expect(config.flags).toEqual({
      isCritic: false,
      isWhiteboard: false,
      interruptEveryTurn: true,
      priority: 3,
      transparent: true,
    });
  });

  it('lets agent.yaml override the group value, including back to the default', async () => {
    await writeTree(tmp(), {
      'group_Cafe/group_config.yaml': 'interrupt_every_turn: true\npriority: 3\ntransparent: true\n',
      'group_Cafe/Tobin/characteristics.md': 'x',
      'group_Cafe/Tobin/agent.yaml': 'interrupt_every_turn: false\npriority: -2\nwhiteboard: true\n',
    });
    const config = await makeStore().get(await agent('Tobin'));
    expect(config.flags).toEqual({
      isCritic: false,
      isWhiteboard: true,
      interruptEveryTurn: false,
      priority: -2,
      transparent: true,
    });
  });

  it('carries provider, model and thinking budget from agent.yaml', async () => {
    await writeTree(tmp(), {
      'Mira/characteristics.md': 'x',
      'Mira/agent.yaml': 'provider: openai\nmodel: llama3.1:8b\nthinking_budget: 2048\n',
    });
    const config = await makeStore().get(await agent('Mira'));
    expect([config.provider, config.model, config.thinkingBudget]).toEqual(['openai', 'llama3.1:8b', 2048]);
  });

  it('makes an agent named critic in any case a critic, whatever agent.yaml says', async () => {
    await writeTree(tmp(), {
      'CRITIC/characteristics.md': 'x',
      'CRITIC/agent.yaml': 'critic: false\n',
      'Judge/characteristics.md': 'x',
      'Judge/agent.yaml': 'critic: true\n',
      'Critical/characteristics.md': 'x',
    });
    const store = makeStore();
    expect((await store.get(await agent('CRITIC'))).flags.isCritic).toBe(true);
    expect((await store.get(await agent('Judge'))).flags.isCritic).toBe(true);
    expect((await store.get(await agent('Critical'))).flags.isCritic).toBe(false);
  });

  it('passes the raw tools map of group_config.yaml and warns about unknown keys', async () => {
    await writeTree(tmp(), {
      'group_G/group_config.yaml': 'tools:\n  memorize: { enabled: false }\n  skip: nope\nmood: sunny\n',
      'group_G/Mira/characteristics.md': 'x',
    });
    const { log, warnings } = captureLog();
    const config = await makeStore(log).get(await agent('Mira'));
    expect(config.groupTools).toEqual({ memorize: { enabled: false } });
    const file = join(tmp(), 'group_G', 'group_config.yaml');
    expect(warnings().map((w) => [w.file, w.key])).toEqual([
      [file, 'mood'],
      [file, 'tools.skip'],
    ]);
  });
});

describe('createAgentConfigStore: boundaries', () => {
  it('finds a non-empty entry in the group boundaries.yaml or extreme_traits.yaml', async () => {
    await writeTree(tmp(), {
      'group_G/boundaries.yaml': 'Mira: "no violence"\n',
      'group_G/extreme_traits.yaml': 'Tobin: "reckless"\nSol: ""\n',
      'group_G/Mira/characteristics.md': 'x',
      'group_G/Tobin/characteristics.md': 'x',
      'group_G/Sol/characteristics.md': 'x',
      'group_G/Ivy/characteristics.md': 'x',
    });
    const store = makeStore();
    const flags = await Promise.all(['Mira', 'Tobin', 'Sol', 'Ivy'].map(async (n) => (await store.get(await agent(n))).hasBoundary));
    expect(flags).toEqual([true, true, false, false]);
  });

  it('lets boundaries.yaml win over extreme_traits.yaml on the same key', async () => {
    await writeTree(tmp(), {
      'group_G/boundaries.yaml': 'Mira: ""\n',
      'group_G/extreme_traits.yaml': 'Mira: "reckless"\n',
      'group_G/Mira/characteristics.md': 'x',
    });
    expect((await makeStore().get(await agent('Mira'))).hasBoundary).toBe(false);
  });

  it('reads AGENTS_DIR/boundaries.yaml for ungrouped agents only', async () => {
    await writeTree(tmp(), {
      'boundaries.yaml': 'Mira: "x"\nTobin: "y"\n',
      'extreme_traits.yaml': 'Sol: "ignored at top level"\n',
      'Mira/characteristics.md': 'x',
      'Sol/characteristics.md': 'x',
      'group_G/Tobin/characteristics.md': 'x',
    });
    const store = makeStore();
    expect((await store.get(await agent('Mira'))).hasBoundary).toBe(true);
    expect((await store.get(await agent('Sol'))).hasBoundary).toBe(false);
    expect((await store.get(await agent('Tobin'))).hasBoundary).toBe(false);
  });

  it('matches boundary keys by NFC name', async () => {
    await writeTree(tmp(), { 'boundaries.yaml': 'Zoe\u0308: "x"\n', 'Zoë/characteristics.md': 'x' });
    expect((await makeStore().get(await agent('Zoë'))).hasBoundary).toBe(true);
  });
});

describe('createAgentConfigStore: cache', () => {
  it('returns the cached configuration while no source file changes', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'Quiet.' });
    const store = makeStore();
    const mira = await agent('Mira');
    expect(await store.get(mira)).toBe(await store.get(mira));
  });

  it('rebuilds when an agent file changes on disk, without any invalidation', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'Quiet.' });
    const store = makeStore();
    const mira = await agent('Mira');
    const before = await store.get(mira);
    await writeFile(join(tmp(), 'Mira', 'characteristics.md'), 'Loud and cheerful.');
    const after = await store.get(mira);
    expect(after.characteristics).toBe('Loud and cheerful.');
    expect(after.signature).not.toBe(before.signature);
  });

  it('rebuilds when the group config, a boundary file or the memory file changes', async () => {
    await writeTree(tmp(), { 'group_G/Mira/characteristics.md': 'x' });
    const store = makeStore();
    const mira = await agent('Mira');
    expect((await store.get(mira)).flags.priority).toBe(0);
    await writeTree(tmp(), { 'group_G/group_config.yaml': 'priority: 3\n' });
    expect((await store.get(mira)).flags.priority).toBe(3);
    await writeTree(tmp(), { 'group_G/extreme_traits.yaml': 'Mira: wild\n' });
    expect((await store.get(mira)).hasBoundary).toBe(true);
    await writeTree(tmp(), { 'group_G/Mira/consolidated_memory.md': '## [Harbor night]\nlantern\n' });
    expect([...(await store.get(mira)).memory.keys()]).toEqual(['Harbor night']);
  });

  it('notices a new profile picture through the folder signature', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x' });
    const store = makeStore();
    const mira = await agent('Mira');
    expect((await store.get(mira)).profilePic).toBeNull();
    await writeTree(tmp(), { 'Mira/photo.webp': 'w' });
    expect((await store.get(mira)).profilePic).toBe('photo.webp');
  });

  it('drops one folder, a whole group, or everything on invalidate', async () => {
    await writeTree(tmp(), {
      'Mira/characteristics.md': 'x',
      'group_G/Tobin/characteristics.md': 'x',
      'group_G/Sol/characteristics.md': 'x',
      'group_G2/Ivy/characteristics.md': 'x',
    });
    const store = makeStore();
    const agents = await Promise.all(['Mira', 'Tobin', 'Sol', 'Ivy'].map(agent));
    const snapshot = () => Promise.all(agents.map((a) => store.get(a)));
    const first = await snapshot();

    store.invalidate(join(tmp(), 'group_G'));
    const second = await snapshot();
    expect(second.map((c, i) => c === first[i])).toEqual([true, false, false, true]);

    store.invalidate(join(tmp(), 'Mira'));
    const third = await snapshot();
    expect(third.map((c, i) => c === second[i])).toEqual([false, true, true, true]);

    store.invalidate();
    const fourth = await snapshot();
    expect(fourth.some((c, i) => c === third[i])).toBe(false);
  });

  it('does not drop a folder whose path merely starts with the invalidated one', async () => {
    await writeTree(tmp(), { 'group_G/Mira/characteristics.md': 'x', 'group_G10/Ivy/characteristics.md': 'x' });
    const store = makeStore();
    const ivy = await agent('Ivy');
    const before = await store.get(ivy);
    store.invalidate(join(tmp(), 'group_G'));
    expect(await store.get(ivy)).toBe(before);
  });
});
