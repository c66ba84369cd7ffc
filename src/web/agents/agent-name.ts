/**
 * The server's agent and group name rule (api.md §1.6, README binding resolution 7), checked as you type:
 * 1–64 characters after NFC and trimming; letters of any script, combining marks, digits, space, `-`, `_`, `.`;
 * not starting with `.`; no `..`.
 */

export const MAX_NAME_LENGTH = 64;
const ALLOWED = /^[\p{L}\p{M}\p{N} _.-]+$/u;

export type NameProblem = 'empty' | 'tooLong' | 'characters' | 'leadingDot' | 'doubleDot';

export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** Why `raw` is not a valid name, or null when it is. */
export function nameProblem(raw: string): NameProblem | null {
  const name = normalizeName(raw);
  if (name === '') return 'empty';
  if (Array.from(name).length > MAX_NAME_LENGTH) return 'tooLong';
  if (!ALLOWED.test(name)) return 'characters';
  if (name.startsWith('.')) return 'leadingDot';
  if (name.includes('..')) return 'doubleDot';
  return null;
}
