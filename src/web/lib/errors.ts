import type { TFunction } from 'i18next';
import { isApiError } from './api';

/**
 * The UI's own localized message for a failed call (ui.md §8 "Server errors"): chosen by status and context; the
 * server's English `detail` is only shown as a secondary technical line.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('errors:generic');
  if (error.kind === 'timeout') return t('errors:timeout');
  if (error.status === 0) return t('errors:unreachable');
  if (error.status === 401) return t('errors:unauthorized');
  if (error.status === 403) return t('errors:forbidden');
  if (error.status === 404) return t('errors:notFound');
  if (error.status === 409) return t('errors:conflict');
  if (error.status === 413) return t('errors:tooLarge');
  if (error.status === 422) return t('errors:invalid');
  if (error.status === 429) return t('errors:rateLimited', { seconds: error.retryAfter ?? 60 });
  if (error.status >= 500) return t('errors:server', { status: error.status });
  return t('errors:generic');
}
