import { z } from 'zod';
import type { Logger } from 'pino';

export type FieldSchemas = Record<string, z.ZodType>;
export type ParsedFields<S extends FieldSchemas> = z.output<ReturnType<typeof partialSchema<S>>>;

function partialSchema<S extends FieldSchemas>(fields: S) {
  return z.object(fields).partial();
}

/**
 * Reads a YAML map key by key: unknown keys and values of the wrong type are dropped with a warning naming the
 * file and key (behavior.md §2.3 rule 1, §2.4), so one typo never discards the rest of the file.
 */
export function parseYamlFields<S extends FieldSchemas>({
  raw,
  fields,
  file,
  log,
}: {
  raw: unknown;
  fields: S;
  file: string;
  log: Logger;
}): ParsedFields<S> {
  if (!isPlainMap(raw)) {
    log.warn({ file }, 'yaml file is not a map; ignoring it');
    return partialSchema(fields).parse({});
  }
  const accepted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const schema = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (schema === undefined) {
      log.warn({ file, key }, 'unknown key in yaml file; ignoring it');
      continue;
    }
    const result = schema.safeParse(value);
    if (result.success) accepted[key] = value;
    else log.warn({ file, key, error: result.error.issues[0]?.message }, 'wrong value type in yaml file; ignoring key');
  }
  // Every accepted value already passed its own schema; this pass only produces the typed (transformed) result.
  return partialSchema(fields).parse(accepted);
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const flagFields = {
  interrupt_every_turn: z.boolean(),
  priority: z.number().int().min(-1000).max(1000),
  transparent: z.boolean(),
};
