import { MoreHorizontal } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../shared/models';

// The menu and its dialogs load on first use: the sidebar is in the entry bundle (ui.md §1 P2 budget).
const RoomRowMenuContent = lazy(() => import('./RoomRowMenuContent'));

const TRIGGER_CLASS =
  'absolute right-1 top-1/2 -translate-y-1/2 rounded-control p-1.5 text-text-muted opacity-0 hover:bg-surface hover:text-text focus-visible:opacity-100 group-focus-within:opacity-100 group-hover:opacity-100 data-[state=open]:opacity-100 coarse:min-h-11 coarse:min-w-11 coarse:opacity-100';

/** A room row's ⋯ button (ui.md §4.2); shows on hover and focus, always on coarse pointers. */
export function RoomRowMenu({ room }: { room: RoomSummary }) {
  const { t } = useTranslation('rooms');
  const [used, setUsed] = useState(false);
  const placeholder = (
    <button
      type="button"
      aria-label={t('row.menu', { name: room.name })}
      aria-haspopup="menu"
      title={t('row.menuShort')}
      onClick={() => setUsed(true)}
      className={TRIGGER_CLASS}
    >
      <MoreHorizontal aria-hidden="true" className="mx-auto size-4" strokeWidth={1.75} />
    </button>
  );
  if (!used) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <RoomRowMenuContent room={room} triggerClass={TRIGGER_CLASS} />
    </Suspense>
  );
}
