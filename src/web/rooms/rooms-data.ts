import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Agent, RoomSummary } from '../../shared/models';
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

/** A room as routes and events carry it: the list fields, maybe with its members (and a Room's messages). */
export type RoomLike = Omit<RoomSummary, 'has_unread'> & { agents?: Agent[]; messages?: unknown };

/** The members of a room (ui.md §2.3 key `[room, id, members]`): loaded once, then kept current by events. */
export const membersKey = (roomId: number) => ['room', roomId, 'members'] as const;

/**
 * Applies a RoomWithAgents (a `snapshot`/`room` event, or a route's answer) to the cache: the room's list entry
 * (its `has_unread` is kept) and its members. The stream and the header actions share this, so they meet in one place.
 */
export function applyRoomWithAgents(queryClient: QueryClient, room: RoomLike): void {
  const { agents, messages: _messages, ...fields } = room;
  queryClient.setQueryData<RoomSummary[]>(queryKeys.rooms, (rooms) =>
    rooms?.map((r) => (r.id === fields.id ? { ...r, ...fields, has_unread: r.has_unread } : r)),
  );
  if (agents) queryClient.setQueryData<Agent[]>(membersKey(fields.id), agents);
}

/**
 * Rooms deleted from this tab (ui.md §3.1). Their stream's `deleted` event is no news here: the delete already moved
 * the app to the next room, and the old room page may still be mounted while that route change renders.
 */
const deletedHere = new Set<number>();
export const roomsDeletedHere = {
  add: (roomId: number): void => void deletedHere.add(roomId),
  forget: (roomId: number): void => void deletedHere.delete(roomId),
  has: (roomId: number): boolean => deletedHere.has(roomId),
};

/** Takes a room out of the list (deleted here or by a `room` event); returns the list before, for a rollback. */
export function removeRoomFromList(queryClient: QueryClient, roomId: number): RoomSummary[] | undefined {
  const before = queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms);
  queryClient.setQueryData<RoomSummary[]>(queryKeys.rooms, (rooms) => rooms?.filter((r) => r.id !== roomId));
  return before;
}

/** Where to go when a room leaves the list: the room after it, else the one before it, else home. */
export function nextRoomPath(rooms: readonly RoomSummary[] | undefined, roomId: number): string {
  const list = rooms ?? [];
  const at = list.findIndex((r) => r.id === roomId);
  const next = at === -1 ? list.find((r) => r.id !== roomId) : (list[at + 1] ?? list[at - 1]);
  return next ? `/rooms/${next.id}` : '/';
}
