import type { Agent, Room, RoomWithAgents } from '../../shared/models';
import { API_PREFIX, ApiError, apiRequest } from '../lib/api';

/** The room, member, direct-room and agent-picture calls of ui.md §3.1 (api.md §6, §7, §10, §14.4). */

export type ExportFormat = 'markdown' | 'json';

export interface RoomPatch {
  name?: string;
  max_interactions?: number | null;
}

export interface DirectRoomOptions {
  provider?: string;
  model?: string;
}

export const roomApi = {
  patch: (roomId: number, patch: RoomPatch) => apiRequest<Room>(`/rooms/${roomId}`, { method: 'PATCH', body: patch }),
  pause: (roomId: number) => apiRequest<Room>(`/rooms/${roomId}/pause`, { method: 'POST' }),
  resume: (roomId: number) => apiRequest<Room>(`/rooms/${roomId}/resume`, { method: 'POST' }),
  remove: (roomId: number) => apiRequest<unknown>(`/rooms/${roomId}`, { method: 'DELETE' }),
  clearMessages: (roomId: number) => apiRequest<unknown>(`/rooms/${roomId}/messages`, { method: 'DELETE' }),

  members: (roomId: number, signal?: AbortSignal) => apiRequest<Agent[]>(`/rooms/${roomId}/agents`, { signal }),
  addMember: (roomId: number, agentId: number) =>
    apiRequest<RoomWithAgents>(`/rooms/${roomId}/agents/${agentId}`, { method: 'POST' }),
  removeMember: (roomId: number, agentId: number) =>
    apiRequest<unknown>(`/rooms/${roomId}/agents/${agentId}`, { method: 'DELETE' }),
  respond: (roomId: number, agentId: number) =>
    apiRequest<{ message: string; agent_id: number }>(`/rooms/${roomId}/agents/${agentId}/respond`, { method: 'POST' }),

  agent: (agentId: number, signal?: AbortSignal) => apiRequest<Agent>(`/agents/${agentId}`, { signal }),
  setPicture: (agentId: number, dataUrl: string) =>
    apiRequest<Agent>(`/agents/${agentId}`, { method: 'PATCH', body: { profile_pic: dataUrl }, timeoutMs: 60_000 }),
  directRoom: (agentId: number, options: DirectRoomOptions = {}) =>
    apiRequest<Room>(`/agents/${agentId}/direct-room`, { query: { provider: options.provider, model: options.model } }),
};

export interface ExportFile {
  blob: Blob;
  filename: string;
}

/** `{slug}-{id}.{ext}` as the server builds it (api.md §6.10), for when `Content-Disposition` is unreadable. */
export function exportFallbackName(roomName: string, roomId: number, format: ExportFormat): string {
  const slug = Array.from(roomName.normalize('NFC').replace(/[^\p{L}\p{N}._-]/gu, '_'))
    .slice(0, 80)
    .join('');
  return `${slug || 'room'}-${roomId}.${format === 'json' ? 'json' : 'md'}`;
}

/** The file name of a download: `filename*` (RFC 5987) first, then `filename`. */
export function filenameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || undefined;
}

/** `GET /rooms/{id}/export` as a file (the body is not JSON, so this is a plain fetch on the same rules). */
export async function fetchExport(
  room: { id: number; name: string },
  format: ExportFormat,
  includeThinking = false,
): Promise<ExportFile> {
  const params = new URLSearchParams({ format });
  if (includeThinking && format === 'markdown') params.set('include_thinking', 'true');
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}/rooms/${room.id}/export?${params.toString()}`, {
      credentials: 'same-origin',
      headers: { Accept: format === 'json' ? 'application/json' : 'text/markdown' },
    });
  } catch {
    throw new ApiError(0, 'Network error', {}, 'network');
  }
  if (!response.ok) {
    let detail = response.statusText || `HTTP ${response.status}`;
    try {
      const body = (await response.json()) as { detail?: unknown };
      if (typeof body.detail === 'string') detail = body.detail;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, detail);
  }
  const blob = await response.blob();
  const filename = filenameFromDisposition(response.headers.get('content-disposition')) ?? exportFallbackName(room.name, room.id, format);
  return { blob, filename };
}

/** Saves a blob under `filename` through a temporary object URL. */
export function saveFile({ blob, filename }: ExportFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
