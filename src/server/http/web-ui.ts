import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFile } from './send-file.js';

/** api.md §14.2: the built UI, its SPA fallback, and the placeholder when no UI is built. */

export const HTML_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface WebUi {
  /** Serves a UI path: a file, the SPA index, or the placeholder for `/`. False when nothing matches. */
  serve(request: FastifyRequest, reply: FastifyReply, path: string): Promise<boolean>;
  /** Serves index.html (navigation fallback); false when no UI is built. */
  serveIndex(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export function createWebUi({ webDir, version }: { webDir: string; version: string }): WebUi {
  const root = resolve(webDir);
  const indexPath = join(root, 'index.html');

  async function serveIndex(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (!(await isFile(indexPath))) return false;
    await sendFile(request, reply, indexPath, { ...HTML_SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
    return true;
  }

  return {
    serveIndex,
    async serve(request, reply, path) {
      if (path === '/' || path === '/index.html') {
        if (await serveIndex(request, reply)) return true;
        if (path === '/') {
          reply.send({ name: 'ChitChats', version, docs: '/docs' });
          return true;
        }
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return false;
      }
      const candidate = resolve(root, `.${decoded}`);
      if ((candidate === root || candidate.startsWith(root + sep)) && !decoded.includes('\0') && (await isFile(candidate))) {
        const immutable = decoded.startsWith('/assets/');
        const headers: Record<string, string> = {
          'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        };
        if (candidate.endsWith('.html')) Object.assign(headers, HTML_SECURITY_HEADERS);
        await sendFile(request, reply, candidate, headers);
        return true;
      }
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/html')) return serveIndex(request, reply);
      return false;
    },
  };
}
