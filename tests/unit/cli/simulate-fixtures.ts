import type { SimMessage } from '../../../src/server/cli/simulate-api.js';

/** Messages as the simulate CLI reads them (api.md §3.2), for the pure-function tests. */

let nextId = 1;

const base = (overrides: Partial<SimMessage>): SimMessage => ({
  id: nextId++,
  room_id: 1,
  agent_id: null,
  content: '',
  participant_type: null,
  participant_name: null,
  thinking: null,
  image_media_type: null,
  provider: null,
  model: null,
  is_skip: false,
  timestamp: '2026-01-05T09:30:00.000Z',
  agent_name: null,
  ...overrides,
});

export const topicMessage = (content: string, overrides: Partial<SimMessage> = {}): SimMessage =>
  base({ content, participant_type: 'situation_builder', ...overrides });

export const reply = (agentId: number, agentName: string, content: string, overrides: Partial<SimMessage> = {}): SimMessage =>
  base({ agent_id: agentId, agent_name: agentName, content, provider: 'openai', model: 'fake-model', ...overrides });

export const skip = (agentId: number, agentName: string, overrides: Partial<SimMessage> = {}): SimMessage =>
  reply(agentId, agentName, '(무시함)', { is_skip: true, ...overrides });

export const notice = (content: string, overrides: Partial<SimMessage> = {}): SimMessage =>
  base({ content, participant_type: 'system', ...overrides });
