import { useTranslation } from 'react-i18next';
import type { Agent } from '../../shared/models';

/** Behaviour chips (ui.md §4.5): Goes first (`priority > 0`), Narrator (`transparent`), Every turn, Critic. */
export function BehaviourChips({ agent }: { agent: Agent }) {
  const { t } = useTranslation('room');
  const chips: string[] = [];
  if (agent.priority > 0) chips.push(t('behaviour.priority'));
  if (agent.transparent) chips.push(t('behaviour.narrator'));
  if (agent.interrupt_every_turn) chips.push(t('behaviour.everyTurn'));
  if (agent.is_critic) chips.push(t('behaviour.critic'));
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={t('behaviour.label')}>
      {chips.map((chip) => (
        <li key={chip} className="rounded-full border border-border px-2 text-xs leading-5 text-text-muted">
          {chip}
        </li>
      ))}
    </ul>
  );
}
