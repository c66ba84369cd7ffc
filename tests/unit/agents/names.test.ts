import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentNameError,
  compareCodePoints,
  isValidAgentName,
  MAX_NAME_LENGTH,
  normalizeName,
} from '../../../src/server/agents/names.js';

describe('normalizeName', () => {
  it('trims and composes to NFC', () => {
    const nfdHangul = '\u1100\u1161'; // 가 as jamo
    expect(normalizeName(`  ${nfdHangul} `)).toBe('가');
    expect(normalizeName(' Mira\t')).toBe('Mira');
  });
});

describe('agentNameError', () => {
  it.each(['Mira', '민준', 'Zoë', 'Ana-Maria', 'R2_D2', 'Dr. Who', 'a.b', 'x'.repeat(MAX_NAME_LENGTH), 'é'])(
    'accepts %s',
    (name) => {
      expect(agentNameError(name)).toBeNull();
    },
  );

  it('accepts letters followed by combining marks', () => {
    expect(agentNameError('e\u0301le\u0300ve')).toBeNull();
  });

  it('counts code points, so 64 astral letters are allowed and 65 are not', () => {
    const letter = '\u{1D400}'; // MATHEMATICAL BOLD CAPITAL A, category Lu, two UTF-16 units
    expect(agentNameError(letter.repeat(64))).toBeNull();
    expect(agentNameError(letter.repeat(65))).toMatch(/longer than 64/);
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(MAX_NAME_LENGTH + 1), /longer/],
    ['../x', /only contain|"\."|\.\./],
    ['a/b', /only contain/],
    ['a\\b', /only contain/],
    ['a:b', /only contain/],
    ['a\u0000b', /only contain/],
    ['a\nb', /only contain/],
    ['a\tb', /only contain/],
    [' Mira', /space/],
    ['Mira ', /space/],
    ['.hidden', /start with "\."/],
    ['a..b', /"\.\."/],
    ['..', /"\."|\.\./],
    ['Mira!', /only contain/],
    ['😀', /only contain/],
  ])('rejects %j', (name, reason) => {
    expect(agentNameError(name)).toMatch(reason);
    expect(isValidAgentName(name)).toBe(false);
  });

  it('never accepts a name containing "/", "\\\\" or ".." (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('/', '\\', '..'), fc.string(), (a, bad, b) => {
        expect(isValidAgentName(`${a}${bad}${b}`)).toBe(false);
      }),
    );
  });

  it('accepts every trimmed name built from letters, digits, "-" and "_" (property)', () => {
    const part = fc.constantFrom('a', 'Z', 'é', '가', 'ß', 'ж', '7', '٣', '-', '_');
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: MAX_NAME_LENGTH }), (parts) => {
        expect(agentNameError(parts.join(''))).toBeNull();
      }),
    );
  });
});

describe('compareCodePoints', () => {
  it('orders astral characters after the whole BMP, unlike UTF-16 comparison', () => {
    const astral = '\u{10000}';
    const highBmp = '\uFF5E';
    expect(astral < highBmp).toBe(true); // UTF-16 units: 0xD800 < 0xFF5E
    expect(compareCodePoints(astral, highBmp)).toBeGreaterThan(0);
  });

  it('puts a prefix before its extensions and treats equal strings as equal', () => {
    expect(compareCodePoints('agents/Zed', 'agents/Zed2')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
    expect(compareCodePoints('agents/Zed', 'agents/group_Night/Zed')).toBeLessThan(0);
  });
});
