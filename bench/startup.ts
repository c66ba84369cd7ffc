import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { rssMiB, startServerProcess } from './support.js';

/** quality.md §3 "startup & memory": time to ready and idle RSS for PGlite first run, reopen, PostgreSQL. */

export interface StartupResult {
  scenario: string;
  readyMs: number;
  rssMiB: number;
}

async function measure(scenario: string, env: Record<string, string>): Promise<StartupResult> {
  const server = await startServerProcess(env);
  // Let start-up garbage settle before reading the idle footprint.
  await new Promise((resolveWait) => setTimeout(resolveWait, 2000));
  const rss = rssMiB(server.child.pid ?? 0);
  await server.stop();
  return { scenario, readyMs: server.readyMs, rssMiB: rss };
}

export async function benchStartup(postgresUrl: string | null): Promise<StartupResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chitchats-bench-'));
  const results: StartupResult[] = [];
  try {
    results.push(await measure('PGlite, first run (initdb, migrations, seeding 11 agents)', { DATA_DIR: dataDir }));
    results.push(await measure('PGlite, reopen', { DATA_DIR: dataDir }));
    results.push(await measure('PGlite, reopen (again)', { DATA_DIR: dataDir }));
    if (postgresUrl) {
      const name = `chitchats_bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      results.push(await measure('PostgreSQL, first run (migrations, seeding)', { DATA_DIR: dataDir, DATABASE_URL: url.toString() }));
      results.push(await measure('PostgreSQL, restart', { DATA_DIR: dataDir, DATABASE_URL: url.toString() }));
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return results;
}
