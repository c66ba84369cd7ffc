import { useEffect, useRef, useState } from 'react';
import type { ComposerImage, Persona } from '../send/send-validation';

/** Edit on a failed send (ui.md §3.7 step 7): its text, and its persona and image when the caller has them. */
export interface ComposerEditText {
  text: string;
  nonce: number;
  persona?: Persona;
  characterName?: string;
  image?: ComposerImage | null;
}

export type EditMode = 'replace' | 'append';

/** The composer text after taking the failed send back: replacing it, or below what is already there. */
export function editedText(current: string, edit: ComposerEditText, mode: EditMode): string {
  return mode === 'append' && current.trim() !== '' ? `${current.trimEnd()}\n\n${edit.text}` : edit.text;
}

/**
 * Applies each new `editText` (by nonce) once. Into an empty composer (or one holding the same text) it goes at once;
 * otherwise it waits for the user to choose Replace or Add below, so no text is thrown away unasked.
 */
export function useComposerEdit(editText: ComposerEditText | undefined, currentText: string, apply: (edit: ComposerEditText, mode: EditMode) => void) {
  const [waiting, setWaiting] = useState<ComposerEditText | null>(null);
  const appliedNonce = useRef<number | undefined>(undefined);
  const latest = useRef({ currentText, apply });
  latest.current = { currentText, apply };

  useEffect(() => {
    if (editText === undefined || appliedNonce.current === editText.nonce) return;
    appliedNonce.current = editText.nonce;
    const current = latest.current.currentText.trim();
    if (current === '' || current === editText.text.trim()) latest.current.apply(editText, 'replace');
    else setWaiting(editText);
  }, [editText]);

  const resolve = (mode: EditMode) => {
    if (waiting === null) return;
    setWaiting(null);
    apply(waiting, mode);
  };

  return { waiting: waiting !== null, resolve };
}
