import type { Message } from '../../shared/models';
import { ProviderChip } from '../components/ProviderChip';

/**
 * The provider/model badge of an agent reply (ui.md §4.4.2 a). It shows when the message's provider differs from
 * the room's; otherwise it is drawn only while the row is hovered or holds focus (the row needs the `group`
 * class) — and always on touch screens, where there is no hover.
 */
export function ModelBadge({ message, roomProvider }: { message: Pick<Message, 'provider' | 'model'>; roomProvider?: string | null }) {
  if (!message.provider) return null;
  const differs = roomProvider == null || roomProvider !== message.provider;
  return (
    <span
      data-testid="model-badge"
      className={differs ? 'inline-flex' : 'inline-flex opacity-0 group-hover:opacity-100 group-focus-within:opacity-100 coarse:opacity-100'}
    >
      <ProviderChip provider={message.provider} model={message.model} compact={!differs} />
    </span>
  );
}
