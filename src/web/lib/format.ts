/** Localized time formats (ui.md §8 "Formats"), in the UI's current language. */

export function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'medium' }).format(new Date(iso));
}

/** Short relative time for the room list: "now", "3m", "5h", "yesterday"/"어제", then the date. */
export function formatRelative(iso: string, language: string, now: number = Date.now()): string {
  const then = new Date(iso);
  const seconds = Math.max(0, (now - then.getTime()) / 1000);
  const unit = (value: number, name: 'minute' | 'hour') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  if (seconds < 60) return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(0, 'second');
  if (seconds < 3600) return unit(Math.floor(seconds / 60), 'minute');
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  if (then.getTime() >= today.getTime()) return unit(Math.floor(seconds / 3600), 'hour');
  if (then.getTime() >= today.getTime() - 86_400_000) {
    return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(-1, 'day');
  }
  const sameYear = then.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(language, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' }).format(then);
}
