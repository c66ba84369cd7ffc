import { join } from 'node:path';
import type { SimMessage } from './simulate-api.js';

/**
 * The Markdown transcript of a simulation (behavior.md §10.1 rule 5): a header, then one section per message,
 * in id order. The file is the full record: thinking (collapsed) and skip markers are always in it; the
 * `--no-thinking` and `--hide-skips` flags only quiet the terminal.
 */

export type MessageKind = 'reply' | 'skip' | 'notice' | 'user';

export function kindOf(message: SimMessage): MessageKind {
  // api.md §3.2: agent messages (replies, partials, skips, critic replies) are the ones without a participant type.
  if (message.participant_type === null) return message.is_skip ? 'skip' : 'reply';
  return message.participant_type === 'system' ? 'notice' : 'user';
}

/** Speaker names as the room export uses them (api.md §6.10), with `User` for plain user messages. */
export function speakerOf(message: SimMessage): string {
  switch (kindOf(message)) {
    case 'notice':
      return 'System';
    case 'reply':
    case 'skip':
      return message.agent_name ?? 'Unknown';
    case 'user':
      if (message.participant_name) return message.participant_name;
      return message.participant_type === 'situation_builder' ? 'Situation Builder' : 'User';
  }
}

export interface MessageCounts {
  total: number;
  replies: number;
  skips: number;
  notices: number;
  user: number;
}

export function countMessages(messages: readonly SimMessage[]): MessageCounts {
  const counts: MessageCounts = { total: messages.length, replies: 0, skips: 0, notices: 0, user: 0 };
  for (const message of messages) {
    const kind = kindOf(message);
    if (kind === 'reply') counts.replies += 1;
    else if (kind === 'skip') counts.skips += 1;
    else if (kind === 'notice') counts.notices += 1;
    else counts.user += 1;
  }
  return counts;
}

/** `HH:mm:ss` of an ISO time in the given IANA time zone. */
export function formatClock(iso: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return format.format(new Date(iso));
}

/** A file name from a room name: letters, digits, `.`, `_` and `-` are kept, anything else becomes `_`. */
export function fileSlug(name: string): string {
  const slug = [...name.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_').replace(/^[._]+|_+$/g, '')].slice(0, 80).join('');
  return slug.length > 0 ? slug : 'simulation';
}

/** `simulations/<room name>.md` under `baseDir` (behavior.md §10.1 rule 5). */
export function defaultTranscriptPath(baseDir: string, roomName: string): string {
  return join(baseDir, 'simulations', `${fileSlug(roomName)}.md`);
}

export interface TranscriptInput {
  topic: string;
  agents: readonly string[];
  room: { id: number; name: string; default_provider: string; default_model: string | null };
  startedAt: Date;
  endedAt: Date;
  /** A sentence saying why the simulation stopped. */
  stopped: string;
  messages: readonly SimMessage[];
  timeZone: string;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? `> ${line}` : '>'))
    .join('\n');
}

function providerLine(input: TranscriptInput): string {
  const models = input.room.default_model
    ? [input.room.default_model]
    : [...new Set(input.messages.flatMap((message) => (message.model ? [message.model] : [])))];
  return models.length > 0 ? `${input.room.default_provider} (${models.join(', ')})` : input.room.default_provider;
}

function renderHeader(input: TranscriptInput): string[] {
  const counts = countMessages(input.messages);
  const topic = input.topic.includes('\n') ? `- Topic:\n\n${quote(input.topic).replace(/^/gm, '  ')}\n` : `- Topic: ${input.topic}`;
  return [
    `# ${input.room.name}`,
    '',
    topic,
    `- Agents: ${input.agents.join(', ')}`,
    `- Provider: ${providerLine(input)}`,
    `- Room ID: ${input.room.id}`,
    `- Started: ${input.startedAt.toISOString()}`,
    `- Ended: ${input.endedAt.toISOString()}`,
    `- Stopped: ${input.stopped}`,
    `- Messages: ${counts.total} (${plural(counts.replies, 'agent reply', 'agent replies')}, ${plural(counts.skips, 'skip')}, ` +
      `${plural(counts.notices, 'notice')}, ${plural(counts.user, 'user message')})`,
    `- Times: ${input.timeZone}`,
    '',
    '---',
    '',
  ];
}

function renderMessage(message: SimMessage, timeZone: string): string[] {
  const clock = formatClock(message.timestamp, timeZone);
  if (kindOf(message) === 'notice') return [quote(`**Notice** · ${clock} — ${message.content}`), ''];
  const lines = [`### ${speakerOf(message)} · ${clock}`, ''];
  const thinking = message.thinking?.trim();
  if (thinking) lines.push('<details>', '<summary>Thinking</summary>', '', thinking, '', '</details>', '');
  if (message.is_skip) lines.push('*(skipped)*', '');
  else {
    if (message.content.length > 0) lines.push(message.content, '');
    if (message.image_media_type) lines.push(`*[image: ${message.image_media_type}]*`, '');
  }
  return lines;
}

export function renderTranscript(input: TranscriptInput): string {
  const lines = renderHeader(input);
  for (const message of input.messages) lines.push(...renderMessage(message, input.timeZone));
  return `${lines.join('\n').trimEnd()}\n`;
}
