import { z } from 'zod';
import type { Logger } from 'pino';
import { flagFields, parseYamlFields, type ParsedFields } from './yaml-fields.js';

import { PROVIDER_IDS, type ProviderId } from '../../shared/providers.js';

export type { ProviderId };

/** agent.yaml keys (behavior.md §2.3); provider is case-insensitive as on the API (api.md §1.6). */
const agentYamlFields = {
  provider: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(PROVIDER_IDS)),
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/@+-]+$/),
  thinking_budget: z.number().int().min(0),
  critic: z.boolean(),
  whiteboard: z.boolean(),
  ...flagFields,
};

export type AgentOverrides = ParsedFields<typeof agentYamlFields>;

export const AGENT_YAML_FILE = 'agent.yaml';

export function parseAgentOverrides({ raw, file, log }: { raw: unknown; file: string; log: Logger }): AgentOverrides {
  return parseYamlFields({ raw, fields: agentYamlFields, file, log });
}
