import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity, TokenService } from '../auth/tokens.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import { adminRequired, authRequired, crossSiteRejected, rateLimited } from './errors.js';
import { readCookie, TOKEN_COOKIE } from './cookies.js';
import { normalizeOrigin } from './origins.js';

/** api.md §2.5 levels; every route states one, so nothing is public by accident. */
export type AuthLevel = 'public' | 'token' | 'owner' | 'admin';
export type RateLimitName = 'login' | 'send' | 'poll' | 'chattingAgents' | 'events' | 'regenerate' | 'mcp';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity | null;
  }
}

export interface AccessGuard {
  /**
   * Steps 3–5 of api.md §1.5: authentication, CSRF, role, rate limit. `granted` is an identity a route-specific
   * credential already established (the event ticket); the §2.4 sources are then not looked at.
   */
  check(request: FastifyRequest, reply: FastifyReply, level: AuthLevel, rateLimit?: RateLimitName, granted?: Identity): Promise<void>;
  /** Identity for requests outside a route (unknown API paths), or null. */
  identify(request: FastifyRequest): Promise<Identity | null>;
}

type Credential = { source: 'header' | 'cookie'; token: string } | null;

function presentedCredential(request: FastifyRequest): Credential {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') {
    return { source: 'header', token: apiKey.replace(/^Bearer\s+/i, '').trim() };
  }
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return { source: 'header', token: match?.[1]?.trim() ?? '' };
  }
  const cookie = readCookie(request.headers.cookie, TOKEN_COOKIE);
  if (cookie !== undefined && cookie !== '') return { source: 'cookie', token: cookie };
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createAccessGuard({
  tokens,
  limiter,
  limits,
  isAllowedOrigin,
}: {
  tokens: TokenService;
  limiter: RateLimiter;
  /** Per-minute limits by name; 0 or absent disables that limit. `null` disables all. */
  limits: Record<RateLimitName, number> | null;
  isAllowedOrigin: (origin: string) => boolean;
}): AccessGuard {
  function isSameOrigin(request: FastifyRequest, origin: string): boolean {
    const normal = normalizeOrigin(origin);
    if (!normal) return false;
    const host = request.host.toLowerCase();
    const originHost = new URL(normal).host;
    const withDefaultPort = (value: string, protocol: string) =>
      value.includes(':') ? value : `${value}:${protocol === 'https:' ? 443 : 80}`;
    const protocol = new URL(normal).protocol;
    return withDefaultPort(originHost, protocol) === withDefaultPort(host, protocol) || isAllowedOrigin(normal);
  }

  function checkCsrf(request: FastifyRequest): void {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin ?? (request.headers.referer ? safeOrigin(request.headers.referer) : undefined);
    if (origin === undefined) return;
    if (!isSameOrigin(request, origin)) throw crossSiteRejected();
  }

  function applyRateLimit(reply: FastifyReply, name: RateLimitName, key: string): void {
    const limit = limits?.[name] ?? 0;
    if (limit <= 0) return;
    const bucket = name === 'login' ? 'login' : name;
    const decision = limiter.hit(bucket, key, limit);
    const headers = {
      'X-RateLimit-Limit': String(decision.limit),
      'X-RateLimit-Remaining': String(decision.remaining),
      'X-RateLimit-Reset': String(decision.resetSeconds),
    };
    if (!decision.allowed) throw rateLimited(limit, { ...headers, 'Retry-After': String(decision.resetSeconds) });
    reply.headers(headers);
  }

  async function identify(request: FastifyRequest): Promise<Identity | null> {
    const credential = presentedCredential(request);
    if (!credential) return null;
    return tokens.verify(credential.token);
  }

  return {
    identify,
    async check(request, reply, level, rateLimit, granted) {
      if (level === 'public') {
        request.identity = null;
        if (rateLimit) applyRateLimit(reply, rateLimit, request.ip);
        return;
      }
      if (granted) {
        if (level === 'admin' && granted.role !== 'admin') throw adminRequired();
        request.identity = granted;
        if (rateLimit) applyRateLimit(reply, rateLimit, granted.userId);
        return;
      }
      const credential = presentedCredential(request);
      // Only the first credential present is evaluated; an invalid one is not rescued by the next (§2.4).
      const identity = credential ? await tokens.verify(credential.token) : null;
      if (!identity) throw authRequired();
      if (credential?.source === 'cookie') checkCsrf(request);
      if (level === 'admin' && identity.role !== 'admin') throw adminRequired();
      request.identity = identity;
      if (rateLimit) applyRateLimit(reply, rateLimit, identity.userId);
    },
  };
}

function safeOrigin(referer: string): string | undefined {
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
