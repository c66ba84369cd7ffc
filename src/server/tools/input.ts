import type { ToolResult } from './context.js';
import { fail } from './context.js';

/**
 * Validation of the fixed input schemas (§8.2). Models send what they like, so the handler checks again what
 * the JSON Schema promised; an invalid input is an error tool result with the reason and the turn continues
 * (§8.2 rule 1).
 */

export interface StringField {
  key: string;
  max: number;
  description: string;
}

/** JSON Schema of an object with one required string field, or of `{}` when no field is given. */
export function objectSchema(field?: StringField): Record<string, unknown> {
  if (field === undefined) return { type: 'object', properties: {}, additionalProperties: false };
  return {
    type: 'object',
    properties: {
      [field.key]: { type: 'string', minLength: 1, maxLength: field.max, description: field.description },
    },
    required: [field.key],
    additionalProperties: false,
  };
}

/** The trimmed string value of `field`, or an error result naming what is wrong. Length counts code points. */
export function readStringField(input: unknown, field: StringField): { value: string } | { error: ToolResult } {
  const raw = isRecord(input) ? input[field.key] : undefined;
  if (typeof raw !== 'string') {
    return { error: fail(`Invalid input: "${field.key}" must be a string.`) };
  }
  const value = raw.trim();
  const length = [...value].length;
  if (length < 1 || length > field.max) {
    return { error: fail(`Invalid input: "${field.key}" must be 1 to ${field.max} characters long.`) };
  }
  return { value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
