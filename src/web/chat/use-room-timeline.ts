import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { Message } from '../../shared/models';
import { isApiError, type ApiError } from '../lib/api';
import { api, type SendMessageInput } from '../lib/endpoints';
import { queryKeys } from '../lib/query';

/**
 * A room's transcript as the chat page sees it.
 *
 * SEAM (ui.md §2.3, §3.5–3.7): today this loads the newest page over REST, shows local sends as pending rows and
 * refetches the page after each send. The live stream replaces the body, not the shape: the connection state
 * machine (src/web/connection) feeds events, and the pure timeline reducer (src/web/timeline) in an external store
 * read with useSyncExternalStore owns `messages` and `pending` (and adds live bubbles). Components only use
 * the `RoomTimeline` returned here.
 */

export interface PendingSend {
  localId: string;
  body: SendMessageInput;
  status: 'sending' | 'failed';
  error?: ApiError | Error;
  createdAt: number;
}

export type TimelineStatus = 'loading' | 'ready' | 'unavailable' | 'error';

export interface RoomTimeline {
  status: TimelineStatus;
  /** Confirmed messages, ascending id. */
  messages: readonly Message[];
  /** Local sends not yet confirmed, in creation order. */
  pending: readonly PendingSend[];
  error: unknown;
  /** Queues a send; resolves when it is confirmed or has failed (a failed row stays, with Retry and Discard). */
  send: (body: SendMessageInput) => Promise<void>;
  retry: (localId: string) => Promise<void>;
  discard: (localId: string) => void;
  reload: () => void;
}

function upsert(messages: readonly Message[] | undefined, message: Message): Message[] {
  const rest = (messages ?? []).filter((m) => m.id !== message.id);
  const at = rest.findIndex((m) => m.id > message.id);
  if (at === -1) return [...rest, message];
  return [...rest.slice(0, at), message, ...rest.slice(at)];
}

let localIds = 0;

export function useRoomTimeline(roomId: number): RoomTimeline {
  const queryClient = useQueryClient();
  const page = useQuery({
    queryKey: queryKeys.roomMessages(roomId),
    queryFn: ({ signal }) => api.messages(roomId, { signal }),
    // The transcript must not jump under the reader; explicit refetches (after a send) keep it current until the
    // event stream does.
    refetchOnWindowFocus: false,
  });
  const [pending, setPending] = useState<PendingSend[]>([]);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const deliver = useCallback(
    async (localId: string, body: SendMessageInput) => {
      setPending((items) => items.map((p) => (p.localId === localId ? { ...p, status: 'sending', error: undefined } : p)));
      try {
        const message = await api.sendMessage(roomId, body);
        const key = queryKeys.roomMessages(roomId);
        queryClient.setQueryData<Message[]>(key, (messages) => upsert(messages, message));
        setPending((items) => items.filter((p) => p.localId !== localId));
        // Agents answer in the background; until the stream lands, pick up what is already stored.
        void queryClient.invalidateQueries({ queryKey: key });
      } catch (error) {
        setPending((items) =>
          items.map((p) => (p.localId === localId ? { ...p, status: 'failed', error: error instanceof Error ? error : new Error(String(error)) } : p)),
        );
      }
    },
    [roomId, queryClient],
  );

  const send = useCallback(
    (body: SendMessageInput) => {
      const localId = `local-${Date.now()}-${++localIds}`;
      setPending((items) => [...items, { localId, body, status: 'sending', createdAt: Date.now() }]);
      return deliver(localId, body);
    },
    [deliver],
  );

  const retry = useCallback(
    async (localId: string) => {
      const item = pendingRef.current.find((p) => p.localId === localId);
      if (item) await deliver(localId, item.body);
    },
    [deliver],
  );

  const discard = useCallback((localId: string) => setPending((items) => items.filter((p) => p.localId !== localId)), []);

  const status: TimelineStatus = page.data
    ? 'ready'
    : page.isError
      ? isApiError(page.error) && (page.error.status === 403 || page.error.status === 404)
        ? 'unavailable'
        : 'error'
      : 'loading';

  return {
    status,
    messages: page.data ?? [],
    pending,
    error: page.error,
    send,
    retry,
    discard,
    reload: () => void page.refetch(),
  };
}
