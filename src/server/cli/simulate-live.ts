import type { SimMessage } from './simulate-api.js';
import type { FeedEvent, Generating } from './simulate-feed.js';
import { kindOf, speakerOf } from './simulate-transcript.js';

/**
 * The live transcript on stdout (behavior.md §10.1 rule 3): each finished message as `Speaker: text`, thinking
 * dimmed before it, skip markers as `(Name skipped)`, notices as `! text`. On a terminal the turn's deltas are
 * written inline as they arrive and the finished message only closes the line (or is printed again when it
 * differs from what streamed, e.g. a skip after some text).
 */

export interface LiveViewOptions {
  write: (text: string) => void;
  /** Write deltas inline (stdout is a terminal). */
  streaming: boolean;
  /** ANSI styles (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
  showThinking: boolean;
  hideSkips: boolean;
  agentName: (agentId: number) => string | null;
  /** Called around every write, so a progress line on the same terminal can step aside and come back. */
  beforeWrite?: () => void;
  afterWrite?: (atLineStart: boolean) => void;
}

export interface LiveView {
  onEvent(event: FeedEvent): void;
  /** Ends a half-written line so something else can be printed. */
  breakLine(): void;
  atLineStart(): boolean;
}

interface LiveTurn {
  turnId: string;
  agentId: number;
  name: string;
  /** What the current line is showing; null when the next delta must start a new line. */
  phase: 'thinking' | 'response' | null;
  thinking: string;
  response: string;
  /** The response was split over several lines (something else was printed in between). */
  split: boolean;
}

export function createLiveView(options: LiveViewOptions): LiveView {
  const { write, streaming, color, showThinking, hideSkips, agentName } = options;
  let midLine = false;
  let turn: LiveTurn | null = null;

  const paint = (code: string, text: string) => (color && text.length > 0 ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = (text: string) => paint('2', text);
  const bold = (text: string) => paint('1', text);

  function emit(text: string): void {
    if (text.length === 0) return;
    options.beforeWrite?.();
    write(text);
    midLine = !text.endsWith('\n');
    options.afterWrite?.(!midLine);
  }

  function breakLine(): void {
    if (midLine) emit('\n');
    if (turn?.phase === 'response') turn.split = true;
    if (turn) turn.phase = null;
  }

  function formatMessage(message: SimMessage, thinkingShown: boolean): string {
    const speaker = speakerOf(message);
    switch (kindOf(message)) {
      case 'notice':
        return `${paint('33', '!')} ${message.content}\n`;
      case 'skip':
        return hideSkips ? '' : `${dim(`(${speaker} skipped)`)}\n`;
      case 'reply':
      case 'user': {
        const thinking = showThinking && !thinkingShown ? message.thinking?.trim() : undefined;
        const image = message.image_media_type ? `[image: ${message.image_media_type}]` : '';
        const content = [message.content, image].filter((part) => part.length > 0).join(' ');
        return `${thinking ? `${dim(`${speaker} (thinking): ${thinking}`)}\n` : ''}${bold(`${speaker}:`)} ${content}\n`;
      }
    }
  }

  function startTurn(turnId: string, agentId: number, name: string | null): LiveTurn {
    if (turn) breakLine();
    turn = { turnId, agentId, name: name ?? agentName(agentId) ?? `Agent ${agentId}`, phase: null, thinking: '', response: '', split: false };
    return turn;
  }

  function onDelta(delta: { agent_id: number; turn_id: string; kind: 'thinking' | 'response'; text: string }): void {
    if (!streaming) return;
    const current = turn?.turnId === delta.turn_id ? turn : startTurn(delta.turn_id, delta.agent_id, null);
    if (delta.kind === 'thinking') {
      if (!showThinking) return;
      if (current.phase !== 'thinking') {
        breakLine();
        emit(dim(`${current.name} (thinking): `));
        current.phase = 'thinking';
      }
      current.thinking += delta.text;
      emit(dim(delta.text));
      return;
    }
    if (current.phase !== 'response') {
      breakLine();
      emit(`${bold(`${current.name}:`)} `);
      current.phase = 'response';
    }
    current.response += delta.text;
    emit(delta.text);
  }

  function onMessage(message: SimMessage): void {
    const streamed = turn !== null && message.agent_id === turn.agentId ? turn : null;
    const shown = streamed !== null && midLine && streamed.phase === 'response' && !streamed.split;
    breakLine();
    if (streamed) turn = null;
    // The streamed line already shows this reply: nothing to add.
    if (shown && kindOf(message) === 'reply' && streamed.response.trim() === message.content.trim()) return;
    emit(formatMessage(message, streamed !== null && streamed.thinking.length > 0));
  }

  function onGenerating(generating: readonly Generating[]): void {
    // A late (re)connection: continue each running turn from the text it has so far (api.md §9.3 snapshot).
    for (const running of generating) {
      const known = turn?.turnId === running.turn_id ? turn : null;
      const current = known ?? startTurn(running.turn_id, running.agent_id, running.agent_name);
      const missing = (kind: 'thinking' | 'response', have: string, full: string) => {
        if (full.length > have.length && full.startsWith(have)) {
          onDelta({ agent_id: running.agent_id, turn_id: running.turn_id, kind, text: full.slice(have.length) });
        }
      };
      missing('thinking', current.thinking, running.thinking_text);
      missing('response', current.response, running.response_text);
    }
  }

  return {
    onEvent(event) {
      switch (event.type) {
        case 'message':
          return onMessage(event.data);
        case 'delta':
          return onDelta(event.data);
        case 'agent_start':
          // attempt 2 is a retry of the same turn: its text starts again (api.md §9.3 agent_start).
          if (streaming) startTurn(event.data.turn_id, event.data.agent_id, event.data.agent_name);
          return;
        case 'agent_end':
          if (turn?.turnId === event.data.turn_id) {
            breakLine();
            turn = null;
          }
          return;
        case 'snapshot':
          if (streaming) onGenerating(event.data.generating);
          return;
        case 'agent_error':
        case 'room':
        case 'shutdown':
        case 'transport':
          // The notice message that follows an agent_error carries the text; the rest is the runner's business.
          return;
        default: {
          const unknown: never = event;
          return unknown;
        }
      }
    },
    breakLine,
    atLineStart: () => !midLine,
  };
}
