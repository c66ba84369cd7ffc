import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { toast } from '../components/toast';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { roomApi } from '../room/room-endpoints';
import { applyRoomWithAgents, membersKey } from '../rooms/rooms-data';

/** Agents and room members for the agent panel and the profile (ui.md §3.1 "Members", "Agents"). */

export type MemberStatus = 'thinking' | 'writing' | 'idle' | 'passed' | 'error';

/** A member card being added: shown at once, marked "adding" until the server answers. */
export type MemberEntry = Agent & { adding?: boolean };

/** One agent: the list entry shows first and this call refreshes it (§3.1 "Open a profile"). */
export function useAgent(agentId: number | undefined) {
  const queryClient = useQueryClient();
  const listed = queryClient.getQueryData<Agent[]>(queryKeys.agents)?.find((a) => a.id === agentId);
  return useQuery<Agent>({
    queryKey: ['agent', agentId ?? 0],
    queryFn: ({ signal }) => roomApi.agent(agentId ?? 0, signal),
    enabled: agentId !== undefined,
    ...(listed ? { placeholderData: listed } : {}),
  });
}

export function useMembers(roomId: number) {
  return useQuery({
    queryKey: membersKey(roomId),
    queryFn: ({ signal }) => roomApi.members(roomId, signal),
    // Loaded when the room opens; after that `snapshot` and `room` events replace it (§3.1).
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}

/** Add a member: an optimistic card in an "adding" state, then the server's room; rolled back with a toast. */
export function useAddMember(roomId: number) {
  const { t } = useTranslation('room');
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (agent: Agent) => roomApi.addMember(roomId, agent.id),
    onMutate: async (agent) => {
      await queryClient.cancelQueries({ queryKey: membersKey(roomId) });
      queryClient.setQueryData<MemberEntry[]>(membersKey(roomId), (members = []) =>
        members.some((m) => m.id === agent.id) ? members : [...members, { ...agent, adding: true }],
      );
    },
    onError: (error, agent) => {
      queryClient.setQueryData<MemberEntry[]>(membersKey(roomId), (members) =>
        members?.filter((m) => !(m.id === agent.id && m.adding)),
      );
      toast(t('panel.addFailed', { name: agent.name, reason: errorText(t, error) }), { tone: 'error' });
    },
    onSuccess: (room, agent) => {
      // Other adds may still be in flight: keep their cards while applying this answer.
      const adding = (queryClient.getQueryData<MemberEntry[]>(membersKey(roomId)) ?? []).filter((m) => m.adding && m.id !== agent.id);
      applyRoomWithAgents(queryClient, room);
      if (adding.length > 0) {
        queryClient.setQueryData<MemberEntry[]>(membersKey(roomId), (members = []) => [
          ...members,
          ...adding.filter((a) => !members.some((m) => m.id === a.id)),
        ]);
      }
    },
  });
}

/** Remove a member (admin, after confirmation): optimistic, rolled back with a toast. */
export function useRemoveMember(roomId: number) {
  const { t } = useTranslation('room');
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (agent: Agent) => roomApi.removeMember(roomId, agent.id),
    onMutate: (agent) => {
      const before = queryClient.getQueryData<MemberEntry[]>(membersKey(roomId));
      queryClient.setQueryData<MemberEntry[]>(membersKey(roomId), (members) => members?.filter((m) => m.id !== agent.id));
      return { before };
    },
    onError: (error, agent, context) => {
      if (context?.before) queryClient.setQueryData(membersKey(roomId), context.before);
      toast(t('panel.removeFailed', { name: agent.name, reason: errorText(t, error) }), { tone: 'error' });
    },
  });
}

/** Ask to reply (U3): one turn of that member now. 409 says why (paused, or an agent is replying). */
export function useAskToReply(roomId: number) {
  const { t } = useTranslation('room');
  return useMutation({
    mutationFn: (agent: Agent) => roomApi.respond(roomId, agent.id),
    onError: (error, agent) => {
      let reason = errorText(t, error);
      if (isApiError(error) && error.status === 409) reason = /paused/i.test(error.detail) ? t('panel.roomPaused') : t('panel.roomBusy');
      toast(t('panel.askFailed', { name: agent.name, reason }), { tone: 'error' });
    },
  });
}

export { bumpAvatarVersion, useAvatarVersion } from '../components/avatar-version';
