import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPMethods } from 'fastify';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Document = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

/** api.md §4 routes, in OpenAPI spelling. The app must document each one it serves, and serve at least these. */
const ROUTE_INDEX: [HTTPMethods, string][] = [
  ['POST', '/auth/login'],
  ['POST', '/auth/logout'],
  ['GET', '/auth/verify'],
  ['GET', '/auth/health'],
  ['GET', '/auth/status'],
  ['GET', '/auth/health/pool'],
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/providers'],
  ['GET', '/rooms'],
  ['POST', '/rooms'],
  ['GET', '/rooms/{room_id}'],
  ['PATCH', '/rooms/{room_id}'],
  ['DELETE', '/rooms/{room_id}'],
  ['POST', '/rooms/{room_id}/pause'],
  ['POST', '/rooms/{room_id}/resume'],
  ['POST', '/rooms/{room_id}/mark-read'],
  ['GET', '/rooms/{room_id}/export'],
  ['GET', '/rooms/{room_id}/agents'],
  ['POST', '/rooms/{room_id}/agents/{agent_id}'],
  ['POST', '/rooms/{room_id}/agents/{agent_id}/respond'],
  ['DELETE', '/rooms/{room_id}/agents/{agent_id}'],
  ['GET', '/rooms/{room_id}/messages'],
  ['DELETE', '/rooms/{room_id}/messages'],
  ['GET', '/rooms/{room_id}/messages/poll'],
  ['POST', '/rooms/{room_id}/messages/send'],
  ['DELETE', '/rooms/{room_id}/messages/{message_id}'],
  ['POST', '/rooms/{room_id}/messages/{message_id}/regenerate'],
  ['GET', '/rooms/{room_id}/chatting-agents'],
  ['GET', '/rooms/{room_id}/critic-messages'],
  ['POST', '/rooms/{room_id}/events/ticket'],
  ['GET', '/rooms/{room_id}/events'],
  ['GET', '/agents'],
  ['POST', '/agents'],
  ['GET', '/agents/configs'],
  ['GET', '/agents/{agent_id}'],
  ['PATCH', '/agents/{agent_id}'],
  ['DELETE', '/agents/{agent_id}'],
  ['POST', '/agents/{agent_id}/reload'],
  ['GET', '/agents/{agent_id}/direct-room'],
  ['GET', '/agents/{agent_name}/profile-pic'],
  ['GET', '/debug/cache/stats'],
  ['POST', '/debug/cache/cleanup'],
  ['POST', '/debug/cache/clear'],
  ['GET', '/debug/providers'],
  ['GET', '/debug/providers/health'],
  ['GET', '/exports/conversations'],
  ['GET', '/exports/conversations/{project}/{conversation_id}'],
  ['GET', '/mcp-tools/agents'],
  ['POST', '/mcp-tools/chat'],
  ['GET', '/mcp-tools/conversation/{agent_name}'],
  ['POST', '/mcp-tools/room'],
  ['POST', '/mcp-tools/room/message'],
  ['POST', '/mcp'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/redoc'],
];

/** Routes that exist today; the rest of §4 is checked whenever the app serves it. */
const ALWAYS_SERVED = [
  '/auth/login',
  '/auth/status',
  '/health',
  '/ready',
  '/rooms',
  '/rooms/{room_id}',
  '/rooms/{room_id}/messages/send',
  '/rooms/{room_id}/agents/{agent_id}',
  '/agents',
  '/agents/{agent_id}',
  '/agents/{agent_name}/profile-pic',
  '/openapi.json',
];

const fastifyPath = (path: string) => path.replace(/\{([A-Za-z_]+)\}/g, ':$1');

function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') into.push(item);
      else collectRefs(item, into);
    }
  }
  return into;
}

