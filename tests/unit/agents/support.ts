import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { waitFor as waitForValue, type WaitForOptions } from '../../helpers/wait-for.js';

export const silentLog: Logger = pino({ level: 'silent' });

/** A fresh real temp folder per test, removed afterwards. */
export function useTempDir(prefix = 'chitchats-agents-'): () => string {
  let dir: string | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
    dir = null;
  });
  return () => {
    if (dir === null) throw new Error('temp dir used outside a test');
    return dir;
  };
}

/** Writes `relative path → content` under `root`, creating folders; a trailing '/' makes an empty folder. */
export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) {
      await mkdir(join(root, path), { recursive: true });
      continue;
    }
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines are kept for assertions. */
export function captureLog(): { log: Logger; lines: LogLine[]; warnings: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'debug' },
    {
      write(chunk: string) {
        const line: LogLine = JSON.parse(chunk);
        lines.push(line);
      },
    },
  );
  return { log, lines, warnings: () => lines.filter((line) => line.level === 40) };
}

/** Polls `check` until it returns a value other than undefined/false, and returns that value (helpers/wait-for). */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitForOptions = {}): Promise<T> {
  return (await waitForValue(check, { intervalMs: 10, ...options })).value;
}
