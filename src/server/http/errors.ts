import type { ValidationIssue } from '../../shared/validation.js';

/**
 * The one error type HTTP handlers throw (style.md §20). `code` is closed; the status and exact `detail`
 * texts (api.md §1.4 and the route sections) are fixed by the factories below, so no handler invents wording.
 */
export type ErrorCode =
  | 'auth'
  | 'csrf'
  | 'admin'
  | 'rate_limited'
  | 'too_large'
  | 'media_type'
  | 'validation_failed'
  | 'bad_request'
  | 'invalid_credentials'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'method_not_allowed'
  | 'too_many_streams'
  | 'internal';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(typeof detail === 'string' ? detail : 'Validation failed', options);
  }
}

export const authRequired = () =>
  new AppError('auth', 401, 'Invalid or missing authentication token', {
    'WWW-Authenticate': 'Bearer realm="chitchats"',
  });
export const crossSiteRejected = () => new AppError('csrf', 403, 'Cross-site request rejected');
export const adminRequired = () => new AppError('admin', 403, 'This action requires admin privileges.');
export const bodyTooLarge = () => new AppError('too_large', 413, 'Request body too large');
export const unsupportedMediaType = () => new AppError('media_type', 415, 'Unsupported media type');
export const validationFailed = (issues: ValidationIssue[]) => new AppError('validation_failed', 422, issues);
export const badRequest = (detail: string) => new AppError('bad_request', 400, detail);
export const notFound = (detail: string) => new AppError('not_found', 404, detail);
export const forbidden = (detail: string) => new AppError('forbidden', 403, detail);
export const conflict = (detail: string) => new AppError('conflict', 409, detail);
export const roomNotFound = (roomId: number | string) => notFound(`Room with id ${roomId} not found`);
export const roomForbidden = () => forbidden('You do not have access to this room');
export const rateLimited = (limit: number, headers: Record<string, string>) =>
  new AppError('rate_limited', 429, `Rate limit exceeded: ${limit} per 1 minute`, headers);
export const invalidTicket = () => new AppError('auth', 401, 'Invalid or expired ticket');
export const tooManyStreams = () => new AppError('too_many_streams', 429, 'Too many open event streams');
export const methodNotAllowed = (allow: string[]) =>
  new AppError('method_not_allowed', 405, 'Method Not Allowed', { Allow: allow.join(', ') });
