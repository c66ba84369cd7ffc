import { afterEach, beforeEach } from 'vitest';
import type { WindowRow } from '../../../src/server/prompts/turn-window.js';
import { createConfigFixture, type ConfigFixture } from './config-fixtures.js';

export const TOBIN = { id: 2, name: 'Tobin', joinedAt: null };
export const MIRA_ID = 1;
export const NO_AUTHORS = { critics: new Set<number>(), whiteboards: new Set<number>() };

let nextId = 1;
const BASE_TIME = Date.parse('2026-03-14T12:00:00Z');

/** Builders for message rows as the database returns them; ids and timestamps increase in call order. */
export function resetRows(): void {
  nextId = 1;
}

function base(overrides: Partial<WindowRow>): WindowRow {
  const id = overrides.id ?? nextId;
  nextId = Math.max(nextId, id) + 1;
  return {
    id,
    agentId: null,
    content: '',
    role: 'user',
    participantType: null,
    participantName: null,
    imageData: null,
    imageMediaType: null,
    isSkip: false,
    timestamp: new Date(BASE_TIME + id * 1000),
    agentName: null,
    ...overrides,
  };
}

export function userRow(content: string, overrides: Partial<WindowRow> = {}): WindowRow {
  return base({ content, role: 'user', participantType: 'user', ...overrides });
}

export function characterRow(name: string, content: string): WindowRow {
  return base({ content, role: 'user', participantType: 'character', participantName: name });
}

export function situationRow(content: string): WindowRow {
  return base({ content, role: 'user', participantType: 'situation_builder' });
}

export function agentRow(
  agentId: number,
  name: string,
  content: string,
  overrides: Partial<WindowRow> = {},
): WindowRow {
  return base({ content, role: 'assistant', agentId, agentName: name, ...overrides });
}

export function noticeRow(content: string): WindowRow {
  return base({ content, role: 'user', participantType: 'system' });
}

/** A config directory per test, plus a fresh id sequence. */
export function useConfigDir(): () => ConfigFixture {
  let fixture: ConfigFixture | null = null;
  beforeEach(() => {
    resetRows();
    fixture = createConfigFixture();
  });
  afterEach(() => {
    fixture?.cleanup();
    fixture = null;
  });
  return () => {
    if (fixture === null) throw new Error('config fixture used outside a test');
    return fixture;
  };
}
