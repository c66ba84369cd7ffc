import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findMemory, normalizeRequestedSubtitle, parseMemorySections } from '../../../src/server/agents/memory.js';

describe('parseMemorySections', () => {
  it('maps each header subtitle to the trimmed lines up to the next header', () => {
    const text = [
      'Preamble lines are ignored.',
      '## [Harbor night]',
      '',
      'The lantern went out.',
      'Mira stayed anyway.',
      '',
      '##[Tight header] trailing words are ignored',
      'Second.',
    ].join('\n');
    expect([...parseMemorySections(text)]).toEqual([
      ['Harbor night', 'The lantern went out.\nMira stayed anyway.'],
      ['Tight header', 'Second.'],
    ]);
  });

  it('requires the header at the start of the line', () => {
    const sections = parseMemorySections('## [A]\n  ## [Not a header]\ntext\n# [Also not]');
    expect([...sections]).toEqual([['A', '## [Not a header]\ntext\n# [Also not]']]);
  });

  it('keeps the first position of a repeated subtitle but the later content', () => {
    const sections = parseMemorySections('## [A]\none\n## [B]\ntwo\n## [A]\nthree');
    expect([...sections]).toEqual([
      ['A', 'three'],
      ['B', 'two'],
    ]);
  });

  it('handles CRLF and CR line endings', () => {
    expect([...parseMemorySections('## [A]\r\nx\r\ny\r## [B]\rz')]).toEqual([
      ['A', 'x\ny'],
      ['B', 'z'],
    ]);
  });

  it('gives an empty section an empty string and a text without headers no sections', () => {
    expect([...parseMemorySections('## [Empty]\n\n## [Full]\nx')]).toEqual([
      ['Empty', ''],
      ['Full', 'x'],
    ]);
    expect(parseMemorySections('just notes\n# Title').size).toBe(0);
    expect(parseMemorySections('').size).toBe(0);
  });

  it('stores subtitles trimmed and in NFC, and drops a header with a blank subtitle', () => {
    const sections = parseMemorySections('## [  Cafe\u0301 talk ]\nx\n## []\ndropped\n## [ ]\nalso dropped');
    expect([...sections]).toEqual([['Café talk', 'x']]);
  });

  it('never produces a subtitle containing "]" or a newline (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }), (lines) => {
        for (const [subtitle, content] of parseMemorySections(lines.join('\n'))) {
          expect(subtitle).not.toMatch(/[\]\n\r]/);
          expect(subtitle).toBe(subtitle.trim());
          expect(content).toBe(content.trim());
        }
      }),
    );
  });

  it('round-trips generated sections (property)', () => {
    const subtitle = fc
      .string({ minLength: 1, maxLength: 20 })
      .map((s) => s.replace(/[\]\r\n]/g, '').trim())
      .filter((s) => s !== '' && s === s.normalize('NFC'));
    const body = fc
      .array(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 5 })
      .map((lines) => lines.filter((line) => !line.startsWith('##')).join('\n').trim());
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(subtitle, body), { selector: ([s]) => s, maxLength: 8 }), (entries) => {
        const text = entries.map(([s, b]) => `## [${s}]\n${b}`).join('\n');
        expect([...parseMemorySections(text)]).toEqual(entries);
      }),
    );
  });
});

describe('findMemory', () => {
  const sections = parseMemorySections(
    '## [Harbor night]\nlantern\n## [harbor  NIGHT]\nsecond spelling\n## [First Kiss]\npier\n## [Café]\ncoffee',
  );

  it('finds an exact subtitle', () => {
    expect(findMemory(sections, 'Harbor night')).toEqual({ subtitle: 'Harbor night', content: 'lantern' });
  });

  it('trims the request and strips one pair of surrounding brackets', () => {
    expect(findMemory(sections, '  [Harbor night] ')).toEqual({ subtitle: 'Harbor night', content: 'lantern' });
    expect(findMemory(sections, '[[Harbor night]]')).toBeNull();
  });

  it('prefers an exact match over an earlier case-insensitive one', () => {
    expect(findMemory(sections, 'harbor  NIGHT')).toEqual({ subtitle: 'harbor  NIGHT', content: 'second spelling' });
  });

  it('falls back to the first subtitle equal after lower-casing and collapsing whitespace', () => {
    expect(findMemory(sections, 'first   kiss')).toEqual({ subtitle: 'First Kiss', content: 'pier' });
    expect(findMemory(sections, 'HARBOR\tNIGHT')).toEqual({ subtitle: 'Harbor night', content: 'lantern' });
  });

  it('normalises the request to NFC', () => {
    expect(findMemory(sections, 'Cafe\u0301')).toEqual({ subtitle: 'Café', content: 'coffee' });
  });

  it('returns null for an unknown or empty subtitle', () => {
    expect(findMemory(sections, 'Unknown')).toBeNull();
    expect(findMemory(sections, '')).toBeNull();
    expect(findMemory(sections, '[]')).toBeNull();
    expect(findMemory(new Map(), 'Harbor night')).toBeNull();
  });

  it('does not match on a substring or prefix', () => {
    expect(findMemory(sections, 'Harbor')).toBeNull();
  });
});

describe('normalizeRequestedSubtitle', () => {
  it('leaves a lone bracket alone', () => {
    expect(normalizeRequestedSubtitle('[Harbor night')).toBe('[Harbor night');
  });
});
