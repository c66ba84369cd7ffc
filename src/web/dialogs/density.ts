import { getSettings, subscribeSettings } from '../lib/settings';

/**
 * Compact density (ui.md §6): a `density-compact` class on <html>. styles.css turns it into smaller body text and
 * the `compact:` variant, which components use for smaller avatars and gaps.
 */

export const COMPACT_CLASS = 'density-compact';

export function applyDensity(): void {
  document.documentElement.classList.toggle(COMPACT_CLASS, getSettings().density === 'compact');
}

/** Starts following the density setting; returns the function that stops it. */
export function followDensity(): () => void {
  applyDensity();
  return subscribeSettings(applyDensity);
}
