import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe.runIf(await databaseAvailable())('GET /health and GET /ready', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  // The steps below run in order on one server: ready, then the database goes away, then shutdown begins.
  it('answers /ready with 200 ready once startup has completed and the database answers', async () => {
    const response = await t.request({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    const head = await t.request({ method: 'HEAD', url: '/api/ready' });
    expect(head.statusCode).toBe(200);
  });

  it('answers /ready with 503 Database unreachable when the database is down, while /health stays 200', async () => {
    await t.server.database.close();
    const response = await t.request({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', database: 'unreachable', detail: 'Database unreachable' });
    const health = await t.request({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('answers a protected route with 500 Internal server error and no internals when the database is down', async () => {
    const token = await t.login('admin');
    const response = await t.request({ method: 'GET', url: '/rooms', token });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ detail: 'Internal server error' });
  });

  it('answers /ready with 503 Shutting down once shutdown has begun', async () => {
    t.server.beginShutdown();
    const response = await t.request({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', database: 'unreachable', detail: 'Shutting down' });
    expect((await t.request({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe.runIf(await databaseAvailable())('GET /ready during shutdown with a reachable database', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('reports the database as ok and the detail Shutting down', async () => {
    t.server.beginShutdown();
    const response = await t.request({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', database: 'ok', detail: 'Shutting down' });
  });
});
