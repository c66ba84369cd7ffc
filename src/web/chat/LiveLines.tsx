import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectTypingNames } from '../timeline/timeline-selectors';
import type { Timeline } from '../timeline/timeline-types';
import { useTimeline } from './live-room';

/** The typing line above the composer (ui.md §4.4.4), hidden from assistive technology. */
export function TypingLine({ roomId }: { roomId: number }) {
  const { t } = useTranslation('chat');
  const names = useTimeline(roomId, selectTypingNames);
  const [first = '', second = ''] = names;
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? t('writingOne', { name: first })
        : names.length === 2
          ? t('writingTwo', { first, second })
          : t('writingMany', { count: names.length });
  return (
    <p aria-hidden="true" data-testid="typing-line" className="mx-auto h-5 w-full max-w-3xl truncate px-4 text-xs text-text-muted">
      {text}
    </p>
  );
}

const selectMessages = (t: Timeline) => t.messages;
const selectLoaded = (t: Timeline) => t.loaded;
/** Long replies are announced by their start. */
const ANNOUNCE_CHARS = 200;

/**
 * A polite live region announcing finished agent messages (ui.md P3, §7): not passed turns, not notices, and not the
 * history that was there when the room opened.
 */
export function MessageAnnouncer({ roomId, enabled = true }: { roomId: number; enabled?: boolean }) {
  const { t } = useTranslation('chat');
  const messages = useTimeline(roomId, selectMessages);
  const loaded = useTimeline(roomId, selectLoaded);
  const seenUpTo = useRef<number | null>(null);
  const [text, setText] = useState('');

  useEffect(() => {
    if (!loaded) return;
    const newest = messages[messages.length - 1]?.id ?? 0;
    if (seenUpTo.current === null) {
      seenUpTo.current = newest;
      return;
    }
    const since = seenUpTo.current;
    const fresh = messages.filter(
      (message) => message.id > since && message.role === 'assistant' && !message.is_skip && message.participant_type !== 'system',
    );
    seenUpTo.current = Math.max(since, newest);
    const last = fresh[fresh.length - 1];
    if (last === undefined || !enabled) return;
    const chars = [...last.content.replace(/\s+/g, ' ').trim()];
    const body = chars.length > ANNOUNCE_CHARS ? `${chars.slice(0, ANNOUNCE_CHARS).join('')}…` : chars.join('');
    setText(t('announce', { name: last.agent_name ?? t('unknownAgent'), text: body }));
  }, [messages, loaded, t, enabled]);

  return (
    <div role="log" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="message-announcer">
      {text}
    </div>
  );
}
