import { z } from 'zod';

/**
 * Field builders that validate like the original ChitChats API (api.md §1.2, §1.4): lenient integers and
 * booleans, code-point lengths, NFC + trim for names, and a pydantic-style error `type` on every issue.
 * Each builder handles `undefined` itself (→ `missing`); wrap with `.optional()` for optional fields.
 */

export const ISSUE_TYPES = [
  'missing',
  'json_invalid',
  'model_attributes_type',
  'string_type',
  'string_too_short',
  'string_too_long',
  'string_pattern_mismatch',
  'int_type',
  'int_parsing',
  'bool_parsing',
  'greater_than_equal',
  'less_than_equal',
  'enum',
  'list_type',
  'too_long',
  'value_error',
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export interface ValidationIssue {
  type: IssueType;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

type Ctx = z.core.$RefinementCtx;

function fail(ctx: Ctx, type: IssueType, message: string): never {
  ctx.addIssue({ code: 'custom', message, params: { type } });
  return z.NEVER as never;
}

export const codePoints = (value: string): number => [...value].length;

interface Nullability {
  nullable?: boolean;
}

function handleAbsent(value: unknown, ctx: Ctx, opts: Nullability, nullType: IssueType): 'null' | 'present' {
  if (value === undefined) fail(ctx, 'missing', 'Field required');
  if (value === null) {
    if (opts.nullable) return 'null';
    fail(ctx, nullType, 'Input should not be null');
  }
  return 'present';
}

export interface StringOptions extends Nullability {
  min?: number;
  max?: number;
  /** Trim and NFC-normalize before checking (room, agent and group names). */
  normalize?: boolean;
  trim?: boolean;
  pattern?: RegExp;
  patternMessage?: string;
  /** Extra rule; return an error message or null. Reported as `value_error`. */
  check?: (value: string) => string | null;
}

export function stringField(opts: StringOptions & { nullable: true }): z.ZodType<string | null, unknown>;
export function stringField(opts?: StringOptions): z.ZodType<string, unknown>;
export function stringField(opts: StringOptions = {}): z.ZodType<string | null, unknown> {
  return z
    .unknown()
    .transform((raw, ctx): string | null => {
      if (handleAbsent(raw, ctx, opts, 'string_type') === 'null') return null;
      if (typeof raw !== 'string') return fail(ctx, 'string_type', 'Input should be a valid string');
      let value = raw;
      if (opts.normalize) value = value.normalize('NFC').trim();
      else if (opts.trim) value = value.trim();
      const length = codePoints(value);
      if (opts.min !== undefined && length < opts.min) {
        return fail(ctx, 'string_too_short', `String should have at least ${opts.min} character${opts.min === 1 ? '' : 's'}`);
      }
      if (opts.max !== undefined && length > opts.max) {
        return fail(ctx, 'string_too_long', `String should have at most ${opts.max} characters`);
      }
      if (opts.pattern && !opts.pattern.test(value)) {
        return fail(ctx, 'string_pattern_mismatch', opts.patternMessage ?? `String should match pattern '${opts.pattern.source}'`);
      }
      const problem = opts.check?.(value);
      if (problem) return fail(ctx, 'value_error', problem);
      return value;
    })
    .meta({
      type: opts.nullable ? ['string', 'null'] : 'string',
      ...(opts.min !== undefined ? { minLength: opts.min } : {}),
      ...(opts.max !== undefined ? { maxLength: opts.max } : {}),
      ...(opts.pattern ? { pattern: opts.pattern.source } : {}),
    });
}

export interface IntOptions extends Nullability {
  min?: number;
  max?: number;
}

/** Accepts JSON integers, integral numbers (`10.0`) and decimal strings (`"10"`). */
export function parseLenientInt(raw: unknown): { ok: true; value: number } | { ok: false; type: IssueType } {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw)) return { ok: true, value: raw };
    return { ok: false, type: 'int_parsing' };
  }
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (/^[+-]?\d+$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
    return { ok: false, type: 'int_parsing' };
  }
  return { ok: false, type: 'int_type' };
}

