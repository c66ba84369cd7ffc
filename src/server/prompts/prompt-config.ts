import { join } from 'node:path';
import type { Logger } from 'pino';
import { PROVIDER_IDS } from './config-schemas.js';
import type {
  ConversationContext,
  DebugConfig,
  GuidelinesMode,
  ProviderId,
  Sections,
  ToolCatalog,
} from './config-schemas.js';
import {
  CONVERSATION_CONTEXT_FILE,
  DEBUG_FILE,
  TOOLS_FILE,
  loadConversationContextFile,
  loadDebugFile,
  loadGuidelinesFile,
  loadToolOverrideFile,
  loadToolsFile,
  toolOverrideFile,
} from './config-files.js';
import type { ConfigProblem, LenientParse } from './config-problems.js';
import {
  DEFAULT_GUIDELINES_TEXT,
  DEFAULT_GUIDELINES_VERSIONS,
  DEFAULT_SYSTEM_PROMPT_TEMPLATE,
  DEFAULT_TOOLS,
  DEFAULT_VARIANTS,
} from './defaults.js';
import { applyToolPatch, enabledToolNames, parseToolPatch } from './tool-catalog.js';
import type { YamlStore } from './yaml-store.js';

export interface PromptConfigOptions {
  configDir: string;
  /** Base name (or file name) of the guidelines file inside configDir. */
  guidelinesFile?: string;
  yaml: YamlStore;
  log: Logger;
}

interface FileState<T> {
  signature: string;
  raw: unknown;
  value: T;
  problems: ConfigProblem[];
}

/** Name of the variant or guideline version in use; `built-in` when the file points at nothing usable. */
const BUILT_IN = 'built-in';
const GROUP_CONFIG_FILE = 'group_config.yaml';
// Group tool problems are warned once each; the bound keeps a long-running server from collecting them forever.
const MAX_REMEMBERED_GROUP_WARNINGS = 1000;

/**
 * The configuration YAML files of behavior.md §3 behind typed getters. Every getter goes through the YAML
 * store, which re-stats on each access, so edits apply on the next call (hot reload). Each file is loaded and
 * validated once per signature; its problems are logged at that moment, so each version of a file is
 * reported once. Bad config never throws: offending values fall back to built-in defaults.
 */
