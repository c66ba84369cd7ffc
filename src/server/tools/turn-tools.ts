import type { TurnTool } from '../providers/types.js';
import { createCheckBoundaryTool } from './check-boundary.js';
import { fail, type ToolResult, type ToolTurnContext } from './context.js';
import { createMemorizeTool } from './memorize.js';
import { createReadGuidelinesTool } from './read-guidelines.js';
import { createRecallTool } from './recall.js';
import { createSkipTool } from './skip.js';

/**
 * The tools offered in one turn (behavior.md §8.3): the merged catalog for (provider, group) decides, plus the
 * two rules of §8.2 — recall only for agents with memory sections, read_guidelines never in inline mode. Every
 * exposure (Claude, Codex, openai) builds from this one list, so they cannot disagree. Order is the catalog's.
 */
export function buildTurnTools(context: ToolTurnContext): TurnTool[] {
  const group = context.agent.group ?? undefined;
  const catalog = context.config.tools(context.provider, context.agent.groupTools, group);
  const tools: TurnTool[] = [];
  if (catalog.skip.enabled) tools.push(createSkipTool(context, catalog.skip));
  if (catalog.memorize.enabled) tools.push(createMemorizeTool(context, catalog.memorize));
  if (catalog.recall.enabled && context.agent.memory.size > 0) {
    tools.push(createRecallTool(context, catalog.recall));
  }
  // prompt-config already disables it in inline mode; checked again so a narrowed config stub cannot differ.
  if (catalog.read_guidelines.enabled && context.config.guidelinesMode() !== 'inline') {
    tools.push(createReadGuidelinesTool(context, catalog.read_guidelines));
  }
  if (catalog.check_boundary.enabled) tools.push(createCheckBoundaryTool(context, catalog.check_boundary));
  return tools;
}

/**
 * Dispatches a call by name for the adapters that receive names (Codex stdio server, openai function calls).
 * A name that is not offered this turn is an error result (§8.2 rule 2); a throwing handler becomes one too,
 * so a tool bug never ends the turn.
 */
export async function callTurnTool(
  tools: readonly TurnTool[],
  name: string,
  input: unknown,
): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) return fail(notAvailableText(name));
  try {
    return await tool.handle(input);
  } catch (err) {
    return fail(`The tool "${name}" failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function notAvailableText(name: string): string {
  return `The tool "${name}" is not available in this turn.`;
}

