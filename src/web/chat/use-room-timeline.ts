import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { RoomWithAgents } from '../../shared/models';
import { toast } from '../components/toast';
import type { ApiFailure } from '../connection/api-result';
import type { ConnectionState } from '../connection/connection-types';
import { queryKeys } from '../lib/query';
import { applyRoomWithAgents, removeRoomFromList, roomsDeletedHere } from '../rooms/rooms-data';
import type { ComposerEditText } from '../composer/Composer';
import type { SendMessageInput } from '../lib/endpoints';
import { composerFromSend } from '../send/send-validation';
import type { SendRequest } from '../send/send-request';
import { selectIsLive } from '../timeline/timeline-selectors';
import type { PendingSend, Timeline } from '../timeline/timeline-types';
import { sendQueue, submitSend, useRoomConnection, useTimeline } from './live-room';
import { respond } from './room-api';

/**
 * A room's live transcript as the chat page sees it (ui.md §2.3, §3.5–3.7): the timeline in the external store, fed
 * by the room's connection (one SSE stream, resume, backoff, polling fallback), and the send queue (optimistic rows,
 * FIFO per room, stored-check before a retry, Failed rows with Retry, Edit and Discard).
 */

export type TimelineStatus = 'loading' | 'ready' | 'unavailable';

export interface RoomTimeline {
  roomId: number;
  status: TimelineStatus;
  /** The room as the stream last described it (snapshot, `room` events), or null before the snapshot. */
  room: RoomWithAgents | null;
  connection: ConnectionState;
  retryNow: () => void;
  /** Something is live: the composer shows Stop. */
  replying: boolean;
  /** Queues a message the composer validated (ui.md §3.7 step 3). */
  sendMessage: (input: SendMessageInput) => void;
  send: (body: SendRequest) => void;
  retrySend: (localId: string) => void;
  /** Removes a failed row, with a 5 s Undo toast. */
  discardSend: (item: PendingSend) => void;
  /** Takes a failed send out of the transcript and returns it for the composer. */
  takeForEdit: (item: PendingSend) => void;
  /** A failed send handed back to the composer by Edit; `nonce` changes with every Edit. */
  editText: ComposerEditText | undefined;
  /** Retry after an agent error (U3). */
  respondAgent: (agentId: number, agentName: string) => Promise<void>;
  /** Changes when the user sends, so the list scrolls to the bottom. */
  sentCount: number;
}

const selectLoaded = (t: Timeline) => t.loaded;
const selectRoom = (t: Timeline) => t.room;

/** A localized reason for a failed call, chosen by status (ui.md §8 "Server errors"). */
export function failureText(t: TFunction, failure: ApiFailure): string {
  const { status } = failure;
  if (status === null) return t('errors:unreachable');
  if (status === 403) return t('errors:forbidden');
  if (status === 404) return t('errors:notFound');
  if (status === 409) return t('errors:conflict');
  if (status === 429) return t('errors:rateLimited', { seconds: Math.ceil((failure.retryAfterMs ?? 60_000) / 1_000) });
  if (status >= 500) return t('errors:server', { status });
  return t('errors:generic');
}

export function useRoomTimeline(roomId: number, userId: string | undefined): RoomTimeline {
  const { t } = useTranslation('chat');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { state: connection, unavailable, retryNow } = useRoomConnection(roomId, userId);
  const loaded = useTimeline(roomId, selectLoaded);
  const room = useTimeline(roomId, selectRoom);
  const replying = useTimeline(roomId, selectIsLive);
  const [sentCount, setSentCount] = useState(0);
  const [editText, setEditText] = useState<ComposerEditText | undefined>(undefined);

  // The stream keeps the room's list entry and its members current (ui.md §3.3 `snapshot`, `room`), except `has_unread`.
  useEffect(() => {
    if (room === null) return;
    applyRoomWithAgents(queryClient, room);
  }, [room, queryClient]);

  // A deleted room: a toast, the room leaves the list, and the app goes home (ui.md §3.3 `room` `deleted`). Not when
  // this tab deleted it: the delete already moved on to the next room, and going home now would undo that.
  useEffect(() => {
    if (unavailable !== 'deleted' || roomsDeletedHere.has(roomId)) return;
    toast(t('roomDeleted'));
    // Out of the cached list at once: `/` would otherwise reopen it as the last room (P8) before the refetch.
    removeRoomFromList(queryClient, roomId);
    void queryClient.invalidateQueries({ queryKey: queryKeys.rooms });
    navigate('/', { replace: true });
  }, [unavailable, roomId, t, queryClient, navigate]);

  const send = useCallback(
    (body: SendRequest) => {
      submitSend(roomId, body);
      setSentCount((count) => count + 1);
    },
    [roomId],
  );

  const sendMessage = useCallback(
    (input: SendMessageInput) => {
      const { participant_type = 'user', participant_name, ...rest } = input;
      send({ ...rest, role: 'user', participant_type, ...(participant_name ? { participant_name } : {}) });
    },
    [send],
  );

  const retrySend = useCallback((localId: string) => sendQueue.retry(roomId, localId), [roomId]);

  const discardSend = useCallback(
    (item: PendingSend) => {
      const removed = sendQueue.discard(roomId, item.localId);
      if (removed === null) return;
      toast(t('discarded'), { durationMs: 5_000, action: { label: t('undo'), onClick: () => sendQueue.undoDiscard(roomId, removed) } });
    },
    [roomId, t],
  );

  const takeForEdit = useCallback(
    (item: PendingSend) => {
      if (sendQueue.discard(roomId, item.localId) === null) return;
      const content = composerFromSend(item);
      setEditText((previous) => ({
        text: content.text,
        persona: content.persona,
        characterName: content.characterName,
        image: content.image,
        nonce: (previous?.nonce ?? 0) + 1,
      }));
    },
    [roomId],
  );

  const respondAgent = useCallback(
    async (agentId: number, agentName: string) => {
      const answer = await respond(roomId, agentId);
      if (answer.ok) return;
      const reason =
        answer.status === 409 ? (answer.detail === 'Room is paused' ? t('roomPaused') : t('roomBusy')) : failureText(t, answer);
      toast(t('retryFailed', { name: agentName, reason }), { tone: 'error' });
    },
    [roomId, t],
  );


  const status: TimelineStatus = unavailable !== null ? 'unavailable' : loaded ? 'ready' : 'loading';
  return useMemo(
    () => ({
      roomId,
      status,
      room,
      connection,
      retryNow,
      replying,
      sendMessage,
      send,
      retrySend,
      discardSend,
      takeForEdit,
      editText,
      respondAgent,
      sentCount,
    }),
    [roomId, status, room, connection, retryNow, replying, sendMessage, send, retrySend, discardSend, takeForEdit, editText, respondAgent, sentCount],
  );
}
