/**
 * Whiteboard rendering (behavior.md §4.6). The whiteboard agent writes diffs; every turn shows the board as it
 * stood after each of its messages, so the state is replayed over the whole room history. Pure: messages in,
 * rendered strings out; the engine memoises the result per (room, newest whiteboard message id).
 */

export interface WhiteboardTexts {
  header: string;
  empty: string;
}

export interface WhiteboardMessage {
  id: number;
  content: string;
}

// `[whiteboard diff]` or `[화이트보드 diff]`; only the Latin part is case-insensitive.
const MARKER = /^\[(?:whiteboard|화이트보드) diff\]$/i;
const FENCE = '```';
const ARROW = ' \u2192 ';

/** The diff lines of a message, or null when it has no marker (it then renders its raw content). */
export function parseWhiteboardDiff(content: string): string[] | null {
  const lines = content.split(/\r\n|\r|\n/);
  const start = lines.findIndex((line) => MARKER.test(line.trim()));
  if (start === -1) return null;
  const diff: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === FENCE) break;
    diff.push(line);
  }
  return diff;
}

/** Applies one diff to a board (a new array is returned; the input is not changed). */
export function applyWhiteboardDiff(board: readonly string[], diff: readonly string[]): string[] {
  const next = [...board];
  const indexOf = (text: string): number => next.findIndex((line) => loose(line) === loose(text));
  for (const raw of diff) {
    const line = raw.trim();
    if (line === 'CLEAR') {
      next.length = 0;
      continue;
    }
    const op = /^([+\-~])\s+(.+)$/.exec(line);
    if (op === null) continue;
    const [, kind, text = ''] = op;
    if (kind === '+') {
      next.push(text);
    } else if (kind === '-') {
      const at = indexOf(text);
      if (at !== -1) next.splice(at, 1);
    } else {
      const split = text.indexOf(ARROW);
      if (split === -1) continue;
      const at = indexOf(text.slice(0, split));
      const replacement = text.slice(split + ARROW.length).trim();
      if (at !== -1 && replacement !== '') next[at] = replacement;
    }
  }
  return next;
}

/**
 * Message id → rendered content for every whiteboard-agent message of the history (pass them all, oldest
 * first). A message with a marker shows the header and the board after it; one without shows its raw content.
 */
export function renderWhiteboardHistory(
  messages: readonly WhiteboardMessage[],
  texts: WhiteboardTexts,
): Map<number, string> {
  const rendered = new Map<number, string>();
  let board: string[] = [];
  for (const message of messages) {
    const diff = parseWhiteboardDiff(message.content);
    if (diff === null) {
      rendered.set(message.id, message.content);
      continue;
    }
    board = applyWhiteboardDiff(board, diff);
    rendered.set(message.id, `${texts.header}\n${board.length === 0 ? texts.empty : board.join('\n')}`);
  }
  return rendered;
}

function loose(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export interface WhiteboardMemoOptions {
  /** Rooms kept; the least recently used room is dropped beyond it, so memory stays bounded. */
  maxRooms?: number;
}

/**
 * The whiteboard memo of §4.6 rule 4 / §9.1: one rendering per room, valid while the room's newest
 * whiteboard message id and the texts are unchanged. Room clear and message delete call `invalidateRoom`
 * (a deleted message can leave the newest id as it was, so the key alone cannot notice).
 */
export function createWhiteboardMemo({ maxRooms = 500 }: WhiteboardMemoOptions = {}) {
  const rooms = new Map<number, { key: string; rendered: Map<number, string> }>();
  return {
    render(roomId: number, messages: readonly WhiteboardMessage[], texts: WhiteboardTexts): Map<number, string> {
      const key = `${messages.at(-1)?.id ?? 0}\u0000${texts.header}\u0000${texts.empty}`;
      const cached = rooms.get(roomId);
      rooms.delete(roomId);
      if (cached?.key === key) {
        rooms.set(roomId, cached);
        return cached.rendered;
      }
      const rendered = renderWhiteboardHistory(messages, texts);
      rooms.set(roomId, { key, rendered });
      if (rooms.size > maxRooms) {
        const oldest = rooms.keys().next();
        if (oldest.done !== true) rooms.delete(oldest.value);
      }
      return rendered;
    },
    invalidateRoom(roomId: number): void {
      rooms.delete(roomId);
    },
  };
}

export type WhiteboardMemo = ReturnType<typeof createWhiteboardMemo>;
