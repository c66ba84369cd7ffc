import { createContext, useContext } from 'react';

/**
 * The part of a streaming reply that arrived after its Markdown was last parsed. Parsing is throttled (at most every
 * 100 ms, ui.md §4.4.3), so the newest text is drawn as plain text just before the caret: a delta is on screen in the
 * next frame (§1 P2), and the next parse takes it into the formatted text.
 */
export const LiveTailContext = createContext('');

/** The end of a live reply: the unparsed tail, then the blinking caret (a static bar under reduced motion). */
export function LiveCaret({ spaced = true }: { spaced?: boolean }) {
  const tail = useContext(LiveTailContext);
  return (
    <>
      {tail}
      <span
        aria-hidden="true"
        data-testid="live-caret"
        className={`${spaced ? 'ml-0.5 ' : ''}inline-block h-[1.1em] w-0.5 translate-y-[3px] bg-current motion-safe:animate-pulse`}
      />
    </>
  );
}
