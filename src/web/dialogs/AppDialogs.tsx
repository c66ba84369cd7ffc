import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { RoomSummary } from '../../shared/models';
import { queryKeys } from '../lib/query';
import { followDensity } from './density';
import { closeDialog, openDialog, openingHelpTab, useOpenDialog } from './dialog-events';
import { globalShortcut, neighbourRoom } from './keys';

const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const HelpDialog = lazy(() => import('./HelpDialog').then((m) => ({ default: m.HelpDialog })));
const ShortcutsDialog = lazy(() => import('./ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })));
const QuickSwitcher = lazy(() => import('./QuickSwitcher').then((m) => ({ default: m.QuickSwitcher })));
const AgentProfileDialog = lazy(() => import('../agent-panel/AgentProfileDialog').then((m) => ({ default: m.AgentProfileDialog })));

/**
 * The app-level dialogs (Settings, Help, Shortcuts, Quick switcher), loaded when first opened, the global
 * shortcuts (Ctrl/⌘ K, ?, Alt+↑ / Alt+↓ between rooms), and the density class on <html>. Mounted once by the app shell.
 */
export function AppDialogs() {
  const open = useOpenDialog();
  const [profileId, setProfileId] = useState<number | undefined>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const path = useRef(location.pathname);
  path.current = location.pathname;

  useEffect(() => followDensity(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = globalShortcut(event);
      if (!shortcut) return;
      event.preventDefault();
      if (shortcut === 'previousRoom' || shortcut === 'nextRoom') {
        const rooms = queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms) ?? [];
        const match = /^\/rooms\/(\d+)/.exec(path.current);
        const target = neighbourRoom(
          rooms.map((room) => room.id),
          match ? Number(match[1]) : undefined,
          shortcut === 'nextRoom' ? 1 : -1,
        );
        if (target !== undefined) navigate(`/rooms/${target}`);
        return;
      }
      openDialog(shortcut);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, queryClient]);

  const onOpenChange = (next: boolean) => {
    if (!next) closeDialog();
  };

  return (
    <Suspense fallback={null}>
      {open === 'settings' && <SettingsDialog open onOpenChange={onOpenChange} />}
      {open === 'help' && <HelpDialog open onOpenChange={onOpenChange} initialTab={openingHelpTab()} />}
      {open === 'shortcuts' && <ShortcutsDialog open onOpenChange={onOpenChange} />}
      {open === 'switcher' && <QuickSwitcher open onOpenChange={onOpenChange} onOpenAgent={setProfileId} />}
      {profileId !== undefined && <AgentProfileDialog agentId={profileId} onOpenChange={(next) => !next && setProfileId(undefined)} />}
    </Suspense>
  );
}
