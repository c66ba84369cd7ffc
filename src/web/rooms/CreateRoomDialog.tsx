import { useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Agent, ProviderInfo } from '../../shared/models';
import type { ProviderId } from '../../shared/providers';
import { Modal } from '../components/Modal';
import { ProviderChip } from '../components/ProviderChip';
import { Spinner } from '../components/Spinner';
import { isApiError } from '../lib/api';
import { api, summaryOf } from '../lib/endpoints';
import { queryKeys } from '../lib/query';
import { openHelp } from '../dialogs/dialog-events';
import { parseLimit } from '../room/limit';
import { roomApi } from '../room/room-endpoints';
import { toast } from '../components/toast';
import { AgentPicker } from './AgentPicker';
import { applyRoomWithAgents, upsertRoomAtTop } from './rooms-data';

const NAME_MAX = 100;
const NAME_COUNTER_FROM = 90;

/** The provider chosen by default: the server's `default` when available, else the first available (§4.3). */
export function defaultProvider(providers: readonly ProviderInfo[], serverDefault: string | undefined): string | undefined {
  const preferred = providers.find((p) => p.name === serverDefault && p.available);
  return (preferred ?? providers.find((p) => p.available))?.name;
}

function codePointLength(text: string): number {
  return [...text].length;
}

interface FieldErrors {
  name?: string;
  provider?: string;
  model?: string;
  limit?: string;
  form?: string;
}

