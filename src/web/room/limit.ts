/** A room's max interactions as typed (the limit chip's editor, the Create room dialog). */

export const LIMIT_MAX = 10_000;

/** Blank is unlimited (`null`); otherwise a whole number 1–10,000, or undefined when invalid. */
export function parseLimit(raw: string): number | null | undefined {
  const text = raw.trim();
  if (text === '') return null;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= LIMIT_MAX ? value : undefined;
}
