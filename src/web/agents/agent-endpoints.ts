import type { Agent, Room } from '../../shared/models';
import type { ProviderId } from '../../shared/providers';
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
  directRoom: (agentId: number, provider?: ProviderId) =>
    apiRequest<Room>(`/agents/${agentId}/direct-room`, { query: { provider } }),
};

/** The profile-picture route (api.md §10.9); `version` busts the browser cache after an upload. */
export function profilePicUrl(agent: Pick<Agent, 'name'>, size?: number, version?: string): string {
  const params = new URLSearchParams();
  if (size) params.set('size', String(size));
  if (version) params.set('v', version);
  const search = params.toString();
  return `/api/agents/${encodeURIComponent(agent.name)}/profile-pic${search ? `?${search}` : ''}`;
}
