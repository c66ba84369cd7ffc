import type { PendingSend } from '../timeline/timeline-types.js';
import type { MessageImageMediaType, ParticipantInputType, SendRequest } from './send-request.js';

/** ui.md §3.7 steps 1–2: what the composer holds becomes a send request, or the reason it cannot. */

export type Persona = 'user' | 'situation' | 'character';

export interface ComposerImage {
  /** Base64 without a data-URL prefix. */
  data: string;
  mediaType: MessageImageMediaType;
}

export interface ComposerInput {
  text: string;
  persona: Persona;
  characterName: string;
  image: ComposerImage | null;
  /** From `extractMentions` (ui.md §4.4.7); at most 50. */
  mentionedAgentIds: readonly number[];
  /** The "Only mentioned reply" chip. */
  onlyMentioned: boolean;
}

/** api.md §8.3: 20,000 code points of content, 100 of participant name. */
export const MAX_CONTENT_LENGTH = 20_000;
export const MAX_CHARACTER_NAME_LENGTH = 100;
const MAX_MENTIONS = 50;

export type SendProblem = 'empty' | 'too_long' | 'character_name_missing' | 'character_name_too_long';

export type SendValidation = { ok: true; body: SendRequest } | { ok: false; problem: SendProblem };

/** Lengths as the server counts them: code points, so a Korean syllable or an emoji counts once. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

const PARTICIPANT_TYPES: Record<Persona, ParticipantInputType> = {
  user: 'user',
  situation: 'situation_builder',
  character: 'character',
};

export function validateSend(input: ComposerInput): SendValidation {
  const content = input.text.trim();
  if (content === '' && input.image === null) return { ok: false, problem: 'empty' };
  if (codePointLength(content) > MAX_CONTENT_LENGTH) return { ok: false, problem: 'too_long' };
  const body: SendRequest = { content, role: 'user', participant_type: PARTICIPANT_TYPES[input.persona] };
  if (input.persona === 'character') {
    const name = input.characterName.trim();
    if (name === '') return { ok: false, problem: 'character_name_missing' };
    if (codePointLength(name) > MAX_CHARACTER_NAME_LENGTH) return { ok: false, problem: 'character_name_too_long' };
    body.participant_name = name;
  }
  const mentioned = [...new Set(input.mentionedAgentIds)].slice(0, MAX_MENTIONS);
  if (mentioned.length > 0) body.mentioned_agent_ids = mentioned;
  // "only" with nobody mentioned would leave the message without any reply.
  if (input.onlyMentioned && mentioned.length > 0) body.mention_mode = 'only';
  if (input.image !== null) {
    body.image_data = input.image.data;
    body.image_media_type = input.image.mediaType;
  }
  return { ok: true, body };
}

export interface ComposerContent {
  text: string;
  persona: Persona;
  characterName: string;
  image: ComposerImage | null;
}

/** Edit on a failed row (ui.md §3.7 step 7): the send goes back into the composer. */
export function composerFromSend(item: PendingSend): ComposerContent {
  const { body } = item;
  const persona: Persona =
    body.participant_type === 'character' ? 'character' : body.participant_type === 'situation_builder' ? 'situation' : 'user';
  const image =
    body.image_data !== undefined && body.image_media_type !== undefined
      ? { data: body.image_data, mediaType: body.image_media_type }
      : null;
  return { text: body.content, persona, characterName: body.participant_name ?? '', image };
}
