import type { ProviderId } from '../../shared/providers.js';

/**
 * The provider seam (behavior.md §7.1). Adapters for Claude, Codex and OpenAI-compatible servers implement it;
 * they never touch the database or HTTP, and turn every upstream failure into one `error` event.
 */

export interface ProviderCapabilities {
  streaming: boolean;
  thinking: boolean;
  images: { supported: boolean; mediaTypes: readonly string[] };
  statefulSessions: boolean;
  interrupt: boolean;
  tools: boolean;
}

export interface ProviderAvailability {
  available: boolean;
  reason?: string;
  authMode?: 'api_key' | 'local_login';
  version?: string;
  defaultModel?: string | null;
  models?: string[];
}

export const PROVIDER_ERROR_CODES = [
  'auth',
  'rate_limited',
  'overloaded',
  'network',
  'timeout',
  'session_not_found',
  'invalid_request',
  'process_exit',
  'unavailable',
  'internal',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/** A tool bound to one turn: fixed input schema (JSON Schema), handler closed over the turn context. */
export interface TurnTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  handle(input: unknown): Promise<{ ok: boolean; text: string }>;
}

export type UserPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; base64: string };

export interface HistoryEntry {
  role: 'user' | 'assistant';
  parts: UserPart[];
}

export interface TurnRequest {
  turnId: string;
  roomId: number;
  agentId: number;
  agentName: string;
  systemPrompt: string;
  userParts: UserPart[];
  tools: TurnTool[];
  /** Stored provider session to resume, when the provider keeps sessions. */
  sessionId: string | null;
  model: string | null;
  thinkingBudget: number;
  signal: AbortSignal;
  /** Stateless providers only: the prebuilt history (behavior.md §4.10). */
  history?: HistoryEntry[];
}

export type ProviderEvent =
  | { type: 'session'; sessionId: string; model: string | null }
  | { type: 'thinking_delta'; text: string }
  | { type: 'text_delta'; text: string; blockIndex: number }
  | { type: 'tool_call'; callId: string; tool: string; input: unknown }
  | { type: 'tool_result'; callId: string; ok: boolean }
  | { type: 'usage'; inputTokens: number; outputTokens: number; cachedTokens: number }
  /**
   * `stopReason` is the upstream finish reason, or `interrupted` when `interrupt()` or the request's signal ended
   * the turn (cancellation is not an error, behavior.md §5.16 rule 5); `text`/`thinking` then hold the partial.
   */
  | { type: 'final'; text: string; thinking: string; sessionId: string | null; stopReason: string | null }
  /** `message` is short and never contains credentials; adapters enforcing deadlines report them as `timeout`. */
  | { type: 'error'; code: ProviderErrorCode; message: string; transient: boolean };

export interface TurnHandle {
  /** Ends with exactly one terminal event (`final` or `error`). */
  events: AsyncIterable<ProviderEvent>;
  /** Stops the turn within 3 s, escalating to killing a child process. */
  interrupt(): Promise<void>;
}

export interface Provider {
  id: ProviderId;
  capabilities: ProviderCapabilities;
  checkAvailability(): Promise<ProviderAvailability>;
  startTurn(request: TurnRequest): TurnHandle;
  disposeSession(roomId: number, agentId: number): Promise<void>;
  disposeRoom(roomId: number): Promise<void>;
  shutdown(): Promise<void>;
}

export type ProviderRegistry = Record<ProviderId, Provider>;
