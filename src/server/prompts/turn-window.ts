import type { MessageWithAuthor } from '../db/messages.js';

/**
 * Which messages a turn sees (behavior.md §4.2) and who said them (§4.3 rule 1). Pure functions over plain
 * rows; the engine reads the rows from the database (never a cache, §9.1) and passes them in, oldest first.
 */

export type WindowRow = Pick<
  MessageWithAuthor,
  | 'id'
  | 'agentId'
  | 'content'
  | 'role'
  | 'participantType'
  | 'participantName'
  | 'imageData'
  | 'imageMediaType'
  | 'isSkip'
  | 'timestamp'
  | 'agentName'
>;

/** The agent whose turn it is. */
export interface WindowAgent {
  id: number;
  name: string;
  /** When it joined the room (room_agents.joined_at); null for rows that predate the column. */
  joinedAt: Date | null;
}

/** Agent ids of the room's critics and whiteboard agents (from their effective flags). */
export interface RoomAuthors {
  critics: ReadonlySet<number>;
  whiteboards: ReadonlySet<number>;
}

export interface SpeakerNames {
  /** USER_NAME */
  userName: string;
  /** conversation_context.yaml `situation_builder.label` */
  situationBuilderLabel: string;
}

export type SpeakerKind = 'user' | 'character' | 'situation_builder' | 'agent' | 'unknown';

export interface WindowMessage {
  row: WindowRow;
  speaker: string;
  kind: SpeakerKind;
}

export const MAX_WINDOW_CANDIDATES = 200;
export const DEFAULT_MAX_MESSAGES = 25;
const LEGACY_ERROR_PREFIX = 'Error generating response:';

/**
 * §4.2 rules 1–2: the rows after the agent's newest message; when it never wrote, the rows since it joined (all
 * rows when `joinedAt` is null). Only the newest 200 candidates are kept.
 */
export function windowCandidates(rows: readonly WindowRow[], agent: WindowAgent): WindowRow[] {
  let last: number | null = null;
  for (const row of rows) if (row.agentId === agent.id && (last === null || row.id > last)) last = row.id;
  const joinedAt = agent.joinedAt?.getTime() ?? null;
  const candidates = rows.filter((row) =>
    last !== null ? row.id > last : joinedAt === null || row.timestamp.getTime() >= joinedAt,
  );
  return candidates.slice(-MAX_WINDOW_CANDIDATES);
}

/**
 * §4.2 rule 3 (README resolution 4 for critics): rows no agent ever sees — skip markers, system notices, critic
 * output and imported legacy rows holding a provider error text.
 */
export function isExcludedRow(row: WindowRow, authors: RoomAuthors): boolean {
  if (row.isSkip || row.participantType === 'system') return true;
  if (row.agentId !== null && authors.critics.has(row.agentId)) return true;
  return row.role === 'assistant' && row.content.startsWith(LEGACY_ERROR_PREFIX);
}

/** §4.3 rule 1. */
export function resolveSpeaker(row: WindowRow, names: SpeakerNames): { speaker: string; kind: SpeakerKind } {
  const participant = row.participantName?.trim() ?? '';
  if (row.participantType === 'character') return { speaker: participant || names.userName, kind: 'character' };
  if (row.participantType === 'situation_builder') {
    return { speaker: names.situationBuilderLabel, kind: 'situation_builder' };
  }
  if (row.role === 'user') return { speaker: participant || names.userName, kind: 'user' };
  if (row.agentId !== null && row.agentName !== null) return { speaker: row.agentName, kind: 'agent' };
  // A deleted agent's rows keep the name it had in participant_name.
  if (participant !== '') return { speaker: participant, kind: 'agent' };
  return { speaker: 'Unknown', kind: 'unknown' };
}

/** Resolves speakers of the rows that are not excluded, keeping order. */
export function resolveRows(rows: readonly WindowRow[], authors: RoomAuthors, names: SpeakerNames): WindowMessage[] {
  return rows.filter((row) => !isExcludedRow(row, authors)).map((row) => ({ row, ...resolveSpeaker(row, names) }));
}

/** §4.2 rule 4: an exact repeat (same speaker, same content, no image) keeps only its first occurrence. */
export function dropDuplicates(messages: readonly WindowMessage[]): WindowMessage[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    if (message.row.imageData) return true;
    const key = `${message.speaker}\u0000${message.row.content}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface SelectWindowOptions {
  /** The room's rows, oldest first; at least every row after the agent's newest one. */
  rows: readonly WindowRow[];
  agent: WindowAgent;
  authors: RoomAuthors;
  names: SpeakerNames;
  /** conversation_context.yaml `max_messages` */
  maxMessages?: number;
}

/** The window of one turn (§4.2): the last `max_messages` messages to render, oldest first. */
export function selectWindow(options: SelectWindowOptions): WindowMessage[] {
  const { rows, agent, authors, names, maxMessages = DEFAULT_MAX_MESSAGES } = options;
  const candidates = windowCandidates(rows, agent).filter((row) => row.agentId !== agent.id);
  return dropDuplicates(resolveRows(candidates, authors, names)).slice(-maxMessages);
}
