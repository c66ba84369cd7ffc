import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronDown, ImageUp, MessageCircle, X } from 'lucide-react';
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Agent, RoomSummary } from '../../shared/models';
import { useSession } from '../auth/session';
import { Spinner } from '../components/Spinner';
import { toast } from '../components/toast';
import { api } from '../lib/endpoints';
import { errorText } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { queryKeys } from '../lib/query';
import { roomApi } from '../room/room-endpoints';
import { useOpenDirectChat } from '../rooms/use-open-direct-chat';
import { AgentAvatar } from '../components/AgentAvatar';
import { bumpAvatarVersion, useAgent } from './agents-data';
import { BehaviourChips } from './behaviour';
import { checkPicture, pictureDataUrl } from './picture';

const buttonClass = 'flex items-center gap-1.5 rounded-control border border-border px-3 py-1.5 text-sm hover:bg-surface-2 disabled:opacity-50 coarse:min-h-11';
const itemClass =
  'flex cursor-default select-none items-center justify-between gap-3 rounded-control px-3 py-2 text-sm outline-none data-[highlighted]:bg-surface-2 data-[disabled]:opacity-50 coarse:min-h-11';

/**
 * The agent profile (ui.md §4.6), for everyone: picture, persona text, the current system prompt, and Chat 1-on-1 /
 * Add to this room. Admins also change the picture (§4.7 upload rules).
 */
