import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from '../components/toast';
import { announce } from './announce';

/** How long the ✓ shows after a copy (ui.md §4.4.2). */
export const COPIED_MS = 2_000;

/** Writes text to the clipboard; `copied` is true for 2 s after a success, which is also announced. A refusal is a toast. */
export function useCopy(): { copied: boolean; copy: (text: string, announcement?: string) => Promise<boolean> } {
  const { t } = useTranslation('messages');
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = useCallback(
    async (text: string, announcement?: string) => {
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        toast(t('copyFailed'), { tone: 'error' });
        return false;
      }
      setCopied(true);
      announce(announcement ?? t('copiedAnnouncement'));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), COPIED_MS);
      return true;
    },
    [t],
  );
  return { copied, copy };
}
