import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Whole-file write that readers never see half done (behavior.md §2.10): write `.<file>.tmp-<random>` in the
 * same folder (same filesystem, so rename is atomic; hidden, so the watcher ignores it), flush, then rename.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  { randomSuffix = () => randomBytes(6).toString('hex') }: { randomSuffix?: () => string } = {},
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${randomSuffix()}`);
  // 'wx': never reuse a temp file that someone else created; if this fails there is nothing of ours to clean up.
  const handle = await open(tmp, 'wx');
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A failed cleanup must not hide the original error.
    await rm(tmp, { force: true }).catch((cleanupErr: unknown) => {
      throw new AggregateError([err, cleanupErr], `writing ${path} failed and ${tmp} could not be removed`);
    });
    throw err;
  }
}
