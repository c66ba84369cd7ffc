import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AgentPathError, assertInsideAgentsDir, errorCode, isInsideDir, isMissing } from './agent-paths.js';
import { AGENT_TEXT_FILES, AGENT_TEXT_KEYS, type AgentTextKey } from './agent-files.js';
import { nonDefaultFlags, writeAgentYamlFlags, type AgentFlagsInput } from './agent-yaml-writer.js';
import { writeFileAtomic } from './atomic-write.js';
import { GROUP_PREFIX } from './discovery.js';
import { withFolderLock } from './file-lock.js';
import { parseImageDataUrl, type ImageDataUrl, type ImageDataUrlErrorReason } from './image-data-url.js';
import { agentNameError } from './names.js';
import { saveProfilePicture } from './profile-picture-files.js';

export { AgentPathError } from './agent-paths.js';
export { removeProfilePictures } from './profile-picture-files.js';

/** README binding resolution 7. */
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const TRASH_DIR_NAME = '.trash';

export class AgentFolderExistsError extends Error {
  override readonly name = 'AgentFolderExistsError';
  constructor(readonly relPath: string) {
    super(`Agent folder '${relPath}' already exists`);
  }
}

/** A profile picture that is not an acceptable image data URL; nothing has been written. */
export class AgentImageError extends Error {
  override readonly name = 'AgentImageError';
  constructor(
    readonly reason: ImageDataUrlErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export type AgentTexts = Record<AgentTextKey, string>;

/**
 * The default folder for an agent: `AGENTS_DIR/[group_<G>/]<name>/`, with `relPath` in `agents/…` form.
 * Names are validated and the result must stay inside AGENTS_DIR, symlinks included (behavior.md §2.2 rule 3).
 */
export async function agentFolderPath({
  agentsDir,
  name,
  group,
}: {
  agentsDir: string;
  name: string;
  group: string | null;
}): Promise<{ dir: string; relPath: string }> {
  const root = resolve(agentsDir);
  const segments = [
    ...(group === null ? [] : [`${GROUP_PREFIX}${checkedName(group, 'group name')}`]),
    checkedName(name, 'agent name'),
  ];
  const dir = join(root, ...segments);
  await assertInsideAgentsDir(root, dir);
  return { dir, relPath: ['agents', ...segments].join('/') };
}

/** Trimmed, LF line endings, one trailing newline; an empty text is an empty file. */
export function formatAgentText(text: string): string {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  return trimmed === '' ? '' : `${trimmed}\n`;
}

/**
 * Writes a new agent folder (behavior.md §2.13 rule 1). Everything is validated before the first write; if a
 * write fails the half-made folder is removed so a retry is not refused as "already exists".
 */
export async function createAgentFolder({
  agentsDir,
  name,
  group,
  texts,
  flags = {},
  profilePicDataUrl = null,
  maxImageBytes = DEFAULT_MAX_IMAGE_BYTES,
}: {
  agentsDir: string;
  name: string;
  group: string | null;
  texts: AgentTexts;
  flags?: Partial<AgentFlagsInput>;
  profilePicDataUrl?: string | null;
  maxImageBytes?: number;
}): Promise<{ dir: string; relPath: string }> {
  const { dir, relPath } = await agentFolderPath({ agentsDir, name, group });
  const image = profilePicDataUrl === null ? null : imageOrThrow(profilePicDataUrl, maxImageBytes);
  await mkdir(dirname(dir), { recursive: true });
  await refuseEquivalentFolder(dir, relPath);
  try {
    // Non-recursive mkdir is the atomic "must not exist yet" check.
    await mkdir(dir);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') throw new AgentFolderExistsError(relPath);
    throw err;
  }
  try {
    await withFolderLock(dir, async () => {
      await writeTexts(dir, texts);
      await writeAgentYamlFlags(dir, nonDefaultFlags(flags));
      if (image) await saveProfilePicture(dir, image);
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, relPath };
}

/**
 * PATCH (api.md §10.5, behavior.md §2.13 rule 2): a text given as a string — even empty — replaces its file;
 * undefined or null leaves it. A profile picture string must be an image data URL (the route filters out values
 * it ignores); null or undefined leaves the picture alone (api.md §10.5), see removeProfilePictures for the
 * explicit delete. Flags given are set in agent.yaml. A missing folder is created first.
 */
export async function updateAgentFiles({
  dir,
  texts = {},
  flags,
  profilePicDataUrl,
  maxImageBytes = DEFAULT_MAX_IMAGE_BYTES,
}: {
  dir: string;
  texts?: Partial<Record<AgentTextKey, string | null>>;
  flags?: Partial<AgentFlagsInput>;
  profilePicDataUrl?: string | null;
  maxImageBytes?: number;
}): Promise<void> {
  const image = typeof profilePicDataUrl === 'string' ? imageOrThrow(profilePicDataUrl, maxImageBytes) : null;
  await mkdir(dir, { recursive: true });
  await withFolderLock(dir, async () => {
    await writeTexts(dir, texts);
    if (flags) await writeAgentYamlFlags(dir, flags);
    if (image) await saveProfilePicture(dir, image);
  });
}

/**
 * Moves an agent folder to `AGENTS_DIR/.trash/<name>-<UTC yyyyMMddTHHmmss>/` (README binding resolution 9);
 * hidden, so discovery never brings it back. `-2`, `-3`, … when that name is taken. A `group_*` folder left with
 * nothing in it (no other agent, no group_config.yaml) goes too. Returns the new path.
 */
/**
 * `rmdir` removes only an empty folder, so a group that still holds anything stays as it is. Best effort: the agent
 * is already in the trash, and an empty folder left behind is harmless.
 */
async function removeEmptyGroup(root: string, parent: string): Promise<void> {
  if (dirname(parent) !== root || !basename(parent).startsWith(GROUP_PREFIX)) return;
  await rmdir(parent).catch(() => undefined);
}

export async function trashAgentFolder({
  agentsDir,
  dir,
  name,
  now = () => new Date(),
}: {
  agentsDir: string;
  dir: string;
  name: string;
  now?: () => Date;
}): Promise<string> {
  const root = resolve(agentsDir);
  const trash = join(root, TRASH_DIR_NAME);
  await assertInsideAgentsDir(root, dir);
  if (isInsideDir(trash, dir)) throw new AgentPathError(`${dir} is already in the trash`);
  const base = `${checkedName(name, 'agent name')}-${utcStamp(now())}`;
  await mkdir(trash, { recursive: true });
  for (let attempt = 1; attempt <= 1000; attempt += 1) {
    const target = join(trash, attempt === 1 ? base : `${base}-${attempt}`);
    if (await exists(target)) continue;
    try {
      await rename(dir, target);
      await removeEmptyGroup(root, dirname(resolve(dir)));
      return target;
    } catch (err) {
      // Taken between the check and the rename: try the next suffix.
      if (errorCode(err) !== 'EEXIST' && errorCode(err) !== 'ENOTEMPTY') throw err;
    }
  }
  throw new Error(`no free trash folder name for ${base}`);
}

async function writeTexts(dir: string, texts: Partial<Record<AgentTextKey, string | null>>): Promise<void> {
  const writes = AGENT_TEXT_KEYS.map((key) => {
    const text = texts[key];
    return typeof text === 'string' ? writeFileAtomic(join(dir, AGENT_TEXT_FILES[key]), formatAgentText(text)) : null;
  });
  await Promise.all(writes);
}

function checkedName(raw: string, what: string): string {
  const name = raw.normalize('NFC');
  const reason = agentNameError(name);
  if (reason !== null) throw new AgentPathError(`invalid ${what}: ${reason}`);
  return name;
}

function imageOrThrow(dataUrl: string, maxBytes: number): ImageDataUrl {
  const image = parseImageDataUrl(dataUrl, maxBytes);
  if (!image.ok) throw new AgentImageError(image.reason, image.message);
  return image;
}

/** On Linux `Mira` in NFC and in NFD are two folders; for us they are one agent (behavior.md §2.2 rule 2). */
async function refuseEquivalentFolder(dir: string, relPath: string): Promise<void> {
  const wanted = basename(dir).normalize('NFC');
  const siblings = await readdir(dirname(dir));
  if (siblings.some((entry) => entry.normalize('NFC') === wanted)) throw new AgentFolderExistsError(relPath);
}

function utcStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '');
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}
