import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/db/connect.js';

/**
 * Creating a PGlite database runs initdb (~2 s); loading a migrated dump takes a fraction of that. One template
 * per test run, shared with every API test file through a file path.
 */
export default async function setup(project: TestProject): Promise<void> {
  const dir = join(tmpdir(), `chitchats-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const database = await openDatabase({ kind: 'pglite' });
  const dump = await database.dumpDataDir?.();
  await database.close();
  if (!dump) throw new Error('PGlite dump unavailable');
  const path = join(dir, 'template.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', path);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
