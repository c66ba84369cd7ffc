import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../src/server/db/connect.js';
import { createScratchPostgres } from './scratch-postgres.js';

/**
 * The database an API test file runs on, chosen by the Vitest project (TEST_DB): a PGlite loaded from the
 * migrated template, or a fresh database on the real PostgreSQL (127.0.0.1:5432, trust auth). Without a reachable
 * PostgreSQL outside CI the PostgreSQL project skips with a notice; in CI it is required (quality.md §2).
 */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let reachable: boolean | undefined;

/** False only when this file must skip: the PostgreSQL project without a server outside CI. */
export async function databaseAvailable(): Promise<boolean> {
  if (TEST_DB === 'pglite') return true;
  reachable ??= await postgresReachable();
  if (!reachable) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI but ${ADMIN_URL} is unreachable`);
    process.stdout.write(`\n[notice] PostgreSQL at ${ADMIN_URL} is unreachable: skipping the PostgreSQL API tests\n`);
  }
  return reachable;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'pglite') {
    const template = readFileSync(inject('pgliteTemplate'));
    return { target: { kind: 'pglite', loadDataDir: new Blob([template]) }, drop: async () => undefined };
  }
  return createScratchPostgres(ADMIN_URL, { prefix: 'chitchats_test', poolSize: 5 });
}
