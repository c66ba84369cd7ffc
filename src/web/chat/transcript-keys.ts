import type { KeyboardEvent } from 'react';
import { openMessageActions } from '../messages/MessageActions';

/**
 * Keyboard use of the transcript (ui.md §4.4.2 "Keyboard"): the scroller is the list's one tab stop; ↑/↓ move focus
 * between the rendered rows (each `<article>`, made focusable on the way), Home and End go to the first and last
 * loaded rows, PageUp/PageDown scroll natively, Enter or Shift+F10 opens the focused row's actions, and Esc hands
 * focus back to the composer. Rows beyond the rendered
 * window come into it as the focused row is scrolled into view.
 */

export interface TranscriptKeyTarget {
  scroller: () => HTMLElement | null;
  /** Scrolls to the first or the last loaded row; resolves once it may be rendered. */
  scrollToEdge: (edge: 'first' | 'last') => Promise<void>;
  focusComposer: () => void;
}

function rowsIn(scroller: HTMLElement): HTMLElement[] {
  return Array.from(scroller.querySelectorAll<HTMLElement>('article'));
}

function focusRow(row: HTMLElement | undefined): void {
  if (!row) return;
  row.tabIndex = -1;
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: 'nearest' });
}

/** Rows at least partly inside the scroller's viewport. */
function visibleRows(scroller: HTMLElement, rows: HTMLElement[]): HTMLElement[] {
  const view = scroller.getBoundingClientRect();
  return rows.filter((row) => {
    const box = row.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
}

export function transcriptKeyHandler(target: TranscriptKeyTarget) {
  return (event: KeyboardEvent<HTMLElement>) => {
    // Enter or Shift+F10 on a focused row opens its actions.
    const row = document.activeElement instanceof HTMLElement && document.activeElement.tagName === 'ARTICLE' ? document.activeElement : null;
    const menuKey = event.key === 'Enter' || event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10');
    if (row && menuKey && !event.nativeEvent.isComposing) {
      if (openMessageActions(row)) event.preventDefault();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.nativeEvent.isComposing) return;
    const scroller = target.scroller();
    if (!scroller) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Keys typed in a field inside a row (an inline editor) stay there.
    if (focused && focused !== scroller && /^(INPUT|TEXTAREA|SELECT)$/.test(focused.tagName)) return;
    const rows = rowsIn(scroller);
    const current = focused?.closest('article');
    const at = current ? rows.indexOf(current as HTMLElement) : -1;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        const down = event.key === 'ArrowDown';
        if (at === -1) {
          const seen = visibleRows(scroller, rows);
          focusRow(down ? seen[0] : seen.at(-1));
        } else {
          focusRow(rows[down ? at + 1 : at - 1]);
        }
        return;
      }
      case 'Home':
      case 'End': {
        event.preventDefault();
        const edge = event.key === 'Home' ? 'first' : 'last';
        void target.scrollToEdge(edge).then(() => {
          const now = rowsIn(scroller);
          focusRow(edge === 'first' ? now[0] : now.at(-1));
        });
        return;
      }
      case 'Escape':
        event.preventDefault();
        target.focusComposer();
        return;
      default:
    }
  };
}
