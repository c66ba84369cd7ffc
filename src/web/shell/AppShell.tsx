import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { AppDialogs } from '../dialogs/AppDialogs';
import { ToastRegion } from '../components/toast';
import { isApiError } from '../lib/api';
import { readLayout, writeLayout } from '../lib/layout';
import { ShellContext, type Shell } from './shell-context';
import { Sidebar } from './Sidebar';

const CreateRoomDialog = lazy(() => import('../rooms/CreateRoomDialog').then((m) => ({ default: m.CreateRoomDialog })));

const DESKTOP_QUERY = '(min-width: 1024px)';

function subscribeDesktop(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const media = window.matchMedia(DESKTOP_QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

function isDesktop(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DESKTOP_QUERY).matches;
}

/**
 * The app shell (ui.md §4.2): the sidebar (288 px from 1024 px, collapsible and remembered; a modal drawer below
 * that) and the routed page. It draws at once while the session check runs (§4.1).
 */
export function AppShell() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const desktop = useSyncExternalStore(subscribeDesktop, isDesktop, () => true);
  const [sidebarOpen, setSidebarOpen] = useState(() => readLayout().sidebarOpen);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);
  // Loaded on first use (it is not needed to paint the app) and kept mounted after, so it can close normally.
  const createLoaded = useRef(false);
  if (createOpen) createLoaded.current = true;

  // The drawer closes on every navigation — the key changes even when the link is the room already open — and when
  // the window grows to the desktop layout.
  useEffect(() => setDrawerOpen(false), [location.key, desktop]);

  const toggleSidebar = useCallback(() => {
    if (!desktop) return setDrawerOpen((open) => !open);
    setSidebarOpen((open) => {
      writeLayout({ sidebarOpen: !open });
      return !open;
    });
  }, [desktop]);

  const shell = useMemo<Shell>(
    () => ({
      toggleSidebar,
      sidebarExpanded: desktop ? sidebarOpen : drawerOpen,
      openCreateRoom: () => setCreateOpen(true),
    }),
    [toggleSidebar, desktop, sidebarOpen, drawerOpen],
  );

  const sessionFailed = session.isError && !(isApiError(session.error) && session.error.status === 401);

  return (
    <ShellContext.Provider value={shell}>
      <div className="flex h-dvh pl-[env(safe-area-inset-left)] pr-[env(safe-area-inset-right)]">
        {desktop && sidebarOpen && <Sidebar />}
        {!desktop && (
          <Dialog.Root open={drawerOpen} onOpenChange={setDrawerOpen}>
            <Dialog.Portal>
              <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
              <DialogContent aria-describedby={undefined} className="fixed inset-y-0 left-0 z-50 flex w-[min(20rem,88vw)] shadow-xl [&>nav]:w-full">
                <Dialog.Title className="sr-only">{t('nav.sidebar')}</Dialog.Title>
                <Sidebar />
              </DialogContent>
            </Dialog.Portal>
          </Dialog.Root>
        )}
        <main className="flex min-w-0 flex-1 flex-col">
          {sessionFailed ? (
            <div role="alert" className="m-auto max-w-sm p-6 text-center">
              <p>{t('errors:unreachable')}</p>
              <button
                type="button"
                onClick={() => void session.refetch()}
                className="mt-3 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg"
              >
                {t('actions.retry')}
              </button>
            </div>
          ) : (
            <ErrorBoundary resetKey={location.pathname}>
              <Outlet />
            </ErrorBoundary>
          )}
        </main>
      </div>
      {createLoaded.current && (
        <Suspense fallback={null}>
          <CreateRoomDialog open={createOpen} onOpenChange={setCreateOpen} />
        </Suspense>
      )}
      <AppDialogs />
      <ToastRegion />
    </ShellContext.Provider>
  );
}
