import { renderTemplate } from '../prompts/template.js';
import type { TurnTool } from '../providers/types.js';
import { ok, type ToolEntry, type ToolTurnContext } from './context.js';
import { objectSchema } from './input.js';

/** `skip` (§8.2): no side effect besides telling the engine; the engine treats the turn as skipped. */
export function createSkipTool(context: ToolTurnContext, entry: ToolEntry<'skip'>): TurnTool {
  const vars = { agent_name: context.agent.name };
  return {
    name: 'skip',
    description: renderTemplate(entry.description, vars),
    inputSchema: objectSchema(),
    handle() {
      context.onSkip?.();
      return Promise.resolve(ok(renderTemplate(entry.response, vars)));
    },
  };
}
