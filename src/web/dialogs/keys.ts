/** Global shortcuts of ui.md §4.13 handled by the app dialogs: Ctrl/⌘ K (quick switcher) and ? (shortcuts). */

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

export type GlobalShortcut = 'switcher' | 'shortcuts';

export function globalShortcut(event: KeyboardEvent): GlobalShortcut | null {
  if (event.isComposing || event.keyCode === 229) return null;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') return 'switcher';
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextTarget(event.target)) return 'shortcuts';
  return null;
}
