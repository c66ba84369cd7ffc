import { z } from 'zod';
import {
  AgentSchema,
  ChattingAgentSchema,
  HttpErrorSchema,
  MessageResultSchema,
  MessageSchema,
  ProviderInfoSchema,
  RoomSchema,
  RoomSummarySchema,
  RoomWithAgentsSchema,
  ValidationErrorSchema,
} from '../../shared/models.js';
import type { RouteDefinition } from './route.js';

/** api.md §14.3: the OpenAPI 3.1 document, generated from the same schemas that validate requests. */

type JsonSchema = Record<string, unknown>;

const COMPONENTS = {
  Agent: AgentSchema,
  Message: MessageSchema,
  RoomSummary: RoomSummarySchema,
  Room: RoomSchema,
  RoomWithAgents: RoomWithAgentsSchema,
  ChattingAgent: ChattingAgentSchema,
  ProviderInfo: ProviderInfoSchema,
  MessageResult: MessageResultSchema,
  HTTPError: HttpErrorSchema,
  ValidationError: ValidationErrorSchema,
} as const;

function toSchema(schema: z.ZodType<unknown, unknown>, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    reused: 'inline',
    override: ({ jsonSchema }) => {
      delete jsonSchema.id;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * Components come from one registry holding exactly the models above, so a nested model (Room.agents) becomes a
 * `$ref` to its component instead of a copy or a `$defs` entry.
 */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

function responseBody(definition: RouteDefinition<unknown, unknown, unknown>): JsonSchema {
  const response = definition.docs.response;
  if (response === undefined) return { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } };
  if (typeof response === 'string') {
    const isList = response.endsWith('[]');
    const name = response.replace(/\[\]$/, '');
    const ref = name in COMPONENTS ? { $ref: `#/components/schemas/${name}` } : { type: 'object', title: name };
    return {
      description: 'Success',
      content: { 'application/json': { schema: isList ? { type: 'array', items: ref } : ref } },
    };
  }
  return { description: response.description, content: { [response.contentType]: { schema: { type: 'string' } } } };
}

function parameters(schema: z.ZodType<unknown, unknown> | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

const SECURITY = [{ apiKeyHeader: [] }, { bearerAuth: [] }, { cookieAuth: [] }];

export function buildOpenApiDocument({
  definitions,
  version,
}: {
  definitions: RouteDefinition<unknown, unknown, unknown>[];
  version: string;
}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const definition of definitions) {
    const path = definition.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const operation: JsonSchema = {
      summary: definition.docs.summary,
      tags: [definition.docs.tag],
      operationId: `${definition.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [...parameters(definition.params, 'path'), ...parameters(definition.query, 'query')],
      responses: {
        [String(typeof definition.docs.response === 'object' ? (definition.docs.response.status ?? 200) : 200)]:
          responseBody(definition),
        '422': { description: 'Validation error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ValidationError' } } } },
        ...(definition.auth === 'public'
          ? {}
          : { '401': { description: 'Missing or invalid credential', content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPError' } } } } }),
      },
      ...(definition.auth === 'public' ? { security: [] } : { security: SECURITY }),
      'x-auth-level': definition.auth,
    };
    if (definition.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(definition.body, 'input') } } };
    }
    (paths[path] ??= {})[definition.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ChitChats API',
      version,
      description: 'Rooms where several AI characters talk with you and with each other. Every route is also served under /api.',
    },
    servers: [{ url: '/' }, { url: '/api' }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'chitchats_token' },
      },
    },
  };
}
