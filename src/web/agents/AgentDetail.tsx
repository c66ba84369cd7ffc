import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Camera, Copy, MessageCircle, RefreshCw, Trash2 } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Agent } from '../../shared/models';
import { Modal } from '../components/Modal';
import { Spinner } from '../components/Spinner';
import { isApiError } from '../lib/api';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { dateFormat } from '../lib/format';
import { agentApi, agentKeys } from './agent-endpoints';
import { AgentAvatar } from '../components/AgentAvatar';
import { bumpAvatarVersion } from '../components/avatar-version';
import { PersonaEditor } from './PersonaEditor';
import { pictureDataUrl, pictureProblem } from './picture';
import { useUnsavedChangesGuard } from './unsaved-guard';
import { useOpenDirectChat } from '../rooms/use-open-direct-chat';

const iconProps = { 'aria-hidden': true, className: 'size-[18px]', strokeWidth: 1.75 } as const;
const buttonClass =
  'flex items-center gap-1.5 rounded-control border border-border px-2.5 py-1.5 text-sm font-medium hover:bg-surface-2 disabled:opacity-60';

/** The behaviour chips of ui.md §4.5, shared with the profile. */
export function BehaviourChips({ agent }: { agent: Agent }) {
  const { t } = useTranslation('agents');
  const chips = [
    agent.priority > 0 && 'goesFirst',
    agent.transparent && 'narrator',
    agent.interrupt_every_turn && 'everyTurn',
    agent.is_critic && 'critic',
  ].filter((chip): chip is string => typeof chip === 'string');
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label={t('chips.label')}>
      {chips.map((chip) => (
        <li key={chip} className="rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-text-muted">
          {t(`chips.${chip}`)}
        </li>
      ))}
    </ul>
  );
}

/**
 * The agent manager's detail pane (ui.md §4.7): header with picture, name, group, folder, chips and actions, then
 * the persona editor. Admin-only controls are hidden from guests (§5).
 */
