import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';
import { useMe } from '../auth/session';
import type { SendMessageInput } from '../lib/endpoints';
import { installJosaFormatter } from '../lib/josa';
import { codePointLength, MAX_CONTENT_LENGTH, validateSend, type SendProblem } from '../send/send-validation';
import { onMentionRequest } from './composer-events';
import { ImageTray } from './ImageTray';
import { ComposerButtons } from './ComposerButtons';
import { firstImageFile } from './image-rules';
import { extractMentions, insertMentionAt } from './mentions';
import { MentionMenu, mentionOptionId } from './MentionMenu';
import { PersonaMenu } from './PersonaMenu';
import { editedText, useComposerEdit, type ComposerEditText } from './use-composer-edit';
import { useComposerKeys, useSendKey } from './use-composer-keys';
import { useDraft, type ComposerDraft } from './use-draft';
import { useImageAttachment } from './use-image-attachment';
import { useImageDrop } from './use-image-drop';
import { useMentionMenu } from './use-mention-menu';

const COUNTER_FROM = 18_000;

export type { ComposerEditText };

export interface ComposerProps {
  roomId: number;
  /** The room's current members, from the live members query. */
  members: readonly Agent[];
  /** Hands the message to the room's send queue; returns at once. */
  onSend: (input: SendMessageInput) => void;
  /** Agents are replying: Stop is shown. */
  replying: boolean;
  onStop: () => void;
  editText?: ComposerEditText;
  autoFocus?: boolean;
}

type Blocker = Exclude<SendProblem, 'character_name_too_long'> | null;

function blockerOf(draft: ComposerDraft, hasImage: boolean): Blocker {
  if (draft.text.trim() === '' && !hasImage) return 'empty';
  if (codePointLength(draft.text.trim()) > MAX_CONTENT_LENGTH) return 'too_long';
  if (draft.persona === 'character' && draft.characterName.trim() === '') return 'character_name_missing';
  return null;
}

/**
 * The composer (ui.md §4.4.5–§4.4.7): persona, a growing textarea with @mentions, one image, Stop and Send. IME-safe;
 * never disabled by the connection state; the draft is kept per room.
 */
