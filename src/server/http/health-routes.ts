import { defineRoute } from './route.js';

export interface Readiness {
  /** Startup (migrations, agent discovery) finished and shutdown has not begun. */
  phase(): 'starting' | 'ready' | 'shutting_down';
  pingDatabase(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

async function databaseReachable(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), READY_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({ readiness }: { readiness: Readiness }) {
  return [
    defineRoute({
      method: 'GET',
      path: '/health',
      auth: 'public',
      docs: { summary: 'Liveness', tag: 'health' },
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'GET',
      path: '/ready',
      auth: 'public',
      docs: { summary: 'Readiness: started, not shutting down, database reachable', tag: 'health' },
      async handler({ reply }) {
        const phase = readiness.phase();
        const database = (await databaseReachable(readiness.pingDatabase)) ? 'ok' : 'unreachable';
        if (phase === 'ready' && database === 'ok') return { status: 'ready', database };
        const detail = phase === 'starting' ? 'Starting up' : phase === 'shutting_down' ? 'Shutting down' : 'Database unreachable';
        reply.code(503);
        return { status: 'not_ready', database, detail };
      },
    }),
  ];
}
