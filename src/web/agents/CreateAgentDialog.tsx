import * as Tabs from '@radix-ui/react-tabs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Agent } from '../../shared/models';
import { Modal } from '../components/Modal';
import { Spinner } from '../components/Spinner';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { agentApi, agentKeys, type CreateAgentInput } from './agent-endpoints';
import { agentCollator, groupNames } from './agent-groups';
import { nameProblem, normalizeName } from './agent-name';
import { useAgents } from './use-agents';
import { pictureDataUrl, pictureProblem } from './picture';

const inputClass =
  'w-full rounded-control border border-border bg-surface px-2.5 py-1.5 text-sm aria-[invalid=true]:border-danger';

/** Create agent (ui.md §4.7, admin): from new persona fields, or from a folder on disk that has no agent yet. */
export function CreateAgentDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation('manager');
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={t('create.title')}>
      {open && <CreateAgentBody onDone={() => onOpenChange(false)} />}
    </Modal>
  );
}

function useCreateAgent(onDone: () => void) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (input: CreateAgentInput) => agentApi.create(input),
    onSuccess: (agent) => {
      queryClient.setQueryData<Agent[]>(queryKeys.agents, (list) => (list ? [...list.filter((a) => a.id !== agent.id), agent] : list));
      queryClient.setQueryData(agentKeys.agent(agent.id), agent);
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
      void queryClient.invalidateQueries({ queryKey: agentKeys.configs });
      onDone();
      navigate(`/agents/${agent.id}`);
    },
  });
}

