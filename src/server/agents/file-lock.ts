import { mkdir, rmdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorCode } from './agent-paths.js';

export const LOCK_DIR_NAME = '.lock';

export class FolderLockTimeoutError extends Error {
  override readonly name = 'FolderLockTimeoutError';
  constructor(
    readonly dir: string,
    readonly waitedMs: number,
  ) {
    super(`Timed out after ${waitedMs} ms waiting for the lock on ${dir}`);
  }
}

export interface FolderLockOptions {
  signal?: AbortSignal;
  retryMs?: number;
  timeoutMs?: number;
  staleMs?: number;
  now?: () => number;
  log?: Logger;
}

/**
 * Runs `fn` while holding the agent folder's cross-process lock (behavior.md §2.9 rule 3): a `.lock` directory
 * created with mkdir, which is atomic across processes (the server and the Codex tool process both write
 * agent files). Retried every 50 ms for up to 5 s; a lock older than 10 s belongs to a crashed writer and is
 * broken. While `fn` runs the lock's mtime is refreshed so a slow but live holder never looks stale.
 */
export async function withFolderLock<T>(
  dir: string,
  fn: () => Promise<T>,
  { signal, retryMs = 50, timeoutMs = 5000, staleMs = 10_000, now = Date.now, log }: FolderLockOptions = {},
): Promise<T> {
  const lockPath = join(dir, LOCK_DIR_NAME);
  await acquire({ dir, lockPath, signal, retryMs, timeoutMs, staleMs, now });
  const heartbeat = setInterval(() => {
    const touchedAt = new Date();
    // Best effort: if the refresh fails the lock merely ages normally; the holder still releases it below.
    utimes(lockPath, touchedAt, touchedAt).catch((err: unknown) => {
      log?.debug({ err, lock: lockPath }, 'could not refresh folder lock');
    });
  }, Math.max(1, Math.floor(staleMs / 3)));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await release(lockPath);
  }
}

async function acquire({
  dir,
  lockPath,
  signal,
  retryMs,
  timeoutMs,
  staleMs,
  now,
}: {
  dir: string;
  lockPath: string;
  signal: AbortSignal | undefined;
  retryMs: number;
  timeoutMs: number;
  staleMs: number;
  now: () => number;
}): Promise<void> {
  const startedAt = now();
  for (;;) {
    signal?.throwIfAborted();
    try {
      await mkdir(lockPath);
      return;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    if (await breakIfStale(lockPath, staleMs, now)) continue;
    const waited = now() - startedAt;
    if (waited >= timeoutMs) throw new FolderLockTimeoutError(dir, waited);
    try {
      await delay(retryMs, undefined, signal ? { signal } : undefined);
    } catch (err) {
      // Surface the caller's abort reason rather than the timer's generic AbortError.
      signal?.throwIfAborted();
      throw err;
    }
  }
}

/** True when the lock vanished or was stale and has been removed, so the caller should retry at once. */
async function breakIfStale(lockPath: string, staleMs: number, now: () => number): Promise<boolean> {
  let mtimeMs: number;
  try {
    ({ mtimeMs } = await stat(lockPath));
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return true;
    throw err;
  }
  if (now() - mtimeMs <= staleMs) return false;
  // Known narrow race: two waiters may both judge the same crashed lock stale, and the slower one could then
  // remove the faster one's fresh lock. It needs a crash plus two waiters within one stat; we accept it rather
  // than add lock-owner files.
  try {
    await rmdir(lockPath);
  } catch (err) {
    // Another waiter broke it first (ENOENT), or it is no longer our empty lock directory: just retry.
    if (errorCode(err) !== 'ENOENT' && errorCode(err) !== 'ENOTEMPTY') throw err;
  }
  return true;
}

async function release(lockPath: string): Promise<void> {
  try {
    await rmdir(lockPath);
  } catch (err) {
    // ENOENT: the folder was moved (trash) or the lock was broken as stale; either way nothing is left to release.
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}
