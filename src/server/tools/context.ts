import type { Logger } from 'pino';
import type { AgentConfig } from '../agents/effective-config.js';
import type { FolderLockOptions } from '../agents/file-lock.js';
import type { ProviderId, ToolCatalog } from '../prompts/config-schemas.js';
import type { PromptConfig } from '../prompts/prompt-config.js';
import type { TurnTool } from '../providers/types.js';

/**
 * Everything a tool needs for one turn (behavior.md §8.1 rule 1, style.md rule 19). The engine builds one per
 * turn; handlers close over it and never reach for global state.
 */
export interface ToolTurnContext {
  agent: Pick<AgentConfig, 'name' | 'dir' | 'group' | 'memory' | 'hasBoundary' | 'groupTools'>;
  provider: ProviderId;
  /** The prompt configuration: merged tool catalog (§3.3), guidelines text and mode. */
  config: Pick<PromptConfig, 'tools' | 'guidelines' | 'guidelinesMode'>;
  clock: () => Date;
  /** CHAT_TIMEZONE, for memorize timestamps (§9.3). */
  timeZone: string;
  log: Logger;
  /** The turn called skip; the engine also sees the provider's `tool_call`, this is the in-process record. */
  onSkip?: () => void;
  /** check_boundary was called with this situation; it goes into the message's `anthropic_calls`. */
  onBoundaryCheck?: (situation: string) => void;
  /** memorize appended this line; the engine invalidates the agent's configuration cache (§2.9 rule 4). */
  onMemorized?: (line: string) => void;
  /** Folder-lock timing, for tests. */
  lock?: FolderLockOptions;
}

export type ToolResult = Awaited<ReturnType<TurnTool['handle']>>;

/** The catalog entry a tool is built from, already merged for (provider, group). */
export type ToolEntry<K extends keyof ToolCatalog> = ToolCatalog[K];

export function ok(text: string): ToolResult {
  return { ok: true, text };
}

export function fail(text: string): ToolResult {
  return { ok: false, text };
}
