/**
 * Global shortcuts of ui.md §4.13 handled by the app dialogs: Ctrl/⌘ K (quick switcher), ? (shortcuts) and
 * Alt+↑ / Alt+↓ (previous / next room in the sidebar's order).
 */

export function isApple(): boolean {
  const platform = (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/** Focus is in a place where typing goes into text (then `?` is just a character). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

export type GlobalShortcut = 'switcher' | 'shortcuts' | 'previousRoom' | 'nextRoom';

export function globalShortcut(event: KeyboardEvent): GlobalShortcut | null {
  if (event.isComposing || event.keyCode === 229) return null;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') return 'switcher';
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    if (event.key === 'ArrowUp') return 'previousRoom';
    if (event.key === 'ArrowDown') return 'nextRoom';
  }
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextTarget(event.target)) return 'shortcuts';
  return null;
}

/** The room to open for Alt+↑ / Alt+↓: the neighbour in list order, wrapping; the first room when none is open. */
export function neighbourRoom(roomIds: readonly number[], current: number | undefined, step: 1 | -1): number | undefined {
  if (roomIds.length === 0) return undefined;
  const index = current === undefined ? -1 : roomIds.indexOf(current);
  if (index < 0) return step === 1 ? roomIds[0] : roomIds[roomIds.length - 1];
  return roomIds[(index + step + roomIds.length) % roomIds.length];
}
