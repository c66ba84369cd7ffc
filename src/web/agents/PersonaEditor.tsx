import * as Tabs from '@radix-ui/react-tabs';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { Modal } from '../components/Modal';
import { Spinner } from '../components/Spinner';
import { errorText } from '../lib/errors';
import { queryKeys } from '../lib/query';
import { agentApi, agentKeys, type PersonaField } from './agent-endpoints';
import { initialPersona, isDirty, mergeRefetched, PERSONA_FIELDS, serverText, type PersonaState } from './persona-state';

const MarkdownPreview = lazy(() => import('./MarkdownPreview'));

export type EditorMode = 'edit' | 'preview' | 'split';
const MODES: readonly EditorMode[] = ['edit', 'preview', 'split'];
const WIDE_QUERY = '(min-width: 1280px)';

function subscribeWide(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const media = window.matchMedia(WIDE_QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}
const isWide = () => typeof window.matchMedia === 'function' && window.matchMedia(WIDE_QUERY).matches;

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; error: unknown };

interface Conflict {
  field: PersonaField;
  disk: Agent;
}

/**
 * The persona editor (ui.md §4.7): one tab per file, Edit / Preview / Split, Ctrl/⌘ S saves the current tab.
 * Before saving it reads the agent again; if the file changed on disk since the tab was loaded, a conflict dialog
 * decides. Guests get the preview only. `onDirtyChange` tells the page whether any tab has unsaved edits.
 */
