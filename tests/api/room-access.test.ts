import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { agentByName, createRoom, uniqueName, validationIssues } from '../helpers/room-api.js';

interface RouteCase {
  method: HTTPMethods;
  path: (roomId: number) => string;
  payload?: Record<string, unknown>;
  /** Status the room owner gets. */
  ok: number;
}

const AUTH = { detail: 'Invalid or missing authentication token' };
const ADMIN = { detail: 'This action requires admin privileges.' };
const ROOM403 = { detail: 'You do not have access to this room' };

describe.runIf(await databaseAvailable())('room route access', () => {
  let t: TestServer;
  let admin: string;
  let owner: string;
  let stranger: string;
  let guestRoomId: number;
  let agentId: number;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    owner = await t.login('guest');
    stranger = await t.login('guest');
    guestRoomId = (await createRoom(t, owner, uniqueName('Guest room'))).id;
    agentId = (await agentByName(t, admin, 'Juniper')).id;
  });
  afterAll(async () => t?.close());

  const ownerRoutes = (): [string, RouteCase][] => [
    ['GET room', { method: 'GET', path: (id) => `/rooms/${id}`, ok: 200 }],
    ['PATCH room', { method: 'PATCH', path: (id) => `/rooms/${id}`, payload: {}, ok: 200 }],
    // Resume before pause: the room stays paused, so the send below starts no run that changes it during later tests.
    ['resume', { method: 'POST', path: (id) => `/rooms/${id}/resume`, ok: 200 }],
    ['pause', { method: 'POST', path: (id) => `/rooms/${id}/pause`, ok: 200 }],
    ['mark-read', { method: 'POST', path: (id) => `/rooms/${id}/mark-read`, ok: 200 }],
    ['export', { method: 'GET', path: (id) => `/rooms/${id}/export`, ok: 200 }],
    ['members', { method: 'GET', path: (id) => `/rooms/${id}/agents`, ok: 200 }],
    ['add member', { method: 'POST', path: (id) => `/rooms/${id}/agents/${agentId}`, ok: 200 }],
    ['messages', { method: 'GET', path: (id) => `/rooms/${id}/messages`, ok: 200 }],
    ['poll', { method: 'GET', path: (id) => `/rooms/${id}/messages/poll?since_id=0`, ok: 200 }],
    ['send', { method: 'POST', path: (id) => `/rooms/${id}/messages/send`, payload: { content: 'hi' }, ok: 200 }],
    ['delete message', { method: 'DELETE', path: (id) => `/rooms/${id}/messages/999999`, ok: 404 }],
    ['critic messages', { method: 'GET', path: (id) => `/rooms/${id}/critic-messages`, ok: 200 }],
  ];
  const adminRoutes = (): [string, RouteCase][] => [
    ['clear messages', { method: 'DELETE', path: (id) => `/rooms/${id}/messages`, ok: 200 }],
    ['remove member', { method: 'DELETE', path: (id) => `/rooms/${id}/agents/${agentId}`, ok: 200 }],
    ['delete room', { method: 'DELETE', path: (id) => `/rooms/${id}`, ok: 200 }],
  ];

  const call = (route: RouteCase, roomId: number, token?: string) =>
    t.request({ method: route.method, url: route.path(roomId), token, ...(route.payload ? { payload: route.payload } : {}) });

  it('answers 401 on every room route without a credential', async () => {
    for (const [name, route] of [...ownerRoutes(), ...adminRoutes()]) {
      const response = await call(route, guestRoomId);
      expect(response.statusCode, name).toBe(401);
      expect(response.json(), name).toEqual(AUTH);
    }
    for (const [method, url] of [['GET', '/rooms'], ['POST', '/rooms']] as const) {
      expect((await t.request({ method, url, payload: { name: 'x' } })).json()).toEqual(AUTH);
    }
  });

  it('lets the owning guest use every owner route of the room', async () => {
    for (const [name, route] of ownerRoutes()) {
      expect((await call(route, guestRoomId, owner)).statusCode, name).toBe(route.ok);
    }
  });

  it('answers ROOM403 to another guest on every owner route, and changes nothing', async () => {
    const before = (await t.request({ method: 'GET', url: `/rooms/${guestRoomId}`, token: owner })).json();
    for (const [name, route] of ownerRoutes()) {
      const response = await call(route, guestRoomId, stranger);
      expect(response.statusCode, name).toBe(403);
      expect(response.json(), name).toEqual(ROOM403);
    }
    expect((await t.request({ method: 'GET', url: `/rooms/${guestRoomId}`, token: owner })).json()).toEqual(before);
  });

  it('answers ROOM404 to a guest on every owner route of a missing room', async () => {
    for (const [name, route] of ownerRoutes()) {
      const response = await call(route, 999999, stranger);
      expect(response.statusCode, name).toBe(404);
      expect(response.json(), name).toEqual({ detail: 'Room with id 999999 not found' });
    }
  });

  it('lets the admin use every owner route of a guest’s room', async () => {
    for (const [name, route] of ownerRoutes()) {
      expect((await call(route, guestRoomId, admin)).statusCode, name).toBe(route.ok);
    }
  });

  it('answers ADMIN to guests on admin routes, for their own, foreign and missing rooms', async () => {
    for (const [name, route] of adminRoutes()) {
      for (const [token, roomId] of [
        [owner, guestRoomId],
        [stranger, guestRoomId],
        [owner, 999999],
      ] as const) {
        const response = await call(route, roomId, token);
        expect(response.statusCode, name).toBe(403);
        expect(response.json(), name).toEqual(ADMIN);
      }
    }
    expect((await t.request({ method: 'GET', url: `/rooms/${guestRoomId}`, token: owner })).statusCode).toBe(200);
  });

  it('lets the admin use the admin routes on a guest’s room', async () => {
    const roomId = (await createRoom(t, owner, uniqueName('Admin target'))).id;
    await t.request({ method: 'POST', url: `/rooms/${roomId}/agents/${agentId}`, token: owner });
    for (const [name, route] of adminRoutes()) {
      expect((await call(route, roomId, admin)).statusCode, name).toBe(route.ok);
    }
  });

  it('reports validation errors before the room access check', async () => {
    const [issue] = validationIssues(
      await t.request({ method: 'PATCH', url: `/rooms/${guestRoomId}`, token: stranger, payload: { name: '' } }),
    );
    expect(issue).toMatchObject({ loc: ['body', 'name'] });
    const [query] = validationIssues(
      await t.request({ method: 'GET', url: `/rooms/${guestRoomId}/messages/poll?since_id=x`, token: stranger }),
    );
    expect(query).toMatchObject({ loc: ['query', 'since_id'] });
  });

  it('serves the same answers under /api', async () => {
    for (const url of [`/rooms/${guestRoomId}`, `/rooms/${guestRoomId}/messages`, '/rooms']) {
      const root = await t.request({ method: 'GET', url, token: owner });
      const prefixed = await t.request({ method: 'GET', url: `/api${url}`, token: owner });
      expect(prefixed.statusCode, url).toBe(root.statusCode);
      expect(prefixed.json(), url).toEqual(root.json());
    }
    expect((await t.request({ method: 'GET', url: `/api/rooms/${guestRoomId}`, token: stranger })).json()).toEqual(ROOM403);
  });
});
