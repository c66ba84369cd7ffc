import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../../../src/server/db/data-dir-lock.js';

describe('embedded database lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chitchats-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first process is alive, naming the data directory', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const path = join(dir, 'pglite.lock');
      acquireDataDirLock(path, sleeper.pid);
      expect(() => acquireDataDirLock(path)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(path)).toThrow(/already using the embedded database .*pglite/);
    } finally {
      sleeper.kill();
    }
  });

  it('takes over a lock left behind by a process that died', async () => {
    const path = join(dir, 'pglite.lock');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolveExit) => dead.on('exit', resolveExit));
    await writeFile(path, String(dead.pid));
    const lock = acquireDataDirLock(path);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('lets the next process in after release', () => {
    const path = join(dir, 'pglite.lock');
    acquireDataDirLock(path).release();
    acquireDataDirLock(path).release();
  });
});
