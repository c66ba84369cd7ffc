/**
 * The progress line of the simulate CLI on stderr (terminal only): replies so far against the maximum, elapsed
 * time and how messages arrive. It is redrawn in place and erased before anything else is printed.
 */

export interface ProgressState {
  replies: number;
  maxInteractions: number;
  elapsedMs: number;
  transport: 'stream' | 'polling' | null;
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatProgress({ replies, maxInteractions, elapsedMs, transport }: ProgressState): string {
  const via = transport === 'polling' ? ' · polling' : '';
  return `[${replies}/${maxInteractions} replies · ${formatElapsed(elapsedMs)}${via}]`;
}

export interface ProgressLine {
  draw(state: ProgressState): void;
  /** Erases the line if it is shown. */
  clear(): void;
  /** Draws the last state again (after something else was printed). */
  restore(): void;
  /** Erases the line for good: later draws write nothing. */
  close(): void;
}

const ERASE = '\r\x1b[2K';

export function createProgressLine({ write, enabled }: { write: (text: string) => void; enabled: boolean }): ProgressLine {
  let active = enabled;
  /** The text on screen, or null when the line is not shown. */
  let shown: string | null = null;
  let last: ProgressState | null = null;
  const draw = (state: ProgressState) => {
    last = state;
    const text = formatProgress(state);
    if (!active || text === shown) return;
    write(`${ERASE}${text}`);
    shown = text;
  };
  const clear = () => {
    if (shown === null) return;
    write(ERASE);
    shown = null;
  };
  return {
    draw,
    clear,
    restore() {
      if (last) draw(last);
    },
    close() {
      clear();
      active = false;
    },
  };
}
