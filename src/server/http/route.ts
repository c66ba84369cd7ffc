import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { toValidationIssues, type ValidationIssue } from '../../shared/validation.js';
import type { RoomRow } from '../db/schema.js';
import type { Identity } from '../auth/tokens.js';
import type { AccessGuard, AuthLevel, RateLimitName } from './access-guard.js';
import { AppError, roomForbidden, roomNotFound, validationFailed } from './errors.js';
import { readJsonBody, jsonInvalid } from './request-body.js';

export type { AuthLevel, RateLimitName };

export interface RouteContext<P, Q, B> {
  request: FastifyRequest;
  reply: FastifyReply;
  /** Null only on public routes. */
  identity: Identity | null;
  params: P;
  query: Q;
  body: B;
  /** The room of an owner route, after the access check. */
  room: RoomRow | null;
}

export interface RouteDocs {
  summary: string;
  tag: string;
  /** Component schema name of the 200 body, or a description of a non-JSON success. */
  response?: string | { contentType: string; description: string; status?: number };
}

export interface RouteDefinition<P = unknown, Q = unknown, B = unknown> {
  method: Exclude<HTTPMethods, 'HEAD' | 'OPTIONS'>;
  path: string;
  auth: AuthLevel;
  rateLimit?: RateLimitName;
  params?: z.ZodType<P, unknown>;
  query?: z.ZodType<Q, unknown>;
  body?: z.ZodType<B, unknown>;
  docs: RouteDocs;
  /**
   * A credential only this route accepts, looked at before the standard ones (today only the event ticket,
   * api.md §9.3). Returns null when the request does not present it, so the standard check runs; otherwise the
   * identity it grants, which replaces §2.4 entirely (or it throws its own 401). Role, rate limit, validation and
   * room access still follow in §1.5 order.
   *
   * A handler that takes over the raw response (the event stream) calls `reply.hijack()` and resolves when the
   * stream ends; nothing else in the framework changes for it.
   */
  credential?: (request: FastifyRequest) => Promise<Identity | null>;
  handler(context: RouteContext<P, Q, B>): Promise<unknown>;
}

/** The identity of a non-public route; the guard guarantees it. */
export function requireIdentity(context: { identity: Identity | null }): Identity {
  if (!context.identity) throw new AppError('internal', 500, 'Internal server error');
  return context.identity;
}

/** The room of an owner route; the access check guarantees it. */
export function requireRoom(context: { room: RoomRow | null }): RoomRow {
  if (!context.room) throw new AppError('internal', 500, 'Internal server error');
  return context.room;
}

export function defineRoute<P, Q, B>(definition: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return definition;
}

/** Every API route is served at its root path and under `/api` (api.md §1.1). */
export const API_PREFIX = '/api';

export interface RouteRegistry {
  definitions: RouteDefinition<unknown, unknown, unknown>[];
}

export function registerRoutes(
  app: FastifyInstance,
  {
    guard,
    loadRoom,
    registry,
  }: { guard: AccessGuard; loadRoom: (id: number) => Promise<RoomRow | null>; registry: RouteRegistry },
  definitions: RouteDefinition<never, never, never>[],
): void {
  for (const raw of definitions) {
    const definition = raw as unknown as RouteDefinition<unknown, unknown, unknown>;
    registry.definitions.push(definition);
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const identity = request.identity ?? null;
      const context = await validate(definition, request, reply, identity);
      if (definition.auth === 'owner') context.room = await authorizeRoom(context, identity, loadRoom);
      const result = await definition.handler(context);
      if (reply.sent || result === undefined) return reply;
      return reply.send(result);
    };
    for (const url of [definition.path, `${API_PREFIX}${definition.path}`]) {
      app.route({
        method: definition.method,
        url,
        onRequest: async (request, reply) => {
          const granted = definition.credential ? await definition.credential(request) : null;
          await guard.check(request, reply, definition.auth, definition.rateLimit, granted ?? undefined);
        },
        handler,
      });
    }
  }
}

async function validate(
  definition: RouteDefinition<unknown, unknown, unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
  identity: Identity | null,
): Promise<RouteContext<unknown, unknown, unknown>> {
  const issues: ValidationIssue[] = [];
  const parse = (schema: z.ZodType<unknown, unknown> | undefined, input: unknown, location: 'path' | 'query' | 'body') => {
    if (!schema) return undefined;
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    issues.push(...toValidationIssues(result.error, location, input));
    return undefined;
  };
  const params = parse(definition.params, request.params ?? {}, 'path');
  const query = parse(definition.query, request.query ?? {}, 'query');
  let body: unknown;
  if (definition.body) {
    const parsed = readJsonBody(request);
    if (parsed.present && 'error' in parsed) throw jsonInvalid(request);
    const value = parsed.present ? parsed.value : {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object', input: value });
    } else {
      body = parse(definition.body, value, 'body');
    }
  }
  if (issues.length > 0) throw validationFailed(issues);
  return { request, reply, identity, params, query, body, room: null };
}

async function authorizeRoom(
  context: RouteContext<unknown, unknown, unknown>,
  identity: Identity | null,
  loadRoom: (id: number) => Promise<RoomRow | null>,
): Promise<RoomRow> {
  const roomId = (context.params as { room_id?: number }).room_id;
  if (roomId === undefined || identity === null) throw new AppError('internal', 500, 'Internal server error');
  const room = await loadRoom(roomId);
  if (!room) throw roomNotFound((context.request.params as { room_id: string }).room_id);
  if (identity.role !== 'admin' && room.ownerId !== identity.userId) throw roomForbidden();
  return room;
}