/** Create room (ui.md §4.3): name, provider cards from `GET /providers`, and a model when there is a choice. */
export function CreateRoomDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation('rooms');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const providers = useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => api.providers(signal),
    staleTime: 60_000,
    enabled: open,
  });

  const [name, setName] = useState('');
  const [provider, setProvider] = useState<string | undefined>();
  const [model, setModel] = useState<string | undefined>();
  const [limit, setLimit] = useState('');
  const [members, setMembers] = useState<Agent[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const limitInput = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const nameErrorId = useId();
  const providerErrorId = useId();
  const modelId = useId();
  const limitId = useId();
  const limitHintId = useId();
  const limitErrorId = useId();

  // Providers are refetched whenever the dialog opens (§3.1); a fresh form each time.
  useEffect(() => {
    if (!open) return;
    setName('');
    setLimit('');
    setMembers([]);
    setErrors({});
    setBusy(false);
    setProvider(undefined);
    setModel(undefined);
    void queryClient.invalidateQueries({ queryKey: queryKeys.providers });
  }, [open, queryClient]);

  const list = providers.data?.providers ?? [];
  const chosen = list.find((p) => p.name === provider && p.available);
  useEffect(() => {
    if (provider === undefined && providers.data) setProvider(defaultProvider(providers.data.providers, providers.data.default));
  }, [provider, providers.data]);
  useEffect(() => {
    setModel(chosen?.default_model ?? chosen?.models[0] ?? undefined);
  }, [chosen]);

  const trimmed = name.trim();
  const noneAvailable = providers.isSuccess && !list.some((p) => p.available);
  const canSubmit = trimmed !== '' && codePointLength(trimmed) <= NAME_MAX && chosen !== undefined && !busy;

  /** The chosen agents join one by one, in the order chosen; the room opens even if some could not be added. */
  async function addFirstMembers(roomId: number) {
    const failed: string[] = [];
    let detail = '';
    for (const agent of members) {
      try {
        applyRoomWithAgents(queryClient, await roomApi.addMember(roomId, agent.id));
      } catch (cause) {
        failed.push(agent.name);
        detail = isApiError(cause) ? cause.detail : String(cause);
      }
    }
    if (failed.length > 0) toast(t('create.addFailed', { names: failed.join(', '), detail }), { tone: 'error' });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (trimmed === '') return setErrors({ name: t('create.nameRequired') });
    if (codePointLength(trimmed) > NAME_MAX) return setErrors({ name: t('create.nameTooLong', { max: NAME_MAX }) });
    const maxInteractions = parseLimit(limit);
    if (maxInteractions === undefined) {
      setErrors({ limit: t('create.limitInvalid') });
      limitInput.current?.focus();
      return;
    }
    if (!canSubmit || !chosen) return;
    setBusy(true);
    setErrors({});
    try {
      const room = await api.createRoom({
        name: trimmed,
        provider: chosen.name as ProviderId,
        ...(model && chosen.models.length > 1 ? { model } : {}),
        max_interactions: maxInteractions,
      });
      upsertRoomAtTop(queryClient, summaryOf(room));
      await addFirstMembers(room.id);
      onOpenChange(false);
      navigate(`/rooms/${room.id}`);
    } catch (cause) {
      setBusy(false);
      if (isApiError(cause) && cause.status === 409) setErrors({ name: t('create.nameTaken') });
      else if (isApiError(cause) && cause.status === 422) {
        const f = cause.fields;
        const next: FieldErrors = {
          name: f.name,
          provider: f.provider ?? f.default_provider,
          model: f.model ?? f.default_model,
          limit: f.max_interactions,
        };
        if (!next.name && !next.provider && !next.model && !next.limit) next.form = t('create.failed', { detail: cause.detail });
        setErrors(next);
      } else setErrors({ form: t('create.failed', { detail: isApiError(cause) ? cause.detail : String(cause) }) });
      if (isApiError(cause) && (cause.status === 409 || cause.fields.name)) nameInput.current?.focus();
    }
  }

  return (
    <Modal
      open={open}
      onOpenChange={(next) => !busy && onOpenChange(next)}
      title={t('create.title')}
      onOpenAutoFocus={(event) => {
        event.preventDefault();
        nameInput.current?.focus();
      }}
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-5">
        {errors.form && (
          <p role="alert" className="rounded-control bg-danger/10 px-3 py-2 text-sm text-danger">
            {errors.form}
          </p>
        )}

        <div>
          <div className="mb-1.5 flex items-baseline justify-between">
            <label htmlFor={nameId} className="text-sm font-medium">
              {t('create.name')}
            </label>
            {codePointLength(name) >= NAME_COUNTER_FROM && (
              <span className={`text-xs ${codePointLength(trimmed) > NAME_MAX ? 'text-danger' : 'text-text-muted'}`}>
                {t('create.nameCounter', { count: codePointLength(trimmed), max: NAME_MAX })}
              </span>
            )}
          </div>
          <input
            ref={nameInput}
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            autoComplete="off"
            aria-invalid={errors.name !== undefined}
            aria-describedby={errors.name ? nameErrorId : undefined}
            className="w-full rounded-control border border-border bg-bg px-3 py-2 aria-[invalid=true]:border-danger"
          />
          {errors.name && (
            <p id={nameErrorId} role="alert" className="mt-1.5 text-sm text-danger">
              {errors.name}
            </p>
          )}
        </div>

        <fieldset aria-describedby={errors.provider ? providerErrorId : undefined}>
          <legend className="mb-1.5 text-sm font-medium">{t('create.provider')}</legend>
          {providers.isPending ? (
            <p className="flex items-center gap-2 text-sm text-text-muted">
              <Spinner /> {t('create.providersLoading')}
            </p>
          ) : providers.isError ? (
            <p role="alert" className="text-sm text-danger">
              {t('create.providersError')}{' '}
              <button type="button" onClick={() => void providers.refetch()} className="font-medium text-accent hover:underline">
                {t('common:actions.retry')}
              </button>
            </p>
          ) : (
            <div className="flex flex-col gap-2">
              {list.map((p) => (
                <label
                  key={p.name}
                  className={`flex items-start gap-3 rounded-card border px-3 py-2.5 ${
                    p.available ? 'cursor-pointer border-border has-[:checked]:border-accent has-[:checked]:bg-accent-tint' : 'cursor-not-allowed border-border opacity-60'
                  }`}
                >
                  <input
                    type="radio"
                    name="provider"
                    value={p.name}
                    checked={provider === p.name}
                    disabled={!p.available}
                    onChange={() => setProvider(p.name)}
                    aria-describedby={`${nameId}-${p.name}-status`}
                    className="mt-1 accent-[var(--color-accent)]"
                  />
                  <span className="flex flex-col">
                    <span className="flex items-center gap-2 font-medium">
                      <ProviderChip provider={p.name} />
                    </span>
                    <span id={`${nameId}-${p.name}-status`} className="text-sm text-text-muted">
                      {p.available ? t('create.ready') : (p.reason ?? t('create.unavailable'))}
                      {p.available && p.name === 'claude' && p.auth_mode === 'local_login' && ` · ${t('create.localMode')}`}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          )}
          {noneAvailable && (
            <p role="alert" className="mt-2 flex items-start gap-2 text-sm text-warning">
              <AlertTriangle aria-hidden="true" className="mt-0.5 size-4 shrink-0" strokeWidth={1.75} />
              <span>
                {t('create.noProviders')}{' '}
                <button
                  type="button"
                  onClick={() => {
                    onOpenChange(false);
                    openHelp('providers');
                  }}
                  className="font-medium text-accent underline"
                >
                  {t('create.providersHelp')}
                </button>
              </span>
            </p>
          )}
          {errors.provider && (
            <p id={providerErrorId} role="alert" className="mt-1.5 text-sm text-danger">
              {errors.provider}
            </p>
          )}
        </fieldset>

        {chosen && chosen.models.length > 1 && (
          <div>
            <label htmlFor={modelId} className="mb-1.5 block text-sm font-medium">
              {t('create.model')}
            </label>
            <select
              id={modelId}
              value={model}
              onChange={(event) => setModel(event.target.value)}
              aria-invalid={errors.model !== undefined}
              className="w-full rounded-control border border-border bg-bg px-3 py-2"
            >
              {chosen.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            {errors.model && (
              <p role="alert" className="mt-1.5 text-sm text-danger">
                {errors.model}
              </p>
            )}
          </div>
        )}

        <div>
          <label htmlFor={limitId} className="mb-1.5 block text-sm font-medium">
            {t('create.limit')}
          </label>
          <input
            ref={limitInput}
            id={limitId}
            value={limit}
            onChange={(event) => setLimit(event.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('create.limitPlaceholder')}
            aria-invalid={errors.limit !== undefined}
            aria-describedby={errors.limit ? `${limitErrorId} ${limitHintId}` : limitHintId}
            className="w-40 rounded-control border border-border bg-bg px-3 py-2 aria-[invalid=true]:border-danger"
          />
          <p id={limitHintId} className="mt-1 text-xs text-text-muted">
            {t('create.limitHint')}
          </p>
          {errors.limit && (
            <p id={limitErrorId} role="alert" className="mt-1 text-sm text-danger">
              {errors.limit}
            </p>
          )}
        </div>

        <AgentPicker chosen={members} onChange={setMembers} />

        <div className="flex justify-end gap-2">
          <button type="button" onClick={() => onOpenChange(false)} disabled={busy} className="rounded-control border border-border px-3 py-1.5">
            {t('common:actions.cancel')}
          </button>
          <button
            type="submit"
            disabled={!canSubmit}
            aria-busy={busy}
            className="flex items-center gap-2 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-50"
          >
            {busy && <Spinner />}
            {t('create.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
