import type { ReactNode } from 'react';
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
