import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverVersion } from '../../src/server/compose.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CSP =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
const INDEX = '<!doctype html><title>ChitChats UI</title><script type="module" src="/assets/app.js"></script>';
const APP_JS = 'console.log("app");\n';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function expectIndex(response: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  expect(response.statusCode).toBe(200);
  expect(response.body).toBe(INDEX);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-cache');
  expect(response.headers['content-security-policy']).toBe(CSP);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('same-origin');
}

describe.runIf(await databaseAvailable())('the web UI', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  describe('before a UI is built', () => {
    it('answers GET / with the name, version and docs link', async () => {
      const response = await t.request({ method: 'GET', url: '/', headers: { accept: HTML } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ name: 'ChitChats', version: serverVersion(), docs: '/docs' });
    });

    it('answers an unknown UI path with 404 JSON even for a browser', async () => {
      const response = await t.request({ method: 'GET', url: '/some/client/route', headers: { accept: HTML } });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    });
  });

  describe('with a built UI', () => {
    beforeAll(async () => {
      await mkdir(join(t.dirs.web, 'assets'), { recursive: true });
      await writeFile(join(t.dirs.web, 'index.html'), INDEX);
      await writeFile(join(t.dirs.web, 'assets', 'app.js'), APP_JS);
      await writeFile(join(t.dirs.web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    });

    it('serves index.html at / with the security headers', async () => {
      expectIndex(await t.request({ method: 'GET', url: '/' }));
    });

    it('serves content-hashed assets as immutable', async () => {
      const response = await t.request({ method: 'GET', url: '/assets/app.js' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(APP_JS);
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it('serves other files with no-cache', async () => {
      const response = await t.request({ method: 'GET', url: '/favicon.svg' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/svg+xml');
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it('answers HEAD for a file with its length and no body', async () => {
      const response = await t.request({ method: 'HEAD', url: '/assets/app.js' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
    });

    it('answers a conditional request with a matching ETag with 304', async () => {
      const first = await t.request({ method: 'GET', url: '/assets/app.js' });
      const etag = String(first.headers.etag);
      const second = await t.request({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': etag } });
      expect(second.statusCode).toBe(304);
      expect(second.body).toBe('');
    });

    it('falls back to index.html for an unknown UI path when the browser accepts HTML', async () => {
      expectIndex(await t.request({ method: 'GET', url: '/some/client/route', headers: { accept: HTML } }));
      expectIndex(await t.request({ method: 'GET', url: '/settings?tab=profile', headers: { accept: HTML } }));
    });

    it('answers an unknown UI path without Accept text/html with 404 JSON', async () => {
      for (const accept of ['application/json', '*/*', undefined]) {
        const response = await t.request({ method: 'GET', url: '/some/client/route', headers: accept ? { accept } : {} });
        expect(response.statusCode, String(accept)).toBe(404);
        expect(response.json()).toEqual({ detail: 'Not Found' });
      }
    });

    it('answers a missing asset with 404 JSON rather than index.html, whatever the Accept header', async () => {
      const response = await t.request({ method: 'GET', url: '/assets/missing.js', headers: { accept: '*/*' } });
      expect(response.statusCode).toBe(404);
    });

    it('answers other methods on UI paths with 404 JSON', async () => {
      const response = await t.request({ method: 'POST', url: '/some/client/route', headers: { accept: HTML }, payload: {} });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    });

    it('answers GET /rooms from a browser without a credential with 401 JSON, not the UI', async () => {
      const response = await t.request({ method: 'GET', url: '/rooms', headers: { accept: HTML } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toEqual({ detail: 'Invalid or missing authentication token' });
    });

    it('never serves the UI for an unknown API path', async () => {
      for (const url of ['/rooms/1/nothing', '/api/some/route', '/auth/nothing']) {
        const response = await t.request({ method: 'GET', url, headers: { accept: HTML } });
        expect(response.statusCode, url).toBe(401);
      }
    });

    it('serves index.html for a top-level navigation to the UI deep links', async () => {
      for (const url of ['/rooms', '/rooms/12', '/rooms/12/', '/agents', '/agents/3']) {
        const response = await t.request({ method: 'GET', url, headers: { accept: HTML, 'sec-fetch-mode': 'navigate' } });
        expectIndex(response);
      }
    });

    it('keeps the JSON behaviour for navigations to /api paths and to deeper room paths', async () => {
      for (const url of ['/api/rooms', '/api/agents/3', '/rooms/12/messages']) {
        const response = await t.request({ method: 'GET', url, headers: { accept: HTML, 'sec-fetch-mode': 'navigate' } });
        expect(response.statusCode, url).toBe(401);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      }
    });

    it('never serves a file outside WEB_DIR through an encoded traversal', async () => {
      await writeFile(join(t.dirs.root, 'secret.txt'), 'top secret');
      for (const url of ['/..%2fsecret.txt', '/..%2f..%2fetc/passwd', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
        for (const accept of [HTML, '*/*']) {
          const response = await t.request({ method: 'GET', url, headers: { accept } });
          expect(response.body, url).not.toContain('top secret');
          expect(response.body, url).not.toContain('root:');
          if (accept === HTML) expect([200, 404], url).toContain(response.statusCode);
          else expect(response.statusCode, url).toBe(404);
        }
      }
    });

    it('never serves a file through a NUL byte', async () => {
      const response = await t.request({ method: 'GET', url: '/index.html%00.js', headers: { accept: '*/*' } });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    });

    it('answers a malformed percent-escape with 400 Invalid URL in the usual error shape', async () => {
      const response = await t.request({ method: 'GET', url: '/%E0%A4%A', headers: { accept: HTML, origin: 'http://localhost:5173' } });
      expect(response.statusCode).toBe(400);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(response.json()).toEqual({ detail: 'Invalid URL' });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-request-id']).toBeDefined();
    });
  });
});
