import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONVERSATION_CONTEXT,
  DEFAULT_DEBUG,
  DEFAULT_GUIDELINES_TEXT,
  DEFAULT_SECTIONS,
  DEFAULT_SYSTEM_PROMPT_TEMPLATE,
  DEFAULT_TOOLS,
} from '../../../src/server/prompts/defaults.js';
import { PROVIDER_IDS } from '../../../src/server/prompts/config-schemas.js';
import { createPromptConfig } from '../../../src/server/prompts/prompt-config.js';
import { createYamlStore } from '../../../src/server/prompts/yaml-store.js';
import { captureLog, createConfigFixture } from './config-fixtures.js';
import type { ConfigFixture } from './config-fixtures.js';

const SHIPPED_CONFIG_DIR = fileURLToPath(new URL('../../../config', import.meta.url));

let fixture: ConfigFixture;
beforeEach(() => {
  fixture = createConfigFixture();
});
afterEach(() => {
  fixture.cleanup();
});

describe('createPromptConfig with an empty config directory', () => {
  it('serves the built-in defaults for every getter without warnings', () => {
    const { config, warnings } = fixture.open();
    expect(config.systemPromptTemplate('claude')).toBe(DEFAULT_SYSTEM_PROMPT_TEMPLATE);
    expect(config.sections()).toEqual(DEFAULT_SECTIONS);
    expect(config.guidelines('openai')).toBe(DEFAULT_GUIDELINES_TEXT);
    expect(config.guidelinesMode()).toBe('tool');
    expect(config.tools('codex')).toEqual(DEFAULT_TOOLS);
    expect(config.conversationContext()).toEqual(DEFAULT_CONVERSATION_CONTEXT);
    expect(config.debug()).toEqual(DEFAULT_DEBUG);
    expect(config.validate()).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('uses the notice texts of README binding resolution 2', () => {
    const { notices } = fixture.open().config.conversationContext();
    expect(notices.agent_joined).toBe('{agent_name} joined the chat');
    expect(notices.agent_error).toBe('{agent_name} could not respond: {error}');
  });
});

describe('the shipped config directory', () => {
  function openShipped() {
    const captured = captureLog();
    const yaml = createYamlStore({ log: captured.log });
    return { config: createPromptConfig({ configDir: SHIPPED_CONFIG_DIR, yaml, log: captured.log }), ...captured };
  }

  it('validates with zero problems and logs no warnings', () => {
    const { config, warnings } = openShipped();
    expect(config.validate()).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('holds exactly the built-in defaults', () => {
    const shipped = openShipped().config;
    const builtIn = fixture.open().config;
    for (const provider of PROVIDER_IDS) {
      expect(shipped.systemPromptTemplate(provider)).toBe(builtIn.systemPromptTemplate(provider));
      expect(shipped.guidelines(provider)).toBe(builtIn.guidelines(provider));
      expect(shipped.tools(provider)).toEqual(builtIn.tools(provider));
    }
    expect(shipped.sections()).toEqual(builtIn.sections());
    expect(shipped.guidelinesMode()).toBe(builtIn.guidelinesMode());
    expect(shipped.conversationContext()).toEqual(builtIn.conversationContext());
    expect(shipped.debug()).toEqual(builtIn.debug());
  });
});

describe('systemPromptTemplate', () => {
  it('prefers the provider-specific variant, then the active one', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      [
        'system_prompt:',
        '  active: mine',
        '  provider_active: { codex: terse }',
        '  variants: { mine: "Mine {agent_name}", terse: "Terse" }',
      ].join('\n'),
    );
    const { config } = fixture.open();
    expect(config.systemPromptTemplate('codex')).toBe('Terse');
    expect(config.systemPromptTemplate('claude')).toBe('Mine {agent_name}');
  });

  it('falls through an empty provider variant to the active variant', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      'system_prompt:\n  active: mine\n  provider_active: { openai: blank }\n  variants: { mine: Mine, blank: "  " }\n',
    );
    expect(fixture.open().config.systemPromptTemplate('openai')).toBe('Mine');
  });

  it('falls back to the built-in template when the active variant is missing', () => {
    fixture.write('guidelines_3rd.yaml', 'system_prompt:\n  active: nowhere\n');
    expect(fixture.open().config.systemPromptTemplate('claude')).toBe(DEFAULT_SYSTEM_PROMPT_TEMPLATE);
  });

  it('never resolves a pointer to an inherited object property', () => {
    const yaml = 'system_prompt: { active: toString }\nguidelines: { active_version: valueOf }\n';
    fixture.write('guidelines_3rd.yaml', yaml);
    const { config } = fixture.open();
    expect(config.systemPromptTemplate('claude')).toBe(DEFAULT_SYSTEM_PROMPT_TEMPLATE);
    expect(config.guidelines('claude')).toBe(DEFAULT_GUIDELINES_TEXT);
    expect(config.validate().map((problem) => problem.kind)).toEqual(['dangling_pointer', 'dangling_pointer']);
  });

  it('lets a file override the built-in v1 variant by name', () => {
    fixture.write('guidelines_3rd.yaml', 'system_prompt:\n  variants:\n    v1: Custom v1\n');
    expect(fixture.open().config.systemPromptTemplate('claude')).toBe('Custom v1');
  });

  it('reads the guidelines file named by the guidelinesFile option', () => {
    fixture.write('guidelines_alt.yaml', 'system_prompt:\n  variants:\n    v1: Alternative\n');
    const { config } = fixture.open({ guidelinesFile: 'guidelines_alt' });
    expect(config.systemPromptTemplate('claude')).toBe('Alternative');
  });
});

