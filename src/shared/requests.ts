import { z } from 'zod';
import {
  boolField,
  enumField,
  intField,
  intListField,
  parseLenientInt,
  rejectedField,
  stringField,
} from './validation.js';
import { PROVIDER_IDS } from './providers.js';

/** Request shapes of api.md §5–10, built from the field rules of §1.6. */

export const PARTICIPANT_INPUT_TYPES = ['user', 'character', 'situation_builder'] as const;
export const MENTION_MODES = ['first', 'only'] as const;
export const MESSAGE_IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

const INT32_MAX = 2_147_483_647;

/**
 * A path id: any decimal integer; values no row can have (≤ 0, beyond int4) become 0 so the route answers
 * its 404 instead of asking the database an out-of-range question (api.md §1.1).
 */
export const idParam = z
  .unknown()
  .transform((raw, ctx): number => {
    const parsed = typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim()) ? parseLenientInt(raw) : null;
    if (!parsed?.ok) {
      ctx.addIssue({ code: 'custom', message: 'Input should be a valid integer, unable to parse string as an integer', params: { type: 'int_parsing' } });
      return z.NEVER;
    }
    return parsed.value >= 1 && parsed.value <= INT32_MAX ? parsed.value : 0;
  })
  .meta({ type: 'integer' });

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const roomName = stringField({
  normalize: true,
  min: 1,
  max: 100,
  check: (value) => (CONTROL_CHARS.test(value) ? 'Room name must not contain control characters' : null),
});

export const providerField = enumField(PROVIDER_IDS, { caseInsensitive: true });
export const modelId = stringField({ min: 1, max: 200, pattern: /^[A-Za-z0-9._:/@+-]+$/ });

export const RoomIdParams = z.object({ room_id: idParam });
export const RoomAgentParams = z.object({ room_id: idParam, agent_id: idParam });
export const RoomMessageParams = z.object({ room_id: idParam, message_id: idParam });
export const AgentIdParams = z.object({ agent_id: idParam });
export const AgentNameParams = z.object({ agent_name: z.string() });

function aliasConflict(
  body: Record<string, unknown>,
  ctx: z.core.$RefinementCtx,
  primary: string,
  alias: string,
): void {
  const a = body[primary];
  const b = body[alias];
  if (a !== undefined && b !== undefined && a !== b) {
    ctx.addIssue({
      code: 'custom',
      message: `Value error, '${alias}' and '${primary}' disagree`,
      params: { type: 'value_error' },
      path: [alias],
    });
  }
}

export const CreateRoomBody = z
  .object({
    name: roomName,
    max_interactions: intField({ nullable: true, min: 0, max: 10_000 }).optional(),
    default_provider: providerField.optional(),
    provider: providerField.optional(),
    default_model: stringField({ nullable: true, min: 1, max: 200, pattern: /^[A-Za-z0-9._:/@+-]+$/ }).optional(),
    model: stringField({ nullable: true, min: 1, max: 200, pattern: /^[A-Za-z0-9._:/@+-]+$/ }).optional(),
    is_paused: boolField().optional(),
  })
  .superRefine((body, ctx) => {
    aliasConflict(body, ctx, 'default_provider', 'provider');
    aliasConflict(body, ctx, 'default_model', 'model');
  });

const immutable = rejectedField('Value error, cannot be changed after creation').optional();

export const UpdateRoomBody = z.object({
  name: roomName.optional(),
  max_interactions: intField({ nullable: true, min: 0, max: 10_000 }).optional(),
  is_paused: boolField().optional(),
  is_finished: boolField().optional(),
  default_provider: immutable,
  provider: immutable,
  default_model: immutable,
  model: immutable,
});

export const MessagesQuery = z.object({
  limit: intField({ min: 1, max: 1000 }).optional(),
  before_id: intField({ min: 1 }).optional(),
});

export const PollQuery = z.object({ since_id: intField({ min: 0 }).optional() });

/** api.md §9.3: `ticket` is read by the route's credential step; it is listed so the docs show it. */
export const EventsQuery = z.object({ ticket: z.string().optional(), last_event_id: intField({ min: 0 }).optional() });

export const ExportQuery = z.object({
  format: enumField(['markdown', 'json'] as const).optional(),
  include_thinking: boolField().optional(),
  include_skips: boolField().optional(),
});

export const SendMessageBody = z
  .object({
    content: stringField({ max: 20_000 }),
    participant_type: enumField(PARTICIPANT_INPUT_TYPES).optional(),
    participant_name: stringField({ nullable: true, trim: true, max: 100 }).optional(),
    image_data: stringField({ nullable: true }).optional(),
    image_media_type: stringField({ nullable: true }).optional(),
    mentioned_agent_ids: intListField({ maxItems: 50 }).optional(),
    mention_mode: enumField(MENTION_MODES).optional(),
  })
  .superRefine((body, ctx) => {
    const hasImage = typeof body.image_data === 'string' && body.image_data !== '';
    if (!hasImage && body.content.trim() === '') {
      ctx.addIssue({
        code: 'custom',
        message: 'Value error, content must not be empty without an image',
        params: { type: 'value_error' },
        path: ['content'],
      });
    }
  });

export const DirectRoomQuery = z.object({ provider: providerField.optional(), model: modelId.optional() });