export function AgentProfileDialog({
  agentId,
  room,
  isMember,
  onAddToRoom,
  onOpenChange,
}: {
  agentId: number | undefined;
  room?: RoomSummary | undefined;
  isMember?: boolean;
  onAddToRoom?: (agent: Agent) => void;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation('room');
  return (
    <Dialog.Root open={agentId !== undefined} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <DialogContent
          aria-describedby={undefined}
          className="fixed left-1/2 top-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col rounded-card border border-border bg-surface shadow-xl"
        >
          {agentId !== undefined ? (
            <ProfileBody agentId={agentId} room={room} isMember={isMember ?? false} onAddToRoom={onAddToRoom} onClose={() => onOpenChange(false)} />
          ) : (
            <Dialog.Title className="sr-only">{t('profile.title')}</Dialog.Title>
          )}
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function ProfileBody({
  agentId,
  room,
  isMember,
  onAddToRoom,
  onClose,
}: {
  agentId: number;
  room: RoomSummary | undefined;
  isMember: boolean;
  onAddToRoom: ((agent: Agent) => void) | undefined;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('room');
  const isAdmin = useSession().data?.role === 'admin';
  const queryClient = useQueryClient();
  const agent = useAgent(agentId);
  const direct = useOpenDirectChat();
  const providers = useQuery({ queryKey: queryKeys.providers, queryFn: ({ signal }) => api.providers(signal), staleTime: 60_000 });
  const [preview, setPreview] = useState<string | undefined>();
  const [pictureError, setPictureError] = useState<string | undefined>();
  const [uploading, setUploading] = useState(false);
  const [showAllTraits, setShowAllTraits] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const data = agent.data;
  if (!data) {
    return (
      <div className="p-6">
        <Dialog.Title className="sr-only">{t('profile.title')}</Dialog.Title>
        {agent.isError ? (
          <p role="alert" className="text-danger">
            {errorText(t, agent.error)}{' '}
            <button type="button" onClick={() => void agent.refetch()} className="font-medium text-accent hover:underline">
              {t('common:actions.retry')}
            </button>
          </p>
        ) : (
          <p className="flex items-center gap-2 text-text-muted">
            <Spinner /> {t('profile.loading')}
          </p>
        )}
      </div>
    );
  }

  const chat = (provider?: string) =>
    direct.mutate(
      { agentId: data.id, ...(provider ? { provider } : {}) },
      {
        onSuccess: onClose,
        onError: (error) => toast(t('profile.chatFailed', { name: data.name, reason: errorText(t, error) }), { tone: 'error' }),
      },
    );

  const changePicture = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const problem = checkPicture(file);
    if (problem) return setPictureError(t(`profile.picture.${problem}`));
    setPictureError(undefined);
    setUploading(true);
    try {
      const dataUrl = await pictureDataUrl(file);
      setPreview(dataUrl);
      const updated = await roomApi.setPicture(data.id, dataUrl);
      queryClient.setQueryData(['agent', data.id], updated);
      queryClient.setQueryData<Agent[]>(queryKeys.agents, (list) => list?.map((a) => (a.id === updated.id ? updated : a)));
      bumpAvatarVersion(updated.name);
    } catch (error) {
      toast(t('profile.picture.failed', { reason: errorText(t, error) }), { tone: 'error' });
    } finally {
      setPreview(undefined);
      setUploading(false);
    }
  };

  const traits = data.characteristics ?? '';
  const longTraits = traits.split('\n').length > 12 || traits.length > 1200;

  return (
    <>
      <div className="flex items-start gap-4 border-b border-border p-5">
        <div className="flex shrink-0 flex-col items-center gap-2">
          {preview ? (
            <img src={preview} alt="" width={96} height={96} className="size-24 rounded-full object-cover" />
          ) : (
            <AgentAvatar name={data.name} picture={data.profile_pic} size={96} />
          )}
          {isAdmin && (
            <>
              <button type="button" onClick={() => fileInput.current?.click()} disabled={uploading} aria-busy={uploading} className={buttonClass}>
                {uploading ? <Spinner /> : <ImageUp aria-hidden="true" className="size-4" strokeWidth={1.75} />}
                {t('profile.picture.change')}
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="image/png,image/jpeg,image/webp,image/gif"
                onChange={(event) => void changePicture(event)}
                className="sr-only"
                tabIndex={-1}
                aria-label={t('profile.picture.change')}
              />
            </>
          )}
        </div>
        <div className="min-w-0 flex-1">
          <Dialog.Title className="truncate text-xl font-semibold">{data.name}</Dialog.Title>
          {data.group && <p className="text-sm text-text-muted">{data.group}</p>}
          <div className="mt-2">
            <BehaviourChips agent={data} />
          </div>
          {isAdmin && <p className="mt-2 text-xs text-text-muted">{t('profile.picture.hint')}</p>}
          {pictureError && (
            <p role="alert" className="mt-2 text-sm text-danger">
              {pictureError}
            </p>
          )}
        </div>
        <Dialog.Close
          className="-m-1 rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
          aria-label={t('common:actions.close')}
          title={t('common:actions.close')}
        >
          <X aria-hidden="true" className="mx-auto size-[18px]" strokeWidth={1.75} />
        </Dialog.Close>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto p-5 text-sm">
        {data.in_a_nutshell && <p className="whitespace-pre-wrap text-base">{data.in_a_nutshell}</p>}
        {traits && (
          <section className="mt-4">
            <h3 className="mb-1 font-semibold">{t('profile.characteristics')}</h3>
            <p className={`whitespace-pre-wrap ${longTraits && !showAllTraits ? 'line-clamp-[12]' : ''}`}>{traits}</p>
            {longTraits && (
              <button type="button" onClick={() => setShowAllTraits((v) => !v)} aria-expanded={showAllTraits} className="mt-1 font-medium text-accent hover:underline">
                {showAllTraits ? t('profile.showLess') : t('profile.showMore')}
              </button>
            )}
          </section>
        )}
        {data.recent_events && (
          <details className="mt-4">
            <summary className="cursor-pointer font-semibold">{t('profile.recentEvents')}</summary>
            <p className="mt-1 whitespace-pre-wrap">{data.recent_events}</p>
          </details>
        )}
        <p className="mt-4 text-xs text-text-muted">
          {t('profile.created', { date: formatDateTime(data.created_at, i18n.language) })}
        </p>
        <details className="mt-4 rounded-control border border-border">
          <summary className="cursor-pointer px-3 py-2 font-semibold">{t('profile.systemPrompt')}</summary>
          <div className="border-t border-border p-3">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(data.system_prompt).then(
                  () => toast(t('profile.promptCopied'), { tone: 'success' }),
                  () => toast(t('errors.clipboard'), { tone: 'error' }),
                )
              }
              className={`${buttonClass} mb-2`}
            >
              {t('profile.copy')}
            </button>
            <pre className="max-h-80 overflow-auto whitespace-pre-wrap font-mono text-xs">{data.system_prompt}</pre>
          </div>
        </details>
      </div>

      <div className="flex flex-wrap items-center justify-end gap-2 border-t border-border p-4">
        {isAdmin && (
          <Link to={`/agents/${data.id}`} onClick={onClose} className={`${buttonClass} mr-auto`}>
            {t('profile.edit')}
          </Link>
        )}
        {room && !isMember && onAddToRoom && (
          <button
            type="button"
            onClick={() => {
              onAddToRoom(data);
              onClose();
            }}
            className={buttonClass}
          >
            {t('profile.addToRoom')}
          </button>
        )}
        <div className="flex">
          <button
            type="button"
            onClick={() => chat()}
            disabled={direct.isPending}
            aria-busy={direct.isPending}
            className="flex items-center gap-1.5 rounded-l-control bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg disabled:opacity-60 coarse:min-h-11"
          >
            {direct.isPending ? <Spinner /> : <MessageCircle aria-hidden="true" className="size-4" strokeWidth={1.75} />}
            {t('profile.chat')}
          </button>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger
              disabled={direct.isPending}
              aria-label={t('profile.chatWith')}
              title={t('profile.chatWith')}
              className="rounded-r-control border-l border-accent-fg/30 bg-accent px-2 text-accent-fg disabled:opacity-60 coarse:min-h-11"
            >
              <ChevronDown aria-hidden="true" className="size-4" strokeWidth={2} />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-card border border-border bg-surface p-1 shadow-xl">
                {providers.isPending && (
                  <div className="flex items-center gap-2 px-3 py-2 text-sm text-text-muted">
                    <Spinner /> {t('profile.providersLoading')}
                  </div>
                )}
                {providers.isError && <div className="px-3 py-2 text-sm text-danger">{t('profile.providersError')}</div>}
                {providers.data?.providers.map((p) => (
                  <DropdownMenu.Item key={p.name} disabled={!p.available} className={itemClass} onSelect={() => chat(p.name)}>
                    <span>{t(`common:providers.${p.name}`, { defaultValue: p.name })}</span>
                    <span className="text-xs text-text-muted">{p.available ? t('profile.ready') : (p.reason ?? t('profile.unavailable'))}</span>
                  </DropdownMenu.Item>
                ))}
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </div>
        <Dialog.Close className={buttonClass}>{t('common:actions.close')}</Dialog.Close>
      </div>
    </>
  );
}
