import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONVERSATION_CONTEXT, DEFAULT_TOOLS } from '../../../src/server/prompts/defaults.js';
import type { ConfigProblem } from '../../../src/server/prompts/config-problems.js';
import { createConfigFixture } from './config-fixtures.js';
import type { ConfigFixture, LogLine } from './config-fixtures.js';

let fixture: ConfigFixture;
beforeEach(() => {
  fixture = createConfigFixture();
});
afterEach(() => {
  fixture.cleanup();
});

function keysOf(problems: ConfigProblem[]): string[] {
  return problems.map((problem) => `${problem.file} ${problem.key} ${problem.kind}`);
}

function warningKeys(lines: LogLine[]): string[] {
  return lines.map((line) => `${String(line.file)} ${String(line.key)} ${String(line.problem)}`);
}

const ALL_TOOLS = ['skip', 'memorize', 'recall', 'read_guidelines', 'check_boundary'];

/** A tools.yaml with an entry for every built-in tool, `entries` replacing or adding some. */
function toolsYaml(entries: Record<string, string> = {}): string {
  const lines = Object.entries({ ...Object.fromEntries(ALL_TOOLS.map((name) => [name, '{}'])), ...entries });
  return `tools:\n${lines.map(([name, body]) => `  ${name}: ${body}`).join('\n')}\n`;
}

describe('validate', () => {
  it('reports built-in tools missing from an existing tools.yaml', () => {
    fixture.write('tools.yaml', 'tools:\n  skip: {}\n  recall: {}\n  check_boundary: {}\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual([
      'tools.yaml tools.memorize missing_tool',
      'tools.yaml tools.read_guidelines missing_tool',
    ]);
    expect(config.tools('claude').memorize).toEqual(DEFAULT_TOOLS.memorize);
  });

  it('reports unknown tool names in tools.yaml and in provider files, and ignores them', () => {
    fixture.write('tools.yaml', toolsYaml({ teleport: '{ enabled: true }' }));
    fixture.write('openai_tools.yaml', 'tools:\n  fly: { enabled: false }\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual([
      'tools.yaml tools.teleport unknown_tool',
      'openai_tools.yaml tools.fly unknown_tool',
    ]);
    expect(Object.keys(config.tools('openai'))).toEqual(ALL_TOOLS);
  });

  it('warns once about an unknown tool name in a group and ignores it', () => {
    const { config, warnings } = fixture.open();
    const group = { teleport: { enabled: true }, skip: { enabled: false } };
    expect(config.tools('claude', group, 'Fantasy').skip.enabled).toBe(false);
    config.tools('claude', group, 'Fantasy');
    config.tools('codex', group, 'Fantasy');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      file: 'group_config.yaml',
      group: 'Fantasy',
      key: 'tools.teleport',
      problem: 'unknown_tool',
      msg: 'config problem',
    });
  });

  it('reports dangling system_prompt.active, provider_active and guidelines.active_version', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      [
        'system_prompt:',
        '  active: v7',
        '  provider_active: { codex: v1_codex, claude: v1 }',
        'guidelines:',
        '  active_version: g5',
      ].join('\n'),
    );
    expect(keysOf(fixture.open().config.validate())).toEqual([
      'guidelines_3rd.yaml system_prompt.active dangling_pointer',
      'guidelines_3rd.yaml system_prompt.provider_active.codex dangling_pointer',
      'guidelines_3rd.yaml guidelines.active_version dangling_pointer',
    ]);
  });

  it('reports values of the wrong type and uses the defaults for them', () => {
    fixture.write('conversation_context.yaml', 'max_messages: lots\nheader: [a, b]\nwhiteboard: yes\nfooter: "</c>"\n');
    fixture.write('debug.yaml', 'debug:\n  enabled: "yes"\n  agents: [Mira, 3]\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual([
      'conversation_context.yaml header wrong_type',
      'conversation_context.yaml max_messages wrong_type',
      'conversation_context.yaml whiteboard wrong_type',
      'debug.yaml debug.enabled wrong_type',
      'debug.yaml debug.agents.1 wrong_type',
    ]);
    const context = config.conversationContext();
    expect(context.max_messages).toBe(25);
    expect(context.header).toBe('<conversation>');
    expect(context.whiteboard).toEqual(DEFAULT_CONVERSATION_CONTEXT.whiteboard);
    expect(context.footer).toBe('</c>');
    expect(config.debug().enabled).toBe(false);
    expect(config.debug().agents).toEqual(['Mira']);
  });

  it('reports out-of-range and unknown enum values', () => {
    fixture.write('conversation_context.yaml', 'max_messages: 0\n');
    fixture.write('guidelines_3rd.yaml', 'guidelines:\n  mode: sometimes\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual([
      'guidelines_3rd.yaml guidelines.mode invalid_value',
      'conversation_context.yaml max_messages invalid_value',
    ]);
    expect(config.guidelinesMode()).toBe('tool');
  });

  it('reports unknown keys at any depth and ignores them', () => {
    fixture.write('conversation_context.yaml', 'headr: "<c>"\nnotices:\n  agent_left: "{agent_name} left"\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual([
      'conversation_context.yaml notices.agent_left unknown_key',
      'conversation_context.yaml headr unknown_key',
    ]);
    expect(config.conversationContext().header).toBe('<conversation>');
  });

  it('reports unknown fields of a tool entry', () => {
    fixture.write('tools.yaml', toolsYaml({ skip: '{ colour: red, enabled: false }' }));
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual(['tools.yaml tools.skip.colour unknown_key']);
    expect(config.tools('claude').skip.enabled).toBe(false);
  });

  it('reports templates with unbalanced braces', () => {
    fixture.write('guidelines_3rd.yaml', 'sections:\n  nutshell: "## {agent_name in brief"\n');
    fixture.write('codex_tools.yaml', 'tools:\n  skip: { response: "skipped}" }\n');
    fixture.write('conversation_context.yaml', 'notices:\n  agent_error: "{agent_name} failed: {error"\n');
    expect(keysOf(fixture.open().config.validate())).toEqual([
      'guidelines_3rd.yaml sections.nutshell unbalanced_braces',
      'codex_tools.yaml tools.skip.response unbalanced_braces',
      'conversation_context.yaml notices.agent_error unbalanced_braces',
    ]);
  });

  it('reports a __proto__ key as unknown instead of letting it supply values', () => {
    fixture.write('conversation_context.yaml', '__proto__: { header: "<sneaky>" }\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual(['conversation_context.yaml __proto__ unknown_key']);
    expect(config.conversationContext().header).toBe('<conversation>');
  });

  it('treats keys left empty as unset, without warnings', () => {
    fixture.write('conversation_context.yaml', 'recall_reminder:\nresponse_instruction_codex:\nnotices:\n');
    fixture.write('guidelines_3rd.yaml', 'system_prompt:\n  provider_active:\n');
    const { config } = fixture.open();
    expect(config.validate()).toEqual([]);
    expect(config.conversationContext().notices).toEqual(DEFAULT_CONVERSATION_CONTEXT.notices);
  });

  it('treats a document that is not a mapping as a wrong type and uses all defaults', () => {
    fixture.write('debug.yaml', '- just\n- a list\n');
    const { config } = fixture.open();
    expect(keysOf(config.validate())).toEqual(['debug.yaml (root) wrong_type']);
    expect(config.debug().enabled).toBe(false);
  });

  it('does not report missing tools when tools.yaml is absent or empty', () => {
    fixture.write('tools.yaml', '# only a comment\n');
    expect(fixture.open().config.validate()).toEqual([]);
  });
});

