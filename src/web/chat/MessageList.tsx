import { useId, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../shared/models';
import { Spinner } from '../components/Spinner';
import { errorText } from '../lib/errors';
import { formatDateTime, formatTime } from '../lib/format';
import type { PendingSend, RoomTimeline } from './use-room-timeline';

/** The list follows new content only while the reader is this close to the bottom (ui.md §4.4.2). */
const FOLLOW_WITHIN_PX = 120;

type RowKind = 'notice' | 'user' | 'character' | 'situation' | 'agent';

export function rowKind(message: Pick<Message, 'participant_type' | 'role'>): RowKind {
  if (message.participant_type === 'system') return 'notice';
  if (message.participant_type === 'character') return 'character';
  if (message.participant_type === 'situation_builder') return 'situation';
  return message.role === 'user' ? 'user' : 'agent';
}

function Timestamp({ id, iso }: { id: string; iso: string }) {
  const { i18n } = useTranslation();
  return (
    <time id={id} dateTime={iso} title={formatDateTime(iso, i18n.language)} className="text-xs text-text-muted">
      {formatTime(iso, i18n.language)}
    </time>
  );
}

function MessageRow({ message }: { message: Message }) {
  const { t } = useTranslation('chat');
  const id = useId();
  const kind = rowKind(message);
  const nameId = `${id}-name`;
  const timeId = `${id}-time`;
  const body = <div className="prose-chat">{message.content}</div>;

  if (kind === 'notice') {
    return (
      <article aria-labelledby={`${nameId} ${timeId}`} className="flex items-center gap-3 px-2 py-1 text-sm text-text-muted">
        <span aria-hidden="true" className="h-px flex-1 bg-border" />
        <span id={nameId} className="sr-only">
          {t('notice')}
        </span>
        <span className="prose-chat max-w-[80%] text-center">{message.content}</span>
        <span className="sr-only">
          <Timestamp id={timeId} iso={message.timestamp} />
        </span>
        <span aria-hidden="true" className="h-px flex-1 bg-border" />
      </article>
    );
  }

  if (kind === 'situation') {
    return (
      <article aria-labelledby={`${nameId} ${timeId}`} className="mx-auto w-full max-w-2xl rounded-card bg-surface-2 px-4 py-3 text-center">
        <div className="mb-1 flex items-center justify-center gap-2">
          <span id={nameId} className="text-xs font-semibold uppercase tracking-wide text-text-muted">
            {t('situation')}
          </span>
          <Timestamp id={timeId} iso={message.timestamp} />
        </div>
        <div className="italic">{body}</div>
      </article>
    );
  }

  if (kind === 'user' || kind === 'character') {
    const label = kind === 'character' ? t('asCharacter', { name: message.participant_name ?? '' }) : t('you');
    return (
      <article aria-labelledby={`${nameId} ${timeId}`} className="flex flex-col items-end">
        <div className="mb-0.5 flex items-center gap-2">
          <span id={nameId} className={kind === 'user' ? 'sr-only' : 'text-xs font-medium text-text-muted'}>
            {label}
          </span>
          <Timestamp id={timeId} iso={message.timestamp} />
        </div>
        <div
          className={`max-w-[88%] rounded-bubble px-4 py-2 lg:max-w-[720px] ${
            kind === 'user' ? 'bg-accent text-accent-fg' : 'bg-accent-tint'
          }`}
        >
          {body}
        </div>
      </article>
    );
  }

  const name = message.agent_name ?? t('unknownAgent');
  return (
    <article aria-labelledby={`${nameId} ${timeId}`} className="flex gap-3">
      <span aria-hidden="true" className="flex size-9 shrink-0 items-center justify-center rounded-full bg-surface-2 font-semibold text-text-muted">
        {[...name][0] ?? '?'}
      </span>
      <div className="min-w-0 max-w-[88%] lg:max-w-[720px]">
        <div className="mb-0.5 flex items-center gap-2">
          <span id={nameId} className="font-semibold">
            {name}
          </span>
          <Timestamp id={timeId} iso={message.timestamp} />
        </div>
        <div className="rounded-bubble rounded-tl-md bg-surface-2 px-4 py-2">{body}</div>
      </div>
    </article>
  );
}

function PendingRow({ item, onRetry, onDiscard }: { item: PendingSend; onRetry: () => void; onDiscard: () => void }) {
  const { t } = useTranslation('chat');
  const id = useId();
  const failed = item.status === 'failed';
  return (
    <article aria-labelledby={`${id}-name`} className="flex flex-col items-end">
      <span id={`${id}-name`} className="sr-only">
        {t('you')}
      </span>
      <div className={`max-w-[88%] rounded-bubble bg-accent px-4 py-2 text-accent-fg lg:max-w-[720px] ${failed ? 'opacity-60' : 'opacity-80'}`}>
        <div className="prose-chat">{item.body.content}</div>
      </div>
      {failed ? (
        <div role="alert" className="mt-1 flex flex-wrap items-center justify-end gap-x-3 text-xs text-danger">
          <span>{t('failed', { reason: errorText(t, item.error) })}</span>
          <button type="button" onClick={onRetry} className="font-medium text-accent hover:underline">
            {t('common:actions.retry')}
          </button>
          <button type="button" onClick={onDiscard} className="font-medium text-text-muted hover:underline">
            {t('common:actions.discard')}
          </button>
        </div>
      ) : (
        <span className="mt-1 text-xs text-text-muted">{t('sending')}</span>
      )}
    </article>
  );
}

/**
 * The transcript (ui.md §4.4.2), in its first form: every loaded row in the DOM (virtualization comes with the
 * timeline store), plain-text bodies (Markdown comes later), notices between hairlines, passed turns hidden.
 */
export function MessageList({ timeline }: { timeline: RoomTimeline }) {
  const { t } = useTranslation('chat');
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const visible = timeline.messages.filter((m) => !m.is_skip);

  const onScroll = () => {
    const el = scroller.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_WITHIN_PX;
  };

  // Opens at the bottom and follows new rows while the reader is near it.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [visible.length, timeline.pending.length, timeline.status]);

  return (
    <div
      ref={scroller}
      onScroll={onScroll}
      role="region"
      aria-label={t('transcript')}
      aria-busy={timeline.status === 'loading'}
      tabIndex={0}
      className="min-h-0 flex-1 overflow-y-auto"
    >
      <div className="mx-auto flex min-h-full max-w-3xl flex-col justify-end gap-3 px-4 py-4">
        {timeline.status === 'loading' && (
          <p className="flex items-center justify-center gap-2 py-8 text-sm text-text-muted">
            <Spinner /> {t('loading')}
          </p>
        )}
        {timeline.status === 'error' && (
          <div role="alert" className="py-8 text-center text-sm">
            <p className="text-danger">{t('loadError', { reason: errorText(t, timeline.error) })}</p>
            <button type="button" onClick={timeline.reload} className="mt-2 font-medium text-accent hover:underline">
              {t('common:actions.retry')}
            </button>
          </div>
        )}
        {timeline.status === 'ready' && visible.length === 0 && timeline.pending.length === 0 && (
          <p className="py-8 text-center text-text-muted">{t('empty')}</p>
        )}
        {visible.map((message) => (
          <MessageRow key={message.id} message={message} />
        ))}
        {timeline.pending.map((item) => (
          <PendingRow
            key={item.localId}
            item={item}
            onRetry={() => void timeline.retry(item.localId)}
            onDiscard={() => timeline.discard(item.localId)}
          />
        ))}
      </div>
    </div>
  );
}
