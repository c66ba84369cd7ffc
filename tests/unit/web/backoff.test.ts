import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, pollRetryDelayMs, reconnectDelayMs } from '../../../src/web/connection/backoff.js';

describe('reconnectDelayMs', () => {
  it('doubles from 1 s and stops at 30 s without jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelayMs(n, 0.5))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('stays within 0.8 to 1.2 times the base delay for any draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, draw) => {
        const base = Math.min(30_000, 2 ** (n - 1) * 1_000);
        const delay = reconnectDelayMs(n, draw);
        expect(delay).toBeGreaterThanOrEqual(Math.round(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.round(base * 1.2));
      }),
    );
  });
});

describe('pollRetryDelayMs', () => {
  it('backs off 3, 6, 12, then 30 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(pollRetryDelayMs)).toEqual([3_000, 6_000, 12_000, 30_000, 30_000, 30_000]);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('7', now)).toBe(7_000);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:12 GMT', now)).toBe(12_000);
  });

  it('gives null for a missing or unreadable header', () => {
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
  });
});