export function Composer({ roomId, members, onSend, replying, onStop, editText, autoFocus = false }: ComposerProps) {
  const { t, i18n } = useTranslation('composer');
  installJosaFormatter(i18n);
  const me = useMe();
  const sendKey = useSendKey();
  const { draft, setDraft, recentCharacters, commitSend } = useDraft(roomId, me?.user_id);
  const images = useImageAttachment();
  const [caret, setCaret] = useState(draft.text.length);
  const [onlyMentioned, setOnlyMentioned] = useState(false);
  const [sendWhenReady, setSendWhenReady] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const ids = { label: useId(), hint: useId(), list: useId() };

  const { text } = draft;
  const setText = (next: string, nextCaret: number) => {
    setDraft((current) => ({ ...current, text: next }));
    setCaret(nextCaret);
    pendingCaret.current = nextCaret;
  };

  const menu = useMentionMenu({ text, caret, members, onInsert: (next) => setText(next.text, next.caret) });
  const mentionedIds = useMemo(() => extractMentions(text, members), [text, members]);
  const hasImage = images.image !== null;
  const blocker = blockerOf(draft, hasImage);
  const processing = images.image !== null && images.image.payload === null;

  const send = () => {
    if (blocker !== null) return;
    if (processing) {
      setSendWhenReady(true);
      return;
    }
    const checked = validateSend({
      text,
      persona: draft.persona,
      characterName: draft.characterName,
      image: images.image?.payload ?? null,
      mentionedAgentIds: mentionedIds,
      onlyMentioned,
    });
    if (!checked.ok) return;
    const { role: _role, ...input } = checked.body;
    onSend(input);
    commitSend(draft);
    images.clear();
    setOnlyMentioned(false);
    setSendWhenReady(false);
    setCaret(0);
    textarea.current?.focus();
  };

  // Send waits for the image to finish processing (§4.4.6).
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    if (!sendWhenReady) return;
    if (images.image === null) setSendWhenReady(false);
    else if (images.image.payload !== null) sendRef.current();
  }, [sendWhenReady, images.image]);

  const onKeyDown = useComposerKeys({ sendKey, onMenuKey: menu.onKeyDown, onSend: send });

  useEffect(() => {
    if (autoFocus) textarea.current?.focus({ preventScroll: true });
  }, [autoFocus]);

  // Grows with its content up to the CSS max-height (10 lines, at most 40vh), then scrolls.
  useLayoutEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
    if (pendingCaret.current !== null) {
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  // The agent panel's "Mention" button (composer-events): `@Name ` at the caret.
  const latest = useRef({ text, caret });
  latest.current = { text, caret };
  useEffect(
    () =>
      onMentionRequest(roomId, (name) => {
        const next = insertMentionAt(latest.current.text, latest.current.caret, name);
        setText(next.text, next.caret);
        textarea.current?.focus();
      }),
    // setText only touches state setters and refs, so the first one serves for the composer's life.
    [roomId],
  );

  const edit = useComposerEdit(editText, text, (failed, mode) => {
    const nextText = editedText(latest.current.text, failed, mode);
    setDraft((now) => ({
      text: nextText,
      persona: failed.persona ?? now.persona,
      characterName: failed.characterName ?? now.characterName,
    }));
    setCaret(nextText.length);
    pendingCaret.current = nextText.length;
    if (failed.image) images.restore(failed.image, t('image.restoredName'));
    textarea.current?.focus();
  });

  const attachFiles = (files: readonly File[]) => {
    const file = firstImageFile(files) ?? files[0];
    if (file !== undefined) images.attach(file);
  };
  const dragging = useImageDrop(attachFiles);

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = firstImageFile(Array.from(event.clipboardData.files));
    if (file === null) return;
    // Pasted text stays untouched; only a paste that is just an image is taken over.
    if (event.clipboardData.getData('text/plain') === '') event.preventDefault();
    images.attach(file);
  };

  const trackCaret = (event: SyntheticEvent<HTMLTextAreaElement>) => setCaret(event.currentTarget.selectionStart);

  const length = codePointLength(text);
  const showCounter = length >= COUNTER_FROM;
  const reason =
    blocker === 'empty'
      ? t('nothingToSend')
      : blocker === 'too_long'
        ? t('tooLong', { max: MAX_CONTENT_LENGTH.toLocaleString(i18n.language) })
        : blocker === 'character_name_missing'
          ? t('characterNameMissing')
          : undefined;
  const personaName =
    draft.persona === 'character'
      ? draft.characterName.trim() || t('placeholderPersona.character')
      : t(`placeholderPersona.${draft.persona}`);
  const activeCandidate = menu.open ? menu.candidates[menu.active] : undefined;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="shrink-0 border-t border-border bg-bg px-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] pt-3"
    >
      <ImageTray
        image={images.image}
        replaced={images.replaced}
        notice={images.notice}
        onRemove={images.remove}
        onUndo={images.undoReplace}
        onDismissNotice={images.dismissNotice}
      />
      {edit.waiting && (
        <div role="alert" className="mx-auto mb-2 flex max-w-3xl flex-wrap items-center gap-2 rounded-control border border-border bg-surface-2 px-3 py-1.5 text-sm">
          <span className="flex-1">{t('edit.ask')}</span>
          <button type="button" onClick={() => edit.resolve('replace')} className="font-medium text-accent hover:underline coarse:min-h-11">
            {t('edit.replace')}
          </button>
          <button type="button" onClick={() => edit.resolve('append')} className="font-medium text-accent hover:underline coarse:min-h-11">
            {t('edit.append')}
          </button>
        </div>
      )}
      {mentionedIds.length > 0 && (
        <div className="mx-auto mb-2 flex max-w-3xl">
          <button
            type="button"
            aria-pressed={onlyMentioned}
            onClick={() => setOnlyMentioned((on) => !on)}
            title={t('onlyMentioned.help')}
            className="rounded-full border border-border px-3 py-1 text-xs font-medium text-text-muted aria-pressed:border-accent aria-pressed:bg-accent-tint aria-pressed:text-text coarse:min-h-11"
          >
            {t('onlyMentioned.label')}
          </button>
        </div>
      )}
      <div className="relative mx-auto flex max-w-3xl items-end gap-2">
        {menu.open && (
          <MentionMenu
            listId={ids.list}
            candidates={menu.candidates}
            active={menu.active}
            hasMembers={members.length > 0}
            onChoose={menu.choose}
            onHover={menu.setActive}
          />
        )}
        <PersonaMenu
          persona={draft.persona}
          characterName={draft.characterName}
          recentCharacters={recentCharacters}
          onChange={(next) => setDraft((current) => ({ ...current, ...next }))}
          onClose={() => textarea.current?.focus()}
        />
        <label id={ids.label} className="sr-only" htmlFor={`${ids.label}-input`}>
          {t('label')}
        </label>
        <textarea
          ref={textarea}
          id={`${ids.label}-input`}
          data-composer-input
          rows={1}
          value={text}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={menu.open}
          aria-controls={menu.open ? ids.list : undefined}
          aria-activedescendant={activeCandidate ? mentionOptionId(ids.list, activeCandidate.id) : undefined}
          onChange={(event) => {
            setDraft((current) => ({ ...current, text: event.target.value }));
            setCaret(event.target.selectionStart);
          }}
          onSelect={trackCaret}
          onClick={trackCaret}
          onKeyUp={trackCaret}
          onBlur={menu.dismiss}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          placeholder={t('placeholder', { persona: personaName })}
          aria-describedby={ids.hint}
          aria-invalid={blocker === 'too_long'}
          enterKeyHint={sendKey === 'enter' ? 'send' : 'enter'}
          className="max-h-[min(40vh,15rem)] min-h-10 min-w-0 flex-1 resize-none overflow-y-auto rounded-card border border-border bg-surface px-3 py-2 leading-6 aria-[invalid=true]:border-danger"
        />
        <ComposerButtons onPick={images.attach} replying={replying} onStop={onStop} blockedReason={reason} sending={sendWhenReady} />
      </div>
      <p
        id={ids.hint}
        className={`mx-auto mt-1 max-w-3xl text-xs ${blocker === 'too_long' ? 'text-danger' : 'text-text-muted'} ${showCounter || blocker === 'character_name_missing' ? '' : 'sr-only'}`}
      >
        {showCounter
          ? t('counter', { count: length, max: MAX_CONTENT_LENGTH })
          : blocker === 'character_name_missing'
            ? t('characterNameMissing')
            : sendKey === 'enter'
              ? t('hintEnter')
              : t('hintModEnter')}
      </p>
      {dragging && (
        <div aria-hidden="true" className="pointer-events-none fixed inset-0 z-40 flex items-center justify-center bg-bg/80 p-6">
          <p className="rounded-card border-2 border-dashed border-accent bg-surface px-6 py-4 text-lg font-medium">{t('dropImage')}</p>
        </div>
      )}
    </form>
  );
}
