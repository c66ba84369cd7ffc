/**
 * Korean particle selection, exactly as behavior.md §3.7 fixes it. Templates use it through the
 * `{name:은는}`-style placeholders (template.ts), so a name like 하늘 reads 하늘은 and 하나 reads 하나는.
 */

export const PARTICLE_FORMS = ['은는', '이가', '을를', '과와', '으로로'] as const;
export type ParticleForm = (typeof PARTICLE_FORMS)[number];

/** What the value's last syllable ends with; it alone decides the particle. */
export type Batchim = 'none' | 'rieul' | 'other';

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const FINALS_PER_MEDIAL = 28;
const RIEUL_FINAL = 8;

// Columns: no batchim, ㄹ batchim, other batchim. 으로로 takes 로 after ㄹ (standard Korean; the original
// ChitChats used 으로 there, §3.7 deliberately differs).
const PARTICLES: Record<ParticleForm, Record<Batchim, string>> = {
  은는: { none: '는', rieul: '은', other: '은' },
  이가: { none: '가', rieul: '이', other: '이' },
  을를: { none: '를', rieul: '을', other: '을' },
  과와: { none: '와', rieul: '과', other: '과' },
  으로로: { none: '로', rieul: '로', other: '으로' },
};

export function isParticleForm(value: string): value is ParticleForm {
  return (PARTICLE_FORMS as readonly string[]).includes(value);
}

export function batchimOf(value: string): Batchim {
  // NFC first so a name stored as decomposed jamo is judged by its composed last syllable.
  const last = Array.from(value.normalize('NFC')).at(-1);
  if (last === undefined) return 'none';
  const code = last.codePointAt(0) ?? 0;
  // Anything that is not a Hangul syllable (Latin, digits, punctuation, other scripts) counts as a
  // consonant other than ㄹ: the original ChitChats' rule for non-Hangul names, kept by §3.7 rule 2.
  if (code < HANGUL_FIRST || code > HANGUL_LAST) return 'other';
  const final = (code - HANGUL_FIRST) % FINALS_PER_MEDIAL;
  if (final === 0) return 'none';
  return final === RIEUL_FINAL ? 'rieul' : 'other';
}

/** The particle alone, for callers that place it themselves. */
export function particleFor(value: string, form: ParticleForm): string {
  return PARTICLES[form][batchimOf(value)];
}

/** The value followed by the right particle of `form`, e.g. attachParticle('하늘', '으로로') === '하늘로'. */
export function attachParticle(value: string, form: ParticleForm): string {
  return value + particleFor(value, form);
}
