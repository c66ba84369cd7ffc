import type { PendingSend } from '../timeline/timeline-types.js';
import type { SendRequest } from './send-request.js';

/**
 * The outbox kept in `drafts.<userId>` (ui.md §2.3, §3.7): pending sends without their image, so a reload loses no
 * text. After a reload they come back as Failed rows, with a note when they had an image.
 */

export interface OutboxEntry {
  localId: string;
  /** The request without `image_data` and `image_media_type`. */
  body: SendRequest;
  hadImage: boolean;
  createdAt: number;
  afterId: number | null;
  /** A POST of it may have been stored: its Retry checks first. */
  outcomeUnknown: boolean;
}

function withoutImage(body: SendRequest): SendRequest {
  const { image_data: _data, image_media_type: _type, ...rest } = body;
  return rest;
}

export function toOutbox(pending: readonly PendingSend[]): OutboxEntry[] {
  return pending.map((item) => ({
    localId: item.localId,
    body: withoutImage(item.body),
    hadImage: item.body.image_data !== undefined || item.imageDropped === true,
    createdAt: item.createdAt,
    afterId: item.afterId,
    // A POST in flight when the page went away may well have been stored.
    outcomeUnknown: item.outcomeUnknown || item.status === 'sending',
  }));
}

export function fromOutbox(entries: readonly OutboxEntry[]): PendingSend[] {
  return entries.map((entry) => ({
    localId: entry.localId,
    body: entry.body,
    status: 'failed',
    error: { reason: 'interrupted', status: null, detail: null },
    createdAt: entry.createdAt,
    outcomeUnknown: entry.outcomeUnknown,
    afterId: entry.afterId,
    ...(entry.hadImage ? { imageDropped: true } : {}),
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PARTICIPANT_TYPES = ['user', 'character', 'situation_builder'] as const;

function parseBody(value: unknown): SendRequest | null {
  if (!isRecord(value) || typeof value.content !== 'string') return null;
  const participantType = PARTICIPANT_TYPES.find((type) => type === value.participant_type);
  if (participantType === undefined) return null;
  const body: SendRequest = { content: value.content, role: 'user', participant_type: participantType };
  if (typeof value.participant_name === 'string') body.participant_name = value.participant_name;
  const ids = value.mentioned_agent_ids;
  if (Array.isArray(ids) && ids.every((id) => Number.isInteger(id))) body.mentioned_agent_ids = ids.map(Number);
  if (value.mention_mode === 'only' || value.mention_mode === 'first') body.mention_mode = value.mention_mode;
  return body;
}

/** Reads one stored entry (style.md 27: data read back from the browser is checked); null when unusable. */
export function parseOutboxEntry(value: unknown): OutboxEntry | null {
  if (!isRecord(value) || typeof value.localId !== 'string' || typeof value.createdAt !== 'number') return null;
  const body = parseBody(value.body);
  if (body === null) return null;
  return {
    localId: value.localId,
    body,
    hadImage: value.hadImage === true,
    createdAt: value.createdAt,
    afterId: typeof value.afterId === 'number' ? value.afterId : null,
    outcomeUnknown: value.outcomeUnknown === true,
  };
}
