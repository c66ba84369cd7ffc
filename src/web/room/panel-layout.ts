import { useCallback, useState, useSyncExternalStore } from 'react';
import { readStored, writeStored } from '../lib/storage';

/**
 * The agent panel's place (ui.md §4.2, §4.5): a column on desktop whose open state is remembered in the `layout`
 * key (beside the sidebar's), and a sheet below 1024 px that always starts closed.
 */

const KEY = 'layout';
const VERSION = 1;
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

export function useIsDesktop(): boolean {
  return useSyncExternalStore(subscribeDesktop, isDesktop, () => true);
}

export function readAgentPanelOpen(): boolean {
  return readStored<{ agentPanelOpen: boolean }>(KEY, VERSION)?.agentPanelOpen !== false;
}

export function writeAgentPanelOpen(open: boolean): void {
  writeStored(KEY, VERSION, { ...readStored<object>(KEY, VERSION), agentPanelOpen: open });
}

export function useAgentPanel() {
  const desktop = useIsDesktop();
  const [desktopOpen, setDesktopOpen] = useState(readAgentPanelOpen);
  const [sheetOpen, setSheetOpen] = useState(false);
  const open = desktop ? desktopOpen : sheetOpen;
  const setOpen = useCallback(
    (next: boolean) => {
      if (desktop) {
        writeAgentPanelOpen(next);
        setDesktopOpen(next);
      } else setSheetOpen(next);
    },
    [desktop],
  );
  return { desktop, open, setOpen, toggle: () => setOpen(!open) };
}
