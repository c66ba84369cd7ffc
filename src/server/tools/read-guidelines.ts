import { renderTemplate } from '../prompts/template.js';
import type { TurnTool } from '../providers/types.js';
import { ok, type ToolEntry, type ToolTurnContext } from './context.js';
import { objectSchema } from './input.js';

/** `read_guidelines` (§8.2): the provider's guidelines text (§3.2) rendered with the agent's name. */
export function createReadGuidelinesTool(context: ToolTurnContext, entry: ToolEntry<'read_guidelines'>): TurnTool {
  const agentName = context.agent.name;
  return {
    name: 'read_guidelines',
    description: renderTemplate(entry.description, { agent_name: agentName }),
    inputSchema: objectSchema(),
    handle() {
      // Read at call time so an edit of the guidelines file during a long turn is seen (hot reload, §3.1).
      const content = renderTemplate(context.config.guidelines(context.provider), { agent_name: agentName }).trim();
      const text = renderTemplate(entry.response, { agent_name: agentName, guidelines_content: content });
      return Promise.resolve(ok(text));
    },
  };
}
