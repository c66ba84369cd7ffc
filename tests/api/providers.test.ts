import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-chat-server.js';

const API_KEY = 'sk-provider-route-secret-42';
const ADMIN_DETAIL = { detail: 'This action requires admin privileges.' };

describe.runIf(await databaseAvailable())('provider routes with a reachable OpenAI-compatible server', () => {
  let t: TestServer;
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ models: ['llama3.1:8b', 'qwen3:14b'] });
    t = await startTestServer({ agents: 'empty', env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: API_KEY } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('lists the three providers in order, openai available with the server models, and openai as the default', async () => {
    const token = await t.login('guest');
    const response = await t.request({ method: 'GET', url: '/providers', token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      default: 'openai',
      providers: [
        { name: 'claude', available: false, default_model: null, models: [], reason: 'Not supported by this build yet', auth_mode: null },
        { name: 'codex', available: false, default_model: null, models: [], reason: 'Not supported by this build yet', auth_mode: null },
        { name: 'openai', available: true, default_model: 'llama3.1:8b', models: ['llama3.1:8b', 'qwen3:14b'], reason: null, auth_mode: null },
      ],
    });
    expect(response.body).not.toContain(API_KEY);
  });

  it('gives new rooms without a provider the first available provider', async () => {
    const token = await t.login('admin');
    await t.request({ method: 'GET', url: '/providers', token });
    const created = await t.request({ method: 'POST', url: '/rooms', token, payload: { name: 'Default provider room' } });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ default_provider: 'openai' });
  });

  it('serves the supported provider ids and their health to an admin', async () => {
    const token = await t.login('admin');
    const ids = await t.request({ method: 'GET', url: '/debug/providers', token });
    expect(ids.json()).toEqual({ providers: ['claude', 'codex', 'openai'] });
    const health = await t.request({ method: 'GET', url: '/api/debug/providers/health', token });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({
      providers: {
        claude: { available: false, reason: 'Not supported by this build yet' },
        codex: { available: false, reason: 'Not supported by this build yet' },
        openai: { available: true, reason: null },
      },
    });
  });

  it('refuses the debug routes to a guest with 403 and GET /providers without a token with 401', async () => {
    const guest = await t.login('guest');
    for (const url of ['/debug/providers', '/debug/providers/health']) {
      const response = await t.request({ method: 'GET', url, token: guest });
      expect(response.statusCode, url).toBe(403);
      expect(response.json()).toEqual(ADMIN_DETAIL);
    }
    expect((await t.request({ method: 'GET', url: '/providers' })).statusCode).toBe(401);
  });
});

describe.runIf(await databaseAvailable())('provider routes without an OpenAI-compatible server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
  });
  afterAll(async () => t?.close());

  it('reports openai as not configured and claude as the default when nothing is available', async () => {
    const token = await t.login('admin');
    const response = await t.request({ method: 'GET', url: '/providers', token });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { default: string; providers: { name: string; available: boolean; reason: string | null }[] };
    expect(body.default).toBe('claude');
    expect(body.providers.map((p) => p.name)).toEqual(['claude', 'codex', 'openai']);
    expect(body.providers[2]).toEqual({ name: 'openai', available: false, default_model: null, models: [], reason: 'OPENAI_BASE_URL is not set', auth_mode: null });
  });
});
