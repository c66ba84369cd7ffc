import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/models.js';
import { buildTranscriptItems, localDay, unreadDividerId } from '../../../src/web/chat/transcript-items.js';
import type { TimelineRow } from '../../../src/web/timeline/timeline-selectors.js';

/** ui.md §4.4.2: grouping, day separators, merged passed lines; §3.8: the unread divider. */

function message(id: number, timestamp: string, patch: Partial<Message> = {}): Message {
  return {
    id,
    room_id: 1,
    agent_id: 7,
    content: `m${id}`,
    role: 'assistant',
    participant_type: null,
    participant_name: null,
    thinking: null,
    anthropic_calls: null,
    image_data: null,
    image_media_type: null,
    provider: null,
    model: null,
    is_skip: false,
    timestamp,
    agent_name: 'Mira',
    agent_profile_pic: null,
    ...patch,
  };
}

function rows(...messages: Message[]): TimelineRow[] {
  return messages.map((m) => ({ kind: 'message', key: `message:${m.id}`, message: m, thoughtMs: null, regenerating: false, errorAgentId: null }));
}

const day1 = (hh: string, mm: string) => new Date(2026, 0, 10, Number(hh), Number(mm)).toISOString();
const day2 = (hh: string, mm: string) => new Date(2026, 0, 11, Number(hh), Number(mm)).toISOString();
const options = { dividerId: null, showPassed: true };

describe('transcript items', () => {
  it('groups messages from the same sender within 5 minutes on the same day', () => {
    const items = buildTranscriptItems(rows(message(1, day1('10', '00')), message(2, day1('10', '04')), message(3, day1('10', '10'))), options);
    expect(items.map((item) => item.kind === 'row' && item.groupStart)).toEqual([true, false, true]);
  });

  it('starts a new group for another sender, a notice, or a user message in another persona', () => {
    const items = buildTranscriptItems(
      rows(
        message(1, day1('10', '00')),
        message(2, day1('10', '01'), { agent_id: 8, agent_name: 'Tobin' }),
        message(3, day1('10', '01'), { agent_id: 8, agent_name: 'Tobin', participant_type: 'system' }),
        message(4, day1('10', '02'), { agent_id: 8, agent_name: 'Tobin' }),
        message(5, day1('10', '02'), { agent_id: null, role: 'user', participant_type: 'user' }),
        message(6, day1('10', '02'), { agent_id: null, role: 'user', participant_type: 'character', participant_name: 'Ahab' }),
      ),
      options,
    );
    expect(items.map((item) => item.kind === 'row' && item.groupStart)).toEqual([true, true, true, true, true, true]);
  });

  it('puts a day separator on the first message of each local day', () => {
    const items = buildTranscriptItems(rows(message(1, day1('23', '58')), message(2, day1('23', '59')), message(3, day2('00', '01'))), options);
    expect(items.map((item) => item.day)).toEqual([localDay(day1('23', '58')), null, localDay(day2('00', '01'))]);
    // A new day also ends the group.
    expect(items[2]?.kind === 'row' && items[2].groupStart).toBe(true);
  });

  it('merges consecutive passed turns into one line, and hides them when showPassed is off', () => {
    const source = rows(
      message(1, day1('10', '00'), { is_skip: true }),
      message(2, day1('10', '00'), { is_skip: true, agent_id: 8, agent_name: 'Tobin' }),
      message(3, day1('10', '01')),
      message(4, day1('10', '02'), { is_skip: true }),
    );
    const items = buildTranscriptItems(source, options);
    expect(items.map((item) => item.kind)).toEqual(['passed', 'row', 'passed']);
    expect(items[0]?.kind === 'passed' && items[0].rows.map((row) => row.message.id)).toEqual([1, 2]);
    expect(buildTranscriptItems(source, { dividerId: null, showPassed: false }).map((item) => item.key)).toEqual(['message:3']);
  });

  it('marks the divider row and never groups it with the row before', () => {
    const items = buildTranscriptItems(rows(message(1, day1('10', '00')), message(2, day1('10', '01'))), { dividerId: 2, showPassed: true });
    expect(items.map((item) => item.unread)).toEqual([false, true]);
    expect(items[1]?.kind === 'row' && items[1].groupStart).toBe(true);
  });

  it('keeps pending sends and live bubbles after the messages, each starting its own group', () => {
    const source: TimelineRow[] = [
      ...rows(message(1, day1('10', '00'))),
      { kind: 'live', key: 'live:7:t1', agentId: 7 },
    ];
    const items = buildTranscriptItems(source, options);
    expect(items.map((item) => item.key)).toEqual(['message:1', 'live:7:t1']);
    expect(items[1]?.kind === 'row' && items[1].groupStart).toBe(true);
  });
});

describe('unread divider', () => {
  const lastRead = day1('10', '00');
  it('sits above the first later message you did not send', () => {
    const messages = [
      message(1, day1('09', '00')),
      message(2, day1('10', '05'), { role: 'user', agent_id: null, participant_type: 'user' }),
      message(3, day1('10', '06'), { is_skip: true }),
      message(4, day1('10', '07')),
    ];
    expect(unreadDividerId(messages, lastRead)).toBe(4);
  });

  it('is absent when everything was read or the room was never read', () => {
    expect(unreadDividerId([message(1, day1('09', '00'))], lastRead)).toBeNull();
    expect(unreadDividerId([message(1, day1('11', '00'))], null)).toBeNull();
  });
});
