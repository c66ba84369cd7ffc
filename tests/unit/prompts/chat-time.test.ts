import { describe, expect, it } from 'vitest';
import {
  chatTimeParts,
  formatChatTime,
  formatUtcOffset,
  isValidTimeZone,
} from '../../../src/server/prompts/chat-time.js';

// 2026-03-14T12:04:05Z: 21:04:05 on a Saturday in Seoul.
const INSTANT = new Date(Date.UTC(2026, 2, 14, 12, 4, 5));

describe('formatChatTime', () => {
  it('labels Asia/Seoul as KST', () => {
    expect(formatChatTime(INSTANT, 'Asia/Seoul')).toBe('2026-03-14 (Sat) 21:04:05 KST');
  });

  it('uses the given label whatever the zone', () => {
    expect(formatChatTime(INSTANT, 'Asia/Seoul', 'Seoul')).toBe('2026-03-14 (Sat) 21:04:05 Seoul');
    expect(formatChatTime(INSTANT, 'UTC', 'Z')).toBe('2026-03-14 (Sat) 12:04:05 Z');
  });

  it('falls back to the derived label when the given label is blank', () => {
    expect(formatChatTime(INSTANT, 'Asia/Seoul', '  ')).toBe('2026-03-14 (Sat) 21:04:05 KST');
  });

  it('labels other zones with their UTC offset at that instant', () => {
    expect(formatChatTime(INSTANT, 'UTC')).toBe('2026-03-14 (Sat) 12:04:05 UTC+00:00');
    expect(formatChatTime(INSTANT, 'Asia/Kolkata')).toBe('2026-03-14 (Sat) 17:34:05 UTC+05:30');
    // 2026-03-14 is after the US switch to daylight saving time (March 8).
    expect(formatChatTime(INSTANT, 'America/New_York')).toBe('2026-03-14 (Sat) 08:04:05 UTC-04:00');
    expect(formatChatTime(new Date(Date.UTC(2026, 0, 14, 12, 4, 5)), 'America/New_York')).toBe(
      '2026-01-14 (Wed) 07:04:05 UTC-05:00',
    );
  });

  it('shows midnight as 00, not 24', () => {
    expect(formatChatTime(new Date(Date.UTC(2026, 2, 14, 15, 0, 0)), 'Asia/Seoul')).toBe(
      '2026-03-15 (Sun) 00:00:00 KST',
    );
  });

  it('keeps the offset exact despite milliseconds in the instant', () => {
    expect(chatTimeParts(new Date(Date.UTC(2026, 2, 14, 12, 4, 5, 999)), 'Asia/Seoul').offsetMinutes).toBe(540);
  });
});

describe('formatUtcOffset', () => {
  it('pads hours and minutes and keeps the sign', () => {
    expect(formatUtcOffset(540)).toBe('UTC+09:00');
    expect(formatUtcOffset(-210)).toBe('UTC-03:30');
    expect(formatUtcOffset(0)).toBe('UTC+00:00');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects unknown ones', () => {
    expect(isValidTimeZone('Asia/Seoul')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
