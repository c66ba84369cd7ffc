import { ToolPatchSchema, TOOL_NAMES } from './config-schemas.js';
import type { ToolCatalog, ToolName, ToolPatch } from './config-schemas.js';
import { parseLeniently } from './config-problems.js';
import type { LenientParse } from './config-problems.js';

/**
 * One step of the tool merge (behavior.md §3.3 rule 1): a shallow per-field update of existing entries.
 * Always builds new entry objects, so neither the defaults nor any cached YAML value is ever mutated.
 */
export function applyToolPatch(catalog: ToolCatalog, patch: ToolPatch): ToolCatalog {
  return {
    skip: { ...catalog.skip, ...patch.skip },
    memorize: { ...catalog.memorize, ...patch.memorize },
    recall: { ...catalog.recall, ...patch.recall },
    read_guidelines: { ...catalog.read_guidelines, ...patch.read_guidelines },
    check_boundary: { ...catalog.check_boundary, ...patch.check_boundary },
  };
}

/**
 * Validates a group's `tools` map (group_config.yaml, §2.4) the same way as the override files: unknown tool
 * names and wrong field types are reported and ignored, the rest applies.
 */
export function parseToolPatch(raw: unknown, file: string, keyPrefix = 'tools'): LenientParse<ToolPatch> {
  const parsed = parseLeniently(ToolPatchSchema, raw, { file, toolMapPaths: ['(root)'] });
  const problems = parsed.problems.map((problem) => ({
    ...problem,
    key: problem.key === '(root)' ? keyPrefix : `${keyPrefix}.${problem.key}`,
  }));
  return { value: parsed.value, problems };
}

export function enabledToolNames(catalog: ToolCatalog): ToolName[] {
  return TOOL_NAMES.filter((name) => catalog[name].enabled);
}
