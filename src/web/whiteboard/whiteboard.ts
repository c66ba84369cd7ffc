/**
 * Whiteboard diffs (ui.md §4.10, behavior.md §4.6), pure. The whiteboard agent writes diffs against one shared
 * board; the UI replays them over the loaded history so each diff message can show the board after it, with the
 * lines it added or changed highlighted and the ones it removed listed. The rules are the engine's, so the board
 * the user sees is the board the agents see.
 */

/** `[whiteboard diff]` (Latin part case-insensitive) or `[화이트보드 diff]`, alone on its line. */
const MARKER = /^\[(?:whiteboard|화이트보드) diff\]$/i;
const FENCE = '```';
const ARROW = ' \u2192 ';

export type WhiteboardOp =
  | { kind: 'add'; text: string }
  | { kind: 'remove'; text: string }
  | { kind: 'replace'; from: string; to: string }
  | { kind: 'clear' };

export interface ParsedDiff {
  ops: WhiteboardOp[];
  /** The diff's own lines, as written (for **Show diff**), blank lines dropped. */
  raw: string[];
}

export function hasWhiteboardMarker(content: string): boolean {
  return content.split(/\r\n|\r|\n/).some((line) => MARKER.test(line.trim()));
}

/** The operations of a diff message, or null when it has no marker line (it then renders as a normal reply). */
export function parseWhiteboardDiff(content: string): ParsedDiff | null {
  const lines = content.split(/\r\n|\r|\n/);
  const start = lines.findIndex((line) => MARKER.test(line.trim()));
  if (start === -1) return null;
  const ops: WhiteboardOp[] = [];
  const raw: string[] = [];
  for (const full of lines.slice(start + 1)) {
    const line = full.trim();
    if (line === FENCE) break;
    if (line !== '') raw.push(line);
    if (line === 'CLEAR') {
      ops.push({ kind: 'clear' });
      continue;
    }
    const match = /^([+\-~])\s+(.+)$/.exec(line);
    if (match === null) continue;
    const [, sign, text = ''] = match;
    if (sign === '+') ops.push({ kind: 'add', text });
    else if (sign === '-') ops.push({ kind: 'remove', text });
    else {
      const split = text.indexOf(ARROW);
      if (split === -1) continue;
      const to = text.slice(split + ARROW.length).trim();
      if (to !== '') ops.push({ kind: 'replace', from: text.slice(0, split), to });
    }
  }
  return { ops, raw };
}

/** Lines compare after trimming and collapsing runs of whitespace. */
export function sameLine(a: string, b: string): boolean {
  return loose(a) === loose(b);
}

function loose(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export type LineStatus = 'kept' | 'added' | 'changed';

export interface BoardLine {
  text: string;
  status: LineStatus;
  /** For a changed line: what it said before this diff. */
  was?: string;
}

export interface BoardChange {
  /** The board after the diff, each line marked with what this diff did to it. */
  lines: BoardLine[];
  /** Lines that were on the board before this diff and are gone after it, in board order. */
  removed: string[];
  /** The diff had a CLEAR. */
  cleared: boolean;
}

/**
 * Applies one diff to a board and reports the line diff behind the highlights: `+` adds (added), `-` removes the
 * first matching line, `~ old → new` replaces the first matching line (changed, unless this diff added it),
 * `CLEAR` empties the board; an operation that matches nothing is ignored.
 */
export function applyWithChanges(board: readonly string[], ops: readonly WhiteboardOp[]): BoardChange {
  interface Entry extends BoardLine {
    /** Was on the board before this diff: removing it lists it under "Removed". */
    original: string | null;
  }
  let entries: Entry[] = board.map((text) => ({ text, status: 'kept', original: text }));
  const removed: string[] = [];
  let cleared = false;
  const indexOf = (text: string) => entries.findIndex((entry) => sameLine(entry.text, text));

  for (const op of ops) {
    if (op.kind === 'clear') {
      for (const entry of entries) if (entry.original !== null) removed.push(entry.original);
      entries = [];
      cleared = true;
    } else if (op.kind === 'add') {
      entries.push({ text: op.text, status: 'added', original: null });
    } else if (op.kind === 'remove') {
      const at = indexOf(op.text);
      if (at === -1) continue;
      const [gone] = entries.splice(at, 1);
      if (gone?.original != null) removed.push(gone.original);
    } else {
      const at = indexOf(op.from);
      const entry = entries[at];
      if (entry === undefined) continue;
      entries[at] =
        entry.status === 'added'
          ? { ...entry, text: op.to }
          : { text: op.to, status: 'changed', was: entry.original ?? entry.text, original: entry.original };
    }
  }
  const lines = entries.map(({ original: _original, ...line }) =>
    line.status === 'changed' && line.was !== undefined && sameLine(line.was, line.text) ? { text: line.text, status: 'kept' as const } : line,
  );
  return { lines, removed, cleared };
}

/** ui.md §4.10 `applyWhiteboardDiff(lines, text)`: the board after one diff message (unchanged without a marker). */
export function applyWhiteboardDiff(lines: readonly string[], text: string): string[] {
  const diff = parseWhiteboardDiff(text);
  if (diff === null) return [...lines];
  return applyWithChanges(lines, diff.ops).lines.map((line) => line.text);
}

export interface BoardMessage {
  id: number;
  agent_id: number | null;
  content: string;
}

export interface BoardState extends BoardChange {
  messageId: number;
  diff: ParsedDiff;
}

export interface BoardStates {
  /** Diff message id → the board after it. */
  byMessage: ReadonlyMap<number, BoardState>;
  /** The board after the newest diff (empty when none). */
  current: readonly string[];
  /** Authors that wrote a diff: the room's whiteboard agents. */
  whiteboardAgents: ReadonlySet<number>;
  /** The newest diff message id, or null. */
  latestId: number | null;
}

/**
 * The board after each diff message, replayed over `messages` in id order. A diff is an agent message with a
 * marker line; its author is a whiteboard agent. Messages without a marker never touch the board.
 */
export function boardStates(messages: readonly BoardMessage[]): BoardStates {
  const byMessage = new Map<number, BoardState>();
  const whiteboardAgents = new Set<number>();
  let board: string[] = [];
  let latestId: number | null = null;
  const ordered = [...messages].sort((a, b) => a.id - b.id);
  for (const message of ordered) {
    if (message.agent_id === null) continue;
    const diff = parseWhiteboardDiff(message.content);
    if (diff === null) continue;
    whiteboardAgents.add(message.agent_id);
    const change = applyWithChanges(board, diff.ops);
    board = change.lines.map((line) => line.text);
    byMessage.set(message.id, { ...change, messageId: message.id, diff });
    latestId = message.id;
  }
  return { byMessage, current: board, whiteboardAgents, latestId };
}

/**
 * The loaded history does not reach the start of the room, so the board may be missing earlier diffs (ui.md
 * §4.10 "Partial history"). Only worth saying when there is a board to show.
 */
export function isPartialHistory(history: { hasMoreBefore: boolean }, states: Pick<BoardStates, 'latestId'>): boolean {
  return history.hasMoreBefore && states.latestId !== null;
}

/** The board as text, for **Copy** and **Copy board**. */
export function boardText(lines: readonly string[]): string {
  return lines.join('\n');
}
