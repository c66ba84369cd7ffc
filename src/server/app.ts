import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AccessGuard } from './http/access-guard.js';
import { AppError, authRequired, badRequest, bodyTooLarge, methodNotAllowed } from './http/errors.js';
import { installRawBodyParser } from './http/request-body.js';
import { API_PREFIX, registerRoutes, type RouteDefinition, type RouteRegistry } from './http/route.js';
import type { WebUi } from './http/web-ui.js';
import type { RoomRow } from './db/schema.js';

/**
 * buildApp(deps): the Fastify app with no side effects at import (architecture.md §2). Three visible steps:
 * infrastructure hooks, the access guard (inside every route), then one route group per resource.
 */
export interface AppDeps {
  log: Logger;
  guard: AccessGuard;
  webUi: WebUi;
  loadRoom: (id: number) => Promise<RoomRow | null>;
  isAllowedOrigin: (origin: string) => boolean;
  maxBodyBytes: number;
  trustProxy: boolean | number | string[];
  registry: RouteRegistry;
  routeGroups: RouteDefinition<never, never, never>[][];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** api.md §14.1: paths that belong to the API (never served by the UI fallback). */
export function isApiPath(path: string): boolean {
  return /^\/(?:api(?:\/|$)|auth(?:\/|$)|rooms(?:\/|$)|agents(?:\/|$)|debug(?:\/|$)|exports(?:\/|$)|mcp(?:\/|$)|mcp-tools(?:\/|$)|providers\/?$|health\/?$|ready\/?$|openapi\.json$|docs(?:\/|$)|redoc\/?$)/.test(
    path,
  );
}

/** api.md §14.4: deep links the UI owns when a browser navigates to them. */
const NAVIGATION_PATHS = /^\/(?:rooms|agents)(?:\/[^/]+)?\/?$/;

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function routePattern(path: string): RegExp {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:[A-Za-z_]+/g, '[^/]+');
  return new RegExp(`^(?:${API_PREFIX.replace('/', '\\/')})?${source}\\/?$`);
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is wider than FastifyBaseLogger; typing the app by it would leak into every route type.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Our own onResponse hook logs requests, with polling and streams at debug only (behavior.md §9.2).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    // A hop count means "trust the nearest n proxies", as proxy-addr interprets it.
    trustProxy:
      typeof deps.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (deps.trustProxy as number)
        : deps.trustProxy,
    // A path parameter may be a percent-encoded agent name (up to 12 characters per code point); find-my-way's
    // default of 100 would answer a 34-character Korean name with 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1200 },
    // Errors raised before routing (a malformed percent-escape) skip the hooks; they still get the `{detail}`
    // body and the headers every response carries.
    frameworkErrors: (error, request, reply) => {
      addCorsHeaders(request, reply, deps.isAllowedOrigin);
      reply.headers({ 'X-Request-Id': request.id, 'Cache-Control': 'no-store' });
      if (error.code === 'FST_ERR_BAD_URL') return sendError(reply, badRequest('Invalid URL'));
      return sendError(reply, new AppError('bad_request', 414, 'URI Too Long'));
    },
    genReqId: (request) => {
      const inbound = request.headers['x-request-id'];
      return typeof inbound === 'string' && REQUEST_ID.test(inbound) ? inbound : randomUUID();
    },
  });

  installRawBodyParser(app, deps.maxBodyBytes);
  installInfrastructureHooks(app, deps);
  installErrorHandling(app, deps);

  for (const group of deps.routeGroups) {
    registerRoutes(app, { guard: deps.guard, loadRoom: deps.loadRoom, registry: deps.registry }, group);
  }
  await app.ready();
  return app;
}

function installInfrastructureHooks(app: FastifyInstance, deps: AppDeps): void {
  // One hook, in the order of api.md §1.5: CORS headers first (so every response carries them, errors
  // included), then the size check, the preflight answer and the UI's navigation fallback.
  app.addHook('onRequest', async (request, reply) => {
    addCorsHeaders(request, reply, deps.isAllowedOrigin);
    const length = Number(request.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > deps.maxBodyBytes) throw bodyTooLarge();
    if (request.method === 'OPTIONS') {
      const origin = request.headers.origin;
      if (origin && deps.isAllowedOrigin(origin)) {
        reply.headers({
          'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': String(request.headers['access-control-request-headers'] ?? ''),
          'Access-Control-Max-Age': '600',
        });
      }
      return reply.code(204).send();
    }
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      request.headers['sec-fetch-mode'] === 'navigate' &&
      NAVIGATION_PATHS.test(pathOf(request)) &&
      (await deps.webUi.serveIndex(request, reply))
    ) {
      return reply;
    }
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
    const type = String(reply.getHeader('content-type') ?? '');
    if (!reply.hasHeader('cache-control') && type.startsWith('application/json')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const quiet = /\/(?:poll|events|chatting-agents)\/?$|^\/(?:api\/)?(?:health|ready)\/?$/.test(pathOf(request));
    const entry = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (quiet) request.log.debug(entry, 'request');
    else request.log.info(entry, 'request');
  });
}

/** api.md §2.9: an allowed origin gets these on every response, errors included. */
function addCorsHeaders(request: FastifyRequest, reply: FastifyReply, isAllowedOrigin: (origin: string) => boolean): void {
  const origin = request.headers.origin;
  if (!origin || !isAllowedOrigin(origin)) return;
  reply.headers({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
    'Access-Control-Expose-Headers':
      'Content-Disposition, Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
  });
}

function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  reply.headers(error.headers);
  const body: Record<string, unknown> = { detail: error.detail };
  if (error.code === 'rate_limited') body.error = error.detail;
  return reply.code(error.status).send(body);
}

function installErrorHandling(app: FastifyInstance, deps: AppDeps): void {
  const patterns: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) patterns.push({ pattern: routePattern(route.url), method });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error);
    const code = (error as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, bodyTooLarge());
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, new AppError('media_type', 415, 'Unsupported media type'));
    }
    // Fastify's own client errors (a body shorter than its Content-Length, …) keep their status; their
    // messages are fixed texts without internals.
    const status = (error as { statusCode?: number }).statusCode;
    if (code?.startsWith('FST_') && status !== undefined && status >= 400 && status < 500) {
      return sendError(reply, new AppError('bad_request', status, (error as Error).message));
    }
    request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    return reply.code(500).send({ detail: 'Internal server error' });
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request);
    if (isApiPath(path)) {
      // Unknown API paths must not reveal themselves to anonymous callers (api.md §1.1).
      if (!(await deps.guard.identify(request))) return sendError(reply, authRequired());
      const allow = [...new Set(patterns.filter(({ pattern }) => pattern.test(path)).map(({ method }) => method))];
      if (allow.length > 0) return sendError(reply, methodNotAllowed(allow));
      return sendError(reply, new AppError('not_found', 404, 'Not Found'));
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && (await deps.webUi.serve(request, reply, path))) {
      return reply;
    }
    return sendError(reply, new AppError('not_found', 404, 'Not Found'));
  });
}
