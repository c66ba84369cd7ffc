/**
 * The API client (ui.md §2.4): same-origin `/api/…`, the session cookie (`credentials: "same-origin"`), JSON
 * bodies, a timeout per request, and one error type. The session itself is the HttpOnly cookie; no token is kept.
 */

export const API_PREFIX = '/api';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const IMAGE_TIMEOUT_MS = 60_000;

export type ApiErrorKind = 'http' | 'network' | 'timeout';

/**
 * A failed call. `status` is the HTTP status, or 0 when no response came (`kind` network or timeout). `detail` is
 * the server's text (English; the UI shows its own localized message and keeps this as a technical line). For a
 * 422, `fields` maps the last element of each `loc` to its message.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly fields: Readonly<Record<string, string>> = {},
    readonly kind: ApiErrorKind = 'http',
    /** Seconds from `Retry-After`, when the server sent it. */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Aborted on purpose (the room was left, the component unmounted): not an error to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

// ---- global handling (ui.md §2.4): the app registers what 401, 403, 429 and network failures do ----

export type ApiEvent =
  | { type: 'unauthorized'; path: string }
  | { type: 'forbidden'; path: string; error: ApiError }
  | { type: 'rate-limited'; path: string; error: ApiError }
  | { type: 'network-error'; path: string; error: ApiError };

type ApiListener = (event: ApiEvent) => void;
const listeners = new Set<ApiListener>();

/** Subscribes to global API outcomes; returns the unsubscribe function. */
export function onApiEvent(listener: ApiListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function publish(event: ApiEvent): void {
  for (const listener of listeners) listener(event);
}

// ---- requests ----

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Default 20 s; `null` for none. */
  timeoutMs?: number | null;
  /** The caller handles 401 itself (login, the boot session check): no session-expiry event. */
  ownsUnauthorized?: boolean;
}

function urlFor(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `${API_PREFIX}${path}${search ? `?${search}` : ''}`;
}

function retryAfterSeconds(response: Response): number | undefined {
  const raw = response.headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

interface ValidationItem {
  loc?: unknown;
  msg?: unknown;
}

/** Reads `{detail}` (a string, or the 422 list) into an ApiError. */
async function errorFrom(response: Response): Promise<ApiError> {
  let detail = response.statusText || `HTTP ${response.status}`;
  const fields: Record<string, string> = {};
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === 'string') detail = body.detail;
    else if (Array.isArray(body.detail)) {
      const items = body.detail as ValidationItem[];
      for (const item of items) {
        const loc = Array.isArray(item.loc) ? item.loc : [];
        const field = loc[loc.length - 1];
        if ((typeof field === 'string' || typeof field === 'number') && typeof item.msg === 'string') {
          fields[String(field)] ??= item.msg;
        }
      }
      const first = items[0]?.msg;
      if (typeof first === 'string') detail = first;
    }
  } catch {
    // Not JSON (a proxy's error page): keep the status text.
  }
  return new ApiError(response.status, detail, fields, 'http', retryAfterSeconds(response));
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, ownsUnauthorized = false } = options;
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : options.timeoutMs;

  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
  const forwardAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) forwardAbort();
  else signal?.addEventListener('abort', forwardAbort, { once: true });

  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  /** A thrown fetch or body read: the caller's abort stays an AbortError, anything else becomes an ApiError. */
  const failure = (cause: unknown): unknown => {
    if (signal?.aborted) return cause instanceof DOMException ? cause : new DOMException('Aborted', 'AbortError');
    const error = timedOut
      ? new ApiError(0, 'Request timed out', {}, 'timeout')
      : new ApiError(0, 'Network error', {}, 'network');
    publish({ type: 'network-error', path, error });
    return error;
  };

  try {
    let response: Response;
    try {
      response = await fetch(urlFor(path, query), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch (cause) {
      throw failure(cause);
    }

    if (!response.ok) {
      const error = await errorFrom(response);
      if (error.status === 401 && !ownsUnauthorized) publish({ type: 'unauthorized', path });
      else if (error.status === 403) publish({ type: 'forbidden', path, error });
      else if (error.status === 429) publish({ type: 'rate-limited', path, error });
      throw error;
    }
    if (response.status === 204) return undefined as T;
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw failure(cause);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

/** GETs retry on network errors, timeouts and 5xx, never on 4xx (ui.md §2.3). */
export function isRetryable(error: unknown): boolean {
  return isApiError(error) && (error.status === 0 || error.status >= 500);
}
