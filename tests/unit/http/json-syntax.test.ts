import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../src/server/http/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  it('reports the code-point offset where Python json would stop', () => {
    expect(jsonErrorOffset('not json')).toBe(0);
    expect(jsonErrorOffset('{"name": }')).toBe(9);
    expect(jsonErrorOffset('{"name" "A"}')).toBe(8);
    expect(jsonErrorOffset('{"név": "Ä😀", x}')).toBe(14);
    expect(jsonErrorOffset('{"name": "A"')).toBe(12);
    expect(jsonErrorOffset('{"name": "A"} extra')).toBe(14);
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('"open')).toBe(0);
    expect(jsonErrorOffset('"bad \\x escape"')).toBe(5);
    expect(jsonErrorOffset('01')).toBe(1);
    expect(jsonErrorOffset('')).toBe(0);
  });

  it('finds no error in any JSON.stringify output', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        expect(jsonErrorOffset(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it('agrees with JSON.parse on arbitrary text and stays within it', () => {
    const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '1', '-', '.', 'e', 'n', 'u', 'l', 't', '\\', 'x') });
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string()), (text) => {
        const offset = jsonErrorOffset(text);
        if (parses(text)) expect(offset).toBeNull();
        else {
          expect(offset).not.toBeNull();
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual([...text].length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('survives nesting deeper than the stack', () => {
    const text = '['.repeat(200_000);
    expect(jsonErrorOffset(text)).toEqual(expect.any(Number));
  });
});