describe('logStartupSummary', () => {
  it('logs one warning per problem with file and key, then the active configuration', () => {
    fixture.write('guidelines_3rd.yaml', 'system_prompt:\n  provider_active: { codex: gone }\n  extra: 1\n');
    fixture.write('claude_tools.yaml', 'tools:\n  check_boundary: { enabled: false }\n');
    const { config, lines, warnings } = fixture.open();
    const problems = config.logStartupSummary();
    expect(problems).toHaveLength(2);
    expect(warningKeys(warnings())).toEqual([
      'guidelines_3rd.yaml system_prompt.extra unknown_key',
      'guidelines_3rd.yaml system_prompt.provider_active.codex dangling_pointer',
    ]);
    const info = lines.filter((line) => line.level === 30);
    expect(info.find((line) => line.msg === 'prompt configuration')).toMatchObject({
      system_prompt_variants: { claude: 'v1', codex: 'v1', openai: 'v1' },
      guidelines_version: 'g1',
      guidelines_mode: 'tool',
    });
    const tools = info.filter((line) => line.msg === 'enabled tools');
    expect(tools.map((line) => [line.provider, line.tools])).toEqual([
      ['claude', ['skip', 'memorize', 'recall', 'read_guidelines']],
      ['codex', ALL_TOOLS],
      ['openai', ALL_TOOLS],
    ]);
    expect(info.find((line) => line.msg === 'config files not found; using built-in defaults')).toMatchObject({
      files: ['tools.yaml', 'conversation_context.yaml', 'debug.yaml'],
    });
  });

  it('does not repeat warnings already logged when a getter loaded the file first', () => {
    fixture.write('debug.yaml', 'debug:\n  verbose: true\n');
    const { config, warnings } = fixture.open();
    config.debug();
    config.logStartupSummary();
    config.validate();
    expect(warningKeys(warnings())).toEqual(['debug.yaml debug.verbose unknown_key']);
  });
});
