import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Message, RoomSummary } from '../../shared/models';
import { toast } from '../components/toast';
import { errorText } from '../lib/errors';
import { dispatchToTimeline } from '../messages/room-timeline';
import { queryKeys } from '../lib/query';
import { applyRoomWithAgents, nextRoomPath, patchRoom, removeRoomFromList, roomsDeletedHere } from '../rooms/rooms-data';
import { roomApi, type RoomPatch } from './room-endpoints';

/** The room changes of ui.md §3.1 "Rooms", on the shared `rooms` cache (the stream writes to the same entries). */

function roomIn(queryClient: ReturnType<typeof useQueryClient>, roomId: number): RoomSummary | undefined {
  return queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.find((r) => r.id === roomId);
}


/**
 * Rename and the limit (`PATCH /rooms/{id}`): optimistic in the list and header, rolled back on failure. Rename
 * errors are returned to the caller (shown inline); limit errors are toasts.
 */
export function usePatchRoom(roomId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: RoomPatch) => roomApi.patch(roomId, patch),
    onMutate: (patch) => {
      const before = roomIn(queryClient, roomId);
      patchRoom(queryClient, roomId, patch);
      return { before };
    },
    onError: (_error, _patch, context) => {
      if (context?.before) patchRoom(queryClient, roomId, context.before);
    },
    onSuccess: (room) => applyRoomWithAgents(queryClient, room),
  });
}

/** Pause or resume: optimistic `is_paused` (resume also clears `is_finished`), the returned Room applied, a toast on failure. */
export function usePauseRoom(roomId: number) {
  const { t } = useTranslation('room');
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (pause: boolean) => (pause ? roomApi.pause(roomId) : roomApi.resume(roomId)),
    onMutate: (pause) => {
      // Pausing stops the live turns (ui.md §4.4.5): their bubbles read "Stopping…" until they end.
      if (pause) dispatchToTimeline(roomId, { type: 'stopRequested' });
      const before = roomIn(queryClient, roomId);
      patchRoom(queryClient, roomId, pause ? { is_paused: true } : { is_paused: false, is_finished: false });
      return { before };
    },
    onError: (error, pause, context) => {
      if (pause) dispatchToTimeline(roomId, { type: 'stopFailed' });
      if (context?.before) patchRoom(queryClient, roomId, context.before);
      toast(t(pause ? 'errors.pause' : 'errors.resume', { reason: errorText(t, error) }), { tone: 'error' });
    },
    onSuccess: (room) => applyRoomWithAgents(queryClient, room),
  });
}

/** Clear conversation (admin): not optimistic; the dialog waits, and on success the transcript is emptied. */
export function useClearConversation(roomId: number, onCleared?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => roomApi.clearMessages(roomId),
    onSuccess: () => {
      queryClient.setQueryData<Message[]>(queryKeys.roomMessages(roomId), (messages) => (messages ? [] : messages));
      patchRoom(queryClient, roomId, { is_finished: false });
      onCleared?.();
    },
  });
}

/**
 * Delete a room (admin): optimistic removal from the list and a move to the next room (when it is the open one),
 * rolled back by reinserting it, with a toast.
 */
export function useDeleteRoom() {
  const { t } = useTranslation('room');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: ({ roomId }: { roomId: number; name: string; isOpen: boolean }) => roomApi.remove(roomId),
    onMutate: ({ roomId, isOpen }) => {
      roomsDeletedHere.add(roomId);
      const before = removeRoomFromList(queryClient, roomId);
      if (isOpen) navigate(nextRoomPath(before, roomId), { replace: true });
      return { before };
    },
    onError: (error, { roomId, name }, context) => {
      roomsDeletedHere.forget(roomId);
      if (context?.before) queryClient.setQueryData(queryKeys.rooms, context.before);
      toast(t('errors.delete', { name, reason: errorText(t, error) }), { tone: 'error' });
    },
    onSuccess: (_data, { roomId }) => {
      queryClient.removeQueries({ queryKey: ['room', roomId] });
    },
  });
}