export function AgentDetail({ agentId, fallback, admin }: { agentId: number; fallback: Agent | undefined; admin: boolean }) {
  const { t, i18n } = useTranslation('manager');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const agentQuery = useQuery({
    queryKey: agentKeys.agent(agentId),
    queryFn: ({ signal }) => agentApi.agent(agentId, signal),
    placeholderData: fallback,
    refetchInterval: 30_000,
  });
  const agent = agentQuery.data;
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [pictureState, setPictureState] = useState<{ preview?: string; error?: string }>({});
  const fileInput = useRef<HTMLInputElement>(null);
  const directChat = useOpenDirectChat();

  const store = (saved: Agent) => {
    queryClient.setQueryData(agentKeys.agent(saved.id), saved);
    queryClient.setQueryData<Agent[]>(queryKeys.agents, (list) => list?.map((a) => (a.id === saved.id ? saved : a)));
  };

  const reload = useMutation({
    mutationFn: () => agentApi.reload(agentId),
    onSuccess: (saved) => {
      store(saved);
      setNotice(t('detail.reloaded'));
    },
  });

  const remove = useMutation({
    mutationFn: () => agentApi.remove(agentId, true),
    onSuccess: () => {
      setDeleteOpen(false);
      queryClient.setQueryData<Agent[]>(queryKeys.agents, (list) => list?.filter((a) => a.id !== agentId));
      queryClient.removeQueries({ queryKey: agentKeys.agent(agentId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
      guard.release();
      navigate('/agents');
    },
  });

  const upload = async (file: File | undefined) => {
    if (!file || !agent) return;
    const problem = pictureProblem(file);
    if (problem) return setPictureState({ error: t(`picture.${problem}`) });
    let url: string;
    try {
      url = await pictureDataUrl(file);
    } catch {
      return setPictureState({ error: t('picture.unreadable') });
    }
    setPictureState({ preview: url });
    try {
      const saved = await agentApi.patch(agent.id, { profile_pic: url });
      store(saved);
      bumpAvatarVersion(saved.name);
      setPictureState({});
    } catch (error) {
      setPictureState({ error: `${t('picture.failed')} ${errorText(t, error)}` });
    }
  };

  if (!agent) {
    if (agentQuery.isError) {
      const missing = isApiError(agentQuery.error) && agentQuery.error.status === 404;
      return (
        <div role="alert" className="p-6 text-text-muted">
          <p>{missing ? t('agents:notFound') : errorText(t, agentQuery.error)}</p>
          {!missing && (
            <button type="button" onClick={() => void agentQuery.refetch()} className="mt-2 font-medium text-accent hover:underline">
              {t('common:actions.retry')}
            </button>
          )}
        </div>
      );
    }
    return (
      <p className="flex items-center gap-2 p-6 text-text-muted">
        <Spinner /> {t('common:loading')}
      </p>
    );
  }

  const created = dateFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(agent.created_at));

  return (
    <article aria-labelledby="agent-detail-name" className="mx-auto max-w-5xl p-4 md:p-6">
      <Link to="/agents" className="mb-3 inline-flex items-center gap-1 text-sm text-text-muted hover:text-text md:hidden coarse:min-h-11">
        <ArrowLeft {...iconProps} />
        {t('detail.back')}
      </Link>
      <div className="flex flex-wrap items-start gap-4">
        <div className="flex flex-col items-center gap-2">
          <AgentAvatar name={agent.name} picture={agent.profile_pic} size={96} src={pictureState.preview} />
          {admin && (
            <>
              <button type="button" onClick={() => fileInput.current?.click()} className="flex items-center gap-1 rounded-control px-2 py-1 text-xs text-text-muted hover:bg-surface-2 hover:text-text">
                <Camera aria-hidden="true" className="size-4" strokeWidth={1.75} />
                {t('picture.change')}
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="image/png,image/jpeg,image/webp,image/gif"
                aria-label={t('picture.change')}
                className="sr-only"
                tabIndex={-1}
                onChange={(event) => {
                  void upload(event.target.files?.[0]);
                  event.target.value = '';
                }}
              />
            </>
          )}
        </div>
        <div className="flex min-w-0 flex-1 flex-col gap-1.5">
          <h2 id="agent-detail-name" className="text-xl font-semibold">
            {agent.name}
          </h2>
          <p className="text-sm text-text-muted">
            {agent.group ?? t('agents:ungrouped')} · {t('detail.created', { date: created })}
          </p>
          {agent.config_file && (
            <p className="flex min-w-0 items-center gap-1 text-sm">
              <code className="truncate font-mono text-xs text-text-muted">{agent.config_file}</code>
              <CopyButton text={agent.config_file} />
            </p>
          )}
          <BehaviourChips agent={agent} />
          {pictureState.error && (
            <p role="alert" className="text-sm text-danger">
              {pictureState.error}
            </p>
          )}
        </div>
      </div>

      <div className="mt-4 flex flex-wrap gap-2">
        <button type="button" onClick={() => directChat.mutate({ agentId: agent.id })} disabled={directChat.isPending} className={buttonClass}>
          {directChat.isPending ? <Spinner /> : <MessageCircle {...iconProps} />}
          {t('detail.chat')}
        </button>
        {admin && (
          <>
            <button
              type="button"
              onClick={() => {
                setNotice(null);
                reload.mutate();
              }}
              disabled={reload.isPending}
              className={buttonClass}
            >
              {reload.isPending ? <Spinner /> : <RefreshCw {...iconProps} />}
              {t('detail.reload')}
            </button>
            <button type="button" onClick={() => setDeleteOpen(true)} className={`${buttonClass} text-danger`}>
              <Trash2 {...iconProps} />
              {t('detail.delete')}
            </button>
          </>
        )}
      </div>
      <div role="status" className="mt-2 text-sm text-success">
        {notice}
      </div>
      {(reload.isError || directChat.isError) && (
        <p role="alert" className="mt-1 text-sm text-danger">
          {reload.isError ? `${t('detail.reloadFailed')} ${errorText(t, reload.error)}` : `${t('agents:chat.failed')} ${errorText(t, directChat.error)}`}
        </p>
      )}

      <PersonaEditor key={agent.id} agent={agent} canEdit={admin} onDirtyChange={onDirtyChange} />

      <Modal open={deleteOpen} onOpenChange={(open) => !remove.isPending && setDeleteOpen(open)} title={t('delete.title', { name: agent.name })} description={t('delete.body')}>
        <p className="mb-4 text-sm text-text-muted">{t('delete.trash')}</p>
        {remove.isError && (
          <p role="alert" className="mb-3 text-sm text-danger">
            {errorText(t, remove.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" autoFocus onClick={() => setDeleteOpen(false)} className="rounded-control border border-border px-3 py-1.5">
            {t('common:actions.cancel')}
          </button>
          <button
            type="button"
            onClick={() => remove.mutate()}
            disabled={remove.isPending}
            className="flex items-center gap-2 rounded-control bg-danger px-3 py-1.5 font-medium text-white disabled:opacity-60"
          >
            {remove.isPending && <Spinner />}
            {t('delete.confirm')}
          </button>
        </div>
      </Modal>
      {guard.prompt}
    </article>
  );
}

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation('manager');
  const [copied, setCopied] = useState(false);
  const label = copied ? t('detail.copied') : t('detail.copyPath');
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
      className="rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-w-11"
    >
      <Copy aria-hidden="true" className="size-4" strokeWidth={1.75} />
    </button>
  );
}
