import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../lib/endpoints';
import { endSession } from './session-end';

/**
 * Log out (ui.md §3.1): go to the login page at once, even if the call fails, and forget everything the session
 * loaded — the query cache and whatever registered with `onSessionEnd` — so the next user never sees it.
 */
export function useLogOut(): () => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return () => {
    void api.logout().catch(() => undefined);
    navigate('/login', { replace: true });
    // After the navigation has unmounted the rooms, so nothing refetches into the emptied cache.
    setTimeout(() => {
      queryClient.clear();
      endSession();
    }, 0);
  };
}
