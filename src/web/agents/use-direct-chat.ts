import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { ProviderId } from '../../shared/providers';
import { queryKeys } from '../lib/query';
import { agentApi } from './agent-endpoints';

/**
 * Opens the caller's 1-on-1 room with an agent (ui.md §4.9): the server returns the same room for the same agent
 * and provider, so repeated clicks never make duplicates. The room list refetches so the room shows in it.
 */
export function useDirectChat() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: ({ agentId, provider }: { agentId: number; provider?: ProviderId }) => agentApi.directRoom(agentId, provider),
    onSuccess: (room) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.rooms });
      navigate(`/rooms/${room.id}`);
    },
  });
}
