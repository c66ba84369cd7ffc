import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/server/settings.js';

const cwd = '/nonexistent-chitchats-settings-dir';

describe('provider settings', () => {
  it('defaults the turn deadlines to 90 s, 120 s and 600 s and the openai limits to 8 steps and 100 messages', () => {
    const settings = loadSettings({}, cwd);
    expect(settings.turnDeadlines).toEqual({ firstEventMs: 90_000, idleMs: 120_000, turnMs: 600_000 });
    expect(settings.openai).toMatchObject({ baseUrl: undefined, apiKey: undefined, supportsImages: false, maxToolSteps: 8, historyLimit: 100 });
  });

  it('accepts TURN_TIMEOUT_SECONDS as an alias of TURN_MAX_DURATION_S, which wins when both are set', () => {
    expect(loadSettings({ TURN_TIMEOUT_SECONDS: '300' }, cwd).turnDeadlines.turnMs).toBe(300_000);
    expect(loadSettings({ TURN_TIMEOUT_SECONDS: '300', TURN_MAX_DURATION_S: '450' }, cwd).turnDeadlines.turnMs).toBe(450_000);
  });

  it('reads the openai settings from the environment', () => {
    const settings = loadSettings(
      { OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_API_KEY: 'k', OPENAI_MODEL: 'llama3.1:8b', OPENAI_SUPPORTS_IMAGES: 'true', OPENAI_MAX_TOOL_STEPS: '3', OPENAI_HISTORY_LIMIT: '20' },
      cwd,
    );
    expect(settings.openai).toMatchObject({ baseUrl: 'http://localhost:11434/v1', apiKey: 'k', model: 'llama3.1:8b', supportsImages: true, maxToolSteps: 3, historyLimit: 20 });
  });

  it('rejects a malformed deadline naming the variable', () => {
    expect(() => loadSettings({ TURN_IDLE_TIMEOUT_S: 'soon' }, cwd)).toThrow(/TURN_IDLE_TIMEOUT_S/);
  });
});
