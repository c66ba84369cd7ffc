import { join } from 'node:path';
import type { YamlStore } from '../prompts/yaml-store.js';
import { isPlainMap } from './yaml-fields.js';

export const BOUNDARIES_FILE = 'boundaries.yaml';
export const EXTREME_TRAITS_FILE = 'extreme_traits.yaml';

/**
 * Boundary files for an agent, highest precedence first (behavior.md §2.5): a group reads both names with
 * boundaries.yaml winning; ungrouped agents read AGENTS_DIR/boundaries.yaml only.
 */
export function boundaryFiles({ agentsDir, groupDir }: { agentsDir: string; groupDir: string | null }): string[] {
  if (groupDir === null) return [join(agentsDir, BOUNDARIES_FILE)];
  return [join(groupDir, BOUNDARIES_FILE), join(groupDir, EXTREME_TRAITS_FILE)];
}

/**
 * Whether `name` (NFC) has a non-empty entry. The first file that has the key decides, so an empty entry in
 * boundaries.yaml overrides a non-empty one in extreme_traits.yaml. Only presence matters; the text is never
 * sent to a model.
 */
export function hasBoundaryEntry({ files, name, yaml }: { files: string[]; name: string; yaml: YamlStore }): boolean {
  for (const file of files) {
    const map = yaml.read(file);
    if (!isPlainMap(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (key.normalize('NFC').trim() === name) return isNonEmpty(value);
    }
  }
  return false;
}

function isNonEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainMap(value)) return Object.keys(value).length > 0;
  return true;
}
