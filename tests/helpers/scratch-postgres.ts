import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/server/db/connect.js';

/**
 * A new, empty database on a PostgreSQL server (trust auth), named `<prefix>_<random>`, and its removal. Used by
 * the API tests (one per test file) and the benchmarks (one per run); free of Vitest so both can import it.
 */
export async function createScratchPostgres(
  adminUrl: string,
  { prefix, poolSize }: { prefix: string; poolSize: number },
): Promise<{ target: Extract<DatabaseTarget, { kind: 'postgres' }>; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString(), poolSize },
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withClient(url: string, task: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await task(client);
  } finally {
    await client.end();
  }
}
