import type { FastifyRequest } from 'fastify';
import type { AuthState } from '../auth/auth-state.js';
import { verifyPassword } from '../auth/passwords.js';
import type { Role, TokenService } from '../auth/tokens.js';
import { codePoints } from '../../shared/validation.js';
import { AppError, badRequest } from './errors.js';
import { tokenCookie, TOKEN_COOKIE } from './cookies.js';
import type { RawBody } from './request-body.js';
import { defineRoute } from './route.js';

export interface AuthRouteDeps {
  auth: () => AuthState;
  tokens: TokenService;
  enableGuestLogin: boolean;
  cookieSecure: 'auto' | 'true' | 'false';
  /** Provider client pools, for `/auth/health/pool`. */
  poolStats: () => unknown;
}

const invalidPassword = () => new AppError('invalid_credentials', 401, 'Invalid password');

/** Login reads its own body (api.md §5.1): it answers 400, never 422. */
function readPassword(request: FastifyRequest): string {
  const body = request.body as RawBody | undefined;
  let value: unknown;
  try {
    value = JSON.parse(body?.raw.toString('utf8') ?? '');
  } catch {
    throw badRequest('Invalid request body');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Invalid request body');
  const password = (value as { password?: unknown }).password;
  if (typeof password !== 'string' || password === '') throw badRequest('Password is required');
  return password;
}

export function authRoutes(deps: AuthRouteDeps) {
  const isSecure = (request: FastifyRequest) =>
    deps.cookieSecure === 'true' || (deps.cookieSecure === 'auto' && request.protocol === 'https');

  async function roleFor(password: string): Promise<Role | null> {
    if (codePoints(password) > 1024) return null;
    const state = deps.auth();
    if (await verifyPassword(password, state.adminHash)) return 'admin';
    if (deps.enableGuestLogin && state.guestHash && (await verifyPassword(password, state.guestHash))) return 'guest';
    return null;
  }

  return [
    defineRoute({
      method: 'POST',
      path: '/auth/login',
      auth: 'public',
      rateLimit: 'login',
      docs: { summary: 'Log in with the admin or guest password', tag: 'auth', response: 'LoginResult' },
      async handler({ request, reply }) {
        const role = await roleFor(readPassword(request));
        if (!role) throw invalidPassword();
        const { token, identity } = await deps.tokens.issue(role);
        reply.header('Set-Cookie', tokenCookie({ token, maxAge: deps.tokens.ttlSeconds, secure: isSecure(request) }));
        return {
          success: true,
          api_key: token,
          role,
          user_id: identity.userId,
          message: `Login successful as ${role}`,
          expires_at: new Date(identity.expiresAt).toISOString(),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/auth/logout',
      auth: 'public',
      docs: { summary: 'Clear the session cookie', tag: 'auth' },
      async handler({ request, reply }) {
        reply.header('Set-Cookie', `${TOKEN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${isSecure(request) ? '; Secure' : ''}`);
        return { success: true, message: 'Logged out' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/auth/verify',
      auth: 'token',
      docs: { summary: 'Check the presented credential', tag: 'auth' },
      async handler({ identity }) {
        if (!identity) throw new AppError('internal', 500, 'Internal server error');
        return {
          success: true,
          message: 'Authentication valid',
          role: identity.role,
          user_id: identity.userId,
          expires_at: new Date(identity.expiresAt).toISOString(),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/auth/health',
      auth: 'public',
      docs: { summary: 'Auth service health', tag: 'health' },
      handler: async () => ({ status: 'healthy' }),
    }),
    defineRoute({
      method: 'GET',
      path: '/auth/status',
      auth: 'public',
      docs: { summary: 'Whether the admin password is the generated one, and whether guests may log in', tag: 'auth' },
      handler: async () => ({
        password_generated: deps.auth().passwordGenerated,
        guest_enabled: deps.enableGuestLogin && deps.auth().guestHash !== undefined,
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/auth/health/pool',
      auth: 'admin',
      docs: { summary: 'Provider client pool statistics', tag: 'health' },
      handler: async () => deps.poolStats(),
    }),
  ];
}
