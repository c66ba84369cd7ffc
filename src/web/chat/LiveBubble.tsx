import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Message } from '../../shared/models';
import { useSettings } from '../lib/settings';
import { MessageContent } from '../messages/MessageContent';
import { Thinking } from '../messages/Thinking';
import { thoughtMsOf } from '../timeline/agent-turns';
import { selectLiveBubble } from '../timeline/timeline-selectors';
import type { LiveBubble, Timeline } from '../timeline/timeline-types';
import { useTimeline } from './live-room';
import { AgentAvatar } from '../components/AgentAvatar';

/** Elapsed thinking seconds show after this long (ui.md §4.4.4). */
const SHOW_ELAPSED_AFTER_MS = 3_000;
/** The closed thinking preview shows the last ~80 characters. */
const PREVIEW_CHARS = 80;

function useElapsedSeconds(startedAt: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const handle = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(handle);
  }, [running]);
  return Math.max(0, Math.floor((now - startedAt) / 1_000));
}

function preview(thinking: string): string {
  const flat = thinking.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= PREVIEW_CHARS ? flat : `…${chars.slice(-PREVIEW_CHARS).join('')}`;
}

/** The live bubble drawn as the message it will become, so the body renders through the one Markdown path. */
function liveMessage(bubble: LiveBubble, roomId: number): Message {
  return {
    id: -1,
    room_id: roomId,
    agent_id: bubble.agentId,
    content: bubble.response,
    role: 'assistant',
    participant_type: null,
    participant_name: null,
    thinking: bubble.thinking === '' ? null : bubble.thinking,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: null,
    model: null,
    is_skip: false,
    timestamp: new Date(bubble.startedAt).toISOString(),
    agent_name: bubble.name,
    agent_profile_pic: bubble.pic,
  };
}

/**
 * One agent's turn while it streams (ui.md §4.4.4): "thinking…" with the elapsed seconds and the tail of its
 * thinking (all of it with `showThinking` on), then the thinking as a "Thought for N s" disclosure above the reply
 * growing with a caret; "Stopping…" after Stop or Pause. It reads only its own bubble, so
 * deltas for other agents never re-render it.
 */
export function LiveBubbleRow({ roomId, agentId, members }: { roomId: number; agentId: number; members: readonly Agent[] }) {
  const { t } = useTranslation('chat');
  const select = useCallback((timeline: Timeline) => selectLiveBubble(timeline, agentId), [agentId]);
  const bubble = useTimeline(roomId, select);
  const thinkingPhase = bubble !== undefined && bubble.response === '' && bubble.phase !== 'stopping';
  const elapsed = useElapsedSeconds(bubble?.startedAt ?? Date.now(), thinkingPhase);
  const showThinking = useSettings().showThinking === true;
  // With showThinking on, the open thinking follows its newest line (at most 12 lines tall).
  const thinkingBox = useRef<HTMLDivElement>(null);
  const thinkingText = bubble?.thinking ?? '';
  useLayoutEffect(() => {
    const box = thinkingBox.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [thinkingText]);
  if (bubble === undefined) return null;
  const name = bubble.name ?? members.find((member) => member.id === agentId)?.name ?? t('unknownAgent');
  const showElapsed = elapsed * 1_000 >= SHOW_ELAPSED_AFTER_MS;
  return (
    <article aria-label={name} aria-busy="true" data-testid="live-bubble" className="flex gap-3">
      <AgentAvatar name={name} picture={bubble.pic} size={36} compactSize={28} />
      <div className="min-w-0 max-w-[88%] flex-1 lg:max-w-[720px]">
        <div className="mb-0.5 flex items-center gap-2">
          <span className="font-semibold">{name}</span>
          {bubble.phase === 'stopping' ? (
            <span className="text-xs text-text-muted">{t('stopping')}</span>
          ) : (
            thinkingPhase && (
              <span className="text-xs text-text-muted motion-safe:animate-pulse">
                {showElapsed ? t('thinkingFor', { seconds: elapsed }) : t('thinking')}
              </span>
            )
          )}
        </div>
        {bubble.response === '' ? (
          bubble.thinking !== '' &&
          (showThinking ? (
            <div
              ref={thinkingBox}
              data-testid="thinking-preview"
              className="max-h-[18rem] overflow-y-auto whitespace-pre-wrap break-words border-l-2 border-border pl-2 text-sm leading-6 text-text-muted"
            >
              {bubble.thinking}
            </div>
          ) : (
            <p data-testid="thinking-preview" className="truncate border-l-2 border-border pl-2 text-sm italic text-text-muted">
              {preview(bubble.thinking)}
            </p>
          ))
        ) : (
          <div className="w-fit max-w-full rounded-bubble rounded-tl-md bg-surface-2 px-4 py-2">
            {/* Once the response streams, the thinking is a disclosure: "Thought for N s", open only with showThinking. */}
            {bubble.thinking.trim() !== '' && <Thinking stateKey={bubble.key} text={bubble.thinking} thoughtMs={thoughtMsOf(bubble)} />}
            <MessageContent message={liveMessage(bubble, roomId)} members={members} live={bubble.phase !== 'stopping'} liveKey={bubble.key} />
          </div>
        )}
      </div>
    </article>
  );
}