export function PersonaEditor({ agent, canEdit, onDirtyChange }: { agent: Agent; canEdit: boolean; onDirtyChange: (dirty: boolean) => void }) {
  const { t } = useTranslation('manager');
  const queryClient = useQueryClient();
  const wide = useSyncExternalStore(subscribeWide, isWide, () => true);
  const [state, setState] = useState<PersonaState>(() => initialPersona(agent));
  const [tab, setTab] = useState<PersonaField>('in_a_nutshell');
  const [chosenMode, setMode] = useState<EditorMode | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [copied, setCopied] = useState(false);
  const id = useId();
  const stateRef = useRef(state);
  stateRef.current = state;

  const mode: EditorMode = canEdit ? (chosenMode ?? (wide ? 'split' : 'edit')) : 'preview';
  const anyDirty = PERSONA_FIELDS.some((field) => isDirty(state[field]));

  useEffect(() => onDirtyChange(anyDirty), [anyDirty, onDirtyChange]);
  // A refetched agent updates clean tabs silently and flags dirty ones (§4.7).
  useEffect(() => setState((current) => mergeRefetched(current, agent)), [agent]);

  const applySaved = (field: PersonaField, saved: Agent, sent: string) => {
    queryClient.setQueryData(agentKeys.agent(saved.id), saved);
    queryClient.setQueryData<Agent[]>(queryKeys.agents, (list) => list?.map((a) => (a.id === saved.id ? saved : a)));
    setState((current) => {
      const text = serverText(saved, field);
      const file = current[field];
      // Keep anything typed while the save was in flight.
      return { ...current, [field]: { base: text, text: file.text === sent ? text : file.text, changedOnDisk: false } };
    });
  };

  const write = async (field: PersonaField, text: string) => {
    setStatus({ kind: 'saving' });
    try {
      const saved = await agentApi.patch(agent.id, { [field]: text });
      applySaved(field, saved, text);
      setStatus({ kind: 'saved' });
    } catch (error) {
      setStatus({ kind: 'error', error });
    }
  };

  const save = async (field: PersonaField = tab) => {
    if (!canEdit || status.kind === 'saving') return;
    const file = stateRef.current[field];
    if (!isDirty(file)) return;
    setStatus({ kind: 'saving' });
    let disk: Agent;
    try {
      disk = await agentApi.agent(agent.id);
    } catch (error) {
      setStatus({ kind: 'error', error });
      return;
    }
    if (serverText(disk, field) !== file.base) {
      setStatus({ kind: 'idle' });
      setConflict({ field, disk });
      return;
    }
    await write(field, file.text);
  };

  // Ctrl/⌘ S saves the current tab while the editor is open (never while an IME is composing).
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    if (!canEdit) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.isComposing || event.keyCode === 229) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canEdit]);

  const loadDisk = (field: PersonaField, disk: Agent) => {
    const text = serverText(disk, field);
    setState((current) => ({ ...current, [field]: { base: text, text, changedOnDisk: false } }));
    queryClient.setQueryData(agentKeys.agent(disk.id), disk);
  };

  const resolve = async (choice: 'disk' | 'mine' | 'copy' | 'cancel') => {
    if (!conflict) return;
    const { field, disk } = conflict;
    if (choice === 'copy') {
      try {
        await navigator.clipboard.writeText(stateRef.current[field].text);
        setCopied(true);
      } catch {
        setCopied(false);
      }
      return;
    }
    setConflict(null);
    setCopied(false);
    if (choice === 'disk') loadDisk(field, disk);
    if (choice === 'mine') await write(field, stateRef.current[field].text);
  };

  const setText = (field: PersonaField, text: string) => {
    setStatus((current) => (current.kind === 'saved' || current.kind === 'error' ? { kind: 'idle' } : current));
    setState((current) => ({ ...current, [field]: { ...current[field], text } }));
  };

  const triggerClass =
    'relative flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm text-text-muted hover:text-text data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-text';

  return (
    <section aria-label={t('editor.label')} className="mt-6">
      <Tabs.Root value={tab} onValueChange={(value) => setTab(value as PersonaField)}>
        <div className="flex flex-wrap items-end justify-between gap-2 border-b border-border">
          <Tabs.List aria-label={t('editor.files')} className="flex overflow-x-auto">
            {PERSONA_FIELDS.map((field) => (
              <Tabs.Trigger key={field} value={field} className={triggerClass}>
                {t(`files.${field}`)}
                {isDirty(state[field]) && (
                  <>
                    <span aria-hidden="true" className="size-2 rounded-full bg-warning" />
                    <span className="sr-only">{t('editor.unsaved')}</span>
                  </>
                )}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {canEdit && (
            <div role="group" aria-label={t('editor.mode')} className="mb-1.5 inline-flex rounded-control border border-border p-0.5">
              {MODES.map((value) => (
                <button
                  key={value}
                  type="button"
                  aria-pressed={mode === value}
                  onClick={() => setMode(value)}
                  className={`rounded-[6px] px-2.5 py-0.5 text-sm ${mode === value ? 'bg-accent text-accent-fg' : 'text-text-muted hover:text-text'}`}
                >
                  {t(`editor.modes.${value}`)}
                </button>
              ))}
            </div>
          )}
        </div>
        {PERSONA_FIELDS.map((field) => {
          const file = state[field];
          return (
            <Tabs.Content key={field} value={field} className="pt-3">
              {file.changedOnDisk && (
                <div role="status" className="mb-3 flex flex-wrap items-center gap-2 rounded-control border border-warning/50 bg-warning/10 px-3 py-2 text-sm">
                  <span className="flex-1">{t('editor.changedOnDisk')}</span>
                  <button
                    type="button"
                    onClick={() => loadDisk(field, agent)}
                    className="rounded-control border border-border bg-surface px-2.5 py-1 text-sm font-medium"
                  >
                    {t('conflict.loadDisk')}
                  </button>
                </div>
              )}
              <div className={mode === 'split' ? 'grid gap-3 md:grid-cols-2' : ''}>
                {mode !== 'preview' && (
                  <div>
                    <label htmlFor={`${id}-${field}`} className="sr-only">
                      {t(`files.${field}`)}
                    </label>
                    <textarea
                      id={`${id}-${field}`}
                      value={file.text}
                      onChange={(event) => setText(field, event.target.value)}
                      spellCheck={false}
                      className="min-h-[24rem] w-full resize-y rounded-control border border-border bg-surface p-3 font-mono text-sm leading-6 whitespace-pre-wrap"
                    />
                  </div>
                )}
                {mode !== 'edit' && (
                  <div aria-label={t('editor.preview')} role="region" className="min-h-[8rem] rounded-control border border-border bg-surface p-3">
                    {file.text.trim() === '' ? (
                      <p className="text-sm text-text-muted">{t('editor.empty')}</p>
                    ) : (
                      <Suspense fallback={<Spinner />}>
                        <MarkdownPreview text={file.text} />
                      </Suspense>
                    )}
                  </div>
                )}
              </div>
            </Tabs.Content>
          );
        })}
      </Tabs.Root>

      {canEdit && (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => void save()}
            disabled={!isDirty(state[tab]) || status.kind === 'saving'}
            className="flex items-center gap-2 rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-50"
          >
            {status.kind === 'saving' && <Spinner />}
            {t('editor.save')}
          </button>
          <span className="text-xs text-text-muted">{t('editor.saveHint')}</span>
          <span role="status" className="text-sm">
            {status.kind === 'saved' && <span className="text-success">{t('editor.saved')}</span>}
          </span>
          {status.kind === 'error' && (
            <p role="alert" className="w-full text-sm text-danger">
              {t('editor.saveFailed')} {errorText(t, status.error)}
            </p>
          )}
        </div>
      )}

      {canEdit && <Hints />}

      <Modal
        open={conflict !== null}
        onOpenChange={(open) => !open && void resolve('cancel')}
        title={t('conflict.title')}
        description={conflict ? t('conflict.body', { file: t(`files.${conflict.field}`) }) : undefined}
      >
        <div className="flex flex-col gap-2">
          <button type="button" onClick={() => void resolve('disk')} className="rounded-control border border-border px-3 py-1.5 text-left">
            {t('conflict.loadDisk')}
            <span className="block text-xs text-text-muted">{t('conflict.loadDiskHint')}</span>
          </button>
          <button type="button" onClick={() => void resolve('mine')} className="rounded-control border border-border px-3 py-1.5 text-left">
            {t('conflict.overwrite')}
            <span className="block text-xs text-text-muted">{t('conflict.overwriteHint')}</span>
          </button>
          <button type="button" onClick={() => void resolve('copy')} className="rounded-control border border-border px-3 py-1.5 text-left">
            {copied ? t('conflict.copied') : t('conflict.copy')}
          </button>
          <div className="mt-2 flex justify-end">
            <button type="button" onClick={() => void resolve('cancel')} className="rounded-control px-3 py-1.5 text-text-muted hover:bg-surface-2">
              {t('common:actions.cancel')}
            </button>
          </div>
        </div>
      </Modal>
    </section>
  );
}

/** The collapsible hints panel (§4.7), in our own words. */
function Hints() {
  const { t } = useTranslation('manager');
  return (
    <details className="mt-6 rounded-card border border-border bg-surface p-4 text-sm">
      <summary className="cursor-pointer font-medium">{t('hints.title')}</summary>
      <div className="mt-3 flex flex-col gap-3 text-text-muted">
        <p>{t('hints.thirdPerson')}</p>
        <p>
          <span className="font-medium text-success">{t('hints.goodLabel')}</span> <q>{t('hints.good')}</q>
        </p>
        <p>
          <span className="font-medium text-danger">{t('hints.badLabel')}</span> <q>{t('hints.bad')}</q>
        </p>
        <p>{t('hints.files')}</p>
        <p>{t('hints.pictures')}</p>
        <p>{t('hints.memory')}</p>
        <pre className="overflow-x-auto rounded-control bg-surface-2 p-3 font-mono text-xs text-text">{t('hints.memoryExample')}</pre>
      </div>
    </details>
  );
}
