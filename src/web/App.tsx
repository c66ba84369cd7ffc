import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { RequireAuth, SessionExpiry } from './auth/session';
import { Spinner } from './components/Spinner';
import { LoginPage } from './screens/LoginPage';
import { HomePage } from './screens/HomePage';
import { NotFoundPage } from './screens/NotFoundPage';
import { AppShell } from './shell/AppShell';

// Route chunks load on demand; the entry holds the shell and the login page (ui.md §1 P2 budgets).
const RoomRoute = lazy(() => import('./chat/RoomPage').then((m) => ({ default: m.RoomRoute })));
const AgentsPage = lazy(() => import('./agents/AgentManagerPage').then((m) => ({ default: m.AgentManagerPage })));

function RouteFallback() {
  return (
    <div className="m-auto text-text-muted">
      <Spinner />
    </div>
  );
}

/** The routes of ui.md §2.2, in react-router's declarative mode. */
export function AppRoutes() {
  return (
    <>
      <SessionExpiry />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppShell />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route
            path="rooms/:roomId"
            element={
              <Suspense fallback={<RouteFallback />}>
                <RoomRoute />
              </Suspense>
            }
          />
          <Route
            path="agents/:agentId?"
            element={
              <Suspense fallback={<RouteFallback />}>
                <AgentsPage />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
