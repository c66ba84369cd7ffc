import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import koComposer from '../../../src/web/i18n/locales/ko/composer.json' with { type: 'json' };
import { installJosaFormatter, josa, particleFor } from '../../../src/web/lib/josa.js';

describe('josa', () => {
  it('uses the form for a final consonant', () => {
    expect(josa('하늘', '이/가')).toBe('하늘이');
    expect(josa('하늘', '은/는')).toBe('하늘은');
    expect(josa('민준', '을/를')).toBe('민준을');
    expect(josa('민준', '과/와')).toBe('민준과');
    expect(josa('민준', '으로/로')).toBe('민준으로');
  });

  it('uses the form for no final consonant', () => {
    expect(josa('미라', '이/가')).toBe('미라가');
    expect(josa('미라', '은/는')).toBe('미라는');
    expect(josa('미라', '을/를')).toBe('미라를');
    expect(josa('미라', '과/와')).toBe('미라와');
    expect(josa('미라', '으로/로')).toBe('미라로');
  });

  it('takes 로 after a final ㄹ, but keeps 이/은/을/과 for it', () => {
    expect(josa('하늘', '으로/로')).toBe('하늘로');
    expect(josa('서울', '이/가')).toBe('서울이');
  });

  it('reads a final digit in Korean', () => {
    expect(josa('방 1', '이/가')).toBe('방 1이'); // 일
    expect(josa('방 2', '이/가')).toBe('방 2가'); // 이
    expect(josa('3', '을/를')).toBe('3을'); // 삼
    expect(josa('7', '으로/로')).toBe('7로'); // 칠
    expect(josa('10', '으로/로')).toBe('10으로'); // 영 (read digit by digit)
    expect(josa('9', '은/는')).toBe('9는'); // 구
  });

  it('writes both forms after Latin names and symbols', () => {
    expect(josa('Mira', '이/가')).toBe('Mira(이)가');
    expect(particleFor('Mira', '은/는')).toBe('(은)는');
    expect(particleFor('Bob', '으로/로')).toBe('(으)로');
    expect(particleFor('', '을/를')).toBe('(을)를');
  });

  it('handles decomposed (NFD) Hangul', () => {
    expect(josa('하늘'.normalize('NFD'), '이/가').normalize('NFC')).toBe('하늘이');
  });

  it('works as an i18next formatter', async () => {
    const instance = i18next.createInstance();
    await instance.init({
      lng: 'ko',
      resources: { ko: { translation: { who: '{{name, josa(이/가)}} 말했어요', to: '{{name, josa(으로/로)}} 보내기' } } },
      interpolation: { escapeValue: false },
    });
    installJosaFormatter(instance);
    installJosaFormatter(instance);
    expect(instance.t('who', { name: '하늘' })).toBe('하늘이 말했어요');
    expect(instance.t('who', { name: 'Mira' })).toBe('Mira(이)가 말했어요');
    expect(instance.t('to', { name: '하늘' })).toBe('하늘로 보내기');
  });

  it("gives the Korean composer placeholder the particle that fits the persona", async () => {
    const instance = i18next.createInstance();
    await instance.init({ lng: 'ko', resources: { ko: { composer: koComposer } }, interpolation: { escapeValue: false } });
    installJosaFormatter(instance);
    const placeholder = (persona: string) => instance.t('placeholder', { ns: 'composer', persona });
    expect(placeholder('나')).toBe('나로 메시지 보내기…');
    expect(placeholder('상황')).toBe('상황으로 메시지 보내기…');
    expect(placeholder('하늘')).toBe('하늘로 메시지 보내기…');
    expect(placeholder('Mira')).toBe('Mira(으)로 메시지 보내기…');
  });
});
