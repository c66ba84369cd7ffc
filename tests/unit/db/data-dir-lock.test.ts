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

describe('a second server process on the same DATA_DIR', () => {
  it('is refused with exit code 1 and a message naming the embedded database', async () => {
    const { composeServer } = await import('../../../src/server/compose.js');
    const { loadSettings } = await import('../../../src/server/settings.js');
    const { pino } = await import('pino');
    const root = await mkdtemp(join(tmpdir(), 'chitchats-second-'));
    const env = {
      DATA_DIR: join(root, 'data'),
      AGENTS_DIR: join(root, 'agents'),
      JWT_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
      API_KEY_HASH: '$2b$04$lPnb59OKKe3Kkzr0KixnMOO1CEXNZ.qbhve9Kn8b65T6Nk9mA.yoS',
    };
    const first = await composeServer({ settings: loadSettings(env, root), log: pino({ level: 'silent' }), announce: () => undefined });
    try {
      const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
      const main = join(import.meta.dirname, '../../../src/server/main.ts');
      const second = spawn(tsx, [main], { env: { ...process.env, ...env, PORT: '0' } });
      let stderr = '';
      second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolveExit) => second.on('exit', resolveExit));
      expect(code).toBe(1);
      expect(stderr).toMatch(/Another ChitChats process \(pid \d+\) is already using the embedded database .*pglite/);
    } finally {
      await first.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
