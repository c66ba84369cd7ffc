import { decodeJwt, SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { ADMIN_PASSWORD, JWT_SECRET, startTestServer, type TestServer } from '../helpers/test-server.js';

const AUTH_BODY = { detail: 'Invalid or missing authentication token' };

async function signToken(claims: Record<string, unknown>, { secret = JWT_SECRET, iat, exp }: { secret?: string; iat?: number; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat ?? now)
    .setExpirationTime(exp ?? now + 3600)
    .sign(new TextEncoder().encode(secret));
}

function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

function tokenCookieOf(setCookie: unknown): string {
  const match = /chitchats_token=([^;]*)/.exec(String(setCookie));
  if (!match) throw new Error(`no token cookie in ${String(setCookie)}`);
  return match[1]!;
}

describe.runIf(await databaseAvailable())('presenting a credential', () => {
  let t: TestServer;
  let adminToken: string;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
    adminToken = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('answers GET /rooms without a credential with the exact 401 body and WWW-Authenticate', async () => {
    const response = await t.request({ method: 'GET', url: '/rooms' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_BODY);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="chitchats"');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('issues a token with sub, user_id, role, type, iat and a 7-day exp', async () => {
    const claims = decodeJwt(adminToken);
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'role', 'sub', 'type', 'user_id']);
    expect(claims).toMatchObject({ sub: 'admin', user_id: 'admin', role: 'admin', type: 'access_token' });
    expect(claims.exp).toBe(claims.iat! + 604_800);
  });

  it('accepts the token in X-API-Key, in X-API-Key with a Bearer prefix, and as Authorization: Bearer', async () => {
    for (const headers of [
      { 'x-api-key': adminToken },
      { 'x-api-key': `Bearer ${adminToken}` },
      { authorization: `Bearer ${adminToken}` },
    ]) {
      const response = await t.request({ method: 'GET', url: '/rooms', headers });
      expect(response.statusCode, JSON.stringify(Object.keys(headers))).toBe(200);
      expect(response.json()).toEqual([]);
    }
  });

  it('reports the role and user id of either header on /auth/verify', async () => {
    const guestToken = await t.login('guest');
    const guestId = decodeJwt(guestToken).user_id;
    const byApiKey = await t.request({ method: 'GET', url: '/auth/verify', headers: { 'x-api-key': guestToken } });
    const byBearer = await t.request({ method: 'GET', url: '/auth/verify', headers: { authorization: `Bearer ${adminToken}` } });
    expect(byApiKey.json()).toMatchObject({ success: true, role: 'guest', user_id: guestId });
    expect(byBearer.json()).toMatchObject({ success: true, role: 'admin', user_id: 'admin' });
  });

  it('sets an HttpOnly SameSite=Lax cookie that alone authenticates GET /rooms', async () => {
    const login = await t.request({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^chitchats_token=[^;]+; /);
    for (const flag of ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=604800']) expect(setCookie).toContain(flag);
    expect(setCookie).not.toContain('Secure');
    const token = tokenCookieOf(setCookie);
    expect(token).toBe(login.json().api_key);
    const rooms = await t.request({ method: 'GET', url: '/rooms', headers: { cookie: `theme=dark; chitchats_token=${token}` } });
    expect(rooms.statusCode).toBe(200);
  });

  it('ignores X-Forwarded-Proto for the Secure flag when no proxy is trusted', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { password: ADMIN_PASSWORD },
    });
    expect(String(login.headers['set-cookie'])).not.toContain('Secure');
  });

  it('expires the cookie on logout with the same name, path and flags', async () => {
    const response = await t.request({ method: 'POST', url: '/auth/logout', headers: { cookie: `chitchats_token=${adminToken}` } });
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^chitchats_token=; /);
    for (const flag of ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0']) expect(setCookie).toContain(flag);
  });

  it('rejects an expired token, a token signed with another secret and an alg none token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'admin', user_id: 'admin', role: 'admin', type: 'access_token' };
    const tokens = {
      expired: await signToken(claims, { iat: now - 7200, exp: now - 60 }),
      otherSecret: await signToken(claims, { secret: 'another-secret-that-is-long-enough-0123456789' }),
      algNone: unsignedToken({ ...claims, iat: now, exp: now + 3600 }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      for (const headers of [{ 'x-api-key': token }, { authorization: `Bearer ${token}` }, { cookie: `chitchats_token=${token}` }]) {
        const response = await t.request({ method: 'GET', url: '/rooms', headers });
        expect(response.statusCode, `${name} ${Object.keys(headers)[0]}`).toBe(401);
        expect(response.json()).toEqual(AUTH_BODY);
      }
    }
  });

  it('rejects tokens of another type or with an unknown role', async () => {
    for (const claims of [
      { sub: 'admin', role: 'admin', type: 'refresh_token' },
      { sub: 'admin', role: 'superuser', type: 'access_token' },
    ]) {
      const response = await t.request({ method: 'GET', url: '/rooms', token: await signToken(claims) });
      expect(response.statusCode, JSON.stringify(claims)).toBe(401);
    }
  });

  it('treats a token of the original API without role or user_id as the admin named by sub', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/verify', token: await signToken({ sub: 'admin' }) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'admin', user_id: 'admin' });
    const guest = await t.request({ method: 'GET', url: '/auth/verify', token: await signToken({ role: 'guest' }) });
    expect(guest.json()).toMatchObject({ role: 'guest', user_id: 'guest' });
  });

  it('answers 401 to an invalid X-API-Key even when a valid cookie or bearer is also sent', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/rooms',
      headers: { 'x-api-key': 'not-a-jwt', authorization: `Bearer ${adminToken}`, cookie: `chitchats_token=${adminToken}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_BODY);
  });

  it('answers 401 to an invalid bearer even when a valid cookie is also sent', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/rooms',
      headers: { authorization: 'Bearer not-a-jwt', cookie: `chitchats_token=${adminToken}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers /auth/health/pool with 401 anonymously, 403 ADMIN to a guest and pool statistics to an admin', async () => {
    const guestToken = await t.login('guest');
    const anonymous = await t.request({ method: 'GET', url: '/auth/health/pool' });
    expect(anonymous.statusCode).toBe(401);
    const guest = await t.request({ method: 'GET', url: '/auth/health/pool', token: guestToken });
    expect(guest.statusCode).toBe(403);
    expect(guest.json()).toEqual({ detail: 'This action requires admin privileges.' });
    const admin = await t.request({ method: 'GET', url: '/auth/health/pool', token: adminToken });
    expect(admin.statusCode).toBe(200);
    expect(Object.keys(admin.json()).sort()).toEqual([
      'active_clients',
      'connection_semaphore_available',
      'max_concurrent_connections',
      'pending_cleanup_tasks',
      'pool_keys',
      'pool_size',
      'providers',
    ]);
  });

  it('ignores a credential on public routes, even an invalid one', async () => {
    const response = await t.request({ method: 'GET', url: '/health', token: 'garbage' });
    expect(response.statusCode).toBe(200);
    const login = await t.request({ method: 'POST', url: '/auth/login', token: 'garbage', payload: { password: ADMIN_PASSWORD } });
    expect(login.statusCode).toBe(200);
  });
});

