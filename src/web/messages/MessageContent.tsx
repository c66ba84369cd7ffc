import type { Agent, Message } from '../../shared/models';
import { Markdown } from './Markdown';

/** The body of one message (ui.md §4.4.3): Markdown; the row layout around it belongs to the transcript. */
export function MessageContent({ message, live = false }: { message: Message; members?: readonly Agent[]; live?: boolean }) {
  return (
    <div className="prose-chat min-w-0 break-words">
      <Markdown text={message.content} />
      {live && <span aria-hidden="true" className="ml-0.5 inline-block h-4 w-0.5 animate-pulse bg-current align-middle" />}
    </div>
  );
}
