import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { databaseAvailable } from '../helpers/test-database.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server.js';

const LIMIT_DETAIL = 'Rate limit exceeded: 20 per 1 minute';

function attempt(
  t: TestServer,
  { ip, forwardedFor, password = 'wrong-password', url = '/auth/login' }: { ip: string; forwardedFor?: string; password?: string; url?: string },
): Promise<LightMyRequestResponse> {
  return t.request({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: { password },
  });
}

async function exhaust(t: TestServer, ip: string, forwardedFor?: (n: number) => string): Promise<LightMyRequestResponse[]> {
  const responses: LightMyRequestResponse[] = [];
  for (let n = 0; n < 20; n += 1) responses.push(await attempt(t, { ip, forwardedFor: forwardedFor?.(n) }));
  return responses;
}

describe.runIf(await databaseAvailable())('login rate limit without TRUST_PROXY', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('answers the 21st attempt from one IP with 429, the detail, the error key and Retry-After', async () => {
    const first20 = await exhaust(t, '10.0.0.1');
    expect(first20.map((r) => r.statusCode)).toEqual(Array(20).fill(401));
    const response = await attempt(t, { ip: '10.0.0.1', password: ADMIN_PASSWORD });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ detail: LIMIT_DETAIL, error: LIMIT_DETAIL });
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers['x-ratelimit-limit']).toBe('20');
    expect(response.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(response.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
  });

  it('sends the X-RateLimit headers on allowed attempts, counting down', async () => {
    const first = await attempt(t, { ip: '10.0.0.2', password: ADMIN_PASSWORD });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('20');
    expect(first.headers['x-ratelimit-remaining']).toBe('19');
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    const second = await attempt(t, { ip: '10.0.0.2' });
    expect(second.headers['x-ratelimit-remaining']).toBe('18');
  });

  it('counts per client IP', async () => {
    await exhaust(t, '10.0.0.3');
    expect((await attempt(t, { ip: '10.0.0.3' })).statusCode).toBe(429);
    expect((await attempt(t, { ip: '10.0.0.4', password: ADMIN_PASSWORD })).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For, so changing it does not reset the counter', async () => {
    const first20 = await exhaust(t, '10.0.0.5', (n) => `203.0.113.${n}`);
    expect(first20.every((r) => r.statusCode === 401)).toBe(true);
    const response = await attempt(t, { ip: '10.0.0.5', forwardedFor: '198.51.100.99', password: ADMIN_PASSWORD });
    expect(response.statusCode).toBe(429);
  });

  it('shares one counter between /auth/login and /api/auth/login', async () => {
    for (let n = 0; n < 10; n += 1) await attempt(t, { ip: '10.0.0.6' });
    for (let n = 0; n < 10; n += 1) await attempt(t, { ip: '10.0.0.6', url: '/api/auth/login' });
    expect((await attempt(t, { ip: '10.0.0.6' })).statusCode).toBe(429);
    expect((await attempt(t, { ip: '10.0.0.6', url: '/api/auth/login' })).statusCode).toBe(429);
  });

  it('does not limit routes outside the table', async () => {
    const token = await t.login('admin');
    for (let n = 0; n < 25; n += 1) {
      const response = await t.request({ method: 'GET', url: '/rooms', token, remoteAddress: '10.0.0.7' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe.runIf(await databaseAvailable())('login rate limit behind proxies trusted with TRUST_PROXY=true', () => {
  let t: TestServer;
  let clock = Date.parse('2026-01-05T09:30:00.000Z');
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { TRUST_PROXY: 'true' }, now: () => new Date(clock) });
  });
  afterAll(async () => t?.close());

  it('gives each forwarded client address its own counter', async () => {
    await exhaust(t, '10.1.0.1', () => '203.0.113.10');
    expect((await attempt(t, { ip: '10.1.0.1', forwardedFor: '203.0.113.10' })).statusCode).toBe(429);
    const other = await attempt(t, { ip: '10.1.0.1', forwardedFor: '203.0.113.11', password: ADMIN_PASSWORD });
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('19');
  });

  it('opens a new window 60 s after the first request of the last one', async () => {
    await exhaust(t, '10.1.0.2', () => '203.0.113.20');
    clock += 59_000;
    const blocked = await attempt(t, { ip: '10.1.0.2', forwardedFor: '203.0.113.20' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('1');
    clock += 1_000;
    const allowed = await attempt(t, { ip: '10.1.0.2', forwardedFor: '203.0.113.20', password: ADMIN_PASSWORD });
    expect(allowed.statusCode).toBe(200);
  });

  it('marks the cookie Secure when a trusted proxy says the request was HTTPS (COOKIE_SECURE=auto)', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: '10.1.0.3',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { password: ADMIN_PASSWORD },
    });
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
  });
});

describe.runIf(await databaseAvailable())('requests through one trusted proxy hop (TRUST_PROXY=1)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => t?.close());

  it('counts by the address the nearest proxy saw, whatever the client claims before it', async () => {
    await exhaust(t, '10.2.0.1', (n) => `198.51.100.${n}, 203.0.113.30`);
    const blocked = await attempt(t, { ip: '10.2.0.1', forwardedFor: '198.51.100.99, 203.0.113.30' });
    expect(blocked.statusCode).toBe(429);
    const other = await attempt(t, { ip: '10.2.0.1', forwardedFor: '198.51.100.1, 203.0.113.31', password: ADMIN_PASSWORD });
    expect(other.statusCode).toBe(200);
  });

  it('compares a cookie request Origin with the forwarded host', async () => {
    const token = (await attempt(t, { ip: '10.2.0.2', password: ADMIN_PASSWORD })).json().api_key;
    const create = (name: string, headers: Record<string, string>) =>
      t.request({
        method: 'POST',
        url: '/rooms',
        headers: { cookie: `chitchats_token=${token}`, host: 'internal:8000', ...headers },
        payload: { name },
      });
    const forwarded = await create('Forwarded host', { 'x-forwarded-host': 'chat.example', origin: 'https://chat.example' });
    expect(forwarded.statusCode).toBe(200);
    const internal = await create('Internal host', { 'x-forwarded-host': 'chat.example', origin: 'http://internal:8000' });
    expect(internal.statusCode).toBe(403);
  });
});

describe.runIf(await databaseAvailable())('login without a rate limit (RATE_LIMIT_LOGIN=0)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { RATE_LIMIT_LOGIN: '0' } });
  });
  afterAll(async () => t?.close());

  it('never answers 429 and sends no X-RateLimit headers', async () => {
    const responses = await exhaust(t, '10.3.0.1');
    const more = await attempt(t, { ip: '10.3.0.1', password: ADMIN_PASSWORD });
    expect(more.statusCode).toBe(200);
    expect(more.headers['x-ratelimit-limit']).toBeUndefined();
    expect(responses.every((r) => r.statusCode === 401)).toBe(true);
  });
});
