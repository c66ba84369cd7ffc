import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPMethods } from 'fastify';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const AUTH_BODY = { detail: 'Invalid or missing authentication token' };

/** api.md §4 routes that need a credential, with a path that names no row (conformance item 19 and more). */
const PROTECTED: [HTTPMethods, string][] = [
  ['GET', '/providers'],
  ['GET', '/mcp-tools/agents'],
  ['POST', '/mcp'],
  ['GET', '/exports/conversations'],
  ['GET', '/debug/cache/stats'],
  ['GET', '/rooms/1/nothing'],
  ['GET', '/auth/verify'],
  ['GET', '/auth/health/pool'],
  ['GET', '/rooms'],
  ['POST', '/rooms'],
  ['GET', '/rooms/1'],
  ['PATCH', '/rooms/1'],
  ['DELETE', '/rooms/1'],
  ['POST', '/rooms/1/pause'],
  ['POST', '/rooms/1/resume'],
  ['POST', '/rooms/1/mark-read'],
  ['GET', '/rooms/1/export'],
  ['GET', '/rooms/1/agents'],
  ['POST', '/rooms/1/agents/1'],
  ['DELETE', '/rooms/1/agents/1'],
  ['POST', '/rooms/1/agents/1/respond'],
  ['GET', '/rooms/1/messages'],
  ['DELETE', '/rooms/1/messages'],
  ['GET', '/rooms/1/messages/poll'],
  ['POST', '/rooms/1/messages/send'],
  ['DELETE', '/rooms/1/messages/1'],
  ['POST', '/rooms/1/messages/1/regenerate'],
  ['GET', '/rooms/1/chatting-agents'],
  ['GET', '/rooms/1/critic-messages'],
  ['POST', '/rooms/1/events/ticket'],
  ['GET', '/rooms/1/events'],
  ['GET', '/agents'],
  ['POST', '/agents'],
  ['GET', '/agents/configs'],
  ['GET', '/agents/1'],
  ['PATCH', '/agents/1'],
  ['DELETE', '/agents/1'],
  ['POST', '/agents/1/reload'],
  ['GET', '/agents/1/direct-room'],
  ['POST', '/debug/cache/cleanup'],
  ['POST', '/debug/cache/clear'],
  ['GET', '/debug/providers'],
  ['GET', '/debug/providers/health'],
  ['GET', '/exports/conversations/project/conversation'],
  ['POST', '/mcp-tools/chat'],
  ['GET', '/mcp-tools/conversation/Someone'],
  ['POST', '/mcp-tools/room'],
  ['POST', '/mcp-tools/room/message'],
  ['GET', '/mcp'],
  ['DELETE', '/mcp'],
  ['GET', '/auth/unknown'],
  ['GET', '/api/unknown'],
  ['GET', '/api'],
];

describe.runIf(await databaseAvailable())('the access guard', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
    token = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('answers every protected route and unknown API path with 401 without a credential, also under /api', async () => {
    for (const [method, url] of PROTECTED) {
      for (const path of [url, `/api${url}`]) {
        const response = await t.request({ method, url: path, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect(response.statusCode, `${method} ${path}`).toBe(401);
        expect(response.json(), `${method} ${path}`).toEqual(AUTH_BODY);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="chitchats"');
      }
    }
  });

  it('serves the public routes without a credential', async () => {
    const health = await t.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const authHealth = await t.request({ method: 'GET', url: '/auth/health' });
    expect(authHealth.json()).toEqual({ status: 'healthy' });
    expect((await t.request({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/docs/swagger-ui.css' })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/redoc' })).statusCode).toBe(302);
    expect((await t.request({ method: 'GET', url: '/auth/status' })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/auth/logout' })).statusCode).toBe(200);
    const profilePic = await t.request({ method: 'GET', url: '/agents/Nobody/profile-pic' });
    expect(profilePic.statusCode).not.toBe(401);
  });

  it('answers an unknown API path with 404 Not Found for a valid credential', async () => {
    for (const url of ['/rooms/1/nothing', '/api/rooms/1/nothing', '/auth/unknown', '/api/unknown', '/debug/nothing/at/all']) {
      const response = await t.request({ method: 'GET', url, token });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    }
  });

  it('answers 405 Method Not Allowed with an Allow header for a known path with another method', async () => {
    const response = await t.request({ method: 'PUT', url: '/rooms', token, payload: {} });
    expect(response.statusCode).toBe(405);
    expect(response.json()).toEqual({ detail: 'Method Not Allowed' });
    const allow = String(response.headers.allow).split(', ').sort();
    expect(allow).toEqual(['GET', 'HEAD', 'POST']);
    const nested = await t.request({ method: 'PUT', url: '/api/rooms/5/pause/', token });
    expect(nested.statusCode).toBe(405);
    expect(String(nested.headers.allow)).toBe('POST');
  });

  it('answers a guest on an admin route with 403 ADMIN even for a missing room', async () => {
    const guest = await t.login('guest');
    const response = await t.request({ method: 'DELETE', url: '/rooms/999999', token: guest });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'This action requires admin privileges.' });
  });

  it('answers the wrong method with 401 before 405 without a credential', async () => {
    const response = await t.request({ method: 'PUT', url: '/rooms' });
    expect(response.statusCode).toBe(401);
  });

  it('answers GET /api/rooms with the same status and body as GET /rooms', async () => {
    await t.request({ method: 'POST', url: '/rooms', token, payload: { name: 'Parity' } });
    for (const credential of [token, undefined]) {
      const root = await t.request({ method: 'GET', url: '/rooms', token: credential });
      const api = await t.request({ method: 'GET', url: '/api/rooms', token: credential });
      expect(api.statusCode).toBe(root.statusCode);
      expect(api.json()).toEqual(root.json());
    }
    const rootRoom = await t.request({ method: 'GET', url: '/rooms/999999', token });
    const apiRoom = await t.request({ method: 'GET', url: '/api/rooms/999999', token });
    expect(apiRoom.statusCode).toBe(404);
    expect(apiRoom.json()).toEqual(rootRoom.json());
  });

  it('serves the public routes under /api too', async () => {
    expect((await t.request({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.request({ method: 'GET', url: '/api/auth/health' })).json()).toEqual({ status: 'healthy' });
    expect((await t.request({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/docs' })).statusCode).toBe(200);
  });
});
