import { lazy, Suspense, useEffect, useState } from 'react';
import { followDensity } from './density';
import { closeDialog, openDialog, useOpenDialog } from './dialog-events';
import { globalShortcut } from './keys';

const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const HelpDialog = lazy(() => import('./HelpDialog').then((m) => ({ default: m.HelpDialog })));
const ShortcutsDialog = lazy(() => import('./ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })));
const QuickSwitcher = lazy(() => import('./QuickSwitcher').then((m) => ({ default: m.QuickSwitcher })));
const AgentProfileDialog = lazy(() => import('../agent-panel/AgentProfileDialog').then((m) => ({ default: m.AgentProfileDialog })));

/**
 * The app-level dialogs (Settings, Help, Shortcuts, Quick switcher), loaded when first opened, the global
 * shortcuts that open them (Ctrl/⌘ K, ?), and the density class on <html>. Mounted once by the app shell.
 */
export function AppDialogs() {
  const open = useOpenDialog();
  const [profileId, setProfileId] = useState<number | undefined>();

  useEffect(() => followDensity(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = globalShortcut(event);
      if (!shortcut) return;
      event.preventDefault();
      openDialog(shortcut);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onOpenChange = (next: boolean) => {
    if (!next) closeDialog();
  };

  return (
    <Suspense fallback={null}>
      {open === 'settings' && <SettingsDialog open onOpenChange={onOpenChange} />}
      {open === 'help' && <HelpDialog open onOpenChange={onOpenChange} />}
      {open === 'shortcuts' && <ShortcutsDialog open onOpenChange={onOpenChange} />}
      {open === 'switcher' && <QuickSwitcher open onOpenChange={onOpenChange} onOpenAgent={setProfileId} />}
      {profileId !== undefined && <AgentProfileDialog agentId={profileId} onOpenChange={(next) => !next && setProfileId(undefined)} />}
    </Suspense>
  );
}
