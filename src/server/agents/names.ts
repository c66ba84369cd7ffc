/**
 * Agent and group names (behavior.md §2.2, README binding resolution 7): the folder name is the name, so the
 * rule doubles as the path-safety rule — no separators, no leading dot, no `..`.
 */

export const MAX_NAME_LENGTH = 64;

// Letters of any script, combining marks, digits, space, '-', '_', '.'; nothing else (no '/', '\', ':', controls).
const ALLOWED_CHARACTERS = /^[\p{L}\p{M}\p{N} _.-]+$/u;

/** NFC is the form used for database keys, lookups and comparisons (§2.2 rule 2). */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** For an already-normalized name: a short English reason when it is invalid, null when it is valid. */
export function agentNameError(name: string): string | null {
  const length = [...name].length;
  if (length === 0) return 'name is empty';
  if (length > MAX_NAME_LENGTH) return `name is longer than ${MAX_NAME_LENGTH} characters`;
  if (!ALLOWED_CHARACTERS.test(name)) {
    return 'name may only contain letters, digits, spaces, "-", "_" and "."';
  }
  if (name.startsWith(' ') || name.endsWith(' ')) return 'name must not start or end with a space';
  if (name.startsWith('.')) return 'name must not start with "."';
  if (name.includes('..')) return 'name must not contain ".."';
  return null;
}

export function isValidAgentName(name: string): boolean {
  return agentNameError(name) === null;
}

/** Orders strings by Unicode code point (§2.6 rule 3); `<` on JS strings compares UTF-16 units instead. */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return (l.done ? 0 : 1) - (r.done ? 0 : 1);
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}