function CreateAgentBody({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('manager');
  const triggerClass =
    'flex-1 rounded-[6px] px-3 py-1.5 text-sm text-text-muted data-[state=active]:bg-surface data-[state=active]:font-medium data-[state=active]:text-text data-[state=active]:shadow-sm';
  return (
    <Tabs.Root defaultValue="new">
      <Tabs.List aria-label={t('create.modes')} className="mb-4 flex rounded-control bg-surface-2 p-0.5">
        <Tabs.Trigger value="new" className={triggerClass}>
          {t('create.newTab')}
        </Tabs.Trigger>
        <Tabs.Trigger value="folder" className={triggerClass}>
          {t('create.folderTab')}
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="new">
        <NewPersonaForm onDone={onDone} />
      </Tabs.Content>
      <Tabs.Content value="folder">
        <ExistingFolderForm onDone={onDone} />
      </Tabs.Content>
    </Tabs.Root>
  );
}

function Field({ label, error, hint, children, id }: { label: string; error?: string; hint?: string; children: ReactNode; id: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

function NewPersonaForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('manager');
  const agents = useAgents();
  const create = useCreateAgent(onDone);
  const id = useId();
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [nutshell, setNutshell] = useState('');
  const [characteristics, setCharacteristics] = useState('');
  const [recent, setRecent] = useState('');
  const [picture, setPicture] = useState<{ url: string; name: string } | null>(null);
  const [pictureError, setPictureError] = useState<string | undefined>();
  const [submitted, setSubmitted] = useState(false);

  const existing = new Set((agents.data ?? []).map((agent) => normalizeName(agent.name)));
  const nameIssue = nameProblem(name);
  const nameTaken = nameIssue === null && existing.has(normalizeName(name));
  const groupIssue = group.trim() === '' ? null : nameProblem(group);
  const serverFields = isApiError(create.error) && create.error.status === 422 ? create.error.fields : {};
  const conflict = isApiError(create.error) && create.error.status === 409;

  const nameError =
    (name !== '' || submitted) && nameIssue
      ? t(`name.${nameIssue}`)
      : nameTaken || conflict
        ? t('name.taken')
        : serverFields.name
          ? t('name.rejected')
          : undefined;
  const groupError = groupIssue && groupIssue !== 'empty' ? t(`name.${groupIssue}`) : serverFields.group ? t('name.rejected') : undefined;
  const nutshellError = submitted && nutshell.trim() === '' ? t('create.required') : undefined;
  const characteristicsError = submitted && characteristics.trim() === '' ? t('create.required') : undefined;

  const choosePicture = async (file: File | undefined) => {
    setPictureError(undefined);
    if (!file) return setPicture(null);
    const problem = pictureProblem(file);
    if (problem) return setPictureError(t(`picture.${problem}`));
    try {
      setPicture({ url: await pictureDataUrl(file), name: file.name });
    } catch {
      setPictureError(t('picture.unreadable'));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (nameIssue || nameTaken || groupError || nutshell.trim() === '' || characteristics.trim() === '') return;
    create.mutate({
      name: normalizeName(name),
      group: group.trim() === '' ? null : normalizeName(group),
      in_a_nutshell: nutshell,
      characteristics,
      recent_events: recent,
      ...(picture ? { profile_pic: picture.url } : {}),
    });
  };

  const described = (fieldId: string, error: string | undefined, hint?: boolean) =>
    error ? `${fieldId}-error` : hint ? `${fieldId}-hint` : undefined;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <Field id={`${id}-name`} label={t('create.name')} error={nameError} hint={t('name.hint')}>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={described(`${id}-name`, nameError, true)}
          autoComplete="off"
          required
          className={inputClass}
        />
      </Field>
      <Field id={`${id}-group`} label={t('create.group')} error={groupError} hint={t('create.groupHint')}>
        <input
          id={`${id}-group`}
          value={group}
          onChange={(event) => setGroup(event.target.value)}
          list={`${id}-groups`}
          aria-invalid={groupError ? true : undefined}
          aria-describedby={described(`${id}-group`, groupError, true)}
          autoComplete="off"
          className={inputClass}
        />
        <datalist id={`${id}-groups`}>
          {groupNames(agents.data ?? []).map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
      </Field>
      <Field id={`${id}-nutshell`} label={t('files.in_a_nutshell')} error={nutshellError}>
        <textarea
          id={`${id}-nutshell`}
          value={nutshell}
          onChange={(event) => setNutshell(event.target.value)}
          aria-invalid={nutshellError ? true : undefined}
          aria-describedby={described(`${id}-nutshell`, nutshellError)}
          required
          rows={2}
          className={`${inputClass} font-mono`}
        />
      </Field>
      <Field id={`${id}-characteristics`} label={t('files.characteristics')} error={characteristicsError}>
        <textarea
          id={`${id}-characteristics`}
          value={characteristics}
          onChange={(event) => setCharacteristics(event.target.value)}
          aria-invalid={characteristicsError ? true : undefined}
          aria-describedby={described(`${id}-characteristics`, characteristicsError)}
          required
          rows={4}
          className={`${inputClass} font-mono`}
        />
      </Field>
      <Field id={`${id}-recent`} label={t('create.recentOptional')}>
        <textarea id={`${id}-recent`} value={recent} onChange={(event) => setRecent(event.target.value)} rows={2} className={`${inputClass} font-mono`} />
      </Field>
      <Field id={`${id}-picture`} label={t('create.pictureOptional')} error={pictureError} hint={t('picture.hint')}>
        <div className="flex items-center gap-3">
          {picture && <img src={picture.url} alt="" width={40} height={40} className="size-10 rounded-full object-cover" />}
          <input
            id={`${id}-picture`}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            onChange={(event) => void choosePicture(event.target.files?.[0])}
            aria-invalid={pictureError ? true : undefined}
            aria-describedby={described(`${id}-picture`, pictureError, true)}
            className="text-sm"
          />
        </div>
      </Field>
      {create.isError && !conflict && (
        <p role="alert" className="text-sm text-danger">
          {errorText(t, create.error)}
          <span className="block text-xs text-text-muted">{create.error.message}</span>
        </p>
      )}
      <div className="mt-1 flex justify-end gap-2">
        <button type="button" onClick={onDone} className="rounded-control border border-border px-3 py-1.5">
          {t('common:actions.cancel')}
        </button>
        <button
          type="submit"
          disabled={create.isPending}
          className="flex items-center gap-2 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-60"
        >
          {create.isPending && <Spinner />}
          {t('create.submit')}
        </button>
      </div>
    </form>
  );
}

function ExistingFolderForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('manager');
  const agents = useAgents();
  const configs = useQuery({ queryKey: agentKeys.configs, queryFn: ({ signal }) => agentApi.configs(signal) });
  const create = useCreateAgent(onDone);
  const [chosen, setChosen] = useState<string | null>(null);
  const taken = new Set((agents.data ?? []).map((agent) => normalizeName(agent.name)));
  const free = Object.entries(configs.data ?? {})
    .filter(([name]) => !taken.has(normalizeName(name)))
    .sort(([a], [b]) => agentCollator.compare(a, b));

  if (configs.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-text-muted">
        <Spinner /> {t('common:loading')}
      </p>
    );
  }
  if (configs.isError) {
    return (
      <div role="alert" className="text-sm">
        <p className="text-danger">{errorText(t, configs.error)}</p>
        <button type="button" onClick={() => void configs.refetch()} className="mt-1 font-medium text-accent hover:underline">
          {t('common:actions.retry')}
        </button>
      </div>
    );
  }
  if (free.length === 0) return <p className="text-sm text-text-muted">{t('create.noFolders')}</p>;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const entry = free.find(([name]) => name === chosen);
        if (entry) create.mutate({ name: entry[0], config_file: entry[1].path });
      }}
      className="flex flex-col gap-3"
    >
      <fieldset>
        <legend className="mb-2 text-sm font-medium">{t('create.folders')}</legend>
        <ul className="flex max-h-72 flex-col gap-1 overflow-y-auto">
          {free.map(([name, config]) => (
            <li key={name}>
              <label className="flex cursor-pointer items-start gap-2 rounded-control px-2 py-1.5 hover:bg-surface-2 has-[:checked]:bg-accent-tint">
                <input type="radio" name="folder" value={name} checked={chosen === name} onChange={() => setChosen(name)} className="mt-1" />
                <span className="min-w-0">
                  <span className="block font-medium">{name}</span>
                  <span className="block truncate text-xs text-text-muted">
                    {config.group ? `${config.group} · ` : ''}
                    <code className="font-mono">{config.path}</code>
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {create.isError && (
        <p role="alert" className="text-sm text-danger">
          {errorText(t, create.error)}
          <span className="block text-xs text-text-muted">{create.error.message}</span>
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onDone} className="rounded-control border border-border px-3 py-1.5">
          {t('common:actions.cancel')}
        </button>
        <button
          type="submit"
          disabled={!chosen || create.isPending}
          className="flex items-center gap-2 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-60"
        >
          {create.isPending && <Spinner />}
          {t('create.submit')}
        </button>
      </div>
    </form>
  );
}
