/** Direct chats (ui.md §4.9). */

const DIRECT_NAME = /^Direct: (.+?)(?: \((claude|codex|openai)\))?$/;

export interface DirectRoomName {
  agentName: string;
  provider?: string;
}

/** The agent (and the provider, when the name carries one) of a direct room's name; undefined for other rooms. */
export function parseDirectRoom(name: string): DirectRoomName | undefined {
  const match = DIRECT_NAME.exec(name);
  if (!match?.[1]) return undefined;
  return match[2] ? { agentName: match[1], provider: match[2] } : { agentName: match[1] };
}
