import type { ChattingAgent, Message } from '../../shared/models';
import type { ApiFailure, ApiResult } from '../connection/api-result';
import type { StreamRequest, StreamResponse } from '../connection/connection-runner';
import type { ConnectionApi } from '../connection/room-reads';
import { apiRequest, IMAGE_TIMEOUT_MS, isAbort, isApiError, type RequestOptions } from '../lib/api';
import type { SendApi } from '../send/send-queue';
import type { SendRequest } from '../send/send-request';

/**
 * The chat room's calls (ui.md §3.1, §3.6, §3.7), built on `apiRequest`, answering with `ApiResult` values: the
 * connection machine and the send queue branch on the status instead of catching.
 */

/** ApiError → the connection code's failure shape: `status` null when no response came. */
export function failureOf(error: unknown): ApiFailure {
  if (!isApiError(error)) return { ok: false, status: null, retryAfterMs: null, detail: null };
  return {
    ok: false,
    status: error.kind === 'http' ? error.status : null,
    retryAfterMs: error.retryAfter === undefined ? null : error.retryAfter * 1_000,
    detail: error.detail,
  };
}

async function result<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  try {
    return { ok: true, value: await apiRequest<T>(path, options) };
  } catch (error) {
    // An abort is the caller's own doing; the runner checks its signal and ignores the answer.
    if (isAbort(error)) return { ok: false, status: null, retryAfterMs: null, detail: null };
    return failureOf(error);
  }
}

export const MESSAGE_PAGE = 200;

export function newestMessages(roomId: number, limit: number, signal?: AbortSignal) {
  return result<Message[]>(`/rooms/${roomId}/messages`, { query: { limit }, signal });
}

/** `before_id` paging (api.md §8.1): fewer than `limit` rows means the start of history. */
export function olderMessages(roomId: number, beforeId: number, signal?: AbortSignal) {
  return result<Message[]>(`/rooms/${roomId}/messages`, { query: { limit: MESSAGE_PAGE, before_id: beforeId }, signal });
}

export function pollMessages(roomId: number, sinceId: number | null, signal?: AbortSignal) {
  return result<Message[]>(`/rooms/${roomId}/messages/poll`, { query: { since_id: sinceId ?? undefined }, signal });
}

export async function chattingAgents(roomId: number, signal?: AbortSignal): Promise<ApiResult<readonly ChattingAgent[]>> {
  const answer = await result<{ chatting_agents: ChattingAgent[] }>(`/rooms/${roomId}/chatting-agents`, { signal });
  return answer.ok ? { ok: true, value: answer.value.chatting_agents } : answer;
}

export const connectionApi: ConnectionApi = {
  pollMessages: (roomId, sinceId, signal) => pollMessages(roomId, sinceId, signal),
  chattingAgents: (roomId, signal) => chattingAgents(roomId, signal),
  newestMessages: (roomId, limit, signal) => newestMessages(roomId, limit, signal),
};

export const sendApi: SendApi = {
  send: (roomId, body: SendRequest) =>
    result<Message>(`/rooms/${roomId}/messages/send`, {
      method: 'POST',
      body,
      timeoutMs: body.image_data === undefined ? undefined : IMAGE_TIMEOUT_MS,
    }),
  poll: (roomId, sinceId) => pollMessages(roomId, sinceId),
};

/** U3: one turn of that member now (Retry after an agent error). */
export function respond(roomId: number, agentId: number) {
  return result<unknown>(`/rooms/${roomId}/agents/${agentId}/respond`, { method: 'POST' });
}

/** A 401 on the stream says the session is gone; this check lets the global handler start session expiry. */
export function confirmSession(): void {
  apiRequest('/auth/verify').catch(() => {
    // The global 401 handler does the rest; anything else leaves the session as it was.
  });
}

/** The room's event stream (ui.md §3.6): `fetch` with a streaming body, the cookie, no timeout. */
export async function openEventStream(request: StreamRequest): Promise<StreamResponse> {
  const response = await fetch(request.url, { headers: request.headers, signal: request.signal, credentials: 'same-origin' });
  return { status: response.status, headers: response.headers, body: response.body };
}
