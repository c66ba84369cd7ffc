import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const LAN_ADDRESSES = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .filter((entry) => entry.family === 'IPv4' && !entry.internal)
  .map((entry) => entry.address);
const EXPOSED = 'Content-Disposition, Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

describe.runIf(await databaseAvailable())('CSRF protection of cookie-authenticated requests', () => {
  let t: TestServer;
  let token: string;
  let roomCount = 0;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { FRONTEND_URL: 'https://app.example.com/' } });
    token = await t.login('admin');
  });
  afterAll(async () => t?.close());

  function createRoomWithCookie(headers: Record<string, string>) {
    roomCount += 1;
    return t.request({
      method: 'POST',
      url: '/rooms',
      headers: { cookie: `chitchats_token=${token}`, ...headers },
      payload: { name: `CSRF room ${roomCount}` },
    });
  }

  it('rejects a cookie POST /rooms from a foreign Origin with 403 Cross-site request rejected', async () => {
    const response = await createRoomWithCookie({ origin: 'https://evil.example' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'Cross-site request rejected' });
    const rooms = await t.request({ method: 'GET', url: '/rooms', token });
    expect(rooms.json()).toEqual([]);
  });

  it('rejects Origin: null', async () => {
    expect((await createRoomWithCookie({ origin: 'null' })).statusCode).toBe(403);
  });

  it('falls back to the Referer origin when Origin is absent', async () => {
    expect((await createRoomWithCookie({ referer: 'https://evil.example/page?x=1' })).statusCode).toBe(403);
    expect((await createRoomWithCookie({ host: 'chat.example:8000', referer: 'http://chat.example:8000/rooms/1' })).statusCode).toBe(200);
  });

  it('allows an Origin with the same host and port as Host, whatever the scheme', async () => {
    expect((await createRoomWithCookie({ host: 'chat.example:8000', origin: 'http://chat.example:8000' })).statusCode).toBe(200);
    expect((await createRoomWithCookie({ host: 'chat.example:8000', origin: 'https://chat.example:8000' })).statusCode).toBe(200);
    expect((await createRoomWithCookie({ host: 'chat.example', origin: 'http://chat.example' })).statusCode).toBe(200);
  });

  it('rejects an Origin on the same host but another port', async () => {
    expect((await createRoomWithCookie({ host: 'chat.example:8000', origin: 'http://chat.example:9000' })).statusCode).toBe(403);
  });

  it('allows the default CORS origins and FRONTEND_URL', async () => {
    expect((await createRoomWithCookie({ origin: 'http://localhost:5173' })).statusCode).toBe(200);
    expect((await createRoomWithCookie({ origin: 'https://app.example.com' })).statusCode).toBe(200);
  });

  it.runIf(LAN_ADDRESSES.length > 0)('rejects a LAN origin when CORS_ALLOW_LAN=false', async () => {
    expect((await createRoomWithCookie({ origin: `http://${LAN_ADDRESSES[0]}:5173` })).statusCode).toBe(403);
  });

  it('allows cookie requests that carry neither Origin nor Referer', async () => {
    expect((await createRoomWithCookie({})).statusCode).toBe(200);
  });

  it('does not apply to safe methods or to header credentials', async () => {
    const get = await t.request({
      method: 'GET',
      url: '/rooms',
      headers: { cookie: `chitchats_token=${token}`, origin: 'https://evil.example' },
    });
    expect(get.statusCode).toBe(200);
    const byHeader = await t.request({
      method: 'POST',
      url: '/rooms',
      token,
      headers: { origin: 'https://evil.example' },
      payload: { name: 'Header credential room' },
    });
    expect(byHeader.statusCode).toBe(200);
  });

  it('checks authentication before CSRF, so a foreign request without a valid cookie gets 401', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/rooms',
      headers: { cookie: 'chitchats_token=forged', origin: 'https://evil.example' },
      payload: { name: 'Never' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe.runIf(await databaseAvailable())('CORS', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({
      agents: 'empty',
      env: {
        FRONTEND_URL: 'https://app.example.com/, HTTPS://Other.Example:443',
        VERCEL_URL: 'chitchats-preview.vercel.app',
        CORS_ALLOW_LAN: 'true',
      },
    });
    token = await t.login('admin');
  });
  afterAll(async () => t?.close());

  function expectAllowed(headers: Record<string, unknown>, origin: string) {
    expect(headers['access-control-allow-origin']).toBe(origin);
    expect(headers['access-control-allow-credentials']).toBe('true');
    expect(String(headers.vary)).toContain('Origin');
    expect(headers['access-control-expose-headers']).toBe(EXPOSED);
  }

  function expectNoCors(headers: Record<string, unknown>) {
    expect(Object.keys(headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  }

  it('allows http://localhost:5173 with credentials on a success and on a 401', async () => {
    const ok = await t.request({ method: 'GET', url: '/rooms', token, headers: { origin: 'http://localhost:5173' } });
    expect(ok.statusCode).toBe(200);
    expectAllowed(ok.headers, 'http://localhost:5173');
    const unauthorized = await t.request({ method: 'GET', url: '/rooms', headers: { origin: 'http://localhost:5173' } });
    expect(unauthorized.statusCode).toBe(401);
    expectAllowed(unauthorized.headers, 'http://localhost:5173');
  });

  it('sends no Access-Control headers to a foreign origin, on a success or a 401', async () => {
    const ok = await t.request({ method: 'GET', url: '/rooms', token, headers: { origin: 'https://evil.example' } });
    expect(ok.statusCode).toBe(200);
    expectNoCors(ok.headers);
    const unauthorized = await t.request({ method: 'GET', url: '/rooms', headers: { origin: 'https://evil.example' } });
    expect(unauthorized.statusCode).toBe(401);
    expectNoCors(unauthorized.headers);
  });

  it('normalizes FRONTEND_URL entries: trailing slash, case and default port', async () => {
    for (const origin of ['https://app.example.com', 'https://other.example']) {
      const response = await t.request({ method: 'GET', url: '/health', headers: { origin } });
      expect(response.headers['access-control-allow-origin'], origin).toBe(origin);
    }
  });

  it('allows the other default development origins', async () => {
    for (const origin of ['http://localhost:5174', 'http://127.0.0.1:5173', 'http://127.0.0.1:5174']) {
      const response = await t.request({ method: 'GET', url: '/health', headers: { origin } });
      expect(response.headers['access-control-allow-origin'], origin).toBe(origin);
    }
  });

  it('allows https://<VERCEL_URL> but not its http:// spelling', async () => {
    const origin = 'https://chitchats-preview.vercel.app';
    const response = await t.request({ method: 'GET', url: '/health', headers: { origin } });
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    const plain = await t.request({ method: 'GET', url: '/health', headers: { origin: 'http://chitchats-preview.vercel.app' } });
    expectNoCors(plain.headers);
  });

  it.runIf(LAN_ADDRESSES.length > 0)('allows the host LAN addresses on ports 5173 and 5174 with CORS_ALLOW_LAN=true', async () => {
    for (const address of LAN_ADDRESSES) {
      for (const port of [5173, 5174]) {
        const origin = `http://${address}:${port}`;
        const response = await t.request({ method: 'GET', url: '/health', headers: { origin } });
        expect(response.headers['access-control-allow-origin'], origin).toBe(origin);
      }
      const otherPort = await t.request({ method: 'GET', url: '/health', headers: { origin: `http://${address}:3000` } });
      expectNoCors(otherPort.headers);
    }
  });

  it('carries the CORS headers on 404, 422 and 429 responses too', async () => {
    const origin = 'http://localhost:5173';
    const notFound = await t.request({ method: 'GET', url: '/rooms/999999', token, headers: { origin } });
    expect(notFound.statusCode).toBe(404);
    expectAllowed(notFound.headers, origin);
    const invalid = await t.request({ method: 'GET', url: '/rooms/abc', token, headers: { origin } });
    expect(invalid.statusCode).toBe(422);
    expectAllowed(invalid.headers, origin);
    let last;
    for (let n = 0; n < 21; n += 1) {
      last = await t.request({ method: 'POST', url: '/auth/login', remoteAddress: '10.9.9.9', headers: { origin }, payload: { password: 'x' } });
    }
    expect(last!.statusCode).toBe(429);
    expectAllowed(last!.headers, origin);
  });

  it('answers a preflight from an allowed origin with 204 and the allowed methods, echoed headers and max age', async () => {
    const response = await t.request({
      method: 'OPTIONS',
      url: '/rooms/1/messages/send',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key, content-type, last-event-id, ngrok-skip-browser-warning',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectAllowed(response.headers, 'http://localhost:5173');
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(response.headers['access-control-allow-headers']).toBe('x-api-key, content-type, last-event-id, ngrok-skip-browser-warning');
    expect(response.headers['access-control-max-age']).toBe('600');
  });

  it('answers a preflight under /api and on an unknown path without a credential', async () => {
    for (const url of ['/api/rooms', '/rooms/1/nothing', '/some/ui/path']) {
      const response = await t.request({
        method: 'OPTIONS',
        url,
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
      });
      expect(response.statusCode, url).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    }
  });

  it('answers a preflight from a foreign origin with 204 and no Access-Control headers', async () => {
    const response = await t.request({
      method: 'OPTIONS',
      url: '/rooms',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
    });
    expect(response.statusCode).toBe(204);
    expectNoCors(response.headers);
  });
});
