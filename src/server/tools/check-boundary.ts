import { renderTemplate } from '../prompts/template.js';
import type { TurnTool } from '../providers/types.js';
import { ok, type ToolEntry, type ToolTurnContext } from './context.js';
import { objectSchema, readStringField, type StringField } from './input.js';

export const SITUATION_FIELD: StringField = {
  key: 'situation',
  max: 1000,
  description: 'The situation to check, in one short sentence.',
};

/**
 * `check_boundary` (§8.2, §2.5): denied when the agent has a boundary entry, else allowed. Either answer is a
 * normal (non-error) result; the situation is reported for the message's `anthropic_calls`.
 */
export function createCheckBoundaryTool(context: ToolTurnContext, entry: ToolEntry<'check_boundary'>): TurnTool {
  const { agent } = context;
  return {
    name: 'check_boundary',
    description: renderTemplate(entry.description, { agent_name: agent.name }),
    inputSchema: objectSchema(SITUATION_FIELD),
    handle(input) {
      const field = readStringField(input, SITUATION_FIELD);
      if ('error' in field) return Promise.resolve(field.error);
      context.onBoundaryCheck?.(field.value);
      const template = agent.hasBoundary ? entry.denied_response : entry.allowed_response;
      return Promise.resolve(ok(renderTemplate(template, { agent_name: agent.name, situation: field.value })));
    },
  };
}
