import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_BODY_BYTES = 4096;

describe.runIf(await databaseAvailable())('HTTP conventions', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
    token = await t.login('admin');
  });
  afterAll(async () => t?.close());

  function createRoom(payload: string, contentType = 'application/json') {
    return t.request({ method: 'POST', url: '/rooms', token, headers: { 'content-type': contentType }, payload });
  }

  describe('X-Request-Id', () => {
    it('echoes a valid inbound request id', async () => {
      const id = 'req-1.A_b';
      const response = await t.request({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
      expect(response.headers['x-request-id']).toBe(id);
    });

    it('replaces an invalid or missing request id with a UUID, on errors too', async () => {
      for (const headers of [{ 'x-request-id': 'has spaces' }, { 'x-request-id': 'x'.repeat(129) }, {}]) {
        const response = await t.request({ method: 'GET', url: '/rooms', headers });
        expect(response.statusCode).toBe(401);
        expect(String(response.headers['x-request-id'])).toMatch(UUID);
      }
    });
  });

  describe('paths and methods', () => {
    it('ignores a trailing slash without redirecting', async () => {
      for (const url of ['/rooms/', '/api/rooms/', '/health/']) {
        const response = await t.request({ method: 'GET', url, token });
        expect(response.statusCode, url).toBe(200);
      }
    });

    it('answers HEAD on GET routes with the headers and no body', async () => {
      const response = await t.request({ method: 'HEAD', url: '/rooms', token });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect((await t.request({ method: 'HEAD', url: '/rooms' })).statusCode).toBe(401);
    });

    it('routes a path parameter as long as a percent-encoded agent name of the longest allowed length', async () => {
      const name = encodeURIComponent('가'.repeat(64));
      expect(name.length).toBe(576);
      const response = await t.request({ method: 'GET', url: `/agents/${name}/profile-pic` });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Profile picture not found' });
    });

    it('marks JSON responses no-store with a UTF-8 JSON content type', async () => {
      for (const [url, status] of [['/rooms', 200], ['/rooms/999999', 404], ['/rooms/abc', 422]] as const) {
        const response = await t.request({ method: 'GET', url, token });
        expect(response.statusCode).toBe(status);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-store');
      }
      const unauthorized = await t.request({ method: 'GET', url: '/rooms' });
      expect(unauthorized.headers['cache-control']).toBe('no-store');
    });
  });

  describe('path ids', () => {
    it('answers a non-integer room id with 422 at loc ["path", "room_id"]', async () => {
      for (const id of ['abc', '1.5', '1e3']) {
        const response = await t.request({ method: 'GET', url: `/rooms/${id}`, token });
        expect(response.statusCode, id).toBe(422);
        const [issue] = response.json().detail;
        expect(issue).toMatchObject({ type: 'int_parsing', loc: ['path', 'room_id'], input: id });
      }
    });

    it('answers ids that match no row, including 0, negatives and values beyond int4, with the room 404', async () => {
      for (const id of ['999999', '0', '-5', '99999999999']) {
        const response = await t.request({ method: 'GET', url: `/rooms/${id}`, token });
        expect(response.statusCode, id).toBe(404);
        expect(response.json()).toEqual({ detail: `Room with id ${id} not found` });
      }
    });

    it('validates the body before looking for the room', async () => {
      const response = await t.request({ method: 'PATCH', url: '/rooms/999999', token, payload: { max_interactions: -1 } });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'greater_than_equal', loc: ['body', 'max_interactions'], input: -1 });
    });

    it('reports path errors before body errors, together', async () => {
      const response = await t.request({ method: 'PATCH', url: '/rooms/abc', token, payload: { max_interactions: 'many' } });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail.map((issue: { loc: unknown[] }) => issue.loc)).toEqual([
        ['path', 'room_id'],
        ['body', 'max_interactions'],
      ]);
    });
  });

  describe('request bodies', () => {
    it('answers malformed JSON with 422 json_invalid at the character offset of the error', async () => {
      for (const [payload, offset] of [
        ['{"name": }', 9],
        ['{"name" "A"}', 8],
        ['{"name": "Ä", x}', 14],
        ['not json', 0],
        ['{"name": "A"', 12],
        ['{"name": "A"} extra', 14],
      ] as const) {
        const response = await createRoom(payload);
        expect(response.statusCode, payload).toBe(422);
        const { detail } = response.json();
        expect(detail, payload).toHaveLength(1);
        expect(detail[0], payload).toMatchObject({ type: 'json_invalid', loc: ['body', offset] });
      }
    });

    it('answers a body that is not a JSON object with 422 model_attributes_type at loc ["body"]', async () => {
      for (const payload of ['[1, 2]', '"A"', '42', 'null']) {
        const response = await createRoom(payload);
        expect(response.statusCode, payload).toBe(422);
        expect(response.json().detail[0], payload).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
      }
    });

    it('answers a body with a non-JSON content type with 415 Unsupported media type', async () => {
      const response = await createRoom('name=A', 'text/plain');
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({ detail: 'Unsupported media type' });
      const form = await createRoom('name=A', 'application/x-www-form-urlencoded');
      expect(form.statusCode).toBe(415);
    });

    it('accepts JSON with a charset parameter or a +json media type', async () => {
      expect((await createRoom('{"name": "Charset"}', 'application/json; charset=utf-8')).statusCode).toBe(200);
      expect((await createRoom('{"name": "Vendor"}', 'application/vnd.api+json')).statusCode).toBe(200);
    });

    it('reads a body without any Content-Type as JSON, as the original API did', async () => {
      const response = await t.request({ method: 'POST', url: '/rooms', token, payload: '{"name": "Untyped"}' });
      expect(response.statusCode).toBe(200);
      expect(response.json().name).toBe('Untyped');
    });

    it('treats an empty body as absent whatever its content type', async () => {
      const response = await t.request({ method: 'POST', url: '/rooms', token, headers: { 'content-type': 'text/plain' }, payload: '' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'name'] });
    });

    it('ignores the body of a route without request fields', async () => {
      const room = (await createRoom('{"name": "Ignored body"}')).json();
      const response = await t.request({
        method: 'POST',
        url: `/rooms/${room.id}/pause`,
        token,
        headers: { 'content-type': 'text/plain' },
        payload: 'anything at all',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().is_paused).toBe(true);
    });

    it('answers a body larger than MAX_BODY_BYTES with 413, judged by Content-Length before authentication', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
      const authenticated = await createRoom(big);
      expect(authenticated.statusCode).toBe(413);
      expect(authenticated.json()).toEqual({ detail: 'Request body too large' });
      const anonymous = await t.request({ method: 'POST', url: '/rooms', headers: { 'content-type': 'application/json' }, payload: big });
      expect(anonymous.statusCode).toBe(413);
      const login = await t.request({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json' }, payload: big });
      expect(login.statusCode).toBe(413);
    });

    it('answers a chunked body that grows beyond MAX_BODY_BYTES with 413', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/rooms',
        token,
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        payload: Readable.from([Buffer.from('{"name": "'), Buffer.from('x'.repeat(MAX_BODY_BYTES)), Buffer.from('"}')]),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ detail: 'Request body too large' });
    });

    it('answers a body shorter than its Content-Length with 400 in the usual error shape', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/rooms',
        token,
        headers: { 'content-type': 'application/json', 'content-length': '40' },
        payload: '{"name": "Short"}',
      });
      expect(response.statusCode).toBe(400);
      expect(Object.keys(response.json())).toEqual(['detail']);
    });

    it('keeps the CORS headers on a 413', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/rooms',
        token,
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        payload: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }),
      });
      expect(response.statusCode).toBe(413);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    });
  });
});
