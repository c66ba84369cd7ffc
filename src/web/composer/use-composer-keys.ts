import type { KeyboardEvent } from 'react';
import { hasFinePointer } from '../lib/pointer';
import { useSettings, type SendKey } from '../lib/settings';

/** Whether this keydown is part of an input method composition (ui.md P6): never act on it. */
export function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.keyCode === 229;
}

/** Whether this Enter press sends, for the chosen send key (ui.md §4.4.5). */
export function isSendKey(event: KeyboardEvent, sendKey: SendKey): boolean {
  if (event.key !== 'Enter' || isComposing(event)) return false;
  const mod = event.ctrlKey || event.metaKey;
  return sendKey === 'enter' ? !event.shiftKey && !event.altKey : mod;
}

/** The send key in use: the setting, else Enter with a fine primary pointer and Ctrl/⌘+Enter with a coarse one. */
export function useSendKey(): SendKey {
  const settings = useSettings();
  return settings.sendKey ?? (hasFinePointer() ? 'enter' : 'mod-enter');
}

/**
 * The composer's keydown handler: nothing while composing; then the mention menu gets the key; then the send key
 * sends. Returns the handler for the textarea.
 */
export function useComposerKeys({
  sendKey,
  onMenuKey,
  onSend,
}: {
  sendKey: SendKey;
  /** True when the mention menu used the key. */
  onMenuKey: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  onSend: () => void;
}) {
  return (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (isComposing(event)) return;
    if (onMenuKey(event)) return;
    if (!isSendKey(event, sendKey)) return;
    event.preventDefault();
    onSend();
  };
}
