import type { Agent } from '../../shared/models';
import { apiRequest, IMAGE_TIMEOUT_MS } from '../lib/api';

/** The agent routes of api.md §10 that the agent manager, the sidebar's Agents tab and the switcher call. */

export interface AgentConfigEntry {
  /** `agents/<relative path>` */
  path: string;
  group: string | null;
}

export interface CreateAgentInput {
  name: string;
  group?: string | null;
  config_file?: string | null;
  /** A `data:image/…;base64,` URL. */
  profile_pic?: string | null;
  in_a_nutshell?: string | null;
  characteristics?: string | null;
  recent_events?: string | null;
}

/** The three persona files; `null` or absent leaves a file unchanged (api.md §10.5). */
export type PersonaField = 'in_a_nutshell' | 'characteristics' | 'recent_events';
export type PatchAgentInput = Partial<Record<PersonaField, string>> & { profile_pic?: string };

export const agentKeys = {
  agent: (agentId: number) => ['agent', agentId] as const,
  configs: ['agentConfigs'] as const,
};

export const agentApi = {
  agent: (agentId: number, signal?: AbortSignal) => apiRequest<Agent>(`/agents/${agentId}`, { signal }),
  configs: (signal?: AbortSignal) =>
    apiRequest<{ configs: Record<string, AgentConfigEntry> }>('/agents/configs', { signal }).then((body) => body.configs),
  create: (input: CreateAgentInput) =>
    apiRequest<Agent>('/agents', { method: 'POST', body: input, timeoutMs: input.profile_pic ? IMAGE_TIMEOUT_MS : undefined }),
  patch: (agentId: number, input: PatchAgentInput) =>
    apiRequest<Agent>(`/agents/${agentId}`, {
      method: 'PATCH',
      body: input,
      timeoutMs: input.profile_pic ? IMAGE_TIMEOUT_MS : undefined,
    }),
  reload: (agentId: number) => apiRequest<Agent>(`/agents/${agentId}/reload`, { method: 'POST' }),
  remove: (agentId: number, deleteFolder: boolean) =>
    apiRequest<{ message: string }>(`/agents/${agentId}`, { method: 'DELETE', query: { delete_folder: deleteFolder } }),
};

