import { appendFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from './agent-paths.js';
import { AGENT_TEXT_FILES } from './agent-files.js';
import { withFolderLock, type FolderLockOptions } from './file-lock.js';

export const RECENT_EVENTS_HEADER = '# Recent events\n';

/**
 * The memorize append (behavior.md §2.9): one `- [YYYY-MM-DD HH:mm] <entry>\n` line in the chat time zone,
 * appended in append mode under the folder lock, never truncating what is there. Returns the line written.
 */
export async function appendRecentEvent({
  dir,
  entry,
  timeZone,
  now = () => new Date(),
  lock,
}: {
  dir: string;
  entry: string;
  timeZone: string;
  now?: () => Date;
  lock?: FolderLockOptions;
}): Promise<string> {
  const text = flattenEntry(entry);
  if (text === '') throw new Error('memory entry is empty');
  const line = `- [${formatEntryTime(now(), timeZone)}] ${text}\n`;
  const path = join(dir, AGENT_TEXT_FILES.recentEvents);
  await withFolderLock(
    dir,
    async () => {
      const tail = await lastByte(path);
      const prefix = tail === null ? RECENT_EVENTS_HEADER : tail === '\n' ? '' : '\n';
      await appendFile(path, prefix + line, { encoding: 'utf8', flag: 'a' });
    },
    lock,
  );
  return line;
}

/** Trimmed, with every run of newlines/tabs as one space, so one memory is always one line. */
export function flattenEntry(entry: string): string {
  return entry.trim().replace(/[\r\n\t]+/g, ' ');
}

/** `YYYY-MM-DD HH:mm` of `date` in the IANA `timeZone`. */
export function formatEntryTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The file's last byte as a character, or null when the file is missing or empty. */
async function lastByte(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer.toString('latin1');
  } finally {
    await handle.close();
  }
}
