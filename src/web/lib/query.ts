import { QueryClient } from '@tanstack/react-query';
import { isRetryable } from './api';

/** Query keys of ui.md §2.3. */
export const queryKeys = {
  me: ['me'] as const,
  authStatus: ['authStatus'] as const,
  providers: ['providers'] as const,
  rooms: ['rooms'] as const,
  agents: ['agents'] as const,
  room: (roomId: number) => ['room', roomId] as const,
  /** Until the timeline store lands (ui.md §2.3 "Transcript"), a room's newest page lives in the query cache. */
  roomMessages: (roomId: number) => ['room', roomId, 'messages'] as const,
};

/** Retries of ui.md §2.3: two, after 1 s then 3 s, on network errors and 5xx only; mutations never retry. */
export const RETRY_DELAYS_MS = [1_000, 3_000] as const;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) => failureCount < RETRY_DELAYS_MS.length && isRetryable(error),
        retryDelay: (failureCount) => RETRY_DELAYS_MS[Math.min(failureCount, RETRY_DELAYS_MS.length - 1)] ?? 3_000,
      },
      mutations: { retry: false },
    },
  });
}