describe('sections', () => {
  it('overrides single headings and keeps the other defaults', () => {
    fixture.write('guidelines_3rd.yaml', 'sections:\n  nutshell: "## About {agent_name}"\n');
    const sections = fixture.open().config.sections();
    expect(sections.nutshell).toBe('## About {agent_name}');
    expect(sections.recent_events).toBe(DEFAULT_SECTIONS.recent_events);
  });
});

describe('guidelines', () => {
  it('prefers the provider text, then the default text of the active version', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      'guidelines:\n  active_version: g2\n  versions:\n    g2: { default: "Be kind", codex: "Be brief" }\n',
    );
    const { config } = fixture.open();
    expect(config.guidelines('codex')).toBe('Be brief');
    expect(config.guidelines('claude')).toBe('Be kind');
  });

  it('falls back to the built-in text when the active version is missing or has no usable text', () => {
    fixture.write('guidelines_3rd.yaml', 'guidelines:\n  active_version: g9\n  versions:\n    g2: { codex: "x" }\n');
    expect(fixture.open().config.guidelines('claude')).toBe(DEFAULT_GUIDELINES_TEXT);
    fixture.write('guidelines_3rd.yaml', 'guidelines:\n  active_version: g2\n  versions:\n    g2: { codex: "x" }\n');
    expect(fixture.open().config.guidelines('claude')).toBe(DEFAULT_GUIDELINES_TEXT);
  });

  it('switches off read_guidelines for every provider in inline mode', () => {
    fixture.write('guidelines_3rd.yaml', 'guidelines:\n  mode: inline\n');
    const { config } = fixture.open();
    expect(config.guidelinesMode()).toBe('inline');
    for (const provider of PROVIDER_IDS) expect(config.tools(provider).read_guidelines.enabled).toBe(false);
  });
});

describe('tools', () => {
  beforeEach(() => {
    fixture.write(
      'tools.yaml',
      [
        'tools:',
        '  skip: { description: "base skip", response: "base response" }',
        '  memorize: { enabled: true, description: "base memorize" }',
        '  recall: {}',
        '  read_guidelines: {}',
        '  check_boundary: {}',
      ].join('\n'),
    );
    fixture.write('codex_tools.yaml', 'tools:\n  skip: { description: codex skip }\n  memorize: { enabled: false }\n');
  });

  it('applies tools.yaml, then the provider file, then the group, field by field', () => {
    const { config } = fixture.open();
    const catalog = config.tools('codex', { skip: { response: 'group response' } });
    expect(catalog.skip).toEqual({ enabled: true, description: 'codex skip', response: 'group response' });
    expect(catalog.memorize).toEqual({ ...DEFAULT_TOOLS.memorize, enabled: false, description: 'base memorize' });
  });

  it('lets a group re-enable a tool a provider file disabled', () => {
    const { config } = fixture.open();
    expect(config.tools('codex', { memorize: { enabled: true } }).memorize.enabled).toBe(true);
  });

  it('applies a provider file only to its provider', () => {
    const { config } = fixture.open();
    const claude = config.tools('claude');
    expect(claude.skip.description).toBe('base skip');
    expect(claude.memorize.enabled).toBe(true);
  });

  it('fills fields missing from every source with the built-in texts', () => {
    const { config } = fixture.open();
    expect(config.tools('openai').recall).toEqual(DEFAULT_TOOLS.recall);
  });

  it('returns fresh objects that callers may change without affecting later calls', () => {
    const { config } = fixture.open();
    const first = config.tools('codex');
    first.skip.description = 'changed';
    first.memorize.enabled = true;
    const second = config.tools('codex');
    expect(second.skip.description).toBe('codex skip');
    expect(second.memorize.enabled).toBe(false);
    expect(DEFAULT_TOOLS.skip.description).not.toBe('changed');
  });
});

describe('conversationContext', () => {
  it('merges a partial file over the defaults, nested keys included', () => {
    fixture.write(
      'conversation_context.yaml',
      'max_messages: 40\nsituation_builder:\n  label: Narrator\nnotices:\n  agent_joined: "{agent_name} is here"\n',
    );
    const context = fixture.open().config.conversationContext();
    expect(context.max_messages).toBe(40);
    expect(context.situation_builder).toEqual({ ...DEFAULT_CONVERSATION_CONTEXT.situation_builder, label: 'Narrator' });
    expect(context.notices.agent_joined).toBe('{agent_name} is here');
    expect(context.notices.agent_error).toBe(DEFAULT_CONVERSATION_CONTEXT.notices.agent_error);
  });

  it('returns a copy each time', () => {
    const { config } = fixture.open();
    config.conversationContext().notices.agent_joined = 'changed';
    expect(config.conversationContext().notices.agent_joined).toBe('{agent_name} joined the chat');
  });
});

describe('responseInstruction', () => {
  it('uses the provider-specific instruction when it is not empty', () => {
    fixture.write('conversation_context.yaml', 'response_instruction: General\nresponse_instruction_codex: Codex\n');
    const { config } = fixture.open();
    expect(config.responseInstruction('codex')).toBe('Codex');
    expect(config.responseInstruction('claude')).toBe('General');
  });
});

describe('debug', () => {
  it('merges a partial file over the defaults', () => {
    fixture.write('debug.yaml', 'debug:\n  enabled: true\n  agents: [Mira]\n  log: { thinking: false }\n');
    const debug = fixture.open().config.debug();
    expect(debug).toEqual({
      ...DEFAULT_DEBUG,
      enabled: true,
      agents: ['Mira'],
      log: { ...DEFAULT_DEBUG.log, thinking: false },
    });
  });
});
