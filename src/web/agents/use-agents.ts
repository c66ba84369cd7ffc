import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session';
import { api } from '../lib/endpoints';
import { queryKeys } from '../lib/query';

/** The agent list (`agents` query, ui.md §2.3), shared by the sidebar, the manager and the quick switcher. */
export function useAgents() {
  const session = useSession();
  return useQuery({
    queryKey: queryKeys.agents,
    queryFn: ({ signal }) => api.agents(signal),
    enabled: session.isSuccess,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** Whether the signed-in user may change agents (ui.md §5: admins only; anything else is a guest). */
export function useIsAdmin(): boolean {
  return useSession().data?.role === 'admin';
}
