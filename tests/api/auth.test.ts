import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { ADMIN_PASSWORD, GUEST_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server.js';

describe.runIf(await databaseAvailable())('POST /auth/login', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('logs the admin in with a JWT, a cookie and the exact message', async () => {
    const response = await t.request({ method: 'POST', url: '/auth/login', payload: { password: ADMIN_PASSWORD } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ success: true, role: 'admin', user_id: 'admin', message: 'Login successful as admin' });
    const claims = decodeJwt(body.api_key);
    expect(claims).toMatchObject({ sub: 'admin', user_id: 'admin', role: 'admin', type: 'access_token' });
    expect(claims.exp! - claims.iat!).toBe(604_800);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain('chitchats_token=');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Max-Age=604800');
  });

  it('rejects a wrong password with 401 Invalid password', async () => {
    const response = await t.request({ method: 'POST', url: '/auth/login', payload: { password: 'nope' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Invalid password' });
  });

  it('answers 400 for bodies that are not JSON objects or lack a password', async () => {
    for (const [payload, detail] of [
      ['not json', 'Invalid request body'],
      ['[1]', 'Invalid request body'],
      ['{}', 'Password is required'],
      ['{"password": ""}', 'Password is required'],
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
    const first = (await t.request({ method: 'POST', url: '/auth/login', payload: { password: GUEST_PASSWORD } })).json();
    const second = (await t.request({ method: 'POST', url: '/auth/login', payload: { password: GUEST_PASSWORD } })).json();
    expect(first.role).toBe('guest');
    expect(first.user_id).toMatch(/^guest-[0-9a-f]{12}$/);
    expect(second.user_id).not.toBe(first.user_id);
  });
});
