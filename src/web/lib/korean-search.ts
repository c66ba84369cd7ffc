/**
 * Korean-aware search (ui.md §4.4.8): one matcher for mentions, the sidebar filters, the agent panel, the quick
 * switcher and the agent picker. Hangul syllables are decomposed arithmetically (U+AC00 + (initial × 21 + vowel) × 28 +
 * final), so no tables beyond the 19 initial consonants are needed.
 */

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const VOWELS = 21;
const FINALS = 28;

/** Compatibility jamo for the 19 initial consonants, in Unicode initial order (ㄲㄸㅃㅆㅉ included). */
const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';

/**
 * Final consonant index → the initial it becomes when the next syllable takes it over ("할" typed on the way to
 * "하루"). Only simple finals move; compound finals (ㄳ, ㄺ, …) are not split (rule 5).
 */
const FINAL_TO_INITIAL: Readonly<Record<number, number>> = {
  1: 0, // ㄱ
  2: 1, // ㄲ
  4: 2, // ㄴ
  7: 3, // ㄷ
  8: 5, // ㄹ
  16: 6, // ㅁ
  17: 7, // ㅂ
  19: 9, // ㅅ
  20: 10, // ㅆ
  21: 11, // ㅇ
  22: 12, // ㅈ
  23: 14, // ㅊ
  24: 15, // ㅋ
  25: 16, // ㅌ
  26: 17, // ㅍ
  27: 18, // ㅎ
};

/** Score bands, highest first: prefix, substring, initial consonants, mixed Hangul (§4.4.7 ranking). */
const PREFIX = 4_000;
const SUBSTRING = 3_000;
const INITIALS_ONLY = 2_000;
const MIXED = 1_000;
const MAX_POSITION_PENALTY = 999;

interface Syllable {
  initial: number;
  vowel: number;
  final: number;
}

function syllableOf(char: string): Syllable | null {
  const code = char.codePointAt(0) ?? 0;
  if (code < SYLLABLE_FIRST || code > SYLLABLE_LAST) return null;
  const index = code - SYLLABLE_FIRST;
  return {
    initial: Math.floor(index / (VOWELS * FINALS)),
    vowel: Math.floor((index % (VOWELS * FINALS)) / FINALS),
    final: index % FINALS,
  };
}

function initialIndexOf(char: string): number {
  return char.length === 1 ? INITIALS.indexOf(char) : -1;
}

function normalize(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** How many target characters query character `q` consumes at `target[at]`, or 0 when it does not match there. */
function matchChar(q: string, target: readonly string[], at: number, isLast: boolean): number {
  const t = target[at];
  if (t === undefined) return 0;
  if (q === t) return 1;
  const initial = initialIndexOf(q);
  if (initial >= 0) return syllableOf(t)?.initial === initial ? 1 : 0;
  if (!isLast) return 0;
  const qs = syllableOf(q);
  const ts = syllableOf(t);
  if (qs === null || ts === null || qs.initial !== ts.initial || qs.vowel !== ts.vowel) return 0;
  // An unfinished last syllable: "하느" matches "하늘".
  if (qs.final === 0) return 1;
  // Its final may still move on to the next syllable: "할" matches "하루".
  const moved = FINAL_TO_INITIAL[qs.final];
  if (moved === undefined || ts.final !== 0) return 0;
  const next = target[at + 1];
  const ns = next === undefined ? null : syllableOf(next);
  return ns !== null && ns.initial === moved ? 2 : 0;
}

function matchesAt(query: readonly string[], target: readonly string[], start: number): boolean {
  let at = start;
  for (let i = 0; i < query.length; i += 1) {
    const used = matchChar(query[i] as string, target, at, i === query.length - 1);
    if (used === 0) return false;
    at += used;
  }
  return true;
}

/**
 * Scores how well `query` finds `text`: `null` for no match, higher is better. An empty or blank query matches
 * everything (score 0). Both strings are compared NFC-normalized and lowercased.
 */
export function matchKorean(query: string, text: string): number | null {
  if (query.trim() === '') return 0;
  const q = normalize(query);
  const t = normalize(text);
  const position = t.indexOf(q);
  if (position === 0) return PREFIX;
  if (position > 0) return SUBSTRING - Math.min(position, MAX_POSITION_PENALTY);
  const queryChars = Array.from(q);
  const targetChars = Array.from(t);
  for (let start = 0; start < targetChars.length; start += 1) {
    if (!matchesAt(queryChars, targetChars, start)) continue;
    const band = queryChars.every((char) => initialIndexOf(char) >= 0) ? INITIALS_ONLY : MIXED;
    return band - Math.min(start, MAX_POSITION_PENALTY);
  }
  return null;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The items that match `query`, best first; ties are broken by collation of their text. */
export function rankByKorean<T>(items: readonly T[], query: string, textOf: (item: T) => string): T[] {
  const scored: { item: T; text: string; score: number }[] = [];
  for (const item of items) {
    const text = textOf(item);
    const score = matchKorean(query, text);
    if (score !== null) scored.push({ item, text, score });
  }
  scored.sort((a, b) => b.score - a.score || collator.compare(a.text, b.text));
  return scored.map((entry) => entry.item);
}
