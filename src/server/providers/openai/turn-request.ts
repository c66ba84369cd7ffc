import type { HistoryEntry, TurnTool, UserPart } from '../types.js';

/** Turning a `TurnRequest` into AI SDK messages and tools (behavior.md §4.10, §7.8 rules 3 and 5). */

export type Sdk = [typeof import('ai'), typeof import('@ai-sdk/openai-compatible')];

/** The `image_placeholder` default (behavior.md §3): what a model that cannot take images sees instead. */
export const IMAGE_PLACEHOLDER = '[image]';

/** A function tool whose handler result goes back to the model; `toolOk` remembers whether it succeeded. */
export function sdkTool(ai: Sdk[0], turnTool: TurnTool, toolOk: Map<string, boolean>) {
  return ai.tool({
    description: turnTool.description,
    inputSchema: ai.jsonSchema(turnTool.inputSchema),
    async execute(input: unknown, { toolCallId }: { toolCallId: string }) {
      const result = await turnTool.handle(input);
      toolOk.set(toolCallId, result.ok);
      return result.text;
    },
  });
}

type SdkUserContent = ({ type: 'text'; text: string } | { type: 'image'; image: string; mediaType: string })[];
type SdkMessage = { role: 'user'; content: SdkUserContent } | { role: 'assistant'; content: string };

export function buildMessages(
  history: HistoryEntry[],
  userParts: UserPart[],
  options: { supportsImages: boolean; historyLimit: number },
): SdkMessage[] {
  const toContent = (parts: UserPart[]): SdkUserContent =>
    parts.map((part) =>
      part.type === 'text'
        ? { type: 'text', text: part.text }
        : options.supportsImages
          ? { type: 'image', image: part.base64, mediaType: part.mediaType }
          : { type: 'text', text: IMAGE_PLACEHOLDER },
    );
  const kept = options.historyLimit > 0 ? history.slice(-options.historyLimit) : [];
  const messages: SdkMessage[] = kept.map((entry) =>
    entry.role === 'assistant'
      ? { role: 'assistant', content: entry.parts.map((part) => (part.type === 'text' ? part.text : IMAGE_PLACEHOLDER)).join('') }
      : { role: 'user', content: toContent(entry.parts) },
  );
  messages.push({ role: 'user', content: toContent(userParts) });
  return messages;
}
