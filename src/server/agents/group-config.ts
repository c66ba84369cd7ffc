import { z } from 'zod';
import type { Logger } from 'pino';
import { flagFields, isPlainMap, parseYamlFields } from './yaml-fields.js';

export const GROUP_CONFIG_FILE = 'group_config.yaml';

const groupConfigFields = {
  tools: z.record(z.string(), z.unknown()),
  ...flagFields,
};

export interface GroupConfig {
  /** Raw per-tool overrides; unknown tool names are the tool merge's to report (behavior.md §3.3). */
  tools: Record<string, Record<string, unknown>>;
  interrupt_every_turn?: boolean;
  priority?: number;
  transparent?: boolean;
}

/** group_config.yaml per behavior.md §2.4. */
export function parseGroupConfig({ raw, file, log }: { raw: unknown; file: string; log: Logger }): GroupConfig {
  const { tools = {}, ...flags } = parseYamlFields({ raw, fields: groupConfigFields, file, log });
  const toolOverrides: Record<string, Record<string, unknown>> = {};
  for (const [tool, entry] of Object.entries(tools)) {
    if (isPlainMap(entry)) toolOverrides[tool] = entry;
    else log.warn({ file, key: `tools.${tool}` }, 'tool override is not a map; ignoring it');
  }
  return { tools: toolOverrides, ...flags };
}
