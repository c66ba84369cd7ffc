import type { MENTION_MODES, MESSAGE_IMAGE_MEDIA_TYPES, PARTICIPANT_INPUT_TYPES } from '../../shared/requests.js';

/**
 * The body of `POST /rooms/{id}/messages/send` as the UI builds it (api.md §8.3, ui.md §3.1). Kept apart from the
 * queue so the timeline can hold pending sends without depending on the send pipeline.
 */
export type ParticipantInputType = (typeof PARTICIPANT_INPUT_TYPES)[number];
export type MentionMode = (typeof MENTION_MODES)[number];
export type MessageImageMediaType = (typeof MESSAGE_IMAGE_MEDIA_TYPES)[number];

export interface SendRequest {
  content: string;
  role: 'user';
  participant_type: ParticipantInputType;
  /** Only in character mode; trimmed, 1–100 characters. */
  participant_name?: string;
  mentioned_agent_ids?: number[];
  mention_mode?: MentionMode;
  /** Base64 without a data-URL prefix. */
  image_data?: string;
  image_media_type?: MessageImageMediaType;
}
