import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Message } from '../../shared/models';
import { Spinner } from '../components/Spinner';
import { MessageActions } from '../messages/MessageActions';
import { MessageContent } from '../messages/MessageContent';
import type { PendingSend } from '../timeline/timeline-types';
import { dateFormat } from '../lib/format';
import { LiveBubbleRow } from './LiveBubble';
import { AgentAvatar } from '../components/AgentAvatar';
import { RowButton, Timestamp } from './row-parts';
import type { MessageTimelineRow, TranscriptItem } from './transcript-items';

/**
 * A row's action toolbar shows on hover, and on the selected row: the one focused by a tap (rows are focusable) or
 * by the keyboard (ui.md §4.4.2 "Message actions"). Hidden, it takes no taps, so a tap on a message never hits an
 * invisible button.
 */
const REVEAL_ON_SELECTED_ROW =
  'pointer-events-none opacity-0 transition-opacity group-hover:pointer-events-auto group-hover:opacity-100 group-focus-within:pointer-events-auto group-focus-within:opacity-100';

/** One item of the transcript (ui.md §4.4.2 row types a–i), with its day separator and the unread divider. */

export interface RowContext {
  roomId: number;
  members: readonly Agent[];
  /** Owner or admin: Retry on error notices, delete. */
  canAct: boolean;
  regenerableId: number | null;
  /** Agents whose error notice still offers Retry (they have not replied since). */
  retryable: (noticeId: number) => number | null;
  onRetryAgent: (agentId: number, agentName: string) => Promise<void>;
  onRetrySend: (localId: string) => void;
  onEditSend: (item: PendingSend) => void;
  onDiscardSend: (item: PendingSend) => void;
}

type RowKind = 'notice' | 'user' | 'character' | 'situation' | 'agent';

export function rowKind(message: Pick<Message, 'participant_type' | 'role'>): RowKind {
  if (message.participant_type === 'system') return 'notice';
  if (message.participant_type === 'character') return 'character';
  if (message.participant_type === 'situation_builder') return 'situation';
  return message.role === 'user' ? 'user' : 'agent';
}

function DaySeparator({ day }: { day: string }) {
  const { t, i18n } = useTranslation('chat');
  const date = new Date(`${day}T00:00:00`);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const diffDays = Math.round((today.getTime() - date.getTime()) / 86_400_000);
  const label = diffDays === 0 ? t('today') : diffDays === 1 ? t('yesterday') : dateFormat(i18n.language, { dateStyle: 'long' }).format(date);
  return (
    <div role="separator" aria-label={label} className="flex items-center gap-3 py-2 text-xs font-medium text-text-muted">
      <span aria-hidden="true" className="h-px flex-1 bg-border" />
      <span aria-hidden="true">{label}</span>
      <span aria-hidden="true" className="h-px flex-1 bg-border" />
    </div>
  );
}

function UnreadDivider() {
  const { t } = useTranslation('chat');
  return (
    <div role="separator" aria-label={t('newMessages')} className="flex items-center gap-3 py-1 text-xs font-semibold text-danger">
      <span aria-hidden="true" className="h-px flex-1 bg-danger/60" />
      <span aria-hidden="true">{t('newMessages')}</span>
      <span aria-hidden="true" className="h-px flex-1 bg-danger/60" />
    </div>
  );
}

function NoticeRow({ row, ctx }: { row: MessageTimelineRow; ctx: RowContext }) {
  const { t } = useTranslation('chat');
  const { message } = row;
  const [busy, setBusy] = useState(false);
  const retryAgent = row.errorAgentId !== null && ctx.canAct ? ctx.retryable(message.id) : null;
  const isError = row.errorAgentId !== null;
  const agentName = ctx.members.find((member) => member.id === row.errorAgentId)?.name ?? message.agent_name ?? '';
  return (
    <article aria-label={t('notice')} className={`flex items-center gap-3 px-2 py-1 text-sm ${isError ? 'text-danger' : 'text-text-muted'}`}>
      <span aria-hidden="true" className={`h-px flex-1 ${isError ? 'bg-danger/40' : 'bg-border'}`} />
      <span className="max-w-[80%] whitespace-pre-wrap break-words text-center">
        {message.content}
        {retryAgent !== null && (
          <>
            {' '}
            <RowButton
              busy={busy}
              onClick={() => {
                setBusy(true);
                void ctx.onRetryAgent(retryAgent, agentName).finally(() => setBusy(false));
              }}
            >
              {busy ? <Spinner /> : t('retryAgent')}
            </RowButton>
          </>
        )}
      </span>
      <span className="sr-only">
        <Timestamp iso={message.timestamp} />
      </span>
      <span aria-hidden="true" className={`h-px flex-1 ${isError ? 'bg-danger/40' : 'bg-border'}`} />
    </article>
  );
}

