import { appendRecentEvent, flattenEntry } from '../agents/recent-events.js';
import { renderTemplate } from '../prompts/template.js';
import type { TurnTool } from '../providers/types.js';
import { fail, ok, type ToolEntry, type ToolTurnContext } from './context.js';
import { objectSchema, readStringField, type StringField } from './input.js';

export const MEMORY_ENTRY_FIELD: StringField = {
  key: 'memory_entry',
  max: 500,
  description: 'What to remember, in one or two sentences.',
};

/**
 * `memorize` (§8.2, §2.9): appends one line to recent_events.md under the folder's cross-process lock. A write
 * failure is the catalog's `error_response` as an error result, logged with the cause, so the model can carry on.
 */
export function createMemorizeTool(context: ToolTurnContext, entry: ToolEntry<'memorize'>): TurnTool {
  const { agent } = context;
  return {
    name: 'memorize',
    description: renderTemplate(entry.description, { agent_name: agent.name }),
    inputSchema: objectSchema(MEMORY_ENTRY_FIELD),
    async handle(input) {
      const field = readStringField(input, MEMORY_ENTRY_FIELD);
      if ('error' in field) return field.error;
      let line: string;
      try {
        line = await appendRecentEvent({
          dir: agent.dir,
          entry: field.value,
          timeZone: context.timeZone,
          now: context.clock,
          ...(context.lock === undefined ? {} : { lock: context.lock }),
        });
      } catch (err) {
        context.log.warn({ err, agent: agent.name, tool: 'memorize' }, 'memorize failed');
        return fail(renderTemplate(entry.error_response, { agent_name: agent.name }));
      }
      context.onMemorized?.(line);
      // The variable is the entry as stored (flattened to one line), so the model sees what it will read later.
      const stored = flattenEntry(field.value);
      return ok(renderTemplate(entry.response, { agent_name: agent.name, memory_entry: stored }));
    },
  };
}
