import type { Agent, Message } from '../../shared/models.js';

/** What a message is, for drawing (ui.md §3.4, §4.4.2 row types). Pure. */
export type MessageKind = 'notice' | 'user' | 'character' | 'situation' | 'agent' | 'critic' | 'skip';

export function authorOf(message: Pick<Message, 'agent_id'>, members: readonly Agent[] | undefined): Agent | undefined {
  return message.agent_id === null ? undefined : members?.find((agent) => agent.id === message.agent_id);
}

export function messageKind(
  message: Pick<Message, 'participant_type' | 'role' | 'is_skip' | 'agent_id'>,
  members?: readonly Agent[],
): MessageKind {
  if (message.participant_type === 'system') return 'notice';
  if (message.participant_type === 'character') return 'character';
  if (message.participant_type === 'situation_builder') return 'situation';
  if (message.participant_type === 'user' || message.role === 'user') return 'user';
  if (message.is_skip) return 'skip';
  return authorOf(message, members)?.is_critic === true ? 'critic' : 'agent';
}

/** An agent reply (not a notice, not a user's message): the kind regenerate and whiteboard diffs apply to. */
export function isAgentReply(message: Pick<Message, 'agent_id' | 'role' | 'participant_type'>): boolean {
  return message.agent_id !== null && message.role === 'assistant' && message.participant_type === null;
}

/** The image as a data URL, for the four types the API accepts (never SVG); null without one. */
export function imageUrl(message: Pick<Message, 'image_data' | 'image_media_type'>): string | null {
  const data = message.image_data;
  if (!data) return null;
  const type = (message.image_media_type ?? 'image/png').toLowerCase();
  if (!/^image\/(png|jpeg|gif|webp)$/.test(type)) return null;
  const base64 = data.replace(/-/g, '+').replace(/_/g, '/');
  return `data:${type};base64,${base64}`;
}

/** What "Copy with thinking" puts on the clipboard. */
export function withThinking(message: Pick<Message, 'content' | 'thinking'>, label: string): string {
  const thinking = message.thinking?.trim();
  if (!thinking) return message.content;
  const quoted = thinking
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
  return `> **${label}**\n${quoted}\n\n${message.content}`;
}
