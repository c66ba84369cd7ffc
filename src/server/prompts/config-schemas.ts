import { z } from 'zod';
import {
  DEFAULT_CONVERSATION_CONTEXT as CC,
  DEFAULT_DEBUG as DBG,
  DEFAULT_GUIDELINES_VERSION,
  DEFAULT_SECTIONS,
  DEFAULT_VARIANT_NAME,
} from './defaults.js';

/**
 * Shapes of the configuration YAML files (behavior.md §3). Every object is strict so unknown keys surface as
 * warnings (§3.8); scalar keys carry their built-in default so a parse of `{}` yields a complete config.
 * Maps whose keys users choose (variants, versions) and the tool patches stay partial: their fallbacks are
 * looked up key by key in prompt-config.ts.
 */

import { PROVIDER_IDS, type ProviderId } from '../../shared/providers.js';

export { PROVIDER_IDS, type ProviderId };
const ProviderIdSchema = z.enum(PROVIDER_IDS);

export const TOOL_NAMES = ['skip', 'memorize', 'recall', 'read_guidelines', 'check_boundary'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

// ---- tools.yaml, <provider>_tools.yaml, group_config.yaml `tools` --------------------------------------

// Which text fields each tool has (§3.3, §8.2). Input schemas are fixed in code and are not part of this.
const skipShape = { enabled: z.boolean(), description: z.string(), response: z.string() };
const memorizeShape = { ...skipShape, error_response: z.string() };
const recallShape = { ...skipShape, not_found_response: z.string() };
const readGuidelinesShape = skipShape;
const checkBoundaryShape = {
  enabled: z.boolean(),
  description: z.string(),
  allowed_response: z.string(),
  denied_response: z.string(),
};

export const ToolCatalogSchema = z.object({
  skip: z.object(skipShape),
  memorize: z.object(memorizeShape),
  recall: z.object(recallShape),
  read_guidelines: z.object(readGuidelinesShape),
  check_boundary: z.object(checkBoundaryShape),
});
/** The effective tool configuration: every tool with every field. */
export type ToolCatalog = z.infer<typeof ToolCatalogSchema>;
export type ToolEntry = ToolCatalog[ToolName];

/** A per-field update of some tools: the body of `tools:` in any of the three merge sources. */
export const ToolPatchSchema = z.strictObject({
  skip: z.strictObject(skipShape).partial().optional(),
  memorize: z.strictObject(memorizeShape).partial().optional(),
  recall: z.strictObject(recallShape).partial().optional(),
  read_guidelines: z.strictObject(readGuidelinesShape).partial().optional(),
  check_boundary: z.strictObject(checkBoundaryShape).partial().optional(),
});
export type ToolPatch = z.infer<typeof ToolPatchSchema>;

export const ToolsFileSchema = z.strictObject({ tools: ToolPatchSchema.default({}) });

// ---- guidelines_3rd.yaml -----------------------------------------------------------------------------------

const text = (fallback: string) => z.string().default(fallback);

export const SectionsSchema = z
  .strictObject({
    nutshell: text(DEFAULT_SECTIONS.nutshell),
    characteristics: text(DEFAULT_SECTIONS.characteristics),
    recent_events: text(DEFAULT_SECTIONS.recent_events),
    guidelines: text(DEFAULT_SECTIONS.guidelines),
    time_line: text(DEFAULT_SECTIONS.time_line),
  })
  .prefault({});
/** Headings of the system prompt sections (templates). `guidelines` heads the inline guidelines section. */
export type Sections = z.output<typeof SectionsSchema>;

export const GUIDELINES_MODES = ['tool', 'inline'] as const;
export type GuidelinesMode = (typeof GUIDELINES_MODES)[number];

const GuidelineVersionSchema = z.strictObject({
  default: z.string().optional(),
  claude: z.string().optional(),
  codex: z.string().optional(),
  openai: z.string().optional(),
});

export const GuidelinesFileSchema = z.strictObject({
  system_prompt: z
    .strictObject({
      active: z.string().min(1).default(DEFAULT_VARIANT_NAME),
      provider_active: z.partialRecord(ProviderIdSchema, z.string().min(1)).default({}),
      variants: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
  sections: SectionsSchema,
  guidelines: z
    .strictObject({
      mode: z.enum(GUIDELINES_MODES).default('tool'),
      active_version: z.string().min(1).default(DEFAULT_GUIDELINES_VERSION),
      versions: z.record(z.string(), GuidelineVersionSchema).default({}),
    })
    .prefault({}),
});
export type GuidelinesFile = z.output<typeof GuidelinesFileSchema>;

// ---- conversation_context.yaml -----------------------------------------------------------------------------

export const ConversationContextSchema = z.strictObject({
  header: text(CC.header),
  footer: text(CC.footer),
  max_messages: z.number().int().positive().default(CC.max_messages),
  recall_reminder: text(CC.recall_reminder),
  response_instruction: text(CC.response_instruction),
  // Provider-specific instructions win when non-empty (§4.7 rule 1).
  response_instruction_claude: text(CC.response_instruction_claude),
  response_instruction_codex: text(CC.response_instruction_codex),
  response_instruction_openai: text(CC.response_instruction_openai),
  empty_conversation: text(CC.empty_conversation),
  situation_builder: z
    .strictObject({
      enabled: z.boolean().default(CC.situation_builder.enabled),
      label: text(CC.situation_builder.label),
      note: text(CC.situation_builder.note),
    })
    .prefault({}),
  whiteboard: z
    .strictObject({ header: text(CC.whiteboard.header), empty: text(CC.whiteboard.empty) })
    .prefault({}),
  image_placeholder: text(CC.image_placeholder),
  notices: z
    .strictObject({
      agent_joined: text(CC.notices.agent_joined),
      agent_error: text(CC.notices.agent_error),
      provider_unavailable: text(CC.notices.provider_unavailable),
    })
    .prefault({}),
});
export type ConversationContext = z.output<typeof ConversationContextSchema>;

// ---- debug.yaml ----------------------------------------------------------------------------------------------

const flag = (fallback: boolean) => z.boolean().default(fallback);

export const DebugFileSchema = z.strictObject({
  debug: z
    .strictObject({
      enabled: flag(DBG.enabled),
      agents: z.array(z.string()).default(() => [...DBG.agents]),
      output_file: z.string().min(1).default(DBG.output_file),
      log: z
        .strictObject({
          system_prompt: flag(DBG.log.system_prompt),
          tools: flag(DBG.log.tools),
          message: flag(DBG.log.message),
          thinking: flag(DBG.log.thinking),
          response: flag(DBG.log.response),
          usage: flag(DBG.log.usage),
        })
        .prefault({}),
      max_string_length: z.number().int().positive().default(DBG.max_string_length),
    })
    .prefault({}),
});
export type DebugConfig = z.output<typeof DebugFileSchema>['debug'];
