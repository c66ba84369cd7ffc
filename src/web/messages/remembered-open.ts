import { useState } from 'react';

/**
 * Open/closed state of the disclosures in messages (thinking, critic notes), kept in memory for the page's life so it
 * survives remounts (the virtual list recycles rows). A live bubble keeps its state under its row key, and the message
 * that replaces it inherits that state (`inheritKey`), so a disclosure opened while the reply streamed stays open
 * when it lands.
 */
const remembered = new Map<string, boolean>();

export function useRememberedOpen(
  scope: 'thinking' | 'critic',
  stateKey: number | string,
  inheritKey: string | undefined,
  initial: boolean,
): [open: boolean, toggle: () => void] {
  const own = `${scope}:${stateKey}`;
  const [open, setOpen] = useState(() => remembered.get(own) ?? (inheritKey === undefined ? undefined : remembered.get(`${scope}:${inheritKey}`)) ?? initial);
  const toggle = () =>
    setOpen((value) => {
      remembered.set(own, !value);
      return !value;
    });
  return [open, toggle];
}
