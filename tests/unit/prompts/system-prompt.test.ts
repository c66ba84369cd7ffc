import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSystemPrompt, buildTimeLine } from '../../../src/server/prompts/system-prompt.js';
import type { SystemPromptOptions } from '../../../src/server/prompts/system-prompt.js';
import { createConfigFixture } from './config-fixtures.js';
import type { ConfigFixture } from './config-fixtures.js';

// 2026-03-14 21:04:05 in Seoul, the instant of the behavior.md §4.1 example.
const NOW = new Date(Date.UTC(2026, 2, 14, 12, 4, 5));

const NO_TEXTS = { inANutshell: '', characteristics: '', recentEvents: '' };
const TIME_LINE = 'Current time: 2026-03-14 (Sat) 21:04:05 KST';

const TEXTS = {
  inANutshell: 'A night-market cook with opinions about skewers.\n',
  characteristics: 'Warm, quick to tease, hates haggling.',
  recentEvents: '- Opened a new stall.\n- Lost a bet to Tobin.',
};

let fixture: ConfigFixture;
beforeEach(() => {
  fixture = createConfigFixture();
  fixture.write(
    'guidelines_3rd.yaml',
    [
      'system_prompt:',
      '  variants:',
      '    v1: "You are {agent_name:으로로} chatting with {user_name}."',
      'guidelines:',
      '  versions:',
      '    g1: { default: "Be {agent_name}.", codex: "Codex rules for {agent_name}." }',
    ].join('\n'),
  );
});
afterEach(() => {
  fixture.cleanup();
});

function options(overrides: Partial<SystemPromptOptions> = {}): SystemPromptOptions {
  return {
    config: fixture.open().config,
    provider: 'claude',
    agentName: 'Mira',
    userName: 'Jae',
    texts: TEXTS,
    now: NOW,
    timeZone: 'Asia/Seoul',
    includeTimeLine: true,
    ...overrides,
  };
}

describe('buildSystemPrompt', () => {
  it('lays out the template, the character sections and the time line exactly as §4.1 shows', () => {
    expect(buildSystemPrompt(options())).toBe(
      [
        'You are Mira으로 chatting with Jae.',
        '',
        '## Mira in brief',
        '',
        'A night-market cook with opinions about skewers.',
        '',
        '## Mira: characteristics',
        '',
        'Warm, quick to tease, hates haggling.',
        '',
        '## Recent events',
        '',
        '- Opened a new stall.\n- Lost a bet to Tobin.',
        '',
        '---',
        '',
        'Current time: 2026-03-14 (Sat) 21:04:05 KST',
      ].join('\n'),
    );
  });

  it('leaves out empty sections together with their headings', () => {
    const texts = { inANutshell: '', characteristics: ' \n', recentEvents: 'Met Jae.' };
    const prompt = buildSystemPrompt(options({ texts }));
    expect(prompt).toBe(`You are Mira으로 chatting with Jae.\n\n## Recent events\n\nMet Jae.\n\n---\n\n${TIME_LINE}`);
  });

  it('adds the inline guidelines after the character sections and before the time line', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      [
        'system_prompt:',
        '  variants: { v1: Base }',
        'guidelines:',
        '  mode: inline',
        '  versions:',
        '    g1: { default: "Be {agent_name}." }',
      ].join('\n'),
    );
    const prompt = buildSystemPrompt(options({ texts: { ...NO_TEXTS, inANutshell: 'Cook.' } }));
    expect(prompt).toBe(`Base\n\n## Mira in brief\n\nCook.\n\n## Guidelines\n\nBe Mira.\n\n---\n\n${TIME_LINE}`);
  });

  it('uses the provider-specific guidelines text inline', () => {
    fixture.write(
      'guidelines_3rd.yaml',
      [
        'system_prompt:',
        '  variants: { v1: Base }',
        'guidelines:',
        '  mode: inline',
        '  versions:',
        '    g1: { default: D, codex: "Codex rules for {agent_name}." }',
      ].join('\n'),
    );
    const prompt = buildSystemPrompt(options({ provider: 'codex', texts: NO_TEXTS }));
    expect(prompt).toBe('Base\n\n## Guidelines\n\nCodex rules for Mira.');
  });

  it('leaves the guidelines out in tool mode', () => {
    expect(buildSystemPrompt(options())).not.toContain('Be Mira.');
  });

  it('omits the separator and time line for Codex', () => {
    const prompt = buildSystemPrompt(options({ provider: 'codex' }));
    expect(prompt.endsWith('- Opened a new stall.\n- Lost a bet to Tobin.')).toBe(true);
    expect(prompt).not.toContain('---');
  });

  it('omits the separator and time line when includeTimeLine is false', () => {
    const prompt = buildSystemPrompt(options({ provider: 'openai', includeTimeLine: false }));
    expect(prompt).not.toContain('Current time');
    expect(prompt).not.toContain('\n---\n');
  });

  it('uses the configured time zone label', () => {
    const prompt = buildSystemPrompt(options({ timeZone: 'UTC', timeZoneLabel: 'GMT' }));
    expect(prompt.endsWith('Current time: 2026-03-14 (Sat) 12:04:05 GMT')).toBe(true);
  });

  it('does not render placeholders inside the character files', () => {
    const prompt = buildSystemPrompt(options({ texts: { ...NO_TEXTS, inANutshell: 'Says {user_name} a lot.' } }));
    expect(prompt).toContain('Says {user_name} a lot.');
  });

  it('starts from the built-in embodiment template when the config directory is empty', () => {
    fixture.cleanup();
    fixture = createConfigFixture();
    const prompt = buildSystemPrompt(options());
    expect(prompt.startsWith('You are voicing Mira in a group chat.')).toBe(true);
    expect(prompt).not.toContain('{agent_name}');
    expect(prompt).toContain('\n\n## Mira in brief\n\nA night-market cook with opinions about skewers.\n\n## Mira:');
  });
});

describe('buildTimeLine', () => {
  it('renders the time line template with the current time', () => {
    fixture.write('guidelines_3rd.yaml', 'sections:\n  time_line: "[{agent_name}] now: {current_time}"\n');
    const { config } = fixture.open();
    const line = buildTimeLine({ config, agentName: 'Mira', userName: 'Jae', now: NOW, timeZone: 'Asia/Seoul' });
    expect(line).toBe('[Mira] now: 2026-03-14 (Sat) 21:04:05 KST');
  });
});
