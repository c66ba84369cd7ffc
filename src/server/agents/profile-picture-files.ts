import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from './agent-paths.js';
import { writeFileAtomic } from './atomic-write.js';
import type { ImageDataUrl } from './image-data-url.js';

const PROFILE_FILE = /^profile\.[^.]+$/i;

/**
 * Saves an uploaded picture as `profile.<ext>` and removes every other `profile.*` so the new one is the one
 * found (behavior.md §2.13 rule 2). Other images (avatar.png, …) stay. Call under the folder lock.
 */
export async function saveProfilePicture(dir: string, image: ImageDataUrl): Promise<string> {
  const fileName = `profile.${image.ext}`;
  // Remove first: on a case-insensitive filesystem `Profile.PNG` and `profile.png` are one file, and removing
  // it after the write would delete the new picture.
  await removeProfilePictures(dir, { keep: fileName });
  await writeFileAtomic(join(dir, fileName), image.bytes);
  return fileName;
}

/** Deletes `profile.*` files in `dir` (not avatar/picture/photo files), except `keep`. */
export async function removeProfilePictures(dir: string, { keep }: { keep?: string } = {}): Promise<void> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  const stale = files.filter((file) => PROFILE_FILE.test(file) && file !== keep);
  await Promise.all(stale.map((file) => rm(join(dir, file), { force: true })));
}
