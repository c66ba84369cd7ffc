import type { ProviderErrorCode } from '../types.js';

/** An adapter failure in the seam's closed vocabulary (behavior.md §7.1 rule 1, §5.16 rule 2). */
export interface MappedError {
  code: ProviderErrorCode;
  message: string;
  transient: boolean;
}

const MAX_MESSAGE = 300;
// Transient per behavior.md §5.16 rule 2; 503/529 also mean "overloaded".
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504, 529]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

/** Upstream error shapes we read without importing the SDK's classes (the SDK loads lazily). */
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  cause?: unknown;
  lastError?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | null {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : null;
}

export function statusToCode(status: number): { code: ProviderErrorCode; transient: boolean } {
  if (status === 401 || status === 403) return { code: 'auth', transient: false };
  if (status === 429) return { code: 'rate_limited', transient: true };
  if (status === 503 || status === 529) return { code: 'overloaded', transient: true };
  if (status === 408) return { code: 'timeout', transient: true };
  if (status === 400 || status === 404 || status === 422) return { code: 'invalid_request', transient: false };
  return { code: 'internal', transient: TRANSIENT_STATUSES.has(status) || status >= 500 };
}

function isNetworkFailure(error: ErrorLike): boolean {
  for (let current: ErrorLike | null = error, depth = 0; current && depth < 5; current = asErrorLike(current.cause), depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return true;
    const message = typeof current.message === 'string' ? current.message : '';
    if (/fetch failed|terminated|socket hang up|other side closed|Cannot connect to API/i.test(message)) return true;
  }
  return false;
}

/**
 * Maps anything the SDK throws or streams to a closed code. `redact` removes the credentials (key, URL userinfo)
 * from the message, which may quote upstream text that echoes them.
 */
export function mapUpstreamError(raw: unknown, redact: (text: string) => string): MappedError {
  let error = asErrorLike(raw);
  // RetryError wraps the real failure even with maxRetries 0.
  if (error && asErrorLike(error.lastError)) error = asErrorLike(error.lastError);
  const message = redact(typeof error?.message === 'string' && error.message ? error.message : String(raw)).slice(0, MAX_MESSAGE);
  // A 2xx status with an error means the body failed mid-stream (e.g. the connection dropped): not an HTTP error.
  if (error && typeof error.statusCode === 'number' && error.statusCode >= 300) {
    const mapped = statusToCode(error.statusCode);
    return { ...mapped, message: `HTTP ${error.statusCode}: ${message}` };
  }
  if (error && isNetworkFailure(error)) return { code: 'network', message: `Connection failed: ${message}`, transient: true };
  return { code: 'internal', message, transient: false };
}

/** Replaces every occurrence of each secret (and URL userinfo) with `[redacted]`. */
export function createRedactor(secrets: (string | undefined)[]): (text: string) => string {
  const present = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
  return (text) => {
    let out = text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1[redacted]@');
    for (const secret of present) out = out.split(secret).join('[redacted]');
    return out;
  };
}
