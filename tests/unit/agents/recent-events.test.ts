import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendRecentEvent,
  flattenEntry,
  formatEntryTime,
  RECENT_EVENTS_HEADER,
} from '../../../src/server/agents/recent-events.js';
import { LOCK_DIR_NAME } from '../../../src/server/agents/file-lock.js';
import { runLockWorker } from './fixtures/run-worker.js';
import { useTempDir } from './support.js';

const tmp = useTempDir();
// 2025-03-09 14:05 UTC = 23:05 in Seoul (UTC+9, no DST).
const clock = () => new Date(Date.UTC(2025, 2, 9, 14, 5, 42));
const file = () => join(tmp(), 'recent_events.md');

describe('formatEntryTime', () => {
  it('formats YYYY-MM-DD HH:mm in the given time zone with a 24-hour clock', () => {
    expect(formatEntryTime(clock(), 'Asia/Seoul')).toBe('2025-03-09 23:05');
    expect(formatEntryTime(clock(), 'UTC')).toBe('2025-03-09 14:05');
    expect(formatEntryTime(new Date(Date.UTC(2025, 0, 1, 0, 7)), 'UTC')).toBe('2025-01-01 00:07');
    expect(formatEntryTime(clock(), 'America/New_York')).toBe('2025-03-09 10:05');
  });

  it('rolls the date over in the time zone, not in UTC', () => {
    expect(formatEntryTime(new Date(Date.UTC(2024, 11, 31, 15, 30)), 'Asia/Seoul')).toBe('2025-01-01 00:30');
  });
});

describe('flattenEntry', () => {
  it('trims and turns each run of newlines and tabs into one space', () => {
    expect(flattenEntry('  Lost the lantern\n\n\t- regret \r\n')).toBe('Lost the lantern - regret');
  });
});

describe('appendRecentEvent', () => {
  it('creates a missing file with the header and the entry line', async () => {
    const line = await appendRecentEvent({ dir: tmp(), entry: 'Lost the lantern - regret', timeZone: 'Asia/Seoul', now: clock });
    expect(line).toBe('- [2025-03-09 23:05] Lost the lantern - regret\n');
    expect(await readFile(file(), 'utf8')).toBe(`${RECENT_EVENTS_HEADER}${line}`);
  });

  it('writes the header into an existing empty file', async () => {
    await writeFile(file(), '');
    await appendRecentEvent({ dir: tmp(), entry: 'x', timeZone: 'UTC', now: clock });
    expect(await readFile(file(), 'utf8')).toBe('# Recent events\n- [2025-03-09 14:05] x\n');
  });

  it('appends after a file that ends with a newline', async () => {
    await writeFile(file(), 'Hand-written notes\n');
    await appendRecentEvent({ dir: tmp(), entry: 'x', timeZone: 'UTC', now: clock });
    expect(await readFile(file(), 'utf8')).toBe('Hand-written notes\n- [2025-03-09 14:05] x\n');
  });

  it('adds the missing newline before appending to a file without one', async () => {
    await writeFile(file(), '# Recent events\n- [2025-01-01 00:00] old');
    await appendRecentEvent({ dir: tmp(), entry: 'new', timeZone: 'UTC', now: clock });
    expect(await readFile(file(), 'utf8')).toBe('# Recent events\n- [2025-01-01 00:00] old\n- [2025-03-09 14:05] new\n');
  });

  it('flattens a multi-line entry into one line', async () => {
    const line = await appendRecentEvent({ dir: tmp(), entry: 'one\ntwo\tthree', timeZone: 'UTC', now: clock });
    expect(line).toBe('- [2025-03-09 14:05] one two three\n');
  });

  it('refuses an empty entry without touching the file', async () => {
    await expect(appendRecentEvent({ dir: tmp(), entry: ' \n\t ', timeZone: 'UTC', now: clock })).rejects.toThrow(/empty/);
    await expect(readFile(file(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps every entry when many appends run at once and leaves no lock', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => appendRecentEvent({ dir: tmp(), entry: `entry ${i}`, timeZone: 'UTC', now: clock, lock: { retryMs: 2 } })),
    );
    const lines = (await readFile(file(), 'utf8')).split('\n');
    expect(lines[0]).toBe('# Recent events');
    expect(lines.filter((l) => l.startsWith('- ')).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `- [2025-03-09 14:05] entry ${i}`).sort(),
    );
    await expect(readFile(join(tmp(), LOCK_DIR_NAME))).rejects.toBeDefined();
  });

  it('keeps 50 intact entries when this process and another process memorize at the same time', async () => {
    const inProcess = Array.from({ length: 25 }, (_, i) =>
      appendRecentEvent({ dir: tmp(), entry: `server ${i}`, timeZone: 'UTC', now: clock }),
    );
    await Promise.all([...inProcess, runLockWorker(['memorize', tmp(), 'tool', '25'])]);
    const lines = (await readFile(file(), 'utf8')).split('\n');
    expect(lines[0]).toBe('# Recent events');
    expect(lines.at(-1)).toBe('');
    const entries = lines.slice(1, -1);
    expect(entries).toHaveLength(50);
    for (const line of entries) expect(line).toMatch(/^- \[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] (server \d+|worker tool line \d+)$/);
    expect(new Set(entries.map((l) => l.replace(/^- \[[^\]]+\] /, ''))).size).toBe(50);
  });

  it('never truncates: existing content is kept byte for byte', async () => {
    const original = '# Recent events\n- [2020-01-01 00:00] ✨ keep me\n';
    await writeFile(file(), original);
    await appendRecentEvent({ dir: tmp(), entry: 'x', timeZone: 'UTC', now: clock });
    expect((await readFile(file(), 'utf8')).startsWith(original)).toBe(true);
  });
});
