import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unsupportedMediaType, validationFailed } from './errors.js';
import { jsonErrorOffset } from './json-syntax.js';

/**
 * Bodies are kept raw by the parser and interpreted by the route (api.md §1.2): routes without body fields ignore
 * any body, an empty body is absent whatever its type, JSON syntax errors are 422 `json_invalid` (login turns
 * them into its own 400).
 */
export interface RawBody {
  contentType: string;
  raw: Buffer;
}

export function installRawBodyParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    done(null, { contentType: String(request.headers['content-type'] ?? ''), raw: body as Buffer } satisfies RawBody);
  });
}

function rawBodyOf(request: FastifyRequest): RawBody | undefined {
  const body = request.body as RawBody | undefined;
  if (!body || !Buffer.isBuffer(body.raw) || body.raw.length === 0) return undefined;
  return body;
}

function isJsonContentType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  // No Content-Type at all is read as JSON, as the original ChitChats API (FastAPI) did; only a different
  // declared type is 415.
  return mediaType === '' || mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export type ParsedBody = { present: false } | { present: true; value: unknown } | { present: true; error: 'json' };

/** Returns the JSON value, `absent`, or the parse failure; throws 415 for a non-JSON content type. */
export function readJsonBody(request: FastifyRequest): ParsedBody {
  const body = rawBodyOf(request);
  if (!body) return { present: false };
  if (!isJsonContentType(body.contentType)) throw unsupportedMediaType();
  const text = body.raw.toString('utf8');
  try {
    return { present: true, value: JSON.parse(text) };
  } catch {
    return { present: true, error: 'json' };
  }
}

/** The 422 for a syntax error, with `loc` ["body", <char offset>] as the original API reported it. */
export function jsonInvalid(request: FastifyRequest): ReturnType<typeof validationFailed> {
  const text = rawBodyOf(request)?.raw.toString('utf8') ?? '';
  const offset = jsonErrorOffset(text) ?? 0;
  return validationFailed([{ type: 'json_invalid', loc: ['body', offset], msg: 'JSON decode error' }]);
}
