import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Eye, EyeOff, Info } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { LoginLocationState } from '../auth/session';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Spinner } from '../components/Spinner';
import { isApiError } from '../lib/api';
import { api } from '../lib/endpoints';
import { safeNextPath } from '../lib/paths';
import { queryKeys } from '../lib/query';

type LoginError = { kind: 'wrong' } | { kind: 'rate'; until: number } | { kind: 'network' } | { kind: 'other'; status: number };

/** ui.md §4.1: one password field; the server decides admin or guest. */
export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const expired = (location.state as LoginLocationState | null)?.expired === true;

  const status = useQuery({ queryKey: queryKeys.authStatus, queryFn: ({ signal }) => api.authStatus(signal), staleTime: 60_000 });

  const [password, setPassword] = useState('');
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LoginError | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const errorId = useId();

  useEffect(() => {
    document.title = `${t('title')} · ChitChats`;
  }, [t]);

  const lockedFor = error?.kind === 'rate' ? Math.max(0, Math.ceil((error.until - now) / 1000)) : 0;
  useEffect(() => {
    if (error?.kind !== 'rate') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [error]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password === '' || busy || lockedFor > 0) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(password);
      // A new login may be another identity (each guest login is one): nothing cached may carry over.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, { role: session.role, user_id: session.user_id, expires_at: session.expires_at });
      navigate(safeNextPath(params.get('next')), { replace: true });
    } catch (cause) {
      if (isApiError(cause) && cause.status === 401) setError({ kind: 'wrong' });
      else if (isApiError(cause) && cause.status === 429) {
        const at = Date.now();
        setNow(at);
        setError({ kind: 'rate', until: at + (cause.retryAfter ?? 60) * 1000 });
      } else if (isApiError(cause) && cause.status === 0) setError({ kind: 'network' });
      else setError({ kind: 'other', status: isApiError(cause) ? cause.status : 0 });
      setBusy(false);
      // The field keeps its value, selected and focused (§4.1).
      requestAnimationFrame(() => {
        input.current?.focus();
        input.current?.select();
      });
    }
  }

  const message =
    error === null
      ? null
      : error.kind === 'wrong'
        ? t('errors.wrongPassword')
        : error.kind === 'rate'
          ? lockedFor > 0
            ? t('errors.tooManyAttempts', { seconds: lockedFor })
            : null
          : error.kind === 'network'
            ? t('errors.unreachable')
            : t('errors.failed', { status: error.status });

  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-10 pb-[max(2.5rem,env(safe-area-inset-bottom))]">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <h1 className="text-2xl font-semibold tracking-tight">ChitChats</h1>
        </div>

        <form onSubmit={submit} noValidate className="rounded-card border border-border bg-surface p-6 shadow-sm">
          {expired && (
            <p role="status" className="mb-4 rounded-control bg-accent-tint px-3 py-2 text-sm">
              {t('sessionEnded')}
            </p>
          )}

          <label htmlFor={fieldId} className="mb-1.5 block text-sm font-medium">
            {t('password')}
          </label>
          <div className="relative">
            <input
              ref={input}
              id={fieldId}
              name="password"
              type={visible ? 'text' : 'password'}
              autoComplete="current-password"
              autoFocus
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={message !== null}
              aria-describedby={message !== null ? errorId : undefined}
              className="w-full rounded-control border border-border bg-bg py-2 pl-3 pr-11 aria-[invalid=true]:border-danger"
            />
            <button
              type="button"
              onClick={() => setVisible((shown) => !shown)}
              aria-pressed={visible}
              aria-label={visible ? t('hidePassword') : t('showPassword')}
              title={visible ? t('hidePassword') : t('showPassword')}
              className="absolute inset-y-0 right-0 flex w-10 items-center justify-center rounded-r-control text-text-muted hover:text-text"
            >
              {visible ? <EyeOff aria-hidden="true" className="size-[18px]" strokeWidth={1.75} /> : <Eye aria-hidden="true" className="size-[18px]" strokeWidth={1.75} />}
            </button>
          </div>
          {message !== null && (
            <p id={errorId} role="alert" className="mt-2 text-sm text-danger">
              {message}
            </p>
          )}

          <button
            type="submit"
            disabled={password === '' || busy || lockedFor > 0}
            aria-busy={busy}
            className="mt-5 flex w-full items-center justify-center gap-2 rounded-control bg-accent px-4 py-2 font-medium text-accent-fg disabled:opacity-50"
          >
            {busy && <Spinner />}
            {lockedFor > 0 ? t('retryIn', { seconds: lockedFor }) : t('submit')}
          </button>

          {status.data?.guest_enabled && <p className="mt-4 text-sm text-text-muted">{t('hintGuest')}</p>}
          {status.data?.password_generated && (
            <div className="mt-4 flex gap-2 rounded-control bg-surface-2 p-3 text-sm">
              <Info aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-accent" strokeWidth={1.75} />
              <p>{t('hintGenerated', { command: 'npm run set-password' })}</p>
            </div>
          )}
        </form>

        <div className="mt-6 flex justify-center">
          <LanguageSwitch />
        </div>
      </div>
    </main>
  );
}
