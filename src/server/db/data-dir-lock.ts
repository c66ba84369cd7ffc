import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * PGlite has no cross-process lock (toolchain.md §5.10): two processes on one data directory corrupt it.
 * A lock file holding our pid refuses a second process; a file left by a dead process is taken over, so a
 * kill -9 never blocks the next start.
 */
export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(lockPath: string, pid = process.pid): DataDirLock {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(pid));
      closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `Another ChitChats process (pid ${holder}) is already using the embedded database ${lockPath.replace(/\.lock$/, '')}. ` +
            'Stop it first, or give this process its own DATA_DIR (or a DATABASE_URL).',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not take the data directory lock ${lockPath}`);
}
