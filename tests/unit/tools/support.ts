import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { parseMemorySections } from '../../../src/server/agents/memory.js';
import type { ToolTurnContext } from '../../../src/server/tools/context.js';
import { createConfigFixture, type ConfigFixture } from '../prompts/config-fixtures.js';

export interface ToolFixture {
  agentDir: string;
  configs: ConfigFixture;
  skips: number;
  situations: string[];
  memorized: string[];
  context(overrides?: Partial<ToolTurnContext> & { memory?: string; hasBoundary?: boolean }): ToolTurnContext;
}

/** A real temp agent folder and a real config directory per test; callbacks are recorded on the fixture. */
export function useToolFixture(): () => ToolFixture {
  let fixture: ToolFixture | null = null;
  beforeEach(async () => {
    const agentDir = await mkdtemp(join(tmpdir(), 'chitchats-tools-'));
    const configs = createConfigFixture();
    const state: ToolFixture = {
      agentDir,
      configs,
      skips: 0,
      situations: [],
      memorized: [],
      context({ memory = '', hasBoundary = false, ...overrides } = {}) {
        const { config, log } = configs.open();
        return {
          agent: {
            name: 'Mira',
            dir: agentDir,
            group: null,
            memory: parseMemorySections(memory),
            hasBoundary,
            groupTools: {},
          },
          provider: 'claude',
          config,
          clock: () => new Date('2026-03-14T12:04:05Z'),
          timeZone: 'Asia/Seoul',
          log,
          onSkip: () => {
            state.skips += 1;
          },
          onBoundaryCheck: (situation) => state.situations.push(situation),
          onMemorized: (line) => state.memorized.push(line),
          lock: { retryMs: 5, timeoutMs: 200 },
          ...overrides,
        };
      },
    };
    fixture = state;
  });
  afterEach(async () => {
    if (fixture === null) return;
    fixture.configs.cleanup();
    await rm(fixture.agentDir, { recursive: true, force: true });
    fixture = null;
  });
  return () => {
    if (fixture === null) throw new Error('tool fixture used outside a test');
    return fixture;
  };
}
