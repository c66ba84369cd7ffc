import * as Dialog from '@radix-ui/react-dialog';
import { DialogContent } from '../components/DialogContent';
import { Hash, Search } from 'lucide-react';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Agent, RoomSummary } from '../../shared/models';
import { AgentAvatar } from '../components/AgentAvatar';
import { useAgents } from '../agents/use-agents';
import { useSession } from '../auth/session';
import { matchKorean } from '../lib/korean-search';
import { useRooms } from '../rooms/rooms-data';

export type SwitcherItem = { kind: 'room'; room: RoomSummary; score: number } | { kind: 'agent'; agent: Agent; score: number };

const RECENT_ROOMS = 8;
const MAX_RESULTS = 30;
const collator = new Intl.Collator(['ko', 'en']);

/** Rooms and agents ranked by Korean-aware matching; an empty query lists the most recent rooms (server order). */
export function switcherItems(query: string, rooms: readonly RoomSummary[], agents: readonly Agent[]): SwitcherItem[] {
  if (query.trim() === '') return rooms.slice(0, RECENT_ROOMS).map((room) => ({ kind: 'room', room, score: 0 }));
  const items: SwitcherItem[] = [];
  for (const room of rooms) {
    const score = matchKorean(query, room.name);
    if (score !== null) items.push({ kind: 'room', room, score });
  }
  for (const agent of agents) {
    const score = matchKorean(query, agent.name);
    if (score !== null) items.push({ kind: 'agent', agent, score });
  }
  const name = (item: SwitcherItem) => (item.kind === 'room' ? item.room.name : item.agent.name);
  return items.sort((a, b) => b.score - a.score || collator.compare(name(a), name(b))).slice(0, MAX_RESULTS);
}

/**
 * The quick switcher (ui.md §4.2, Ctrl/⌘ K): a combobox over rooms and agents (ARIA 1.2 pattern). Enter opens the
 * room, or the agent's profile. Arrow keys and Enter are ignored while an input method is composing.
 */
export function QuickSwitcher({
  open,
  onOpenChange,
  onOpenAgent,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Opens the agent's profile. */
  onOpenAgent: (agentId: number) => void;
}) {
  const { t } = useTranslation('dialogs');
  const session = useSession();
  const rooms = useRooms(session.isSuccess);
  const agents = useAgents();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const items = useMemo(() => switcherItems(query, rooms.data ?? [], agents.data ?? []), [query, rooms.data, agents.data]);
  const current = Math.min(active, Math.max(0, items.length - 1));

  const choose = (item: SwitcherItem | undefined) => {
    if (!item) return;
    onOpenChange(false);
    if (item.kind === 'room') navigate(`/rooms/${item.room.id}`);
    else onOpenAgent(item.agent.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(items.length === 0 ? 0 : (current + 1) % items.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(items.length === 0 ? 0 : (current - 1 + items.length) % items.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(items[current]);
    }
  };

  const optionId = (index: number) => `${id}-option-${index}`;
  const heading = query.trim() === '' ? t('switcher.recent') : null;

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <DialogContent
          aria-describedby={`${id}-hint`}
          className="fixed left-1/2 top-[12dvh] z-50 flex max-h-[70dvh] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 flex-col overflow-hidden rounded-card border border-border bg-surface shadow-xl"
        >
          <Dialog.Title className="sr-only">{t('switcher.title')}</Dialog.Title>
          <div className="flex items-center gap-2 border-b border-border px-4">
            <Search aria-hidden="true" className="size-[18px] text-text-muted" strokeWidth={1.75} />
            <input
              role="combobox"
              aria-label={t('switcher.label')}
              aria-expanded={items.length > 0}
              aria-controls={`${id}-list`}
              aria-autocomplete="list"
              aria-activedescendant={items.length > 0 ? optionId(current) : undefined}
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
              placeholder={t('switcher.placeholder')}
              autoComplete="off"
              className="h-12 flex-1 bg-transparent text-base outline-none"
            />
          </div>
          {heading && <p className="px-4 pt-2 text-xs font-semibold uppercase tracking-wide text-text-muted">{heading}</p>}
          <ul id={`${id}-list`} role="listbox" aria-label={t('switcher.label')} className="min-h-0 flex-1 overflow-y-auto p-2">
            {items.map((item, index) => {
              const selected = index === current;
              const name = item.kind === 'room' ? item.room.name : item.agent.name;
              return (
                <li
                  key={item.kind === 'room' ? `r${item.room.id}` : `a${item.agent.id}`}
                  id={optionId(index)}
                  role="option"
                  aria-selected={selected}
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(item)}
                  className={`flex cursor-pointer items-center gap-2.5 rounded-control px-2.5 py-2 ${selected ? 'bg-accent-tint' : ''}`}
                >
                  {item.kind === 'room' ? (
                    <Hash aria-hidden="true" className="size-5 shrink-0 text-text-muted" strokeWidth={1.75} />
                  ) : (
                    <AgentAvatar name={item.agent.name} picture={item.agent.profile_pic} size={20} />
                  )}
                  <span className="min-w-0 flex-1 truncate">{name}</span>
                  <span className="text-xs text-text-muted">{t(item.kind === 'room' ? 'switcher.room' : 'switcher.agent')}</span>
                </li>
              );
            })}
          </ul>
          {items.length === 0 && <p className="px-4 pb-3 text-sm text-text-muted">{t('switcher.empty')}</p>}
          <p id={`${id}-hint`} className="border-t border-border px-4 py-2 text-xs text-text-muted">
            {t('switcher.hint')}
          </p>
        </DialogContent>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
