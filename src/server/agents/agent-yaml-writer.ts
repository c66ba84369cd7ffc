import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { AGENT_YAML_FILE } from './agent-overrides.js';
import { isMissing } from './agent-paths.js';
import { writeFileAtomic } from './atomic-write.js';

/** Behaviour flags the API may write to agent.yaml (README binding resolution 8). */
export interface AgentFlagsInput {
  interrupt_every_turn: boolean;
  priority: number;
  transparent: boolean;
  critic: boolean;
}

/** Flags that differ from the defaults: a new agent's agent.yaml holds only what the request chose. */
export function nonDefaultFlags(flags: Partial<AgentFlagsInput>): Partial<AgentFlagsInput> {
  const chosen: Partial<AgentFlagsInput> = {};
  if (flags.interrupt_every_turn === true) chosen.interrupt_every_turn = true;
  if (flags.priority !== undefined && flags.priority !== 0) chosen.priority = flags.priority;
  if (flags.transparent === true) chosen.transparent = true;
  if (flags.critic === true) chosen.critic = true;
  return chosen;
}

/**
 * Sets the given keys in `<dir>/agent.yaml`, keeping every other key and comment (the file is hand-edited too).
 * Call under the folder lock. Refuses to overwrite a file it cannot parse rather than losing its contents.
 */
export async function writeAgentYamlFlags(dir: string, flags: Partial<AgentFlagsInput>): Promise<void> {
  const entries = Object.entries(flags).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return;
  const path = join(dir, AGENT_YAML_FILE);
  const doc = parseDocument(await readOrEmpty(path));
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) {
    throw new Error(`${path} is not a valid YAML map; not overwriting it`);
  }
  for (const [key, value] of entries) doc.set(key, value);
  await writeFileAtomic(path, doc.toString());
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return '';
    throw err;
  }
}
