import {
  ConversationContextSchema,
  DebugFileSchema,
  GuidelinesFileSchema,
  PROVIDER_IDS,
  TOOL_NAMES,
  ToolsFileSchema,
} from './config-schemas.js';
import type { ConversationContext, DebugConfig, GuidelinesFile, ProviderId, ToolPatch } from './config-schemas.js';
import { findBraceProblems, parseLeniently, withoutNulls } from './config-problems.js';
import type { ConfigProblem, LenientParse } from './config-problems.js';
import { DEFAULT_GUIDELINES_VERSIONS, DEFAULT_VARIANTS } from './defaults.js';

/**
 * Loaders for each configuration file (behavior.md §3): raw YAML in, a complete typed value plus the problems
 * found (§3.8) out. Pure functions, so prompt-config.ts can memoise them per file signature.
 */

export const TOOLS_FILE = 'tools.yaml';
export const CONVERSATION_CONTEXT_FILE = 'conversation_context.yaml';
export const DEBUG_FILE = 'debug.yaml';

export function toolOverrideFile(provider: ProviderId): string {
  return `${provider}_tools.yaml`;
}

export function loadGuidelinesFile(raw: unknown, file: string): LenientParse<GuidelinesFile> {
  const { value, problems } = parseLeniently(GuidelinesFileSchema, raw, { file });
  return { value, problems: [...problems, ...danglingPointers(value, file), ...findBraceProblems(file, value)] };
}

function danglingPointers(value: GuidelinesFile, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { system_prompt: prompt, guidelines } = value;
  const hasVariant = (name: string) => Object.hasOwn(prompt.variants, name) || Object.hasOwn(DEFAULT_VARIANTS, name);
  if (!hasVariant(prompt.active)) {
    problems.push(dangling(file, 'system_prompt.active', `variant "${prompt.active}" does not exist`));
  }
  for (const provider of PROVIDER_IDS) {
    const name = prompt.provider_active[provider];
    if (name !== undefined && !hasVariant(name)) {
      problems.push(dangling(file, `system_prompt.provider_active.${provider}`, `variant "${name}" does not exist`));
    }
  }
  const version = guidelines.active_version;
  if (!Object.hasOwn(guidelines.versions, version) && !Object.hasOwn(DEFAULT_GUIDELINES_VERSIONS, version)) {
    problems.push(dangling(file, 'guidelines.active_version', `guidelines version "${version}" does not exist`));
  }
  return problems;
}

function dangling(file: string, key: string, what: string): ConfigProblem {
  return { file, key, kind: 'dangling_pointer', message: `${what}; falling back` };
}

export function loadToolsFile(raw: unknown, file = TOOLS_FILE): LenientParse<ToolPatch> {
  const { value, problems } = parseLeniently(ToolsFileSchema, raw, { file, toolMapPaths: ['tools'] });
  return {
    value: value.tools,
    problems: [...problems, ...missingTools(raw, file), ...findBraceProblems(file, value.tools, ['tools'])],
  };
}

/**
 * A tools.yaml that exists but leaves out a built-in tool is probably a mistake (§3.8). An absent or empty
 * file is not: the built-in catalog is the intended default then.
 */
function missingTools(raw: unknown, file: string): ConfigProblem[] {
  const doc = withoutNulls(raw);
  if (!isRecord(doc) || Object.keys(doc).length === 0) return [];
  const tools = isRecord(doc.tools) ? doc.tools : {};
  return TOOL_NAMES.filter((name) => !Object.hasOwn(tools, name)).map((name) => ({
    file,
    key: `tools.${name}`,
    kind: 'missing_tool' as const,
    message: `built-in tool "${name}" has no entry; using the built-in texts`,
  }));
}

/** `<provider>_tools.yaml`: the same shape as tools.yaml, but every entry is optional. */
export function loadToolOverrideFile(raw: unknown, file: string): LenientParse<ToolPatch> {
  const { value, problems } = parseLeniently(ToolsFileSchema, raw, { file, toolMapPaths: ['tools'] });
  return { value: value.tools, problems: [...problems, ...findBraceProblems(file, value.tools, ['tools'])] };
}

export function loadConversationContextFile(
  raw: unknown,
  file = CONVERSATION_CONTEXT_FILE,
): LenientParse<ConversationContext> {
  const { value, problems } = parseLeniently(ConversationContextSchema, raw, { file });
  return { value, problems: [...problems, ...findBraceProblems(file, value)] };
}

export function loadDebugFile(raw: unknown, file = DEBUG_FILE): LenientParse<DebugConfig> {
  const { value, problems } = parseLeniently(DebugFileSchema, raw, { file });
  return { value: value.debug, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
