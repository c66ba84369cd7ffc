import type { ProviderId, ToolCatalog } from './config-schemas.js';

/**
 * Built-in defaults for every key of the configuration files (behavior.md §3.1 rule 2), so the server works
 * with an empty config directory. The shipped files in `config/` hold the same values; a unit test keeps the
 * two in step. All wording is ours.
 *
 * The objects are deep-frozen: readers always receive copies, and freezing turns an accidental write into an
 * immediate error instead of a config that silently drifts for every later turn.
 */

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// ---- guidelines_3rd.yaml -----------------------------------------------------------------------------------

export const DEFAULT_VARIANT_NAME = 'v1';

export const DEFAULT_SYSTEM_PROMPT_TEMPLATE = `You are voicing {agent_name} in a group chat. Several characters share this room with the user, and each of them is voiced separately; you speak for {agent_name} alone.

How to take part:
- Stay in character as {agent_name} from start to finish. Use {agent_name}'s own voice: their vocabulary, their opinions, their moods and their way of seeing things.
- Write only what {agent_name} says or does. Never write lines, thoughts or actions for the other characters or for the user, and don't put a name label in front of your reply.
- Keep replies conversational and reasonably short, the way people talk in a chat: usually a few sentences. Go longer only when the moment really calls for it.
- React to what the others just said. Answer questions, pick up on details, agree or push back; don't deliver a speech that ignores the room.
- If {agent_name} would have nothing to say right now, stay quiet with the skip tool instead of filling the silence.
- Use your tools when they help: memorize what {agent_name} will want to remember, recall an older memory when it matters, and read the room's guidelines when unsure how to behave.

The sections below describe who {agent_name} is. Treat them as your own memories and personality.`;

export const DEFAULT_VARIANTS: Readonly<Record<string, string>> = deepFreeze({
  [DEFAULT_VARIANT_NAME]: DEFAULT_SYSTEM_PROMPT_TEMPLATE,
});

export const DEFAULT_SECTIONS = deepFreeze({
  nutshell: '## {agent_name} in brief',
  characteristics: '## {agent_name}: characteristics',
  recent_events: '## Recent events',
  guidelines: '## Guidelines',
  time_line: 'Current time: {current_time}',
});

export const DEFAULT_GUIDELINES_VERSION = 'g1';

export const DEFAULT_GUIDELINES_TEXT = `These are the house rules for {agent_name} in this room.

1. Be {agent_name}. Think, feel and answer the way {agent_name} would, drawing on the character description you were given. Let opinions, habits and quirks show.
2. Speak only for yourself. The other characters and the user have their own voices; describe what {agent_name} says and does, never what anyone else says or does.
3. Keep it lively and brief. One to four sentences is usually right. Vary your openings and don't repeat phrases you have already used.
4. Listen before you talk. Respond to the most recent messages, address people by name when it helps, and let jokes, disagreements and side conversations happen naturally.
5. Silence is allowed. If {agent_name} would not speak up at this moment, call the skip tool and write nothing else.
6. Keep track of what matters. Use memorize for events {agent_name} would remember later, and recall when an older memory would make the reply better.
7. Respect personal limits. If a situation touches on something {agent_name} may not be comfortable with, call check_boundary with a short description and follow its answer, staying in character either way.`;

/** Guideline texts of one version: `default` plus optional provider-specific variants (§3.2 rule 2). */
export type GuidelineTexts = Readonly<Partial<Record<'default' | ProviderId, string>>>;

export const DEFAULT_GUIDELINES_VERSIONS: Readonly<Record<string, GuidelineTexts>> = deepFreeze({
  [DEFAULT_GUIDELINES_VERSION]: { default: DEFAULT_GUIDELINES_TEXT },
});

// ---- tools.yaml ----------------------------------------------------------------------------------------------

export const DEFAULT_TOOLS: ToolCatalog = deepFreeze({
  skip: {
    enabled: true,
    description:
      'Stay silent this turn. Use it when {agent_name} has nothing to add, or when the latest messages are not meant for {agent_name}. Write no reply text after calling it.',
    response: '{agent_name} stays silent this turn.',
  },
  memorize: {
    enabled: true,
    description:
      "Save a short note about something {agent_name} wants to remember later: an event, a promise, something learned about someone. Write it in one or two sentences from {agent_name}'s point of view.",
    response: "Saved to {agent_name}'s memories: {memory_entry}",
    error_response: 'The memory could not be saved this time. Carry on with the conversation.',
  },
  recall: {
    enabled: true,
    description:
      "Look up one of {agent_name}'s long-term memories by its subtitle and get the whole memory back. Use it when an older memory would make the reply better. Available subtitles: {memory_subtitles}",
    response: 'Memory "{subtitle}":\n\n{memory_content}',
    not_found_response: 'No memory is filed under "{subtitle}". Available subtitles: {available_subtitles}',
  },
  read_guidelines: {
    enabled: true,
    description:
      'Read the guidelines for how {agent_name} takes part in this room. Check them when unsure how to respond.',
    response: '{guidelines_content}',
  },
  check_boundary: {
    enabled: true,
    description:
      "Check whether a situation is within {agent_name}'s personal limits before going along with it. Describe the situation in one short sentence.",
    allowed_response: "This is within {agent_name}'s limits ({situation}). Carry on in character.",
    denied_response:
      "This goes past {agent_name}'s personal limits. Stay in character and let {agent_name} decline or steer the conversation somewhere else.",
  },
});

// ---- conversation_context.yaml -----------------------------------------------------------------------------

export const DEFAULT_CONVERSATION_CONTEXT = deepFreeze({
  header: '<conversation>',
  footer: '</conversation>',
  max_messages: 25,
  recall_reminder: '',
  response_instruction: "Reply as {agent_name}: write only {agent_name}'s next message, or use skip to stay silent.",
  response_instruction_claude: '',
  response_instruction_codex: '',
  response_instruction_openai: '',
  empty_conversation: 'Nothing new has been said; go on as {agent_name} would.',
  situation_builder: {
    enabled: true,
    label: 'Situation Builder',
    note: 'Lines from the Situation Builder set the scene or pose a hypothetical; they are not a character speaking. Take them as the current situation and react in character. When many characters are answering at once, keep your reply short.',
  },
  whiteboard: { header: '[Whiteboard]', empty: '(empty)' },
  image_placeholder: '[image]',
  // README binding resolution 2 fixes the first two texts; the variable of agent_error is `error`.
  notices: {
    agent_joined: '{agent_name} joined the chat',
    agent_error: '{agent_name} could not respond: {error}',
    provider_unavailable: 'No AI provider is available for this room ({reason}).',
  },
});

// ---- debug.yaml ----------------------------------------------------------------------------------------------

export const DEFAULT_DEBUG = deepFreeze({
  enabled: false,
  agents: [] as string[],
  output_file: 'logs/agent-debug.jsonl',
  log: { system_prompt: true, tools: true, message: true, thinking: true, response: true, usage: true },
  max_string_length: 20000,
});
