import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, isRetryable, onApiEvent, type ApiEvent } from '../../src/web/lib/api';
import { stubFetch } from './helpers';

describe('API client', () => {
  const events: ApiEvent[] = [];
  const stop = onApiEvent((event) => events.push(event));
  afterEach(() => {
    events.length = 0;
  });

  it('calls /api on the same origin with JSON and the cookie', async () => {
    const { calls } = stubFetch({ 'POST /api/rooms': { body: { id: 1 } } });
    await expect(apiRequest('/rooms', { method: 'POST', body: { name: 'A' }, query: { x: 1, y: undefined } })).resolves.toEqual({ id: 1 });
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/rooms?x=1', body: { name: 'A' } });
    expect(calls[0]?.init.credentials).toBe('same-origin');
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get('accept')).toBe('application/json');
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('maps a 422 detail list to fields by the last element of loc', async () => {
    stubFetch({
      'POST /api/rooms': {
        status: 422,
        body: { detail: [{ type: 'string_too_long', loc: ['body', 'name'], msg: 'Too long' }, { type: 'enum', loc: ['body', 'provider'], msg: 'Bad provider' }] },
      },
    });
    const error = await apiRequest('/rooms', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, detail: 'Too long', fields: { name: 'Too long', provider: 'Bad provider' } });
  });

  it('reports 401 as session expiry unless the caller owns it, and reads Retry-After on 429', async () => {
    stubFetch({
      'GET /api/rooms': { status: 401, body: { detail: 'Not authenticated' } },
      'GET /api/auth/verify': { status: 401, body: { detail: 'Not authenticated' } },
      'POST /api/rooms/1/messages/send': { status: 429, body: { detail: 'Rate limit exceeded' }, headers: { 'Retry-After': '7' } },
    });
    await expect(apiRequest('/rooms')).rejects.toMatchObject({ status: 401 });
    await expect(apiRequest('/auth/verify', { ownsUnauthorized: true })).rejects.toMatchObject({ status: 401 });
    await expect(apiRequest('/rooms/1/messages/send', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 429, retryAfter: 7 });
    expect(events.map((event) => `${event.type} ${event.path}`)).toEqual(['unauthorized /rooms', 'rate-limited /rooms/1/messages/send']);
  });

  it('turns network failures and timeouts into status 0 errors, and keeps the caller\'s abort an AbortError', async () => {
    const fetch = vi.fn((_url: string, init: RequestInit) => new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
    }));
    vi.stubGlobal('fetch', fetch);
    await expect(apiRequest('/rooms', { timeoutMs: 10 })).rejects.toMatchObject({ status: 0, kind: 'timeout' });
    const controller = new AbortController();
    const pending = apiRequest('/rooms', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    fetch.mockImplementation(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(apiRequest('/rooms')).rejects.toMatchObject({ status: 0, kind: 'network' });
    expect(events.map((event) => event.type)).toEqual(['network-error', 'network-error']);
  });

  it('retries GETs only for network errors and 5xx', () => {
    expect(isRetryable(new ApiError(0, 'x', {}, 'network'))).toBe(true);
    expect(isRetryable(new ApiError(503, 'x'))).toBe(true);
    expect(isRetryable(new ApiError(404, 'x'))).toBe(false);
    expect(isRetryable(new ApiError(429, 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
    stop();
  });
});
