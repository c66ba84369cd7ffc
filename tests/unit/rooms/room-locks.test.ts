import { describe, expect, it } from 'vitest';
import { createRoomLocks } from '../../../src/server/rooms/room-locks.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createRoomLocks', () => {
  it('runs tasks of one room one at a time, in call order', async () => {
    const locks = createRoomLocks();
    const log: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      log.push(`${name} start`);
      for (let i = 0; i < ticks; i += 1) await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([locks.run(1, task('a', 3)), locks.run(1, task('b', 1)), locks.run(1, task('c', 0))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets different rooms run at the same time', async () => {
    const locks = createRoomLocks();
    const log: string[] = [];
    let releaseFirst = () => undefined as void;
    const first = locks.run(1, async () => {
      log.push('room 1 start');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      log.push('room 1 end');
    });
    await locks.run(2, async () => {
      log.push('room 2 ran');
    });
    releaseFirst();
    await first;
    expect(log).toEqual(['room 1 start', 'room 2 ran', 'room 1 end']);
  });

  it('releases the room when a task fails', async () => {
    const locks = createRoomLocks();
    await expect(locks.run(1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run(1, async () => 'next')).resolves.toBe('next');
  });
});
