import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { RoomSummary } from '../../shared/models';
import { summaryOf } from '../lib/endpoints';
import { queryKeys } from '../lib/query';
import { roomApi, type DirectRoomOptions } from '../room/room-endpoints';
import { upsertRoomAtTop } from './rooms-data';

/**
 * Opens the caller's direct room with an agent: `GET /agents/{id}/direct-room` (the server returns the same room for
 * the same agent and provider, so the UI never makes duplicates), upserts it into the list and goes there.
 */
export function useOpenDirectChat() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: ({ agentId, ...options }: { agentId: number } & DirectRoomOptions) => roomApi.directRoom(agentId, options),
    onSuccess: (room) => {
      const listed = queryClient.getQueryData<RoomSummary[]>(queryKeys.rooms)?.find((r) => r.id === room.id);
      upsertRoomAtTop(queryClient, { ...summaryOf(room), has_unread: listed?.has_unread ?? false });
      navigate(`/rooms/${room.id}`);
    },
  });
}