export function intField(opts: IntOptions & { nullable: true }): z.ZodType<number | null, unknown>;
export function intField(opts?: IntOptions): z.ZodType<number, unknown>;
export function intField(opts: IntOptions = {}): z.ZodType<number | null, unknown> {
  return z
    .unknown()
    .transform((raw, ctx): number | null => {
      if (handleAbsent(raw, ctx, opts, 'int_type') === 'null') return null;
      const parsed = parseLenientInt(raw);
      if (!parsed.ok) {
        return fail(
          ctx,
          parsed.type,
          parsed.type === 'int_type' ? 'Input should be a valid integer' : 'Input should be a valid integer, unable to parse',
        );
      }
      if (opts.min !== undefined && parsed.value < opts.min) {
        return fail(ctx, 'greater_than_equal', `Input should be greater than or equal to ${opts.min}`);
      }
      if (opts.max !== undefined && parsed.value > opts.max) {
        return fail(ctx, 'less_than_equal', `Input should be less than or equal to ${opts.max}`);
      }
      return parsed.value;
    })
    .meta({
      type: opts.nullable ? ['integer', 'null'] : 'integer',
      ...(opts.min !== undefined ? { minimum: opts.min } : {}),
      ...(opts.max !== undefined ? { maximum: opts.max } : {}),
    });
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function boolField(opts: Nullability = {}): z.ZodType<boolean, unknown> {
  return z
    .unknown()
    .transform((raw, ctx): boolean => {
      handleAbsent(raw, ctx, opts, 'bool_parsing');
      if (typeof raw === 'boolean') return raw;
      if (raw === 0 || raw === 1) return raw === 1;
      if (typeof raw === 'string') {
        const word = raw.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      return fail(ctx, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input');
    })
    .meta({ type: 'boolean' });
}

export function enumField<const T extends readonly string[]>(
  values: T,
  opts: { caseInsensitive?: boolean } = {},
): z.ZodType<T[number], unknown> {
  return z
    .unknown()
    .transform((raw, ctx): T[number] => {
      handleAbsent(raw, ctx, {}, 'enum');
      if (typeof raw !== 'string') return fail(ctx, 'string_type', 'Input should be a valid string');
      const value = opts.caseInsensitive ? raw.trim().toLowerCase() : raw;
      const match = values.find((candidate) => candidate === value);
      if (match === undefined) {
        return fail(ctx, 'enum', `Input should be ${values.map((v) => `'${v}'`).join(', ')}`);
      }
      return match;
    })
    .meta({ type: 'string', enum: [...values] });
}

export function intListField(opts: { maxItems: number }): z.ZodType<number[], unknown> {
  return z
    .unknown()
    .transform((raw, ctx): number[] => {
      handleAbsent(raw, ctx, {}, 'list_type');
      if (!Array.isArray(raw)) return fail(ctx, 'list_type', 'Input should be a valid list');
      if (raw.length > opts.maxItems) {
        return fail(ctx, 'too_long', `List should have at most ${opts.maxItems} items`);
      }
      const values: number[] = [];
      raw.forEach((item, index) => {
        const parsed = parseLenientInt(item);
        if (parsed.ok) values.push(parsed.value);
        else ctx.addIssue({ code: 'custom', message: 'Input should be a valid integer', params: { type: parsed.type }, path: [index] });
      });
      return values;
    })
    .meta({ type: 'array', items: { type: 'integer' }, maxItems: opts.maxItems });
}

export function stringListField(opts: { maxItems: number; item: z.ZodType<string, unknown> }): z.ZodType<string[], unknown> {
  return z
    .unknown()
    .transform((raw, ctx): string[] => {
      handleAbsent(raw, ctx, {}, 'list_type');
      if (!Array.isArray(raw)) return fail(ctx, 'list_type', 'Input should be a valid list');
      if (raw.length > opts.maxItems) return fail(ctx, 'too_long', `List should have at most ${opts.maxItems} items`);
      const values: string[] = [];
      raw.forEach((item, index) => {
        const parsed = opts.item.safeParse(item);
        if (parsed.success) values.push(parsed.data);
        else for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: [index, ...issue.path] } as never);
      });
      return values;
    })
    .meta({ type: 'array', items: { type: 'string' }, maxItems: opts.maxItems });
}

/** A field that must not be sent (PATCH of provider/model after creation). */
export function rejectedField(message: string): z.ZodType<undefined, unknown> {
  return z
    .unknown()
    .transform((): undefined => undefined)
    .superRefine((_value, ctx) => {
      ctx.addIssue({ code: 'custom', message, params: { type: 'value_error' } });
    }) as unknown as z.ZodType<undefined, unknown>;
}

const INPUT_CUT = 200;

function shortenInput(input: unknown): unknown {
  if (typeof input === 'string' && codePoints(input) > INPUT_CUT) return [...input].slice(0, INPUT_CUT).join('');
  return input;
}

const SECRET_INPUT_FIELDS = new Set(['image_data', 'profile_pic', 'password']);

function inputAt(source: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = source;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns zod issues into the api.md §1.4 list, with `loc` prefixed by the request part. */
export function toValidationIssues(
  error: z.ZodError,
  location: 'path' | 'query' | 'body',
  source: unknown,
): ValidationIssue[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { type?: IssueType } }).params;
    const type: IssueType = params?.type ?? mapBuiltinIssue(issue);
    const loc = [location, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))];
    const result: ValidationIssue = { type, loc, msg: issue.message };
    const field = issue.path[0];
    if (type !== 'missing' && !(typeof field === 'string' && SECRET_INPUT_FIELDS.has(field))) {
      const input = inputAt(source, issue.path);
      if (typeof input === 'string' && input.startsWith('data:')) return result;
      result.input = shortenInput(input);
    }
    return result;
  });
}

function mapBuiltinIssue(issue: z.core.$ZodIssue): IssueType {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'missing' : issue.expected === 'object' ? 'model_attributes_type' : 'value_error';
    case 'too_big':
      return issue.origin === 'array' ? 'too_long' : issue.origin === 'string' ? 'string_too_long' : 'less_than_equal';
    case 'too_small':
      return issue.origin === 'string' ? 'string_too_short' : 'greater_than_equal';
    case 'invalid_value':
      return 'enum';
    default:
      return 'value_error';
  }
}
