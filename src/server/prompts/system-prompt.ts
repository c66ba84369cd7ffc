import { formatChatTime } from './chat-time.js';
import type { ProviderId } from './config-schemas.js';
import type { PromptConfig } from './prompt-config.js';
import { renderTemplate } from './template.js';

/** The part of the prompt configuration the system prompt reads; narrow so callers and tests can pass less. */
export type SystemPromptConfig = Pick<
  PromptConfig,
  'systemPromptTemplate' | 'sections' | 'guidelines' | 'guidelinesMode'
>;

export interface CharacterTexts {
  /** in_a_nutshell.md */
  inANutshell: string;
  /** characteristics.md */
  characteristics: string;
  /** recent_events.md */
  recentEvents: string;
}

export interface TimeLineOptions {
  config: Pick<PromptConfig, 'sections'>;
  agentName: string;
  userName: string;
  now?: Date;
  /** CHAT_TIMEZONE */
  timeZone: string;
  /** CHAT_TIMEZONE_LABEL */
  timeZoneLabel?: string;
}

export interface SystemPromptOptions extends TimeLineOptions {
  config: SystemPromptConfig;
  provider: ProviderId;
  texts: CharacterTexts;
  includeTimeLine: boolean;
}

/**
 * The time line (`sections.time_line` with `current_time`, §9.3). Exported on its own because Codex puts it
 * at the top of the per-turn message instead of the system prompt (behavior.md §7.7 rule 6).
 */
export function buildTimeLine(options: TimeLineOptions): string {
  const { config, agentName, userName, now = new Date(), timeZone, timeZoneLabel } = options;
  const currentTime = formatChatTime(now, timeZone, timeZoneLabel);
  return renderTemplate(config.sections().time_line, {
    agent_name: agentName,
    user_name: userName,
    current_time: currentTime,
  });
}

/**
 * The system prompt of one turn, rebuilt every turn (behavior.md §4.1):
 * 1. the provider's base template;
 * 2. the non-empty character sections (blank line, heading, blank line, text), then the inline guidelines;
 * 3. blank line, `---`, blank line, the time line (left out for Codex, whose time line goes in the turn).
 */
export function buildSystemPrompt(options: SystemPromptOptions): string {
  const { config, provider, agentName, userName, texts } = options;
  const vars = { agent_name: agentName, user_name: userName };
  const headings = config.sections();
  const sections: Array<[heading: string, text: string]> = [
    [headings.nutshell, texts.inANutshell],
    [headings.characteristics, texts.characteristics],
    [headings.recent_events, texts.recentEvents],
  ];
  if (config.guidelinesMode() === 'inline') {
    sections.push([headings.guidelines, renderTemplate(config.guidelines(provider), vars)]);
  }

  let prompt = renderTemplate(config.systemPromptTemplate(provider), vars).trim();
  for (const [heading, text] of sections) {
    // Markdown files usually end in a newline; trimming keeps the blank-line layout exact.
    const body = text.trim();
    if (body === '') continue;
    const title = renderTemplate(heading, vars).trim();
    prompt += title === '' ? `\n\n${body}` : `\n\n${title}\n\n${body}`;
  }
  if (options.includeTimeLine && provider !== 'codex') {
    prompt += `\n\n---\n\n${buildTimeLine(options)}`;
  }
  return prompt;
}
