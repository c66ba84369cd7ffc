import type { Agent, Message, ProviderInfo, Room, RoomSummary } from '../../shared/models';
import type { ProviderId } from '../../shared/providers';
import { apiRequest } from './api';

/** The calls the UI makes (ui.md §3.1), typed with the shared wire models. Paths are under `/api`. */

export type Role = 'admin' | 'guest';

export interface Session {
  role: Role;
  user_id: string;
  expires_at: string;
}

export interface LoginResult extends Session {
  success: true;
  message: string;
}

export interface AuthStatus {
  password_generated: boolean;
  guest_enabled: boolean;
}

export interface ProvidersResponse {
  default: string;
  providers: ProviderInfo[];
}

export interface CreateRoomInput {
  name: string;
  provider?: ProviderId;
  model?: string;
  max_interactions?: number | null;
}

export interface SendMessageInput {
  content: string;
  participant_type?: 'user' | 'character' | 'situation_builder';
  participant_name?: string | null;
  mentioned_agent_ids?: number[];
  mention_mode?: 'first' | 'only';
  /** Base64 without a data-URL prefix (api.md §8.3). */
  image_data?: string;
  image_media_type?: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
}

export const MESSAGE_PAGE_SIZE = 200;

export const api = {
  authStatus: (signal?: AbortSignal) => apiRequest<AuthStatus>('/auth/status', { signal, ownsUnauthorized: true }),
  /** The boot session check: a 401 here means "not logged in", not an expired session. */
  verify: (signal?: AbortSignal) => apiRequest<Session>('/auth/verify', { signal, ownsUnauthorized: true }),
  login: (password: string) =>
    apiRequest<LoginResult>('/auth/login', { method: 'POST', body: { password }, ownsUnauthorized: true }),
  logout: () => apiRequest<unknown>('/auth/logout', { method: 'POST', ownsUnauthorized: true }),

  rooms: (signal?: AbortSignal) => apiRequest<RoomSummary[]>('/rooms', { signal }),
  createRoom: (input: CreateRoomInput) => apiRequest<Room>('/rooms', { method: 'POST', body: input }),
  markRead: (roomId: number) => apiRequest<unknown>(`/rooms/${roomId}/mark-read`, { method: 'POST' }),
  providers: (signal?: AbortSignal) => apiRequest<ProvidersResponse>('/providers', { signal }),

  messages: (roomId: number, options: { limit?: number; beforeId?: number; signal?: AbortSignal } = {}) =>
    apiRequest<Message[]>(`/rooms/${roomId}/messages`, {
      query: { limit: options.limit ?? MESSAGE_PAGE_SIZE, before_id: options.beforeId },
      signal: options.signal,
    }),
  sendMessage: (roomId: number, input: SendMessageInput) =>
    apiRequest<Message>(`/rooms/${roomId}/messages/send`, { method: 'POST', body: input }),

  agents: (signal?: AbortSignal) => apiRequest<Agent[]>('/agents', { signal }),
};

/** A created Room as the list entry `GET /rooms` would return for it. */
export function summaryOf(room: Room): RoomSummary {
  const { agents: _agents, messages: _messages, ...fields } = room;
  return { ...fields, has_unread: false };
}
