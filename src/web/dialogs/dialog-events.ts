import { useSyncExternalStore } from 'react';

/**
 * Which app-level dialog is open (ui.md §2.2: Settings, Help, Shortcuts and the Quick switcher are dialogs, not
 * routes, and leave history alone). Any control may open one; AppDialogs renders it.
 */

export type AppDialog = 'settings' | 'help' | 'shortcuts' | 'switcher';

let open: AppDialog | null = null;
const listeners = new Set<() => void>();

function set(next: AppDialog | null): void {
  if (open === next) return;
  open = next;
  for (const listener of listeners) listener();
}

export function openDialog(dialog: AppDialog): void {
  set(dialog);
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
