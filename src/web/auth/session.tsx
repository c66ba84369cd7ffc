import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError, onApiEvent } from '../lib/api';
import { api, type Session } from '../lib/endpoints';
import { loginPath } from '../lib/paths';
import { queryKeys } from '../lib/query';

/** The session (ui.md §4.1): checked at boot with `GET /auth/verify`; a later 401 anywhere ends it. */

export interface LoginLocationState {
  /** Set when a session that was in use ended (a 401 after boot): the login page says so. */
  expired?: boolean;
}

export function useSession() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => api.verify(signal),
    staleTime: 5 * 60_000,
  });
}

/** The signed-in session; only for components under RequireAuth. */
export function useMe(): Session | undefined {
  return useSession().data;
}

function currentPath(location: { pathname: string; search: string; hash: string }): string {
  return location.pathname + location.search + location.hash;
}

/**
 * Renders its children while the session is known or being checked (the shell draws at once, §4.1), and sends
 * an unauthenticated visitor to `/login?next=…`.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isError && isApiError(session.error) && session.error.status === 401) {
    return <Navigate to={loginPath(currentPath(location))} replace />;
  }
  return children;
}

/**
 * Session expiry: any 401 from a call made with the session (not login or the boot check) goes to the login page
 * with `next`, saying the session ended. Drafts live outside the query cache and survive.
 */
export function SessionExpiry() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const here = useRef(location);
  here.current = location;

  useEffect(
    () =>
      onApiEvent((event) => {
        if (event.type !== 'unauthorized' || here.current.pathname === '/login') return;
        const hadSession = queryClient.getQueryData(queryKeys.me) !== undefined;
        const state: LoginLocationState = { expired: hadSession };
        navigate(loginPath(currentPath(here.current)), { replace: true, state });
        // After the navigation, so no mounted query refetches into another 401 on the way out.
        setTimeout(() => queryClient.clear(), 0);
      }),
    [navigate, queryClient],
  );
  return null;
}
