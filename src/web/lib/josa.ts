import type { i18n as I18n } from 'i18next';

/**
 * Korean particles (ui.md §8): the form of 이/가, 은/는, 을/를, 과/와 or 으로/로 that fits the word before it. Used as
 * an i18next formatter, `{{name, josa(이/가)}}`, installed by `installJosaFormatter`.
 */

export const JOSA_PAIRS = ['이/가', '은/는', '을/를', '과/와', '으로/로'] as const;
export type JosaPair = (typeof JOSA_PAIRS)[number];

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const FINAL_RIEUL = 8;

/** The final consonant (jongseong index, 0 = none) of each digit's Korean reading: 영 일 이 삼 사 오 육 칠 팔 구. */
const DIGIT_FINALS = [21, FINAL_RIEUL, 0, 16, 0, 0, 1, FINAL_RIEUL, FINAL_RIEUL, 0] as const;

/** Both forms, for a word whose reading is unknown: "Mira(이)가", "(으)로". */
const BOTH: Record<JosaPair, string> = {
  '이/가': '(이)가',
  '은/는': '(은)는',
  '을/를': '(을)를',
  '과/와': '(과)와',
  '으로/로': '(으)로',
};

/** The final consonant index of the word's last sound, or null when it cannot be known (Latin letters, symbols). */
function finalOf(word: string): number | null {
  const last = Array.from(word.normalize('NFC').trimEnd()).at(-1);
  if (last === undefined) return null;
  const code = last.codePointAt(0) ?? 0;
  if (code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST) return (code - SYLLABLE_FIRST) % 28;
  if (last >= '0' && last <= '9') return DIGIT_FINALS[Number(last)] ?? null;
  return null;
}

/** Just the particle for `word`. */
export function particleFor(word: string, pair: JosaPair): string {
  const final = finalOf(word);
  if (final === null) return BOTH[pair];
  const [withFinal, withoutFinal] = pair.split('/') as [string, string];
  if (pair === '으로/로') return final === 0 || final === FINAL_RIEUL ? withoutFinal : withFinal;
  return final === 0 ? withoutFinal : withFinal;
}

/** The word followed by its particle: `josa('하늘', '이/가')` is "하늘이". */
export function josa(word: string, pair: JosaPair): string {
  return word.trimEnd() + particleFor(word, pair);
}

const installed = new WeakSet<object>();

/** Adds the `josa(…)` formatter to an initialized i18next instance; safe to call more than once. */
export function installJosaFormatter(i18n: I18n): void {
  const formatter = i18n.services?.formatter;
  if (formatter === undefined || installed.has(formatter)) return;
  installed.add(formatter);
  // i18next parses `josa(이/가)` into the options object `{ '이/가': … }`; the pair is the key that is present.
  formatter.add('josa', (value: unknown, _lng: string | undefined, options: Record<string, unknown>) => {
    const pair = JOSA_PAIRS.find((candidate) => candidate in options);
    return pair === undefined ? String(value) : josa(String(value), pair);
  });
}
