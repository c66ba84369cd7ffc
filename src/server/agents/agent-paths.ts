import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A path built from a name or request would leave AGENTS_DIR (behavior.md §2.2 rule 3). */
export class AgentPathError extends Error {
  override readonly name = 'AgentPathError';
}

/** Lexical containment: `target` is `root` itself or below it. */
export function isInsideDir(root: string, target: string): boolean {
  const rel = relative(resolve(root), resolve(target));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** Lexical containment strictly below `root` (root itself excluded). */
export function isStrictlyInsideDir(root: string, target: string): boolean {
  return isInsideDir(root, target) && resolve(root) !== resolve(target);
}

/**
 * The real location of `target`, following symlinks of whatever part exists, or null when that real location
 * is outside real(root). Symlinks are why a lexical check alone is not enough: `agents/group_X` may point
 * anywhere.
 */
export async function realPathInside(root: string, target: string): Promise<string | null> {
  const realRoot = await realpathOrNull(resolve(root));
  if (realRoot === null) return null;
  let existing = resolve(target);
  const missingTail: string[] = [];
  for (;;) {
    const real = await realpathOrNull(existing);
    if (real !== null) {
      const full = resolve(real, ...missingTail);
      return isInsideDir(realRoot, full) ? full : null;
    }
    const parent = dirname(existing);
    if (parent === existing) return null;
    missingTail.unshift(basename(existing));
    existing = parent;
  }
}

/** Throws AgentPathError unless `target` stays inside `root`, lexically and after following symlinks. */
export async function assertInsideAgentsDir(root: string, target: string): Promise<void> {
  if (!isStrictlyInsideDir(root, target) || (await realPathInside(root, target)) === null) {
    throw new AgentPathError(`path ${target} is outside the agents directory`);
  }
}

async function realpathOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** ENOENT or ENOTDIR: the path (or one of its parents) is not there. */
export function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
