import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { ADMIN_HASH, ADMIN_PASSWORD, GUEST_HASH, GUEST_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server.js';

function login(t: TestServer, password: unknown, remoteAddress?: string) {
  return t.request({ method: 'POST', url: '/auth/login', payload: { password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

describe.runIf(await databaseAvailable())('POST /auth/login', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('logs the admin in with a JWT, a cookie and the exact message', async () => {
    const response = await login(t, ADMIN_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ success: true, role: 'admin', user_id: 'admin', message: 'Login successful as admin' });
    expect(Object.keys(body).sort()).toEqual(['api_key', 'expires_at', 'message', 'role', 'success', 'user_id']);
    const claims = decodeJwt(body.api_key);
    expect(claims).toMatchObject({ sub: 'admin', user_id: 'admin', role: 'admin', type: 'access_token' });
    expect(claims.exp! - claims.iat!).toBe(604_800);
    expect(body.expires_at).toBe(new Date(claims.exp! * 1000).toISOString());
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain('chitchats_token=');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Max-Age=604800');
  });

  it('verifies an argon2id admin hash', async () => {
    expect(ADMIN_HASH.startsWith('$argon2id$')).toBe(true);
    const response = await login(t, ADMIN_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json().role).toBe('admin');
  });

  it('rejects a wrong password with 401 Invalid password', async () => {
    const response = await login(t, 'nope');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid password' });
  });

  it('rejects a password longer than 1,024 code points with 401 Invalid password', async () => {
    const response = await login(t, 'é'.repeat(1025));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid password' });
  });

  it('answers 400 for bodies that are not JSON objects or lack a password', async () => {
    for (const [payload, detail] of [
      ['not json', 'Invalid request body'],
      ['[1]', 'Invalid request body'],
      ['"text"', 'Invalid request body'],
      ['null', 'Invalid request body'],
      ['', 'Invalid request body'],
      ['{}', 'Password is required'],
      ['{"password": ""}', 'Password is required'],
      ['{"password": null}', 'Password is required'],
      ['{"password": 12345}', 'Password is required'],
    ] as const) {
      const response = await t.request({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json()).toEqual({ detail });
    }
  });

  it('gives each guest login a fresh guest id', async () => {
    const first = await login(t, GUEST_PASSWORD);
    const second = await login(t, GUEST_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ success: true, role: 'guest', message: 'Login successful as guest' });
    expect(first.json().user_id).toMatch(/^guest-[0-9a-f]{12}$/);
    expect(second.json().user_id).toMatch(/^guest-[0-9a-f]{12}$/);
    expect(second.json().user_id).not.toBe(first.json().user_id);
    expect(decodeJwt(first.json().api_key)).toMatchObject({ sub: first.json().user_id, role: 'guest' });
  });

  it('is served under /api as well', async () => {
    const response = await t.request({ method: 'POST', url: '/api/auth/login', payload: { password: ADMIN_PASSWORD } });
    expect(response.statusCode).toBe(200);
    expect(response.json().role).toBe('admin');
  });
});

describe.runIf(await databaseAvailable())('auth status and health', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('reports on /auth/status without a credential that the password is not generated and guests may log in', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/status' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ password_generated: false, guest_enabled: true });
  });

  it('answers /auth/health without a credential', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'healthy' });
  });

  it('describes the presented credential on /auth/verify', async () => {
    const token = await t.login('guest');
    const claims = decodeJwt(token);
    const response = await t.request({ method: 'GET', url: '/auth/verify', token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      message: 'Authentication valid',
      role: 'guest',
      user_id: claims.user_id,
      expires_at: new Date(claims.exp! * 1000).toISOString(),
    });
  });

  it('refuses /auth/verify without a credential', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/verify' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid or missing authentication token' });
  });

  it('answers POST /auth/logout without a credential', async () => {
    const response = await t.request({ method: 'POST', url: '/auth/logout' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, message: 'Logged out' });
  });
});

describe.runIf(await databaseAvailable())('login with a bcrypt admin hash that the guest password also matches', () => {
  let t: TestServer;
  beforeAll(async () => {
    // The guest hash doubles as a $2b$ admin hash: one server covers bcrypt verification and the admin-first rule.
    expect(GUEST_HASH.startsWith('$2b$')).toBe(true);
    t = await startTestServer({ agents: 'empty', env: { API_KEY_HASH: GUEST_HASH } });
  });
  afterAll(async () => t?.close());

  it('accepts the password of a bcrypt API_KEY_HASH', async () => {
    const response = await login(t, GUEST_PASSWORD);
    expect(response.statusCode).toBe(200);
  });

  it('logs a password matching both hashes in as admin', async () => {
    const response = await login(t, GUEST_PASSWORD);
    expect(response.json()).toMatchObject({ role: 'admin', user_id: 'admin', message: 'Login successful as admin' });
  });

  it('no longer accepts the password of the argon2 hash it replaced', async () => {
    const response = await login(t, ADMIN_PASSWORD);
    expect(response.statusCode).toBe(401);
  });
});

describe.runIf(await databaseAvailable())('login with ENABLE_GUEST_LOGIN=false', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { ENABLE_GUEST_LOGIN: 'false' } });
  });
  afterAll(async () => t?.close());

  it('rejects the guest password with 401 Invalid password', async () => {
    const response = await login(t, GUEST_PASSWORD);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid password' });
  });

  it('still logs the admin in', async () => {
    const response = await login(t, ADMIN_PASSWORD);
    expect(response.json().role).toBe('admin');
  });

  it('reports guest login as disabled on /auth/status', async () => {
    const response = await t.request({ method: 'GET', url: '/auth/status' });
    expect(response.json()).toEqual({ password_generated: false, guest_enabled: false });
  });
});