describe.runIf(await databaseAvailable())('OpenAPI document and docs', () => {
  let t: TestServer;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty' });
    const response = await t.request({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    doc = response.json();
  });
  afterAll(async () => t?.close());

  it('is an OpenAPI 3.1.0 document served at the root and under /api', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/' }, { url: '/api' }]);
    const api = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(api.json()).toEqual(doc);
  });

  it('documents every §4 route the app serves, at its root path', () => {
    const served = ROUTE_INDEX.filter(([method, path]) => t.server.app.hasRoute({ method, url: fastifyPath(path) }));
    for (const path of ALWAYS_SERVED) expect(served.map(([, p]) => p), path).toContain(path);
    for (const [method, path] of served) {
      expect(doc.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
  });

  it('documents only routes the app serves, never under /api', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      expect(path.startsWith('/api/')).toBe(false);
      for (const method of Object.keys(operations)) {
        const served = t.server.app.hasRoute({ method: method.toUpperCase() as HTTPMethods, url: fastifyPath(path) });
        expect(served, `${method} ${path}`).toBe(true);
      }
    }
  });

  it('declares every path parameter and a response for every operation', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([A-Za-z_]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual([...names].sort());
      }
    }
  });

  it('names the component schemas of the API and resolves every reference', () => {
    for (const name of ['Agent', 'Message', 'RoomSummary', 'Room', 'RoomWithAgents', 'ChattingAgent', 'ProviderInfo', 'HTTPError', 'ValidationError']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    expect(doc.components.schemas.HTTPError).toMatchObject({ type: 'object', properties: { detail: { type: 'string' } } });
    for (const ref of collectRefs(doc)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it('lists the Message fields of api.md §3.2 in its schema', () => {
    const message = doc.components.schemas.Message as { properties: Record<string, unknown> };
    for (const field of ['id', 'room_id', 'agent_id', 'content', 'role', 'participant_type', 'participant_name', 'thinking', 'anthropic_calls', 'image_data', 'image_media_type', 'provider', 'model', 'is_skip', 'timestamp', 'agent_name', 'agent_profile_pic']) {
      expect(message.properties[field], field).toBeDefined();
    }
  });

  it('declares the three security schemes', () => {
    expect(doc.components.securitySchemes).toEqual({
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'chitchats_token' },
    });
  });

  it('marks public operations with empty security and protected ones with the three schemes', () => {
    expect((doc.paths['/auth/login']!.post as { security?: unknown }).security).toEqual([]);
    expect((doc.paths['/rooms']!.get as { security?: unknown }).security).toEqual([
      { apiKeyHeader: [] },
      { bearerAuth: [] },
      { cookieAuth: [] },
    ]);
  });

  it('serves /docs as HTML that loads only local assets', async () => {
    const response = await t.request({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).not.toMatch(/https?:\/\//);
    const sources = [...response.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.startsWith('/docs/'), source).toBe(true);
      const asset = await t.request({ method: 'GET', url: source });
      expect(asset.statusCode, source).toBe(200);
      expect(asset.body.length, source).toBeGreaterThan(0);
    }
    expect((await t.request({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('starts Swagger UI on /openapi.json without the external validator', async () => {
    const page = await t.request({ method: 'GET', url: '/docs' });
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
    const init = await t.request({ method: 'GET', url: scripts.at(-1)! });
    expect(init.body).toContain("'/openapi.json'");
    expect(init.body).toContain('validatorUrl: null');
    expect(init.body).not.toMatch(/https?:\/\//);
  });

  it('serves the Swagger UI bundle from the server itself', async () => {
    const response = await t.request({ method: 'GET', url: '/docs/swagger-ui-bundle.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toContain('SwaggerUIBundle');
  });

  it('answers unknown or traversing docs assets with 404', async () => {
    for (const url of ['/docs/nothing.js', '/docs/..%2Fpackage.json', '/docs/..%2F..%2Fpackage.json']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('"dependencies"');
    }
  });

  it('redirects /redoc to /docs with 302', async () => {
    const response = await t.request({ method: 'GET', url: '/redoc' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/docs');
  });
});
