import { Session } from 'node:inspector/promises';

/**
 * A CPU profile of one stretch of this process (V8's sampling profiler through node:inspector), reduced to self
 * time per category: the database engine, the query builder, the server's own modules, fs system calls, GC, idle.
 * Used to name the cause of a missed target with a measurement instead of a guess.
 */

export interface ProfileCategory {
  category: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  categories: ProfileCategory[];
  functions: { name: string; ms: number }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function categoryOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url.includes('@electric-sql/pglite') || url.startsWith('wasm://')) return 'PGlite (WASM Postgres and its JS glue)';
  if (url.includes('node_modules/drizzle-orm')) return 'Drizzle (query building, result mapping)';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url)) return 'pg driver';
  if (url.includes('/src/server/prompts/')) return `server: prompts/${url.split('/src/server/prompts/')[1]}`;
  if (url.includes('/src/server/')) return `server: ${url.split('/src/server/')[1]?.split('/')[0]}/`;
  if (url.includes('/src/shared/')) return 'shared/';
  if (url.includes('/tests/fakes/') || url.includes('/bench/')) return 'bench and instant provider';
  if (url.includes('node_modules/')) return `node_modules: ${url.split('node_modules/')[1]?.split('/')[0]}`;
  if (url === '' && ['open', 'writev', 'write', 'read', 'stat', 'fstat', 'lstat', 'close', 'fsync', 'fdatasync'].includes(functionName)) {
    return 'system calls (open, writev, stat…: files and sockets)';
  }
  if (functionName === '(idle)') return 'idle (waiting for I/O)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (url.startsWith('node:') || url === '') return 'Node internals and natives';
  return 'other';
}

export async function profileWhile<T>(task: () => Promise<T>): Promise<{ result: T; profile: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const stop = async () => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    await session.post('Profiler.disable');
    session.disconnect();
    return profile;
  };
  let result: T;
  try {
    result = await task();
  } catch (err) {
    await stop();
    throw err;
  }
  const profile = await stop();
  return { result, profile: summarize(profile) };
}

function summarize(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    total += micros;
    const category = categoryOf(node);
    byCategory.set(category, (byCategory.get(category) ?? 0) + micros);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : 'native';
    const name = `${functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
  return {
    totalMs: total / 1000,
    categories: [...byCategory]
      .map(([category, micros]) => ({ category, ms: micros / 1000, share: micros / Math.max(1, total) }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...byFunction]
      .map(([name, micros]) => ({ name, ms: micros / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}
