import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { YamlStore } from '../prompts/yaml-store.js';
import { AGENT_YAML_FILE, parseAgentOverrides, type AgentOverrides } from './agent-overrides.js';
import { isMissing } from './agent-paths.js';
import { parseMemorySections } from './memory.js';
import { findProfilePicture } from './profile-picture.js';

export const MAX_AGENT_FILE_BYTES = 1024 * 1024;

export const AGENT_TEXT_KEYS = ['inANutshell', 'characteristics', 'recentEvents'] as const;
export type AgentTextKey = (typeof AGENT_TEXT_KEYS)[number];

export const AGENT_TEXT_FILES: Record<AgentTextKey, string> = {
  inANutshell: 'in_a_nutshell.md',
  characteristics: 'characteristics.md',
  recentEvents: 'recent_events.md',
};

export interface AgentFolder {
  inANutshell: string;
  characteristics: string;
  recentEvents: string;
  memory: Map<string, string>;
  overrides: AgentOverrides;
  /** File name of the detected picture (behavior.md §2.14 rule 3), null when none. */
  profilePic: string | null;
}

/** `consolidated_memory` or `consolidated_memory.md` → the file name (RECALL_MEMORY_FILE is a base name). */
export function memoryFileName(recallMemoryFile: string): string {
  return recallMemoryFile.endsWith('.md') ? recallMemoryFile : `${recallMemoryFile}.md`;
}

/**
 * One agent text per behavior.md §2.7 rule 1: UTF-8, BOM dropped, LF line endings, trimmed, missing → ''.
 * Only the first MiB is read, so a runaway file cannot blow up every prompt.
 */
export async function readAgentText(path: string, log: Logger): Promise<string> {
  let bytes: Buffer;
  let size: number;
  try {
    ({ bytes, size } = await readPrefix(path, MAX_AGENT_FILE_BYTES));
  } catch (err) {
    if (isMissing(err)) return '';
    throw err;
  }
  if (size > MAX_AGENT_FILE_BYTES) {
    log.warn({ file: path, size, limit: MAX_AGENT_FILE_BYTES }, 'agent file too large; truncated');
    bytes = cutAtCharBoundary(bytes, MAX_AGENT_FILE_BYTES);
  }
  return normalizeAgentText(bytes.toString('utf8'));
}

export function normalizeAgentText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
}

/** Everything an agent's own folder contributes to its configuration (group files are read elsewhere). */
export async function readAgentFolder({
  dir,
  recallMemoryFile,
  yaml,
  log,
}: {
  dir: string;
  recallMemoryFile: string;
  yaml: YamlStore;
  log: Logger;
}): Promise<AgentFolder> {
  const agentYaml = join(dir, AGENT_YAML_FILE);
  const [inANutshell, characteristics, recentEvents, memoryText, profilePic] = await Promise.all([
    readAgentText(join(dir, AGENT_TEXT_FILES.inANutshell), log),
    readAgentText(join(dir, AGENT_TEXT_FILES.characteristics), log),
    readAgentText(join(dir, AGENT_TEXT_FILES.recentEvents), log),
    readAgentText(join(dir, memoryFileName(recallMemoryFile)), log),
    findProfilePicture(dir),
  ]);
  return {
    inANutshell,
    characteristics,
    recentEvents,
    memory: parseMemorySections(memoryText),
    overrides: parseAgentOverrides({ raw: yaml.read(agentYaml), file: agentYaml, log }),
    profilePic,
  };
}

async function readPrefix(path: string, limit: number): Promise<{ bytes: Buffer; size: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(Math.min(size, limit + 4));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: bytes.subarray(0, filled), size };
  } finally {
    await handle.close();
  }
}

/** Cuts at `limit` bytes, stepping back so a multi-byte UTF-8 character is never split into U+FFFD. */
function cutAtCharBoundary(bytes: Buffer, limit: number): Buffer {
  if (bytes.length <= limit) return bytes;
  let end = limit;
  // 0b10xxxxxx is a continuation byte: the byte at `end` belongs to a character that started earlier.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}
