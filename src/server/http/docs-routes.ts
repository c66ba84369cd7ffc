import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { notFound } from './errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { defineRoute, type RouteRegistry } from './route.js';
import { contentTypeOf } from './send-file.js';
import { HTML_SECURITY_HEADERS } from './web-ui.js';
import { z } from 'zod';

/** `/openapi.json`, Swagger UI under `/docs` from our own files (no CDN), `/redoc` → `/docs` (api.md §14.3). */

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ChitChats API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs-init.js"></script>
</body>
</html>
`;

// validatorUrl: null keeps Swagger UI from calling validator.swagger.io (no external requests, api.md §14.3).
const DOCS_INIT =
  "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n";

export function docsRoutes({ registry, version }: { registry: RouteRegistry; version: string }) {
  const require = createRequire(import.meta.url);
  const assetsDir = resolve(require.resolve('swagger-ui-dist/package.json'), '..');
  let document: unknown;

  return [
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      auth: 'public',
      docs: { summary: 'This document', tag: 'docs' },
      handler: async () => {
        document ??= buildOpenApiDocument({ definitions: registry.definitions, version });
        return document;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/docs',
      auth: 'public',
      docs: { summary: 'Interactive API documentation', tag: 'docs', response: { contentType: 'text/html', description: 'Swagger UI' } },
      handler: async ({ reply }) => {
        reply.headers({ ...HTML_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
        return DOCS_PAGE;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/docs/:asset',
      auth: 'public',
      params: z.object({ asset: z.string() }),
      docs: { summary: 'Documentation assets', tag: 'docs', response: { contentType: 'application/octet-stream', description: 'A file' } },
      handler: async ({ params, reply }) => {
        const { asset } = params;
        if (asset === 'docs-init.js') {
          reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'no-cache');
          return DOCS_INIT;
        }
        const path = join(assetsDir, asset);
        if (!path.startsWith(assetsDir + sep) || asset.includes('/')) throw notFound('Not Found');
        let body: Buffer;
        try {
          body = await readFile(path);
        } catch {
          throw notFound('Not Found');
        }
        reply.header('Content-Type', contentTypeOf(path)).header('Cache-Control', 'public, max-age=86400');
        return body;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/redoc',
      auth: 'public',
      docs: { summary: 'Redirects to /docs', tag: 'docs', response: { contentType: 'text/plain', description: 'Redirect', status: 302 } },
      handler: async ({ reply }) => reply.redirect('/docs', 302),
    }),
  ];
}
