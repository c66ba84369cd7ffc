import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/server/agents/atomic-write.js';
import { useTempDir } from './support.js';

const tmp = useTempDir();

describe('writeFileAtomic', () => {
  it('writes the content and leaves no temporary file behind', async () => {
    const path = join(tmp(), 'characteristics.md');
    await writeFileAtomic(path, 'Quiet.\n');
    expect(await readFile(path, 'utf8')).toBe('Quiet.\n');
    expect(await readdir(tmp())).toEqual(['characteristics.md']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(tmp(), 'a.md');
    await writeFile(path, 'a much longer old text that must not leave a tail');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('creates missing parent folders', async () => {
    const path = join(tmp(), 'group_G', 'Mira', 'in_a_nutshell.md');
    await writeFileAtomic(path, Buffer.from('bytes'));
    expect(await readFile(path, 'utf8')).toBe('bytes');
  });

  it('writes through a hidden .<file>.tmp-<random> in the same folder', async () => {
    const path = join(tmp(), 'a.md');
    const seen: string[] = [];
    await writeFileAtomic(path, 'x', {
      randomSuffix: () => {
        seen.push('called');
        return 'fixed';
      },
    });
    expect(seen).toEqual(['called']);
    // The same suffix again works because the first temp file was renamed away.
    await writeFileAtomic(path, 'y', { randomSuffix: () => 'fixed' });
    expect(await readFile(path, 'utf8')).toBe('y');
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    // A folder where the file should be makes rename fail after the temp file was written.
    const path = join(tmp(), 'target');
    await mkdir(join(path, 'child'), { recursive: true });
    await expect(writeFileAtomic(path, 'x', { randomSuffix: () => 'r1' })).rejects.toThrow();
    expect((await readdir(tmp())).sort()).toEqual(['target']);
  });

  it('fails without writing when the temp file name is taken', async () => {
    await writeFile(join(tmp(), '.a.md.tmp-r2'), 'someone else');
    await expect(writeFileAtomic(join(tmp(), 'a.md'), 'x', { randomSuffix: () => 'r2' })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(join(tmp(), '.a.md.tmp-r2'), 'utf8')).toBe('someone else');
  });

  it('reports a folder it cannot write to', async () => {
    if (process.getuid?.() === 0) return; // root ignores permissions
    const locked = join(tmp(), 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    try {
      await expect(writeFileAtomic(join(locked, 'a.md'), 'x')).rejects.toMatchObject({ code: 'EACCES' });
    } finally {
      await chmod(locked, 0o700);
    }
  });
});
