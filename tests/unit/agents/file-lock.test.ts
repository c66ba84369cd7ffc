import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderLockTimeoutError, LOCK_DIR_NAME, withFolderLock } from '../../../src/server/agents/file-lock.js';
import { runLockWorker } from './fixtures/run-worker.js';
import { useTempDir } from './support.js';

const tmp = useTempDir();

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('withFolderLock', () => {
  it('holds a .lock directory while the function runs and removes it afterwards', async () => {
    const lock = join(tmp(), LOCK_DIR_NAME);
    const result = await withFolderLock(tmp(), async () => {
      expect((await stat(lock)).isDirectory()).toBe(true);
      return 42;
    });
    expect(result).toBe(42);
    expect(await exists(lock)).toBe(false);
  });

  it('releases the lock when the function throws', async () => {
    await expect(
      withFolderLock(tmp(), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await exists(join(tmp(), LOCK_DIR_NAME))).toBe(false);
  });

  it('runs holders one after another within a process', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = withFolderLock(tmp(), async () => {
      events.push('first start');
      await gate;
      events.push('first end');
    });
    const second = withFolderLock(tmp(), async () => {
      events.push('second');
    }, { retryMs: 5 });
    // The second waiter cannot have run yet: the first holder is parked on the gate.
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first start', 'first end', 'second']);
  });

  it('times out with a clear error when the lock stays held', async () => {
    await mkdir(join(tmp(), LOCK_DIR_NAME));
    let clock = 1_000_000;
    const now = () => (clock += 100);
    // Keep the existing lock fresh in the injected clock's terms.
    const fresh = new Date(1_000_000);
    await utimes(join(tmp(), LOCK_DIR_NAME), fresh, fresh);
    const attempt = withFolderLock(tmp(), async () => 'never', { retryMs: 1, timeoutMs: 500, staleMs: 60_000, now });
    await expect(attempt).rejects.toBeInstanceOf(FolderLockTimeoutError);
    await expect(attempt).rejects.toThrow(/Timed out after \d+ ms waiting for the lock on/);
  });

  it('breaks a lock older than the stale limit', async () => {
    const lock = join(tmp(), LOCK_DIR_NAME);
    await mkdir(lock);
    const old = new Date(Date.now() - 11_000);
    await utimes(lock, old, old);
    await expect(withFolderLock(tmp(), async () => 'got it', { timeoutMs: 100 })).resolves.toBe('got it');
    expect(await exists(lock)).toBe(false);
  });

  it('stops waiting when the signal aborts', async () => {
    await mkdir(join(tmp(), LOCK_DIR_NAME));
    const controller = new AbortController();
    const attempt = withFolderLock(tmp(), async () => 'never', { signal: controller.signal, retryMs: 10 });
    controller.abort(new Error('turn cancelled'));
    await expect(attempt).rejects.toThrow('turn cancelled');
  });

  it('fails at once when the folder does not exist', async () => {
    await expect(withFolderLock(join(tmp(), 'missing'), async () => 1)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never loses or interleaves lines written by concurrent processes', async () => {
    const perWorker = 15;
    await Promise.all(['a', 'b', 'c'].map((id) => runLockWorker(['rmw', tmp(), id, String(perWorker)])));
    const lines = (await readFile(join(tmp(), 'lines.txt'), 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(3 * perWorker);
    for (const id of ['a', 'b', 'c']) {
      const own = lines.filter((line) => line.startsWith(`worker ${id} `));
      expect(own).toEqual(Array.from({ length: perWorker }, (_, i) => `worker ${id} line ${i}`));
    }
    expect(await exists(join(tmp(), LOCK_DIR_NAME))).toBe(false);
  });
});