function PassedLine({ rows }: { rows: readonly MessageTimelineRow[] }) {
  const { t } = useTranslation('chat');
  const names = [...new Set(rows.map((row) => row.message.agent_name ?? t('unknownAgent')))];
  const withThinking = rows.filter((row) => (row.message.thinking ?? '').trim() !== '');
  const first = rows[0]?.message;
  return (
    <div className="flex flex-wrap items-center gap-2 px-2 py-0.5 text-xs text-text-muted" data-testid="passed-line">
      {first && <AgentAvatar name={first.agent_name ?? '?'} picture={first.agent_profile_pic} size={16} />}
      <span>{t('passed', { names: names.join(t('listSeparator')) })}</span>
      {first && <Timestamp iso={first.timestamp} />}
      {withThinking.length > 0 && (
        <details className="w-full pl-6">
          <summary className="cursor-pointer select-none coarse:min-h-11">{t('whyPassed')}</summary>
          {withThinking.map((row) => (
            <p key={row.key} className="mt-1 whitespace-pre-wrap border-l-2 border-border pl-2">
              {rows.length > 1 ? `${row.message.agent_name ?? ''}: ` : ''}
              {row.message.thinking}
            </p>
          ))}
        </details>
      )}
    </div>
  );
}

function AgentRow({ row, groupStart, ctx }: { row: MessageTimelineRow; groupStart: boolean; ctx: RowContext }) {
  const { t } = useTranslation('chat');
  const id = useId();
  const { message } = row;
  const name = message.agent_name ?? t('unknownAgent');
  return (
    <article tabIndex={-1} aria-labelledby={`${id}-name`} className={`group relative flex gap-3 ${row.regenerating ? 'opacity-50' : ''}`}>
      {groupStart ? <AgentAvatar name={name} picture={message.agent_profile_pic} size={36} compactSize={28} /> : <span aria-hidden="true" className="w-9 shrink-0 compact:w-7" />}
      <div className="min-w-0 max-w-[88%] flex-1 lg:max-w-[720px]">
        <div className={groupStart ? 'mb-0.5 flex items-center gap-2' : 'sr-only'}>
          <span id={`${id}-name`} className="font-semibold">
            {name}
          </span>
          <Timestamp iso={message.timestamp} />
          {row.regenerating && <span className="text-xs text-text-muted">{t('regenerating')}</span>}
        </div>
        <div className="w-fit max-w-full rounded-bubble rounded-tl-md bg-surface-2 px-4 py-2">
          <MessageContent message={message} members={ctx.members} />
        </div>
      </div>
      <div className={`absolute right-0 top-0 ${REVEAL_ON_SELECTED_ROW}`}>
        <MessageActions message={message} roomId={ctx.roomId} isLatestAgentMessage={ctx.regenerableId === message.id} canDelete={ctx.canAct} />
      </div>
    </article>
  );
}

function OwnBubble({ message, kind, groupStart, footer, dim = false, ctx }: {
  message: Message;
  kind: 'user' | 'character' | 'situation';
  groupStart: boolean;
  footer?: React.ReactNode;
  dim?: boolean;
  ctx: RowContext;
}) {
  const { t } = useTranslation('chat');
  const id = useId();
  // A stored message (not a pending send) has the message actions: Copy, and Delete for the owner or an admin.
  const actions = footer ? null : (
    <div className={`absolute left-0 top-0 ${REVEAL_ON_SELECTED_ROW}`}>
      <MessageActions message={message} roomId={ctx.roomId} isLatestAgentMessage={false} canDelete={ctx.canAct} />
    </div>
  );
  if (kind === 'situation') {
    return (
      <article
        tabIndex={-1}
        aria-labelledby={`${id}-name`}
        className={`group relative mx-auto w-full max-w-2xl rounded-card bg-surface-2 px-4 py-3 text-center ${dim ? 'opacity-70' : ''}`}
      >
        <div className="mb-1 flex items-center justify-center gap-2">
          <span id={`${id}-name`} className="text-xs font-semibold uppercase tracking-wide text-text-muted">
            {t('situation')}
          </span>
          {!footer && <Timestamp iso={message.timestamp} />}
        </div>
        <div className="italic">
          <MessageContent message={message} members={ctx.members} />
        </div>
        {footer}
        {actions}
      </article>
    );
  }
  const label = kind === 'character' ? t('asCharacter', { name: message.participant_name ?? '' }) : t('you');
  return (
    <article tabIndex={-1} aria-labelledby={`${id}-name`} className="group relative flex flex-col items-end">
      <div className={groupStart ? 'mb-0.5 flex items-center gap-2' : 'sr-only'}>
        <span id={`${id}-name`} className={kind === 'user' ? 'sr-only' : 'text-xs font-medium text-text-muted'}>
          {label}
        </span>
        {!footer && <Timestamp iso={message.timestamp} />}
      </div>
      <div
        className={`max-w-[88%] rounded-bubble px-4 py-2 lg:max-w-[720px] ${kind === 'user' ? 'bg-accent text-accent-fg' : 'bg-accent-tint'} ${
          dim ? 'opacity-70' : ''
        }`}
      >
        <MessageContent message={message} members={ctx.members} />
      </div>
      {footer}
      {actions}
    </article>
  );
}

