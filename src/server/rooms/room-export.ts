import type { Message, RoomWithAgents } from '../../shared/models.js';

/** api.md §6.10: room export as Markdown or JSON. */

export function speakerOf(message: Message, userName: string): string {
  if (message.participant_type === 'system') return 'System';
  if (message.role === 'user') {
    if (message.participant_name) return message.participant_name;
    if (message.participant_type === 'situation_builder') return 'Situation Builder';
    return userName;
  }
  return message.agent_name ?? 'Unknown';
}

export function renderRoomMarkdown({
  room,
  messages,
  exportedAt,
  includeThinking,
  includeSkips,
  userName,
}: {
  room: RoomWithAgents;
  messages: Message[];
  exportedAt: string;
  includeThinking: boolean;
  includeSkips: boolean;
  userName: string;
}): string {
  const provider = room.default_model ? `${room.default_provider} (${room.default_model})` : room.default_provider;
  const agents = room.agents.length > 0 ? room.agents.map((agent) => agent.name).join(', ') : 'none';
  const lines = [
    `# ${room.name}`,
    '',
    `- Room ID: ${room.id}`,
    `- Provider: ${provider}`,
    `- Agents: ${agents}`,
    `- Exported: ${exportedAt}`,
    '',
    '---',
    '',
  ];
  for (const message of messages) {
    if (message.is_skip && !includeSkips) continue;
    lines.push(`**${speakerOf(message, userName)}** · ${message.timestamp}`, '');
    if (includeThinking && message.thinking && message.thinking.trim() !== '') {
      lines.push('<details><summary>Thinking</summary>', '', message.thinking, '', '</details>', '');
    }
    lines.push(message.is_skip ? '*(skipped)*' : message.content, '');
    if (message.image_media_type && message.image_data) lines.push(`*[image: ${message.image_media_type}]*`, '');
  }
  // Every line ends in `\n`, so each block (and the header) ends with the blank line of the §6.10 layout.
  return lines.map((line) => `${line}\n`).join('');
}

export function exportDisposition({ roomId, roomName, ext }: { roomId: number; roomName: string; ext: 'md' | 'json' }): string {
  const slug = [...roomName.replace(/[^\p{L}\p{N}._-]/gu, '_')].slice(0, 80).join('');
  return `attachment; filename="room-${roomId}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${slug}-${roomId}.${ext}`)}`;
}
