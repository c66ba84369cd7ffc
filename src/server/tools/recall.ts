import { findMemory, normalizeRequestedSubtitle } from '../agents/memory.js';
import { renderTemplate } from '../prompts/template.js';
import type { TurnTool } from '../providers/types.js';
import { fail, ok, type ToolEntry, type ToolTurnContext } from './context.js';
import { objectSchema, readStringField, type StringField } from './input.js';

export const SUBTITLE_FIELD: StringField = {
  key: 'subtitle',
  max: 200,
  description: 'The subtitle of the memory, exactly as listed.',
};

// Any placeholder form of the variable counts, including a particle form such as `{memory_content:은는}`.
const MEMORY_CONTENT_PLACEHOLDER = /\{memory_content(?::[^{}:]+)?\}/;

/**
 * `recall` (§8.2, §2.8): looks a long-term memory up by subtitle. Found: `response`, with the content appended
 * after a blank line when the template does not place it. Not found: `not_found_response` as an error result,
 * listing the subtitles so the model can retry with a real one.
 */
export function createRecallTool(context: ToolTurnContext, entry: ToolEntry<'recall'>): TurnTool {
  const { agent } = context;
  const subtitles = [...agent.memory.keys()].join(', ');
  return {
    name: 'recall',
    description: renderTemplate(entry.description, { agent_name: agent.name, memory_subtitles: subtitles }),
    inputSchema: objectSchema(SUBTITLE_FIELD),
    handle(input) {
      const field = readStringField(input, SUBTITLE_FIELD);
      if ('error' in field) return Promise.resolve(field.error);
      const hit = findMemory(agent.memory, field.value);
      if (hit === null) {
        const text = renderTemplate(entry.not_found_response, {
          agent_name: agent.name,
          subtitle: normalizeRequestedSubtitle(field.value),
          available_subtitles: subtitles,
        });
        return Promise.resolve(fail(text));
      }
      const vars = { agent_name: agent.name, subtitle: hit.subtitle, memory_content: hit.content };
      let text = renderTemplate(entry.response, vars);
      if (!MEMORY_CONTENT_PLACEHOLDER.test(entry.response)) text = `${text}\n\n${hit.content}`;
      return Promise.resolve(ok(text));
    },
  };
}
