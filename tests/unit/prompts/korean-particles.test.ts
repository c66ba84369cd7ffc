import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARTICLE_FORMS, attachParticle, batchimOf } from '../../../src/server/prompts/korean-particles.js';
import type { ParticleForm } from '../../../src/server/prompts/korean-particles.js';

const FORMS: ParticleForm[] = ['은는', '이가', '을를', '과와', '으로로'];

function allForms(value: string): string[] {
  return FORMS.map((form) => attachParticle(value, form));
}

describe('attachParticle', () => {
  it('attaches the batchim particles after a syllable with a final consonant (민준)', () => {
    expect(allForms('민준')).toEqual(['민준은', '민준이', '민준을', '민준과', '민준으로']);
  });

  it('attaches the vowel particles after a syllable without a final consonant (하나)', () => {
    expect(allForms('하나')).toEqual(['하나는', '하나가', '하나를', '하나와', '하나로']);
  });

  it('takes 로, not 으로, after a ㄹ final consonant (하늘)', () => {
    expect(allForms('하늘')).toEqual(['하늘은', '하늘이', '하늘을', '하늘과', '하늘로']);
  });

  it('treats the compound final ㄺ as a consonant other than ㄹ (흙)', () => {
    expect(attachParticle('흙', '으로로')).toBe('흙으로');
    expect(attachParticle('닭', '이가')).toBe('닭이');
  });

  it('treats Latin names as ending in a consonant other than ㄹ (Alice)', () => {
    expect(attachParticle('Alice', '은는')).toBe('Alice은');
    expect(attachParticle('Alice', '이가')).toBe('Alice이');
    expect(attachParticle('Alice', '으로로')).toBe('Alice으로');
  });

  it('treats digits as ending in a consonant other than ㄹ (123)', () => {
    expect(attachParticle('123', '이가')).toBe('123이');
    expect(attachParticle('123', '으로로')).toBe('123으로');
  });

  it('treats trailing punctuation and emoji as a consonant other than ㄹ', () => {
    expect(attachParticle('하나!', '은는')).toBe('하나!은');
    expect(attachParticle('미라?', '을를')).toBe('미라?을');
    expect(attachParticle('별🌟', '과와')).toBe('별🌟과');
  });

  it('treats an empty value as having no batchim', () => {
    expect(allForms('')).toEqual(['는', '가', '를', '와', '로']);
  });

  it('judges the last syllable of a decomposed (NFD) name like its composed form', () => {
    expect(attachParticle('하늘'.normalize('NFD'), '으로로')).toBe(`${'하늘'.normalize('NFD')}로`);
    expect(attachParticle('민준'.normalize('NFD'), '은는')).toBe(`${'민준'.normalize('NFD')}은`);
  });

  it('covers every form listed in PARTICLE_FORMS', () => {
    expect([...PARTICLE_FORMS]).toEqual(FORMS);
  });

  it('appends one of the two choices of the form, picked by the final-consonant index', () => {
    const syllable = fc.integer({ min: 0xac00, max: 0xd7a3 }).map((code) => String.fromCodePoint(code));
    const prefix = fc.string({ maxLength: 5 });
    fc.assert(
      fc.property(prefix, syllable, fc.constantFrom(...FORMS), (head, last, form) => {
        const value = head + last;
        const result = attachParticle(value, form);
        expect(result.startsWith(value)).toBe(true);
        const particle = result.slice(value.length);
        const final = ((last.codePointAt(0) ?? 0) - 0xac00) % 28;
        const vowelChoice = { 은는: '는', 이가: '가', 을를: '를', 과와: '와', 으로로: '로' }[form];
        const consonantChoice = { 은는: '은', 이가: '이', 을를: '을', 과와: '과', 으로로: '으로' }[form];
        if (final === 0) expect(particle).toBe(vowelChoice);
        else if (final === 8 && form === '으로로') expect(particle).toBe('로');
        else expect(particle).toBe(consonantChoice);
        expect(batchimOf(value)).toBe(final === 0 ? 'none' : final === 8 ? 'rieul' : 'other');
      }),
    );
  });
});
