import { apiRequest } from '../lib/api';

/** The message calls of ui.md §3.1 (api.md §8.4, §8.5), under `/api`. */

export interface RegenerateResult {
  message: string;
  deleted_message_id: number;
  agent_id: number;
}

export const messageApi = {
  deleteMessage: (roomId: number, messageId: number) =>
    apiRequest<{ message: string }>(`/rooms/${roomId}/messages/${messageId}`, { method: 'DELETE' }),
  regenerate: (roomId: number, messageId: number) =>
    apiRequest<RegenerateResult>(`/rooms/${roomId}/messages/${messageId}/regenerate`, { method: 'POST' }),
};