/** A pending send drawn as the message it will be. */
function pendingMessage(item: PendingSend, roomId: number): Message {
  const { body } = item;
  return {
    id: -1,
    room_id: roomId,
    agent_id: null,
    content: body.content,
    role: 'user',
    participant_type: body.participant_type,
    participant_name: body.participant_name ?? null,
    thinking: null,
    anthropic_calls: null,
    image_data: body.image_data ?? null,
    image_media_type: body.image_media_type ?? null,
    provider: null,
    model: null,
    is_skip: false,
    timestamp: new Date(item.createdAt).toISOString(),
    agent_name: null,
    agent_profile_pic: null,
  };
}

function PendingRow({ item, ctx }: { item: PendingSend; ctx: RowContext }) {
  const { t } = useTranslation('chat');
  const message = pendingMessage(item, ctx.roomId);
  const kind = rowKind(message) as 'user' | 'character' | 'situation';
  const failed = item.status === 'failed';
  const footer = failed ? (
    <div role="alert" className="mt-1 flex flex-wrap items-center justify-end gap-x-2 text-xs text-danger">
      <span>{t('failed', { reason: t(`failedReason.${item.error?.reason ?? 'network'}`) })}</span>
      {item.imageDropped && <span className="text-text-muted">{t('imageDropped')}</span>}
      <RowButton onClick={() => ctx.onRetrySend(item.localId)}>{t('common:actions.retry')}</RowButton>
      <RowButton onClick={() => ctx.onEditSend(item)}>{t('edit')}</RowButton>
      <RowButton tone="muted" onClick={() => ctx.onDiscardSend(item)}>
        {t('common:actions.discard')}
      </RowButton>
    </div>
  ) : (
    <span className="mt-1 text-xs text-text-muted">
      {item.status === 'waiting' ? t('waiting') : item.status === 'queued' ? t('queued') : t('sending')}
    </span>
  );
  return <OwnBubble message={message} kind={kind} groupStart footer={footer} dim ctx={ctx} />;
}

function MessageItem({ row, groupStart, ctx }: { row: MessageTimelineRow; groupStart: boolean; ctx: RowContext }) {
  const kind = rowKind(row.message);
  if (kind === 'notice') return <NoticeRow row={row} ctx={ctx} />;
  if (kind === 'agent') return <AgentRow row={row} groupStart={groupStart} ctx={ctx} />;
  return <OwnBubble message={row.message} kind={kind} groupStart={groupStart} ctx={ctx} />;
}

export const TranscriptRow = memo(function TranscriptRow({ item, ctx }: { item: TranscriptItem; ctx: RowContext }) {
  const top = item.kind === 'row' && !item.groupStart ? 'pt-1' : 'pt-3';
  return (
    <div className={`mx-auto w-full max-w-3xl px-4 ${top}`} data-row-key={item.key}>
      {item.day !== null && <DaySeparator day={item.day} />}
      {item.unread && <UnreadDivider />}
      {item.kind === 'passed' ? (
        <PassedLine rows={item.rows} />
      ) : item.row.kind === 'message' ? (
        <MessageItem row={item.row} groupStart={item.groupStart} ctx={ctx} />
      ) : item.row.kind === 'pending' ? (
        <PendingRow item={item.row.item} ctx={ctx} />
      ) : (
        <LiveBubbleRow roomId={ctx.roomId} agentId={item.row.agentId} members={ctx.members} />
      )}
    </div>
  );
});
