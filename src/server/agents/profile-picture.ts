import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { isMissing, realPathInside } from './agent-paths.js';
import { GROUP_PREFIX } from './discovery.js';
import { agentNameError, compareCodePoints } from './names.js';

/** behavior.md §2.14 rule 2 / api.md §10.9: both lists are in precedence order. */
export const PICTURE_BASE_NAMES = ['profile', 'avatar', 'picture', 'photo'] as const;
export const PICTURE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg'] as const;

const CONTENT_TYPES: Record<(typeof PICTURE_EXTENSIONS)[number], string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/**
 * File name of the agent's picture inside `dir`, or null. Extensions and base names match case-insensitively
 * (cameras write `photo.JPG`); the returned name is the on-disk one.
 */
export async function findProfilePicture(dir: string): Promise<string | null> {
  const files = await listPictureFiles(dir);
  for (const base of PICTURE_BASE_NAMES) {
    for (const ext of PICTURE_EXTENSIONS) {
      const hit = files.find((file) => file.toLowerCase() === `${base}${ext}`);
      if (hit !== undefined) return hit;
    }
  }
  for (const ext of PICTURE_EXTENSIONS) {
    const hit = files.find((file) => extname(file).toLowerCase() === ext);
    if (hit !== undefined) return hit;
  }
  return null;
}

/**
 * Absolute real path of the picture to serve for a validated agent name, or null (api.md §10.9). Candidate
 * folders: the agent's known folder, AGENTS_DIR/<name>/, AGENTS_DIR/group_* /<name>/ (group name order), then
 * the legacy file AGENTS_DIR/<name>.<ext>. A candidate whose real path leaves real(AGENTS_DIR) — a symlink
 * pointing elsewhere — is skipped, never served.
 */
export async function resolveProfilePicturePath({
  agentsDir,
  name,
  knownDir,
}: {
  agentsDir: string;
  name: string;
  knownDir?: string | null;
}): Promise<string | null> {
  if (agentNameError(name) !== null) return null;
  const root = resolve(agentsDir);
  const folders = [
    ...(knownDir ? [resolve(knownDir)] : []),
    join(root, name),
    ...(await groupFolders(root)).map((group) => join(root, group, name)),
  ];
  for (const folder of folders) {
    const file = await findProfilePicture(folder);
    if (file === null) continue;
    const real = await realPathInside(root, join(folder, file));
    if (real !== null && (await isFile(real))) return real;
  }
  for (const ext of PICTURE_EXTENSIONS) {
    const real = await realPathInside(root, join(root, `${name}${ext}`));
    if (real !== null && (await isFile(real))) return real;
  }
  return null;
}

export { parseImageDataUrl } from './image-data-url.js';
export type { ImageDataUrl, ImageDataUrlError } from './image-data-url.js';

export function contentTypeForPicture(fileName: string): string {
  const ext = extname(fileName).toLowerCase();
  return isPictureExtension(ext) ? CONTENT_TYPES[ext] : 'application/octet-stream';
}

function isPictureExtension(ext: string): ext is (typeof PICTURE_EXTENSIONS)[number] {
  return (PICTURE_EXTENSIONS as readonly string[]).includes(ext);
}

/** Non-hidden files (or symlinks, checked later) with a picture extension, in code-point order. */
async function listPictureFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .filter((file) => isPictureExtension(extname(file).toLowerCase()))
    .sort(compareCodePoints);
}

async function groupFolders(root: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return entries
    .filter((entry) => entry.name.startsWith(GROUP_PREFIX) && (entry.isDirectory() || entry.isSymbolicLink()))
    .map((entry) => entry.name)
    .sort(compareCodePoints);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}
