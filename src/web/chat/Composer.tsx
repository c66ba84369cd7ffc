import { SendHorizontal } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { hasFinePointer } from '../lib/pointer';
import { useSettings, type SendKey } from '../lib/settings';

export const MESSAGE_MAX_CHARS = 20_000;
const COUNTER_FROM = 18_000;

/** Whether this keydown is part of an input method composition (ui.md P6): never act on it. */
export function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.keyCode === 229;
}

/** Whether this Enter press sends, for the chosen send key (§4.4.5). */
export function isSendKey(event: KeyboardEvent, sendKey: SendKey): boolean {
  if (event.key !== 'Enter' || isComposing(event)) return false;
  const mod = event.ctrlKey || event.metaKey;
  return sendKey === 'enter' ? !event.shiftKey && !event.altKey : mod;
}

function defaultSendKey(): SendKey {
  return hasFinePointer() ? 'enter' : 'mod-enter';
}

/**
 * The composer (ui.md §4.4.5), in its first form: a growing textarea and Send. IME-safe; the Send button always
 * sends and is only `aria-disabled` when there is nothing to send. Never disabled by the connection state.
 */
export function Composer({ onSend, autoFocus = false }: { onSend: (text: string) => void; autoFocus?: boolean }) {
  const { t } = useTranslation('chat');
  const settings = useSettings();
  const sendKey = settings.sendKey ?? defaultSendKey();
  const [text, setText] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const labelId = useId();
  const hintId = useId();

  const length = text.length;
  const tooLong = length > MESSAGE_MAX_CHARS;
  const empty = text.trim() === '';
  const blocked = empty || tooLong;

  useEffect(() => {
    if (autoFocus) textarea.current?.focus({ preventScroll: true });
  }, [autoFocus]);

  // Grows with its content up to the CSS max-height (10 lines, at most 40vh), then scrolls.
  useLayoutEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  const send = () => {
    if (blocked) return;
    onSend(text.trim());
    setText('');
    textarea.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!isSendKey(event, sendKey)) return;
    event.preventDefault();
    send();
  };

  const reason = empty ? t('composer.nothingToSend') : tooLong ? t('composer.tooLong', { max: MESSAGE_MAX_CHARS.toLocaleString() }) : undefined;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="shrink-0 border-t border-border bg-bg px-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] pt-3"
    >
      <div className="mx-auto flex max-w-3xl items-end gap-2">
        <label id={labelId} className="sr-only" htmlFor={`${labelId}-input`}>
          {t('composer.label')}
        </label>
        <textarea
          ref={textarea}
          id={`${labelId}-input`}
          rows={1}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t('composer.placeholder')}
          aria-describedby={hintId}
          aria-invalid={tooLong}
          enterKeyHint={sendKey === 'enter' ? 'send' : 'enter'}
          className="max-h-[min(40vh,15rem)] min-h-10 flex-1 resize-none overflow-y-auto rounded-card border border-border bg-surface px-3 py-2 leading-6 aria-[invalid=true]:border-danger"
        />
        <button
          type="submit"
          aria-disabled={blocked}
          aria-label={t('composer.send')}
          title={reason ?? t('composer.send')}
          className="flex size-10 shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg aria-disabled:opacity-50"
        >
          <SendHorizontal aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />
        </button>
      </div>
      <p id={hintId} className={`mx-auto mt-1 max-w-3xl text-xs ${tooLong ? 'text-danger' : 'text-text-muted'} ${length >= COUNTER_FROM ? '' : 'sr-only'}`}>
        {length >= COUNTER_FROM
          ? t('composer.counter', { count: length, max: MESSAGE_MAX_CHARS })
          : sendKey === 'enter'
            ? t('composer.hintEnter')
            : t('composer.hintModEnter')}
      </p>
    </form>
  );
}
