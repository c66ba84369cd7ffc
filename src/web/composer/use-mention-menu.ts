import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Agent } from '../../shared/models';
import { rankByKorean } from '../lib/korean-search';
import { findMentionQuery, insertMention, isCompleteMention, type MentionQuery } from './mentions';

/**
 * The @mention menu (ui.md §4.4.7): which mention the caret is typing, the ranked candidates, ↑/↓ (wrapping),
 * Enter/Tab to insert, Esc to close. Key handling never runs during IME composition (the caller checks first).
 */

export type MentionCandidate = Pick<Agent, 'id' | 'name' | 'group' | 'profile_pic'>;

export interface MentionMenuState {
  open: boolean;
  mention: MentionQuery | null;
  candidates: readonly MentionCandidate[];
  active: number;
  setActive: (index: number) => void;
  /** Handles ↑/↓/Enter/Tab/Esc while open; true when the key was used. */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  choose: (candidate: MentionCandidate) => void;
  dismiss: () => void;
}

export function useMentionMenu({
  text,
  caret,
  members,
  onInsert,
}: {
  text: string;
  caret: number;
  members: readonly MentionCandidate[];
  onInsert: (next: { text: string; caret: number }) => void;
}): MentionMenuState {
  const mention = useMemo(() => findMentionQuery(text, caret, members), [text, caret, members]);
  const query = mention?.query ?? '';
  const candidates = useMemo(() => rankByKorean(members, query, (member) => member.name), [members, query]);
  // Esc (or leaving the field) closes the menu for this `@` until another mention starts.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [activeState, setActiveState] = useState({ query, index: 0 });
  const active = activeState.query === query ? Math.min(activeState.index, Math.max(candidates.length - 1, 0)) : 0;
  const setActive = (index: number) => setActiveState({ query, index });

  const dismissed = mention !== null && dismissedAt === mention.start;
  // Once the query holds a whole name (perhaps with a particle, "@하늘아"), an empty list would only be noise.
  const complete = candidates.length === 0 && isCompleteMention(query, members);
  const open = mention !== null && !dismissed && !complete;

  if (mention === null && dismissedAt !== null) setDismissedAt(null);

  const choose = (candidate: MentionCandidate) => {
    if (mention === null) return;
    onInsert(insertMention(text, mention, caret, candidate.name));
  };

  const dismiss = () => {
    if (mention !== null) setDismissedAt(mention.start);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    const count = candidates.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (count === 0) return false;
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((active + step + count) % count);
        return true;
      }
      case 'Enter':
      case 'Tab': {
        const candidate = candidates[active];
        if (candidate === undefined || event.shiftKey) return false;
        event.preventDefault();
        choose(candidate);
        return true;
      }
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        dismiss();
        return true;
      default:
        return false;
    }
  };

  return { open, mention, candidates, active, setActive, onKeyDown, choose, dismiss };
}
