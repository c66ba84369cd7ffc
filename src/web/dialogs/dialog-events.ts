import { useSyncExternalStore } from 'react';

/**
 * Which app-level dialog is open (ui.md §2.2: Settings, Help, Shortcuts and the Quick switcher are dialogs, not
 * routes, and leave history alone). Any control may open one; AppDialogs renders it.
 */

export type AppDialog = 'settings' | 'help' | 'shortcuts' | 'switcher';

export const HELP_TABS = ['basics', 'agents', 'chatting', 'shortcuts', 'connection', 'providers'] as const;
export type HelpTab = (typeof HELP_TABS)[number];

let open: AppDialog | null = null;
let helpTab: HelpTab = 'basics';
const listeners = new Set<() => void>();

function set(next: AppDialog | null): void {
  if (open === next) return;
  open = next;
  for (const listener of listeners) listener();
}

export function openDialog(dialog: AppDialog): void {
  helpTab = 'basics';
  set(dialog);
}

/** Help, opened at one of its tabs (the Create room dialog's "How to set up a provider"). */
export function openHelp(tab: HelpTab): void {
  helpTab = tab;
  set('help');
}

/** The tab Help opens at. */
export function openingHelpTab(): HelpTab {
  return helpTab;
}

export function closeDialog(): void {
  set(null);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => open;

export function useOpenDialog(): AppDialog | null {
  return useSyncExternalStore(subscribe, get, get);
}
