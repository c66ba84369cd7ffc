/**
 * Times shown to agents (behavior.md §9.3): the system prompt time line, memorize entries, report names.
 * Database times stay UTC; only these renderings use the chat time zone.
 */

export interface ChatTimeParts {
  year: string;
  month: string;
  day: string;
  /** English abbreviation: Mon, Tue, … */
  weekday: string;
  hour: string;
  minute: string;
  second: string;
  /** Offset from UTC in minutes at that instant (540 for Asia/Seoul). */
  offsetMinutes: number;
}

const SEOUL = 'Asia/Seoul';

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    // Intl signals an unknown zone only by throwing a RangeError; that is the answer we want.
    return false;
  }
}

// Building a DateTimeFormat costs far more than using one, and every turn's system prompt asks for the time: one
// formatter per zone for the process's life (a handful of zones at most: the chat zone and the default).
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Calendar fields of `date` in `timeZone`. Throws RangeError for an unknown zone (settings validate it). */
export function chatTimeParts(date: Date, timeZone: string): ChatTimeParts {
  const format = formatFor(timeZone);
  const all = format.formatToParts(date);
  const field = (type: Intl.DateTimeFormatPartTypes): string => all.find((part) => part.type === type)?.value ?? '';
  const parts = {
    year: field('year').padStart(4, '0'),
    month: field('month'),
    day: field('day'),
    weekday: field('weekday'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
  // The offset is the gap between the wall-clock fields read as UTC and the instant itself; computing it
  // this way avoids depending on `timeZoneName` spellings ("GMT+9", "GMT+09:00") that vary by ICU build.
  const wallAsUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const instant = Math.floor(date.getTime() / 1000) * 1000;
  return { ...parts, offsetMinutes: Math.round((wallAsUtc - instant) / 60_000) };
}

/** `UTC+09:00`, `UTC-03:30`, `UTC+00:00`. */
export function formatUtcOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  const minutes = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hours}:${minutes}`;
}

/**
 * `YYYY-MM-DD (Ddd) HH:mm:ss <label>`. Label: the given one (CHAT_TIMEZONE_LABEL) when non-empty, else `KST`
 * for Asia/Seoul, else the offset in effect at that instant (so daylight saving shows correctly).
 */
export function formatChatTime(date: Date, timeZone: string, label?: string): string {
  const p = chatTimeParts(date, timeZone);
  const suffix = label?.trim() || (timeZone === SEOUL ? 'KST' : formatUtcOffset(p.offsetMinutes));
  return `${p.year}-${p.month}-${p.day} (${p.weekday}) ${p.hour}:${p.minute}:${p.second} ${suffix}`;
}
