import { describe, expect, it } from 'vitest';
import { matchKorean, rankByKorean } from '../../../src/web/lib/korean-search.js';

describe('matchKorean', () => {
  it('matches everything with an empty or blank query', () => {
    expect(matchKorean('', '하늘')).toBe(0);
    expect(matchKorean('   ', 'Mira')).toBe(0);
  });

  it('matches Latin letters in any case', () => {
    expect(matchKorean('MIRA', 'mira')).not.toBeNull();
    expect(matchKorean('ira', 'Mira')).not.toBeNull();
    expect(matchKorean('mirx', 'Mira')).toBeNull();
  });

  it('scores a prefix above a substring, and an earlier substring above a later one', () => {
    const prefix = matchKorean('하', '하늘') as number;
    const early = matchKorean('늘', '하늘') as number;
    const late = matchKorean('늘', '푸른하늘') as number;
    expect(prefix).toBeGreaterThan(early);
    expect(early).toBeGreaterThan(late);
  });

  it('matches initial-consonant queries', () => {
    expect(matchKorean('ㅎㄴ', '하늘')).not.toBeNull();
    expect(matchKorean('ㄴ', '하늘')).not.toBeNull();
    expect(matchKorean('ㅎㄷ', '하늘')).toBeNull();
    expect(matchKorean('ㄱㄷㅎ', '김대한')).not.toBeNull();
  });

  it('matches doubled initial consonants only with the doubled initial', () => {
    expect(matchKorean('ㄲㅊ', '까치')).not.toBeNull();
    expect(matchKorean('ㄱㅊ', '까치')).toBeNull();
    expect(matchKorean('ㅆ', '쌍둥이')).not.toBeNull();
    expect(matchKorean('ㅅ', '쌍둥이')).toBeNull();
  });

  it('matches mixed queries of syllables and initial consonants', () => {
    expect(matchKorean('하ㄴ', '하늘')).not.toBeNull();
    expect(matchKorean('ㅎ늘', '하늘')).not.toBeNull();
    expect(matchKorean('ㅎ늘', '하나')).toBeNull();
  });

  it('matches a last syllable still being typed', () => {
    expect(matchKorean('하느', '하늘')).not.toBeNull();
    expect(matchKorean('할', '하루')).not.toBeNull();
    expect(matchKorean('하나', '하늘')).toBeNull();
    // Only the last syllable may be unfinished.
    expect(matchKorean('하느ㄹ', '하늘')).toBeNull();
  });

  it('does not split compound final consonants', () => {
    expect(matchKorean('닭', '달걀')).toBeNull();
    expect(matchKorean('달', '달걀')).not.toBeNull();
  });

  it('normalizes NFD input on both sides', () => {
    const nfd = '하늘'.normalize('NFD');
    expect(matchKorean(nfd, '하늘')).not.toBeNull();
    expect(matchKorean('하늘', nfd)).not.toBeNull();
    expect(matchKorean('ㅎㄴ', nfd)).not.toBeNull();
  });
});

describe('rankByKorean', () => {
  it('ranks prefix, then substring, then initial consonants, then mixed, and drops misses', () => {
    const names = ['Zed', '나하늘', '하늘', '하나', '호남'];
    // 'ㅎ' is a prefix of nothing as text, so every Hangul name with ㅎ matches by initial consonant.
    expect(rankByKorean(names, 'ㅎ', (name) => name)).toEqual(['하나', '하늘', '호남', '나하늘']);
    expect(rankByKorean(['푸른하늘', '하늘빛', '하느님'], '하늘', (name) => name)).toEqual(['하늘빛', '푸른하늘']);
    expect(rankByKorean(['ab하늘', '하늘', 'x하느'], '하느', (name) => name)).toEqual(['x하느', '하늘', 'ab하늘']);
  });

  it('breaks ties by collation', () => {
    expect(rankByKorean(['mira', 'Mila', 'mina'], 'mi', (name) => name)).toEqual(['Mila', 'mina', 'mira']);
  });

  it('keeps everything for an empty query, in collation order', () => {
    expect(rankByKorean([{ n: 'b' }, { n: 'a' }], '', (item) => item.n).map((item) => item.n)).toEqual(['a', 'b']);
  });
});
