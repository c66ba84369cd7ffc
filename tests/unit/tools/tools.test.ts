import { describe, expect, it } from 'vitest';
import { DEFAULT_GUIDELINES_TEXT, DEFAULT_TOOLS } from '../../../src/server/prompts/defaults.js';
import { renderTemplate } from '../../../src/server/prompts/template.js';
import { createCheckBoundaryTool } from '../../../src/server/tools/check-boundary.js';
import { createReadGuidelinesTool } from '../../../src/server/tools/read-guidelines.js';
import { createRecallTool } from '../../../src/server/tools/recall.js';
import { createSkipTool } from '../../../src/server/tools/skip.js';
import { useToolFixture } from './support.js';

const fixture = useToolFixture();
const MEMORY = '## [Harbor night]\nWe watched the ferries.\n\n## [First job]\nThe bakery on 5th.\n';

describe('skip', () => {
  it('records the skip and returns the rendered response', async () => {
    const f = fixture();
    const tool = createSkipTool(f.context(), DEFAULT_TOOLS.skip);
    expect(tool.inputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
    expect(tool.description).toContain('when {agent_name} has nothing'.replace('{agent_name}', 'Mira'));
    expect(await tool.handle({})).toEqual({ ok: true, text: 'Mira stays silent this turn.' });
    expect(f.skips).toBe(1);
  });
});

describe('recall', () => {
  it('lists the memory subtitles in its description', () => {
    const tool = createRecallTool(fixture().context({ memory: MEMORY }), DEFAULT_TOOLS.recall);
    expect(tool.description).toMatch(/Available subtitles: Harbor night, First job$/);
    expect(tool.inputSchema).toMatchObject({ required: ['subtitle'], properties: { subtitle: { maxLength: 200 } } });
  });

  it('returns the memory found by a bracketed, differently cased subtitle', async () => {
    const tool = createRecallTool(fixture().context({ memory: MEMORY }), DEFAULT_TOOLS.recall);
    expect(await tool.handle({ subtitle: ' [harbor   NIGHT] ' })).toEqual({
      ok: true,
      text: 'Memory "Harbor night":\n\nWe watched the ferries.',
    });
  });

  it('appends the content after a blank line when the template does not place it', async () => {
    const entry = { ...DEFAULT_TOOLS.recall, response: '{agent_name:이가} 떠올린 기억: {subtitle}' };
    const context = fixture().context({ memory: MEMORY });
    const tool = createRecallTool({ ...context, agent: { ...context.agent, name: '미라' } }, entry);
    expect((await tool.handle({ subtitle: 'First job' })).text).toBe(
      '미라가 떠올린 기억: First job\n\nThe bakery on 5th.',
    );
  });

  it('answers an unknown subtitle with the not-found response listing the subtitles', async () => {
    const tool = createRecallTool(fixture().context({ memory: MEMORY }), DEFAULT_TOOLS.recall);
    expect(await tool.handle({ subtitle: '[Ghosts]' })).toEqual({
      ok: false,
      text: 'No memory is filed under "Ghosts". Available subtitles: Harbor night, First job',
    });
  });

  it('rejects a subtitle longer than 200 characters', async () => {
    const tool = createRecallTool(fixture().context({ memory: MEMORY }), DEFAULT_TOOLS.recall);
    expect(await tool.handle({ subtitle: 'x'.repeat(201) })).toEqual({
      ok: false,
      text: 'Invalid input: "subtitle" must be 1 to 200 characters long.',
    });
  });
});

describe('read_guidelines', () => {
  it('returns the provider guidelines rendered with the agent name', async () => {
    const tool = createReadGuidelinesTool(fixture().context(), DEFAULT_TOOLS.read_guidelines);
    const result = await tool.handle({});
    expect(result).toEqual({ ok: true, text: renderTemplate(DEFAULT_GUIDELINES_TEXT, { agent_name: 'Mira' }) });
    expect(result.text).not.toContain('{agent_name}');
  });

  it('reads the guidelines for the turn provider', async () => {
    const f = fixture();
    f.configs.write(
      'guidelines_3rd.yaml',
      [
        'guidelines:',
        '  active_version: g9',
        '  versions:',
        '    g9:',
        '      default: "Be {agent_name}."',
        '      openai: "Short, {agent_name}."',
      ].join('\n'),
    );
    const tool = createReadGuidelinesTool(f.context({ provider: 'openai' }), DEFAULT_TOOLS.read_guidelines);
    expect((await tool.handle({})).text).toBe('Short, Mira.');
  });
});

describe('check_boundary', () => {
  it('allows a situation for an agent without a boundary entry and records it', async () => {
    const f = fixture();
    const tool = createCheckBoundaryTool(f.context(), DEFAULT_TOOLS.check_boundary);
    expect(await tool.handle({ situation: ' A midnight swim ' })).toEqual({
      ok: true,
      text: "This is within Mira's limits (A midnight swim). Carry on in character.",
    });
    expect(f.situations).toEqual(['A midnight swim']);
  });

  it('denies a situation for an agent with a boundary entry and still records it', async () => {
    const f = fixture();
    const tool = createCheckBoundaryTool(f.context({ hasBoundary: true }), DEFAULT_TOOLS.check_boundary);
    const result = await tool.handle({ situation: 'A midnight swim' });
    const denied = renderTemplate(DEFAULT_TOOLS.check_boundary.denied_response, { agent_name: 'Mira' });
    expect(result).toEqual({ ok: true, text: denied });
    expect(f.situations).toEqual(['A midnight swim']);
  });

  it('rejects a missing situation without recording anything', async () => {
    const f = fixture();
    const tool = createCheckBoundaryTool(f.context(), DEFAULT_TOOLS.check_boundary);
    expect((await tool.handle({ situation: 42 })).ok).toBe(false);
    expect((await tool.handle('text')).ok).toBe(false);
    expect(f.situations).toEqual([]);
  });
});
