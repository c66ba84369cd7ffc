import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createYamlStore } from '../../../src/server/prompts/yaml-store.js';
import {
  MAX_AGENT_FILE_BYTES,
  memoryFileName,
  readAgentFolder,
  readAgentText,
} from '../../../src/server/agents/agent-files.js';
import { captureLog, silentLog, useTempDir, writeTree } from './support.js';

const tmp = useTempDir();

describe('readAgentText', () => {
  it('reads a missing file as the empty string', async () => {
    expect(await readAgentText(join(tmp(), 'missing.md'), silentLog)).toBe('');
    expect(await readAgentText(join(tmp(), 'no-folder', 'missing.md'), silentLog)).toBe('');
  });

  it('drops a leading BOM, turns CRLF and CR into LF and trims', async () => {
    await writeTree(tmp(), { 'a.md': '\uFEFF\r\n  line one\r\nline two\rline three  \n\n' });
    expect(await readAgentText(join(tmp(), 'a.md'), silentLog)).toBe('line one\nline two\nline three');
  });

  it('keeps a BOM-like character that is not at the start', async () => {
    await writeTree(tmp(), { 'a.md': 'x\uFEFFy' });
    expect(await readAgentText(join(tmp(), 'a.md'), silentLog)).toBe('x\uFEFFy');
  });

  it('truncates a file over 1 MiB with a warning and never splits a character', async () => {
    // 'é' is two bytes; an odd prefix makes the 1 MiB boundary fall inside one of them.
    const text = `a${'é'.repeat(MAX_AGENT_FILE_BYTES)}`;
    await writeTree(tmp(), { 'big.md': text });
    const { log, warnings } = captureLog();
    const read = await readAgentText(join(tmp(), 'big.md'), log);
    expect(Buffer.byteLength(read)).toBeLessThanOrEqual(MAX_AGENT_FILE_BYTES);
    expect(Buffer.byteLength(read)).toBeGreaterThan(MAX_AGENT_FILE_BYTES - 4);
    expect(read).not.toContain('\uFFFD');
    expect(warnings()).toEqual([expect.objectContaining({ file: join(tmp(), 'big.md') })]);
  });

  it('reads a file of exactly 1 MiB whole and without a warning', async () => {
    await writeTree(tmp(), { 'edge.md': 'x'.repeat(MAX_AGENT_FILE_BYTES) });
    const { log, warnings } = captureLog();
    expect((await readAgentText(join(tmp(), 'edge.md'), log)).length).toBe(MAX_AGENT_FILE_BYTES);
    expect(warnings()).toEqual([]);
  });

  it('throws for a read error other than a missing file', async () => {
    await writeTree(tmp(), { 'folder.md/': '' });
    await expect(readAgentText(join(tmp(), 'folder.md'), silentLog)).rejects.toThrow();
  });
});

describe('memoryFileName', () => {
  it('adds .md to a base name and leaves a full file name alone', () => {
    expect(memoryFileName('consolidated_memory')).toBe('consolidated_memory.md');
    expect(memoryFileName('notes.md')).toBe('notes.md');
  });
});

describe('readAgentFolder', () => {
  it('reads the three texts, the memory index, agent.yaml and the picture file name', async () => {
    await writeTree(tmp(), {
      'Mira/in_a_nutshell.md': ' Mira keeps the lighthouse. \n',
      'Mira/characteristics.md': 'Quiet.\r\n',
      'Mira/recent_events.md': '# Recent events\n- [2025-01-01 10:00] Met Jae\n',
      'Mira/long_term.md': '## [Harbor night]\nlantern\n',
      'Mira/agent.yaml': 'provider: Codex\nmodel: gpt-5.1\nthinking_budget: 0\npriority: 2\n',
      'Mira/avatar.png': 'png',
    });
    const yaml = createYamlStore({ log: silentLog });
    const folder = await readAgentFolder({ dir: join(tmp(), 'Mira'), recallMemoryFile: 'long_term', yaml, log: silentLog });
    expect(folder).toEqual({
      inANutshell: 'Mira keeps the lighthouse.',
      characteristics: 'Quiet.',
      recentEvents: '# Recent events\n- [2025-01-01 10:00] Met Jae',
      memory: new Map([['Harbor night', 'lantern']]),
      overrides: { provider: 'codex', model: 'gpt-5.1', thinking_budget: 0, priority: 2 },
      profilePic: 'avatar.png',
    });
  });

  it('reads a folder with no optional files as empty texts and no overrides', async () => {
    await writeTree(tmp(), { 'Bare/characteristics.md': '' });
    const yaml = createYamlStore({ log: silentLog });
    const folder = await readAgentFolder({
      dir: join(tmp(), 'Bare'),
      recallMemoryFile: 'consolidated_memory',
      yaml,
      log: silentLog,
    });
    expect(folder).toEqual({
      inANutshell: '',
      characteristics: '',
      recentEvents: '',
      memory: new Map(),
      overrides: {},
      profilePic: null,
    });
  });

  it('ignores unknown agent.yaml keys and wrongly typed values with a warning naming file and key', async () => {
    await writeTree(tmp(), {
      'Mira/characteristics.md': 'x',
      'Mira/agent.yaml': [
        'provider: gemini',
        'model: "has spaces"',
        'thinking_budget: -1',
        'critic: "yes"',
        'whiteboard: true',
        'interrupt_every_turn: 1',
        'priority: 2.5',
        'transparent: true',
        'colour: blue',
      ].join('\n'),
    });
    const { log, warnings } = captureLog();
    const yaml = createYamlStore({ log });
    const folder = await readAgentFolder({ dir: join(tmp(), 'Mira'), recallMemoryFile: 'm', yaml, log });
    expect(folder.overrides).toEqual({ whiteboard: true, transparent: true });
    const file = join(tmp(), 'Mira', 'agent.yaml');
    expect(warnings().map((w) => [w.file, w.key])).toEqual(
      ['provider', 'model', 'thinking_budget', 'critic', 'interrupt_every_turn', 'priority', 'colour'].map((key) => [
        file,
        key,
      ]),
    );
  });

  it('ignores an agent.yaml that is not a map, with a warning', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x', 'Mira/agent.yaml': '- a\n- b\n' });
    const { log, warnings } = captureLog();
    const folder = await readAgentFolder({ dir: join(tmp(), 'Mira'), recallMemoryFile: 'm', yaml: createYamlStore({ log }), log });
    expect(folder.overrides).toEqual({});
    expect(warnings()).toHaveLength(1);
  });

  it('rejects a priority outside -1000..1000', async () => {
    await writeTree(tmp(), { 'Mira/agent.yaml': 'priority: 1001\n' });
    const folder = await readAgentFolder({
      dir: join(tmp(), 'Mira'),
      recallMemoryFile: 'm',
      yaml: createYamlStore({ log: silentLog }),
      log: silentLog,
    });
    expect(folder.overrides).toEqual({});
  });
});
