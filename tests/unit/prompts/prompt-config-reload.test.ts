import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT_TEMPLATE } from '../../../src/server/prompts/defaults.js';
import { createConfigFixture } from './config-fixtures.js';
import type { ConfigFixture } from './config-fixtures.js';

let fixture: ConfigFixture;
beforeEach(() => {
  fixture = createConfigFixture();
});
afterEach(() => {
  fixture.cleanup();
});

describe('createPromptConfig hot reload', () => {
  it('returns the new value on the next call after a file is edited', () => {
    fixture.write('conversation_context.yaml', 'max_messages: 10\n');
    const { config } = fixture.open();
    expect(config.conversationContext().max_messages).toBe(10);
    fixture.write('conversation_context.yaml', 'max_messages: 12\n');
    expect(config.conversationContext().max_messages).toBe(12);
  });

  it('picks up a file that appears after startup and falls back to defaults when it is deleted', () => {
    const { config } = fixture.open();
    expect(config.systemPromptTemplate('claude')).toBe(DEFAULT_SYSTEM_PROMPT_TEMPLATE);
    fixture.write('guidelines_3rd.yaml', 'system_prompt:\n  variants: { v1: "Fresh" }\n');
    expect(config.systemPromptTemplate('claude')).toBe('Fresh');
    rmSync(join(fixture.dir, 'guidelines_3rd.yaml'));
    expect(config.systemPromptTemplate('claude')).toBe(DEFAULT_SYSTEM_PROMPT_TEMPLATE);
  });

  it('reloads provider tool files and applies them to the next merge', () => {
    const { config } = fixture.open();
    expect(config.tools('openai').recall.enabled).toBe(true);
    fixture.write('openai_tools.yaml', 'tools:\n  recall: { enabled: false }\n');
    expect(config.tools('openai').recall.enabled).toBe(false);
    expect(config.tools('claude').recall.enabled).toBe(true);
  });

  it('keeps the last good value when the file stops parsing, and logs a warning', () => {
    fixture.write('debug.yaml', 'debug:\n  enabled: true\n');
    const { config, warnings } = fixture.open();
    expect(config.debug().enabled).toBe(true);
    fixture.write('debug.yaml', 'debug:\n  enabled: [true\n');
    expect(config.debug().enabled).toBe(true);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ msg: 'yaml parse error; keeping last good value' });
    fixture.write('debug.yaml', 'debug:\n  enabled: false\n');
    expect(config.debug().enabled).toBe(false);
  });

  it('validates a changed file once and logs its problems once', () => {
    const { config, warnings, lines } = fixture.open();
    config.logStartupSummary();
    fixture.write('conversation_context.yaml', 'max_messages: -3\n');
    for (let i = 0; i < 5; i += 1) expect(config.conversationContext().max_messages).toBe(25);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      file: 'conversation_context.yaml',
      key: 'max_messages',
      problem: 'invalid_value',
    });
    fixture.write('conversation_context.yaml', 'max_messages: -4\n');
    config.conversationContext();
    expect(warnings()).toHaveLength(2);
    // One reload line per change: the file appearing, then its edit.
    expect(lines.filter((line) => line.msg === 'config file reloaded')).toHaveLength(2);
  });

  it('does not log the problems of the last good value again when the file stops parsing', () => {
    fixture.write('conversation_context.yaml', 'max_messages: -3\n');
    const { config, warnings } = fixture.open();
    config.conversationContext();
    fixture.write('conversation_context.yaml', 'max_messages: [\n');
    config.conversationContext();
    expect(warnings().map((line) => line.msg)).toEqual(['config problem', 'yaml parse error; keeping last good value']);
  });

  it('never throws on arbitrary YAML content', () => {
    const garbage = ['42', '"text"', 'tools: 7', 'tools: [1, 2]', 'system_prompt: { variants: [a] }', '~'];
    const files = ['guidelines_3rd.yaml', 'tools.yaml', 'claude_tools.yaml', 'conversation_context.yaml', 'debug.yaml'];
    for (const text of garbage) {
      for (const file of files) fixture.write(file, text);
      const { config } = fixture.open();
      expect(() => {
        config.logStartupSummary();
        config.tools('claude', { skip: 'nope', recall: { enabled: 'maybe' } });
        config.systemPromptTemplate('codex');
        config.guidelines('openai');
        config.conversationContext();
        config.debug();
      }, text).not.toThrow();
    }
  });
});
