import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The web UI (ui.md §2): `src/web/index.html` is the entry, `src/web/public/` is copied as is, and the build goes
 * to `web/dist`, which the server serves from `WEB_DIR` (api.md §14.2). In development `npm run dev:web` serves
 * the UI on :5173 and proxies `/api` to the server (`npm run dev`, :8000), event streams included.
 */

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./web/dist', import.meta.url));
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:8000';

const KB = 1000;
/** ui.md §1 P2, gzip: the entry (JS + CSS loaded before first paint) and each lazily loaded chunk. */
const BUDGET = { entry: 160 * KB, lazyChunk: 110 * KB };

/**
 * Fails the build when a bundle budget is exceeded. `WEB_BUDGET=warn` only warns; the start-time build uses it so
 * a budget overrun never leaves a server without its UI.
 */
function bundleBudget(): Plugin {
  return {
    name: 'chitchats:bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const gz = new Map<string, number>();
      const size = (fileName: string): number => {
        let known = gz.get(fileName);
        if (known === undefined) {
          const file = bundle[fileName];
          const source = file === undefined ? '' : file.type === 'chunk' ? file.code : file.source;
          known = gzipSync(source).length;
          gz.set(fileName, known);
        }
        return known;
      };
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const closure = (start: string): Set<string> => {
        const seen = new Set<string>();
        const visit = (fileName: string) => {
          if (seen.has(fileName)) return;
          seen.add(fileName);
          const chunk = bundle[fileName];
          if (chunk?.type !== 'chunk') return;
          for (const css of chunk.viteMetadata?.importedCss ?? []) seen.add(css);
          for (const imported of chunk.imports) visit(imported);
        };
        visit(start);
        return seen;
      };
      const entry = new Set<string>();
      for (const chunk of chunks) if (chunk.isEntry) for (const file of closure(chunk.fileName)) entry.add(file);
      const entryBytes = [...entry].reduce((sum, file) => sum + size(file), 0);
      const problems: string[] = [];
      if (entryBytes > BUDGET.entry) problems.push(`entry JS + CSS is ${kb(entryBytes)} gzip, budget ${kb(BUDGET.entry)}`);
      for (const chunk of chunks) {
        if (!chunk.isDynamicEntry) continue;
        const own = [...closure(chunk.fileName)].filter((file) => !entry.has(file));
        const bytes = own.reduce((sum, file) => sum + size(file), 0);
        if (bytes > BUDGET.lazyChunk) problems.push(`${chunk.fileName} is ${kb(bytes)} gzip, budget ${kb(BUDGET.lazyChunk)}`);
      }
      this.info(`bundle budget: entry ${kb(entryBytes)} of ${kb(BUDGET.entry)} gzip`);
      if (problems.length === 0) return;
      const message = `bundle budget exceeded (ui.md §1 P2): ${problems.join('; ')}`;
      if (process.env.WEB_BUDGET === 'warn') this.warn(message);
      else this.error(message);
    },
  };
}

function kb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} kB`;
}

export default defineConfig({
  root: webRoot,
  publicDir: 'public',
  plugins: [react(), tailwindcss(), bundleBudget()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The libraries every page needs, in one long-cached chunk; lazily loaded libraries stay in their chunks.
          groups: [
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': {
        target: apiTarget,
        // Keep the browser's Host so the server's CSRF check sees Origin and Host agree (api.md §2.4).
        changeOrigin: false,
        // Event streams (GET /api/rooms/{id}/events) are long-lived: no proxy timeout, no buffering.
        timeout: 0,
        proxyTimeout: 0,
        configure(proxy) {
          proxy.on('proxyRes', (proxyRes, request) => {
            if (!String(proxyRes.headers['content-type'] ?? '').startsWith('text/event-stream')) return;
            proxyRes.headers['cache-control'] = 'no-cache, no-transform';
            proxyRes.headers['x-accel-buffering'] = 'no';
            request.socket.setNoDelay(true);
          });
        },
      },
    },
  },
  preview: { port: 4173, strictPort: true },
});
