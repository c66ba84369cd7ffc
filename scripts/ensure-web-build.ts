import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * `npm start` runs this first (`prestart`): it builds the web UI into `web/dist` when that build is missing or
 * older than its sources, so a fresh clone serves the UI right after `npm install`. It never stops the server
 * from starting: it always exits 0, and a failed build only prints a warning (the API works without the UI).
 *
 * Skipped when `SKIP_WEB_BUILD` is true, and when `WEB_DIR` points somewhere other than `./web/dist` (an operator
 * serving their own build).
 */

const root = resolve(import.meta.dirname, '..');
const defaultWebDir = join(root, 'web', 'dist');
/** What the UI build reads: a file under these newer than `web/dist/index.html` means the build is stale. */
const SOURCES = ['src/web', 'src/shared', 'vite.config.ts', 'tsconfig.web.json', 'package-lock.json'];

function log(message: string): void {
  process.stdout.write(`[web] ${message}\n`);
}

function setting(name: string): string | undefined {
  const fromEnv = process.env[name];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  try {
    const value = parseEnv(readFileSync(join(process.cwd(), '.env'), 'utf8'))[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  } catch {
    return undefined;
  }
}

function newestMtime(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function staleReason(webDir: string): string | null {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) return 'web/dist is missing';
  const builtAt = statSync(index).mtimeMs;
  const sourcesAt = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));
  return sourcesAt > builtAt ? 'web/dist is older than its sources' : null;
}

async function main(): Promise<void> {
  if (/^(1|true|yes|on)$/i.test(setting('SKIP_WEB_BUILD') ?? '')) return;
  const webDir = resolve(process.cwd(), setting('WEB_DIR') ?? './web/dist');
  if (webDir !== defaultWebDir) return;
  const reason = staleReason(webDir);
  if (!reason) return;

  log(`${reason}; building the web UI…`);
  const started = performance.now();
  process.env.WEB_BUDGET = 'warn';
  try {
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`the web UI could not be built, so the server starts without it (API only): ${message}`);
    log('run `npm run build:web` to see the full error');
  }
}

await main().catch((error: unknown) => log(`skipping the web UI build: ${String(error)}`));
process.exit(0);
