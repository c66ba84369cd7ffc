import type { Message } from '../../shared/models.js';
import type { TimelineRow } from '../timeline/timeline-selectors.js';

/**
 * The transcript's display items (ui.md §4.4.2): timeline rows with their day separator, the unread divider,
 * grouping of consecutive messages, and consecutive passed turns merged into one line. Pure, so the list only maps
 * items to rows.
 */

export type MessageTimelineRow = Extract<TimelineRow, { kind: 'message' }>;

export type TranscriptItem =
  | {
      kind: 'row';
      key: string;
      row: TimelineRow;
      /** The first of its group: the avatar, name and time show. */
      groupStart: boolean;
      /** A new day starts here: its local date (`YYYY-MM-DD`). */
      day: string | null;
      /** The "New messages" divider sits above this item. */
      unread: boolean;
    }
  | { kind: 'passed'; key: string; rows: readonly MessageTimelineRow[]; day: string | null; unread: boolean };

/** Messages from the same sender within this long of each other, on the same day, form one group. */
export const GROUP_WITHIN_MS = 5 * 60_000;

export function localDay(iso: string): string {
  const date = new Date(iso);
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

export function isNoticeMessage(message: Message): boolean {
  return message.participant_type === 'system';
}

/** Who a message is from, for grouping; null for messages that never group (notices, passed turns). */
function senderOf(message: Message): string | null {
  if (isNoticeMessage(message) || message.is_skip) return null;
  if (message.role === 'user') return `user:${message.participant_type ?? 'user'}:${message.participant_name ?? ''}`;
  return `agent:${message.agent_id ?? message.agent_name ?? ''}`;
}

/**
 * The divider goes above the first message after the room's last read time that you did not send (ui.md §3.8).
 * Computed once when the room opens; it stays until you leave.
 */
export function unreadDividerId(messages: readonly Message[], lastReadAt: string | null): number | null {
  if (lastReadAt === null) return null;
  const readUntil = Date.parse(lastReadAt);
  if (Number.isNaN(readUntil)) return null;
  const first = messages.find((message) => message.role !== 'user' && !message.is_skip && Date.parse(message.timestamp) > readUntil);
  return first?.id ?? null;
}

export interface BuildOptions {
  dividerId: number | null;
  /** `showPassed` (ui.md §2.3); hidden passed lines are left out. */
  showPassed: boolean;
}

export function buildTranscriptItems(rows: readonly TimelineRow[], { dividerId, showPassed }: BuildOptions): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  let lastDay: string | null = null;
  let lastSender: string | null = null;
  let lastTime = 0;
  for (const row of rows) {
    if (row.kind !== 'message') {
      items.push({ kind: 'row', key: row.key, row, groupStart: true, day: null, unread: false });
      lastSender = null;
      continue;
    }
    const { message } = row;
    const day = localDay(message.timestamp);
    const newDay = day !== lastDay;
    const unread = message.id === dividerId;
    lastDay = day;
    if (message.is_skip) {
      lastSender = null;
      if (!showPassed) continue;
      const previous = items[items.length - 1];
      if (previous?.kind === 'passed' && !newDay && !unread) {
        items[items.length - 1] = { ...previous, rows: [...previous.rows, row] };
        continue;
      }
      items.push({ kind: 'passed', key: row.key, rows: [row], day: newDay ? day : null, unread });
      continue;
    }
    const sender = senderOf(message);
    const time = Date.parse(message.timestamp);
    const grouped = sender !== null && sender === lastSender && !newDay && !unread && time - lastTime <= GROUP_WITHIN_MS;
    items.push({ kind: 'row', key: row.key, row, groupStart: !grouped, day: newDay ? day : null, unread });
    lastSender = sender;
    lastTime = time;
  }
  return items;
}
