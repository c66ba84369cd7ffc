import { describe, expect, it } from 'vitest';
import { buildTurnTools, callTurnTool } from '../../../src/server/tools/turn-tools.js';
import { useToolFixture } from './support.js';

const fixture = useToolFixture();
const MEMORY = '## [Harbor night]\nWe watched the ferries.\n';
const names = (tools: { name: string }[]) => tools.map((tool) => tool.name);

describe('buildTurnTools', () => {
  it('offers all five tools by default to an agent with memories', () => {
    const tools = buildTurnTools(fixture().context({ memory: MEMORY }));
    expect(names(tools)).toEqual(['skip', 'memorize', 'recall', 'read_guidelines', 'check_boundary']);
    for (const tool of tools) expect(tool.description).not.toMatch(/\{agent_name\}|\{memory_subtitles\}/);
  });

  it('leaves recall out for an agent without memory sections', () => {
    expect(names(buildTurnTools(fixture().context()))).not.toContain('recall');
  });

  it('leaves read_guidelines out when the guidelines are inline', () => {
    const f = fixture();
    f.configs.write('guidelines_3rd.yaml', 'guidelines:\n  mode: inline\n');
    expect(names(buildTurnTools(f.context({ memory: MEMORY })))).toEqual([
      'skip',
      'memorize',
      'recall',
      'check_boundary',
    ]);
  });

  it('applies the provider override file and then the group tools', () => {
    const f = fixture();
    f.configs.write(
      'openai_tools.yaml',
      'tools:\n  memorize: { enabled: false }\n  skip: { description: "Pass, {agent_name}." }\n',
    );
    const base = f.context({ memory: MEMORY, provider: 'openai' });
    const groupTools = { check_boundary: { enabled: false } };
    const grouped = { ...base, agent: { ...base.agent, group: 'cafe', groupTools } };
    const tools = buildTurnTools(grouped);
    expect(names(tools)).toEqual(['skip', 'recall', 'read_guidelines']);
    expect(tools[0]?.description).toBe('Pass, Mira.');
    // Another provider is unaffected by openai_tools.yaml.
    expect(names(buildTurnTools({ ...base, provider: 'claude' }))).toContain('memorize');
  });
});

describe('callTurnTool', () => {
  it('answers a tool that is not offered this turn with an error result', async () => {
    const tools = buildTurnTools(fixture().context());
    expect(await callTurnTool(tools, 'recall', { subtitle: 'x' })).toEqual({
      ok: false,
      text: 'The tool "recall" is not available in this turn.',
    });
  });

  it('dispatches to the named tool', async () => {
    const f = fixture();
    expect(await callTurnTool(buildTurnTools(f.context()), 'skip', {})).toEqual({
      ok: true,
      text: 'Mira stays silent this turn.',
    });
    expect(f.skips).toBe(1);
  });

  it('turns a throwing handler into an error result', async () => {
    const broken = [{ name: 'x', description: '', inputSchema: {}, handle: () => Promise.reject(new Error('boom')) }];
    expect(await callTurnTool(broken, 'x', {})).toEqual({ ok: false, text: 'The tool "x" failed: boom' });
  });
});
