import { Menu } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShell } from './shell-context';

/**
 * A page's sticky header (ui.md §4.4.1): the sidebar toggle first, then the page's `h1`, then the page's own
 * controls. The `h1` takes focus when the page opens (§7), unless the page focuses something else.
 */
export function PageHeader({ title, focusTitle = true, children }: { title: string; focusTitle?: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  const { toggleSidebar, sidebarExpanded } = useShell();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusTitle) heading.current?.focus({ preventScroll: true });
  }, [focusTitle]);

  return (
    <header className="sticky top-0 z-10 flex h-14 shrink-0 items-center gap-2 border-b border-border bg-bg/80 px-3 pt-[env(safe-area-inset-top)] backdrop-blur">
      <button
        type="button"
        onClick={toggleSidebar}
        aria-expanded={sidebarExpanded}
        aria-label={sidebarExpanded ? t('nav.closeSidebar') : t('nav.openSidebar')}
        title={sidebarExpanded ? t('nav.closeSidebar') : t('nav.openSidebar')}
        className="rounded-control p-2 text-text-muted hover:bg-surface-2 hover:text-text"
      >
        <Menu aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
      </button>
      <h1 ref={heading} tabIndex={-1} title={title} className="min-w-0 truncate text-base font-semibold outline-none">
        {title}
      </h1>
      {children}
    </header>
  );
}
