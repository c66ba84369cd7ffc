import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RoomSummary } from '../../shared/models';
import { api } from '../lib/endpoints';
import { queryKeys } from '../lib/query';

/** The room list (ui.md §3.1 "Room list"): no stream, so it is refreshed on a timer, faster while visible. */
export const ROOMS_REFRESH_VISIBLE_MS = 15_000;
export const ROOMS_REFRESH_HIDDEN_MS = 60_000;

export function useRooms(enabled = true) {
  return useQuery({
    queryKey: queryKeys.rooms,
    queryFn: ({ signal }) => api.rooms(signal),
    enabled,
    refetchInterval: () => (document.visibilityState === 'hidden' ? ROOMS_REFRESH_HIDDEN_MS : ROOMS_REFRESH_VISIBLE_MS),
    refetchIntervalInBackground: true,
  });
}

/** Puts a room at the top of the cached list (a room created here stays there until the next refetch). */
export function upsertRoomAtTop(queryClient: QueryClient, room: RoomSummary): void {
  queryClient.setQueryData<RoomSummary[]>(queryKeys.rooms, (rooms = []) => [room, ...rooms.filter((r) => r.id !== room.id)]);
}

export function patchRoom(queryClient: QueryClient, roomId: number, patch: Partial<RoomSummary>): void {
  queryClient.setQueryData<RoomSummary[]>(queryKeys.rooms, (rooms) => rooms?.map((r) => (r.id === roomId ? { ...r, ...patch } : r)));
}

/** Mark read (§3.1): optimistic `has_unread=false`; on error the list is refetched. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (roomId: number) => api.markRead(roomId),
    onMutate: (roomId) => patchRoom(queryClient, roomId, { has_unread: false }),
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.rooms }),
  });
}