export function createPromptConfig({ configDir, guidelinesFile = 'guidelines_3rd', yaml, log }: PromptConfigOptions) {
  const guidelinesName = guidelinesFile.endsWith('.yaml') ? guidelinesFile : `${guidelinesFile}.yaml`;
  const warnedGroupProblems = new Set<string>();

  function reportProblems(problems: readonly ConfigProblem[], fields: Record<string, string> = {}): void {
    for (const problem of problems) {
      log.warn(
        { ...fields, file: problem.file, key: problem.key, problem: problem.kind, detail: problem.message },
        'config problem',
      );
    }
  }

  function tracked<T>(file: string, load: (raw: unknown, file: string) => LenientParse<T>): () => FileState<T> {
    let state: FileState<T> | undefined;
    return function current() {
      const path = join(configDir, file);
      const signature = yaml.signature(path);
      if (state?.signature === signature) return state;
      const raw = yaml.read(path);
      // On a parse error the store returns its last good object (and logs the error itself): the content we
      // act on is unchanged, so are its value and problems, and they were reported already.
      if (state !== undefined && raw === state.raw) {
        state = { ...state, signature };
        return state;
      }
      if (state !== undefined) log.info({ file }, 'config file reloaded');
      state = { signature, raw, ...load(raw, file) };
      reportProblems(state.problems);
      return state;
    };
  }

  const guidelinesState = tracked(guidelinesName, loadGuidelinesFile);
  const toolsState = tracked(TOOLS_FILE, (raw, file) => loadToolsFile(raw, file));
  const overrideStates = {
    claude: tracked(toolOverrideFile('claude'), loadToolOverrideFile),
    codex: tracked(toolOverrideFile('codex'), loadToolOverrideFile),
    openai: tracked(toolOverrideFile('openai'), loadToolOverrideFile),
  } satisfies Record<ProviderId, unknown>;
  const contextState = tracked(CONVERSATION_CONTEXT_FILE, (raw, file) => loadConversationContextFile(raw, file));
  const debugState = tracked(DEBUG_FILE, (raw, file) => loadDebugFile(raw, file));

  /** §3.2 rule 1: provider_active, then active, then the built-in template; empty variants fall through. */
  function resolveVariant(provider: ProviderId): { name: string; template: string } {
    const prompt = guidelinesState().value.system_prompt;
    for (const name of [prompt.provider_active[provider], prompt.active]) {
      if (name === undefined) continue;
      const template = own(prompt.variants, name) ?? own(DEFAULT_VARIANTS, name) ?? '';
      if (template.trim() !== '') return { name, template };
    }
    return { name: BUILT_IN, template: DEFAULT_SYSTEM_PROMPT_TEMPLATE };
  }

  /** §3.2 rule 2: the provider's text of the active version, else its default, else the built-in text. */
  function resolveGuidelines(provider: ProviderId): { version: string; text: string } {
    const { active_version: version, versions } = guidelinesState().value.guidelines;
    const texts = own(versions, version) ?? own(DEFAULT_GUIDELINES_VERSIONS, version);
    for (const text of [texts?.[provider], texts?.default]) {
      if (text !== undefined && text.trim() !== '') return { version, text };
    }
    return { version: BUILT_IN, text: DEFAULT_GUIDELINES_TEXT };
  }

  function guidelinesMode(): GuidelinesMode {
    return guidelinesState().value.guidelines.mode;
  }

  function reportGroupProblems(problems: readonly ConfigProblem[], group: string | undefined): void {
    const fresh = problems.filter((problem) => {
      const id = `${group ?? ''}\u0000${problem.key}\u0000${problem.kind}\u0000${problem.message}`;
      if (warnedGroupProblems.has(id)) return false;
      if (warnedGroupProblems.size >= MAX_REMEMBERED_GROUP_WARNINGS) warnedGroupProblems.clear();
      warnedGroupProblems.add(id);
      return true;
    });
    reportProblems(fresh, group === undefined ? {} : { group });
  }

  /**
   * §3.3 rule 1: built-in catalog → tools.yaml → <provider>_tools.yaml → the group's `tools`, each a per-field
   * update. Inline guidelines switch read_guidelines off (§3.2 rule 3) here, so every exposure agrees.
   * Returns fresh objects on every call.
   */
  function tools(provider: ProviderId, groupTools?: Readonly<Record<string, unknown>>, group?: string): ToolCatalog {
    let catalog = applyToolPatch(DEFAULT_TOOLS, toolsState().value);
    catalog = applyToolPatch(catalog, overrideStates[provider]().value);
    if (groupTools !== undefined) {
      const patch = parseToolPatch(groupTools, GROUP_CONFIG_FILE);
      reportGroupProblems(patch.problems, group);
      catalog = applyToolPatch(catalog, patch.value);
    }
    if (guidelinesMode() === 'inline') catalog.read_guidelines.enabled = false;
    return catalog;
  }

  function conversationContext(): ConversationContext {
    return structuredClone(contextState().value);
  }

  function allProblems(): ConfigProblem[] {
    return [
      ...guidelinesState().problems,
      ...toolsState().problems,
      ...PROVIDER_IDS.flatMap((provider) => overrideStates[provider]().problems),
      ...contextState().problems,
      ...debugState().problems,
    ];
  }

  return {
    /** The unrendered base template for a provider. */
    systemPromptTemplate: (provider: ProviderId): string => resolveVariant(provider).template,
    sections: (): Sections => ({ ...guidelinesState().value.sections }),
    /** The unrendered guidelines text for a provider. */
    guidelines: (provider: ProviderId): string => resolveGuidelines(provider).text,
    guidelinesMode,
    tools,
    conversationContext,
    /** §4.7 rule 1: `response_instruction_<provider>` when non-empty, else `response_instruction`. */
    responseInstruction(provider: ProviderId): string {
      const context = contextState().value;
      const specific = context[`response_instruction_${provider}`];
      return specific.trim() !== '' ? specific : context.response_instruction;
    },
    debug: (): DebugConfig => structuredClone(debugState().value),
    /** Current problems of every file. Files changed since their last load are reloaded (and logged). */
    validate: allProblems,
    /**
     * §3.8 startup log: loads every file (a file's problems are warned when it is loaded), then reports the
     * active prompt variant, guideline version and enabled tools per provider.
     */
    logStartupSummary(): ConfigProblem[] {
      const problems = allProblems();
      const missing = [guidelinesName, TOOLS_FILE, CONVERSATION_CONTEXT_FILE, DEBUG_FILE].filter(
        (file) => yaml.signature(join(configDir, file)) === 'missing',
      );
      if (missing.length > 0) {
        log.info({ config_dir: configDir, files: missing }, 'config files not found; using built-in defaults');
      }
      const variants = Object.fromEntries(PROVIDER_IDS.map((provider) => [provider, resolveVariant(provider).name]));
      const guideline = resolveGuidelines('claude').version;
      log.info(
        { system_prompt_variants: variants, guidelines_version: guideline, guidelines_mode: guidelinesMode() },
        'prompt configuration',
      );
      for (const provider of PROVIDER_IDS) {
        log.info({ provider, tools: enabledToolNames(tools(provider)) }, 'enabled tools');
      }
      log.info({ problems: problems.length }, 'config validated');
      return problems;
    },
  };
}

export type PromptConfig = ReturnType<typeof createPromptConfig>;

/** Own entries only: a pointer such as `toString` must not reach Object.prototype. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
