import type { HistoryEntry, ProviderCapabilities, UserPart } from '../providers/types.js';
import type { ConversationContext, ProviderId } from './config-schemas.js';
import type { PromptConfig } from './prompt-config.js';
import { renderTemplate } from './template.js';
import {
  dropDuplicates,
  resolveRows,
  selectWindow,
  type RoomAuthors,
  type WindowAgent,
  type WindowMessage,
  type WindowRow,
} from './turn-window.js';
import { renderWhiteboardHistory } from './whiteboard.js';

/**
 * The per-turn user message (behavior.md §4.3–4.8), the full-history seed (§4.9) and the stateless history of
 * `openai` (§4.10). Pure: rows, agent and configuration in; provider-neutral parts out.
 */

export const TURN_IMAGE_LIMIT = 10;
export const SEED_IMAGE_LIMIT = 5;

export interface TurnMessageOptions {
  /** The room's rows, oldest first (the seed and history use the room's latest rows, the turn those after L). */
  rows: readonly WindowRow[];
  agent: WindowAgent;
  authors: RoomAuthors;
  provider: ProviderId;
  config: Pick<PromptConfig, 'conversationContext' | 'responseInstruction'>;
  /** USER_NAME */
  userName: string;
  /** What the provider accepts as images; null or unsupported sends placeholders. */
  images?: ProviderCapabilities['images'] | null;
  /**
   * Every whiteboard-agent row of the room, oldest first (§4.6 replays the whole history). Without it a
   * whiteboard row renders as if it were the board's first message.
   */
  whiteboardRows?: readonly WindowRow[];
  /** Precomputed renderings (a WhiteboardMemo's result); they take precedence over `whiteboardRows`. */
  whiteboardRenderings?: ReadonlyMap<number, string>;
  /** A line put before the header, e.g. Codex's time line (§7.7 rule 6). */
  leadingLine?: string;
}

export interface TurnMessage {
  parts: UserPart[];
  /** Message lines rendered; 0 means the empty render (§4.8), which a guarded turn must not send. */
  rendered: number;
}

/** The per-turn message: the window (§4.2) rendered with the note, reminder and instruction. */
export function buildTurnMessage(options: TurnMessageOptions): TurnMessage {
  const context = options.config.conversationContext();
  const window = selectWindow({
    rows: options.rows,
    agent: options.agent,
    authors: options.authors,
    names: speakerNames(options.userName, context),
    maxMessages: context.max_messages,
  });
  if (window.length === 0) {
    const empty = renderTemplate(context.empty_conversation, { agent_name: options.agent.name, user_name: '' });
    const text = [options.leadingLine ?? '', empty].filter((line) => line.trim() !== '').join('\n');
    return { parts: compact([{ type: 'text', text: text.trim() }]), rendered: 0 };
  }
  return { parts: renderBlock(window, options, context, TURN_IMAGE_LIMIT, true), rendered: window.length };
}

/** Limits of the seed and history, from RECOVERY_HISTORY_LIMIT / OPENAI_HISTORY_LIMIT. */
export interface HistoryLimitOption {
  limit: number;
}

/**
 * §4.9: the room's last `limit` messages with the same rules, without the "after my last message" cut and with
 * the agent's own messages, then the normal instruction. Only the 5 newest images go as images.
 */
export function buildSeedMessage(options: TurnMessageOptions & HistoryLimitOption): TurnMessage {
  const context = options.config.conversationContext();
  const names = speakerNames(options.userName, context);
  const window = dropDuplicates(resolveRows(options.rows, options.authors, names)).slice(-options.limit);
  if (window.length === 0) return buildTurnMessage(options);
  return { parts: renderBlock(window, options, context, SEED_IMAGE_LIMIT, true), rendered: window.length };
}

/**
 * §4.10: the history before the per-turn message, from the last `limit` rows up to and including the agent's
 * newest one. The agent's own replies become `assistant` entries; each run of other messages one `user`
 * conversation block without instruction, images as placeholders. An agent that never spoke has no history:
 * its window is the per-turn message (README resolution 16).
 */
export function buildStatelessHistory(options: TurnMessageOptions & HistoryLimitOption): HistoryEntry[] {
  const { rows, agent } = options;
  let lastIndex = -1;
  rows.forEach((row, index) => {
    if (row.agentId === agent.id) lastIndex = index;
  });
  if (lastIndex === -1) return [];
  const context = options.config.conversationContext();
  const names = speakerNames(options.userName, context);
  const recent = resolveRows(rows.slice(0, lastIndex + 1).slice(-options.limit), options.authors, names);
  const history: HistoryEntry[] = [];
  let run: WindowMessage[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const parts = renderBlock(run, { ...options, images: null }, context, 0, false);
    if (parts.length > 0) history.push({ role: 'user', parts });
    run = [];
  };
  for (const message of recent) {
    if (message.row.agentId !== agent.id) {
      run.push(message);
      continue;
    }
    flush();
    const text = message.row.content.trim();
    if (text !== '') history.push({ role: 'assistant', parts: [{ type: 'text', text }] });
  }
  flush();
  return history;
}

