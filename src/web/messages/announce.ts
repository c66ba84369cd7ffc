/**
 * A polite screen-reader announcement for short confirmations ("Copied") that show no visible text of their own.
 * One visually hidden live region is created on first use and reused.
 */
let region: HTMLElement | null = null;

export function announce(text: string): void {
  if (typeof document === 'undefined') return;
  if (region === null || !region.isConnected) {
    region = document.createElement('div');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('role', 'status');
    region.className = 'sr-only';
    region.dataset.testid = 'message-announcer';
    document.body.append(region);
  }
  const target = region;
  // Cleared first so the same text twice is announced twice.
  target.textContent = '';
  setTimeout(() => {
    target.textContent = text;
  }, 50);
}
