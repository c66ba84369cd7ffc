/** Localized time formats (ui.md §8 "Formats"), in the UI's current language. */

// Building an Intl formatter costs far more than using one, and a transcript formats a time for every row, so each
// (kind, language, options) gets one formatter for the page's life.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(key: string, build: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = build();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function dateFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`date ${language} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(language, options));
}

const relativeFormat = (language: string) =>
  cached(`relative ${language}`, () => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }));

const unitFormat = (language: string, unit: 'minute' | 'hour') =>
  cached(`unit ${language} ${unit}`, () => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow' }));

export function formatTime(iso: string, language: string): string {
  return dateFormat(language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDateTime(iso: string, language: string): string {
  return dateFormat(language, { dateStyle: 'full', timeStyle: 'medium' }).format(new Date(iso));
}

/** Short relative time for the room list: "now", "3m", "5h", "yesterday"/"어제", then the date. */
export function formatRelative(iso: string, language: string, now: number = Date.now()): string {
  const then = new Date(iso);
  const seconds = Math.max(0, (now - then.getTime()) / 1000);
  if (seconds < 60) return relativeFormat(language).format(0, 'second');
  if (seconds < 3600) return unitFormat(language, 'minute').format(Math.floor(seconds / 60));
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  if (then.getTime() >= today.getTime()) return unitFormat(language, 'hour').format(Math.floor(seconds / 3600));
  if (then.getTime() >= today.getTime() - 86_400_000) return relativeFormat(language).format(-1, 'day');
  const sameYear = then.getFullYear() === today.getFullYear();
  return dateFormat(language, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' }).format(then);
}
