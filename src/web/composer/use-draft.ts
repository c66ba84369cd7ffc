import { useCallback, useEffect, useRef, useState } from 'react';
import {
  draftsKey,
  parseDrafts,
  pruneDrafts,
  rememberCharacter,
  saveComposer,
  serializeDrafts,
  type Drafts,
} from '../send/drafts';
import type { Persona } from '../send/send-validation';

/**
 * The composer's draft per room (ui.md §4.4.5, P7): text, persona and character name, kept in
 * `chitchats.drafts.<userId>` next to the send queue's outbox. Saved 300 ms after typing stops, on `pagehide` and when
 * the room closes; restored when the room opens. Every write reads the stored record first, so the outbox written by
 * the send queue is never overwritten.
 */

export interface ComposerDraft {
  text: string;
  persona: Persona;
  characterName: string;
}

export const DRAFT_SAVE_DELAY_MS = 300;
const EMPTY: ComposerDraft = { text: '', persona: 'user', characterName: '' };

let prunedThisPage = false;

function readDrafts(userId: string): Drafts {
  try {
    const drafts = parseDrafts(localStorage.getItem(draftsKey(userId)));
    if (prunedThisPage) return drafts;
    // Once per page load, drafts untouched for 30 days go.
    prunedThisPage = true;
    const pruned = pruneDrafts(drafts, Date.now());
    if (pruned !== drafts) writeDrafts(userId, pruned);
    return pruned;
  } catch {
    return {};
  }
}

function writeDrafts(userId: string, drafts: Drafts): void {
  try {
    localStorage.setItem(draftsKey(userId), serializeDrafts(drafts));
  } catch {
    // Storage full or disabled: the draft lives for this page only.
  }
}

function loadDraft(userId: string | undefined, roomId: number): { draft: ComposerDraft; recent: readonly string[] } {
  if (userId === undefined) return { draft: EMPTY, recent: [] };
  const stored = readDrafts(userId)[roomId];
  if (stored === undefined) return { draft: EMPTY, recent: [] };
  return {
    draft: { text: stored.text, persona: stored.persona, characterName: stored.characterName },
    recent: stored.recentCharacters,
  };
}

function sameDraft(a: ComposerDraft, b: ComposerDraft): boolean {
  return a.text === b.text && a.persona === b.persona && a.characterName === b.characterName;
}

export function useDraft(roomId: number, userId: string | undefined) {
  const [initial] = useState(() => loadDraft(userId, roomId));
  const [draft, setDraft] = useState<ComposerDraft>(initial.draft);
  const [recentCharacters, setRecentCharacters] = useState<readonly string[]>(initial.recent);
  const saved = useRef<ComposerDraft>(initial.draft);
  const latest = useRef({ draft, userId, roomId });
  latest.current = { draft, userId, roomId };
  const restoredFor = useRef(userId);

  const flush = useCallback(() => {
    const { draft: current, userId: user, roomId: room } = latest.current;
    if (user === undefined || sameDraft(current, saved.current)) return;
    writeDrafts(user, saveComposer(readDrafts(user), room, current, Date.now()));
    saved.current = current;
  }, []);

  // The session may become known after the first render: restore then, unless the user already typed.
  useEffect(() => {
    if (userId === undefined || restoredFor.current === userId) return;
    restoredFor.current = userId;
    const loaded = loadDraft(userId, roomId);
    saved.current = loaded.draft;
    setRecentCharacters(loaded.recent);
    setDraft((current) => (sameDraft(current, EMPTY) ? loaded.draft : current));
  }, [roomId, userId]);

  useEffect(() => {
    const timer = setTimeout(flush, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, flush]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  /** The message joined the send queue: the text goes, the persona stays, a character name becomes recent. */
  const commitSend = useCallback((sent: ComposerDraft) => {
    const next: ComposerDraft = { ...sent, text: '' };
    setDraft(next);
    const { userId: user, roomId: room } = latest.current;
    if (user === undefined) return;
    let drafts = saveComposer(readDrafts(user), room, next, Date.now());
    if (sent.persona === 'character') drafts = rememberCharacter(drafts, room, sent.characterName, Date.now());
    writeDrafts(user, drafts);
    saved.current = next;
    setRecentCharacters(drafts[room]?.recentCharacters ?? []);
  }, []);

  return { draft, setDraft, recentCharacters, commitSend };
}

/** For tests: forget that this page already pruned old drafts. */
export function resetDraftPruningForTests(): void {
  prunedThisPage = false;
}
