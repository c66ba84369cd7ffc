import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTime } from '../lib/format';

/** Small pieces shared by the transcript's rows (ui.md §4.4.2). */

export function Timestamp({ id, iso }: { id?: string; iso: string }) {
  const { i18n } = useTranslation();
  return (
    <time id={id} dateTime={iso} title={formatDateTime(iso, i18n.language)} className="text-xs text-text-muted">
      {formatTime(iso, i18n.language)}
    </time>
  );
}

export function initialOf(name: string): string {
  return ([...name.trim()][0] ?? '?').toLocaleUpperCase();
}

/**
 * An agent's avatar: the server's picture at twice the drawn size, or the name's initial when there is none or it
 * fails to load (ui.md §3.1 "Avatar").
 */
export function Avatar({ name, pic, size = 36 }: { name: string; pic: string | null; size?: 16 | 28 | 36 }) {
  const [failed, setFailed] = useState(false);
  const box = size === 16 ? 'size-4 text-[9px]' : size === 28 ? 'size-7 text-xs' : 'size-9 text-sm';
  if (pic !== null && pic !== '' && !failed) {
    return (
      <img
        src={`/api/agents/${encodeURIComponent(name)}/profile-pic?size=${size * 2}`}
        alt=""
        aria-hidden="true"
        onError={() => setFailed(true)}
        className={`${box} shrink-0 rounded-full object-cover ring-1 ring-border`}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      data-testid="avatar-initial"
      className={`${box} flex shrink-0 items-center justify-center rounded-full bg-surface-2 font-semibold text-text-muted ring-1 ring-border`}
    >
      {initialOf(name)}
    </span>
  );
}

/** A text button in a row's status line; 44 px tall on coarse pointers (ui.md P3). */
export function RowButton({ onClick, children, tone = 'accent', busy = false }: { onClick: () => void; children: ReactNode; tone?: 'accent' | 'muted'; busy?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-busy={busy || undefined}
      disabled={busy}
      className={`rounded-control px-1 font-medium hover:underline disabled:opacity-60 coarse:min-h-11 ${tone === 'accent' ? 'text-accent' : 'text-text-muted'}`}
    >
      {children}
    </button>
  );
}
