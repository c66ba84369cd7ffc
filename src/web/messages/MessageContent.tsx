import { ChevronRight, MessageSquareQuote } from 'lucide-react';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Message } from '../../shared/models';
import { useWhiteboard } from '../whiteboard/whiteboard-context';
import { boardStates } from '../whiteboard/whiteboard';
import { WhiteboardCard } from '../whiteboard/WhiteboardCard';
import { LongClamp, mayBeTall } from './LongClamp';
import { LiveCaret, LiveTailContext } from './live-tail';
import { LazyMarkdown as Markdown } from './markdown-loader';
import type { MentionTarget } from './markdown-plugins';
import { imageUrl, messageKind } from './message-kind';
import { MessageImage } from './MessageImage';
import { ModelBadge } from './ModelBadge';
import { useRememberedOpen } from './remembered-open';
import { Thinking } from './Thinking';
import { useInheritedRowKey, useRoomProvider, useRoomWhiteboard, useThoughtMs } from './room-timeline';
import { useThrottled } from './use-throttled';

/** While streaming, the Markdown is re-parsed at most this often (ui.md §4.4.3). */
export const STREAM_RENDER_MS = 100;

const NO_MEMBERS: readonly Agent[] = [];

/** Critic notes start collapsed; opening one is remembered like a thinking disclosure (remembered-open.ts). */
function CriticNote({ stateKey, inheritKey, children }: { stateKey: number | string; inheritKey: string | undefined; children: React.ReactNode }) {
  const { t } = useTranslation('messages');
  const [open, toggle] = useRememberedOpen('critic', stateKey, inheritKey, false);
  const panelId = useId();
  return (
    <div data-testid="critic-note" className="rounded-card border border-dashed border-border px-3 py-1.5">
      <button
        type="button"
        onClick={toggle}
        aria-expanded={open}
        aria-controls={panelId}
        className="inline-flex items-center gap-1.5 text-sm font-medium text-text-muted hover:text-text coarse:min-h-11"
      >
        <ChevronRight aria-hidden="true" className={`size-4 transition-transform ${open ? 'rotate-90' : ''}`} />
        <MessageSquareQuote aria-hidden="true" className="size-4" />
        {t('critic.label')}
      </button>
      {open && (
        <div id={panelId} className="mt-1.5">
          {children}
        </div>
      )}
    </div>
  );
}

/**
 * The body of one message (ui.md §4.4.2–4.4.4, §4.4.6, §4.10); the row around it (avatar, name, time, grouping)
 * belongs to the transcript. Draws, by kind: the thinking disclosure, the sanitized Markdown with mention chips and
 * highlighted code (clamped when very long), the image with its lightbox, the provider/model badge, a critic reply
 * as a collapsed "Critic note", a whiteboard diff as its board card, and a caret at the end of a live reply.
 *
 * Optional: `thoughtMs` (how long the agent thought, when this session saw the turn start), `roomProvider`
 * (the badge is muted to hover/focus when the message used the room's own provider) and, for a live reply, `liveKey`
 * (its bubble's row key, under which an opened critic note is remembered for the message that replaces it).
 */
export function MessageContent({
  message,
  members = NO_MEMBERS,
  live = false,
  liveKey,
  thoughtMs,
  roomProvider,
}: {
  message: Message;
  members?: readonly Agent[];
  live?: boolean;
  liveKey?: string;
  thoughtMs?: number | null;
  roomProvider?: string | null;
}) {
  const { t } = useTranslation('messages');
  const kind = messageKind(message, members);
  const agentReply = kind === 'agent' || kind === 'critic';
  // Without a transcript-provided whiteboard, the room's timeline store has the history to replay.
  const provided = useWhiteboard();
  const fromStore = useRoomWhiteboard(message.room_id, provided === null && agentReply && !live);
  const whiteboard = provided ?? fromStore;
  const storeThoughtMs = useThoughtMs(message.room_id, message.id);
  const inheritedKey = useInheritedRowKey(message.room_id, message.id);
  const storeProvider = useRoomProvider(message.room_id);
  const thought = thoughtMs ?? storeThoughtMs;
  const provider = roomProvider === undefined ? storeProvider : roomProvider;
  // While streaming, the Markdown is parsed at most every STREAM_RENDER_MS; what came since is the plain tail. The
  // rendered Markdown drops the parsed text's trailing whitespace, so the tail starts there (the space between two
  // words stays) and drops its own (the text never shrinks when the next parse takes it in).
  const parsed = useThrottled(message.content, STREAM_RENDER_MS, live);
  const settled = parsed.trimEnd();
  const tail = live && message.content.startsWith(settled) ? message.content.slice(settled.length).trimEnd() : '';
  const mentionTargets = useMemo<readonly MentionTarget[]>(() => members.map((agent) => ({ id: agent.id, name: agent.name })), [members]);

  // A whiteboard diff draws as its card: from the transcript's replay when there is one, else from this message alone.
  const ownBoard = useMemo(() => {
    if (!agentReply || live || whiteboard?.states.byMessage.has(message.id)) return undefined;
    return boardStates([message]).byMessage.get(message.id);
  }, [agentReply, live, whiteboard, message]);
  const board = agentReply && !live ? (whiteboard?.states.byMessage.get(message.id) ?? ownBoard) : undefined;
  if (board) {
    const partial = whiteboard ? whiteboard.partial : true;
    return <WhiteboardCard state={board} partial={partial} onLoadFull={whiteboard?.loadFullHistory} />;
  }

  const image = imageUrl(message);
  const sender =
    kind === 'user' ? t('image.you') : kind === 'character' ? (message.participant_name ?? '') : kind === 'situation' ? t('image.situation') : (message.agent_name ?? '');
  const thinking = message.thinking?.trim() ? message.thinking : null;

  const body = (
    <>
      {agentReply && thinking !== null && !live && <Thinking stateKey={message.id} inheritKey={inheritedKey} text={thinking} thoughtMs={thought} />}
      <LongClamp messageId={message.id} disabled={live || !mayBeTall(message.content)}>
        {message.content.trim() !== '' ? (
          <LiveTailContext.Provider value={tail}>
            <Markdown text={parsed} members={mentionTargets} streaming={live} caret={live} />
          </LiveTailContext.Provider>
        ) : (
          live && <LiveCaret spaced={false} />
        )}
      </LongClamp>
      {image && <MessageImage url={image} sender={sender} messageId={message.id} />}
      {agentReply && !live && message.provider && (
        // A different provider gets its own line; the room's own only shows on hover/focus, without taking space.
        <div className={provider === message.provider ? 'pointer-events-none absolute -bottom-2 -right-3' : 'mt-1 flex justify-end'}>
          <ModelBadge message={message} roomProvider={provider} />
        </div>
      )}
    </>
  );

  return (
    <div className="relative min-w-0" data-kind={kind}>
      {kind === 'critic' ? (
        <CriticNote stateKey={liveKey ?? message.id} inheritKey={inheritedKey}>
          {body}
        </CriticNote>
      ) : (
        body
      )}
    </div>
  );
}
