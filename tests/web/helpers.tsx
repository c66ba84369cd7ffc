import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';

/**
 * The transport stub (ui.md §9.1: no network). Each route is `"METHOD /api/path"` (query string ignored) and
 * answers with a JSON body and a status, or throws to simulate a network failure.
 */
export type FakeRoute = { status?: number; body?: unknown; headers?: Record<string, string> } | (() => never);

export interface FakeCall {
  method: string;
  url: string;
  body: unknown;
  init: RequestInit;
}

export function stubFetch(routes: Record<string, FakeRoute>) {
  const calls: FakeCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    calls.push({ method, url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined, init });
    const route = routes[`${method} ${url.split('?')[0]}`];
    if (route === undefined) return Response.json({ detail: 'Not Found' }, { status: 404 });
    if (typeof route === 'function') route();
    const { status = 200, body, headers } = route as Exclude<FakeRoute, () => never>;
    return Response.json(body ?? null, { status, headers });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls };
}

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Shows where the router is, so tests can assert navigations. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/** Renders `routes` (or a single element at `path`) inside a fresh query client and a memory router at `url`. */
export function renderRoutes(url: string, routes: ReactElement, queryClient = testQueryClient()) {
  return {
    queryClient,
    ...render(
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>{routes}</Routes>
          <LocationProbe />
        </MemoryRouter>
      </QueryClientProvider>,
    ),
  };
}

export { Route };