describe.runIf(await databaseAvailable())('token lifetime from JWT_TTL_HOURS and COOKIE_SECURE=true', () => {
  let t: TestServer;
  let clock = Date.parse('2026-01-05T09:30:00.000Z');
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { JWT_TTL_HOURS: '2', COOKIE_SECURE: 'true' }, now: () => new Date(clock) });
  });
  afterAll(async () => t?.close());

  it('issues tokens and cookies that live JWT_TTL_HOURS, marked Secure', async () => {
    const login = await t.request({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } });
    const claims = decodeJwt(login.json().api_key);
    expect(claims.iat).toBe(Math.floor(clock / 1000));
    expect(claims.exp).toBe(claims.iat! + 7200);
    expect(login.json().expires_at).toBe('2026-01-05T11:30:00.000Z');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toContain('Max-Age=7200');
    expect(setCookie).toContain('Secure');
    const logout = await t.request({ method: 'POST', url: '/auth/logout' });
    expect(String(logout.headers['set-cookie'])).toContain('Secure');
  });

  it('stops accepting a token once the clock passes its exp', async () => {
    const token = (await t.request({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } })).json().api_key;
    expect((await t.request({ method: 'GET', url: '/rooms', token })).statusCode).toBe(200);
    clock += 7200_000 - 1000;
    expect((await t.request({ method: 'GET', url: '/rooms', token })).statusCode).toBe(200);
    clock += 1000;
    expect((await t.request({ method: 'GET', url: '/rooms', token })).statusCode).toBe(401);
  });
});