/** §4.7 rule 2: the first character speaker, else USER_NAME when a user spoke, else empty. */
export function instructionUserName(window: readonly WindowMessage[], userName: string): string {
  const character = window.find((message) => message.kind === 'character');
  if (character !== undefined) return character.speaker;
  return window.some((message) => message.kind === 'user') ? userName : '';
}

function speakerNames(userName: string, context: ConversationContext) {
  return { userName, situationBuilderLabel: context.situation_builder.label };
}

/**
 * §4.3 rule 4 layout: header, message lines, footer, then the situation-builder note, the recall reminder and
 * the instruction, each on its own line when non-empty. Images become image parts (§4.4) for the newest
 * `imageLimit` images the provider accepts, placeholders otherwise.
 */
function renderBlock(
  window: readonly WindowMessage[],
  options: TurnMessageOptions,
  context: ConversationContext,
  imageLimit: number,
  withInstruction: boolean,
): UserPart[] {
  const sendable = sendableImages(window, options.images ?? null, imageLimit);
  const whiteboard = whiteboardContents(window, options, context);
  const parts = createPartWriter();
  if (options.leadingLine !== undefined && options.leadingLine.trim() !== '') parts.text(`${options.leadingLine}\n`);
  parts.text(`${context.header}\n`);
  for (const message of window) {
    const { row } = message;
    const content = whiteboard.get(row.id) ?? row.content;
    parts.text(`${message.speaker}: `);
    if (row.imageData) {
      if (sendable.has(row.id)) {
        parts.image({ type: 'image', mediaType: row.imageMediaType ?? '', base64: row.imageData });
      } else {
        parts.text(content === '' ? context.image_placeholder : `${context.image_placeholder} `);
      }
    }
    parts.text(`${content}\n`);
  }
  parts.text(context.footer);
  if (withInstruction) {
    const vars = { agent_name: options.agent.name, user_name: instructionUserName(window, options.userName) };
    const hasSituationBuilder = window.some((message) => message.kind === 'situation_builder');
    const tail = [
      context.situation_builder.enabled && hasSituationBuilder ? context.situation_builder.note : '',
      context.recall_reminder,
      renderTemplate(options.config.responseInstruction(options.provider), vars),
    ];
    for (const line of tail) if (line.trim() !== '') parts.text(`\n${line}`);
  }
  return parts.finish();
}

/** Ids of the rows whose image goes as an image: accepted media type, newest `limit` of the window. */
function sendableImages(
  window: readonly WindowMessage[],
  images: ProviderCapabilities['images'] | null,
  limit: number,
): Set<number> {
  const ids = new Set<number>();
  if (images === null || !images.supported || limit <= 0) return ids;
  for (let i = window.length - 1; i >= 0 && ids.size < limit; i -= 1) {
    const row = window[i]?.row;
    if (row?.imageData && row.imageMediaType !== null && images.mediaTypes.includes(row.imageMediaType)) {
      ids.add(row.id);
    }
  }
  return ids;
}

function whiteboardContents(
  window: readonly WindowMessage[],
  options: TurnMessageOptions,
  context: ConversationContext,
): ReadonlyMap<number, string> {
  if (options.whiteboardRenderings !== undefined) return options.whiteboardRenderings;
  const isBoard = (row: WindowRow): boolean => row.agentId !== null && options.authors.whiteboards.has(row.agentId);
  if (!window.some((message) => isBoard(message.row))) return new Map();
  const history = options.whiteboardRows ?? window.map((message) => message.row);
  return renderWhiteboardHistory(history.filter(isBoard), context.whiteboard);
}

/** Collects text and image parts, merging adjacent text; the final text is trimmed and empty parts dropped. */
function createPartWriter() {
  const parts: UserPart[] = [];
  let buffer = '';
  return {
    text(text: string): void {
      buffer += text;
    },
    image(part: UserPart): void {
      parts.push({ type: 'text', text: buffer }, part);
      buffer = '';
    },
    finish(): UserPart[] {
      parts.push({ type: 'text', text: buffer });
      const first = parts[0];
      if (first?.type === 'text') parts[0] = { type: 'text', text: first.text.trimStart() };
      const lastIndex = parts.length - 1;
      const last = parts[lastIndex];
      if (last?.type === 'text') parts[lastIndex] = { type: 'text', text: last.text.trimEnd() };
      return compact(parts);
    },
  };
}

function compact(parts: readonly UserPart[]): UserPart[] {
  return parts.filter((part) => part.type !== 'text' || part.text !== '');
}
