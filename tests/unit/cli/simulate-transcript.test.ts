import { describe, expect, it } from 'vitest';
import {
  countMessages,
  defaultTranscriptPath,
  fileSlug,
  formatClock,
  renderTranscript,
  speakerOf,
  type TranscriptInput,
} from '../../../src/server/cli/simulate-transcript.js';
import { notice, reply, skip, topicMessage } from './simulate-fixtures.js';

const ROOM = { id: 12, name: 'Storm night', default_provider: 'openai', default_model: null };

function input(overrides: Partial<TranscriptInput> = {}): TranscriptInput {
  return {
    topic: 'A storm hits the harbour',
    agents: ['Mira', 'Tobin'],
    room: ROOM,
    startedAt: new Date('2026-01-05T09:30:00.000Z'),
    endedAt: new Date('2026-01-05T09:31:02.500Z'),
    stopped: 'reached 2 of 2 agent replies',
    messages: [],
    timeZone: 'UTC',
    ...overrides,
  };
}

describe('renderTranscript', () => {
  it('writes the header, then one section per message with the clock time', () => {
    const messages = [
      topicMessage('A storm hits the harbour', { timestamp: '2026-01-05T09:30:01.000Z' }),
      reply(1, 'Mira', 'Close the shutters!', { timestamp: '2026-01-05T09:30:05.000Z', thinking: 'The wind is rising.' }),
      skip(2, 'Tobin', { timestamp: '2026-01-05T09:30:09.000Z' }),
      notice('Tobin could not respond: timeout', { timestamp: '2026-01-05T09:30:10.000Z' }),
      reply(2, 'Tobin', 'On it.', { timestamp: '2026-01-05T09:30:20.000Z' }),
    ];
    expect(renderTranscript(input({ messages }))).toBe(
      [
        '# Storm night',
        '',
        '- Topic: A storm hits the harbour',
        '- Agents: Mira, Tobin',
        '- Provider: openai (fake-model)',
        '- Room ID: 12',
        '- Started: 2026-01-05T09:30:00.000Z',
        '- Ended: 2026-01-05T09:31:02.500Z',
        '- Stopped: reached 2 of 2 agent replies',
        '- Messages: 5 (2 agent replies, 1 skip, 1 notice, 1 user message)',
        '- Times: UTC',
        '',
        '---',
        '',
        '### Situation Builder · 09:30:01',
        '',
        'A storm hits the harbour',
        '',
        '### Mira · 09:30:05',
        '',
        '<details>',
        '<summary>Thinking</summary>',
        '',
        'The wind is rising.',
        '',
        '</details>',
        '',
        'Close the shutters!',
        '',
        '### Tobin · 09:30:09',
        '',
        '*(skipped)*',
        '',
        '> **Notice** · 09:30:10 — Tobin could not respond: timeout',
        '',
        '### Tobin · 09:30:20',
        '',
        'On it.',
        '',
      ].join('\n'),
    );
  });

  it('shows clock times in the given time zone and the room model when it has one', () => {
    const text = renderTranscript(
      input({
        room: { ...ROOM, default_model: 'qwen3:8b' },
        timeZone: 'Asia/Seoul',
        messages: [reply(1, 'Mira', 'Hi', { timestamp: '2026-01-05T23:59:59.000Z', model: 'other' })],
      }),
    );
    expect(text).toContain('- Provider: openai (qwen3:8b)\n');
    expect(text).toContain('- Times: Asia/Seoul\n');
    expect(text).toContain('### Mira · 08:59:59\n');
  });

  it('quotes a multi-line topic and every line of a multi-line notice', () => {
    const text = renderTranscript(
      input({ topic: 'Line one\n\nLine three', messages: [notice('first\nsecond', { timestamp: '2026-01-05T09:30:00.000Z' })] }),
    );
    expect(text).toContain('- Topic:\n\n  > Line one\n  >\n  > Line three\n');
    expect(text).toContain('> **Notice** · 09:30:00 — first\n> second\n');
  });

  it('names an image and a reply from a deleted agent', () => {
    const text = renderTranscript(
      input({ messages: [reply(1, 'Mira', 'Look', { image_media_type: 'image/webp' }), reply(1, 'Mira', 'Gone', { agent_id: null, agent_name: null })] }),
    );
    expect(text).toContain('Look\n\n*[image: image/webp]*\n');
    expect(text).toContain('### Unknown · ');
  });

  it('lists the provider alone when no message names a model', () => {
    expect(renderTranscript(input())).toContain('- Provider: openai\n- Room ID: 12');
  });
});

describe('speakerOf and countMessages', () => {
  it('names user messages by participant name, situation builder or User', () => {
    expect(speakerOf(topicMessage('x'))).toBe('Situation Builder');
    expect(speakerOf(topicMessage('x', { participant_type: 'character', participant_name: 'Captain' }))).toBe('Captain');
    expect(speakerOf(topicMessage('x', { participant_type: 'user' }))).toBe('User');
    expect(speakerOf(notice('x'))).toBe('System');
  });

  it('counts replies, skips, notices and user messages', () => {
    const messages = [topicMessage('t'), reply(1, 'A', 'a'), reply(2, 'B', 'b'), skip(1, 'A'), notice('n')];
    expect(countMessages(messages)).toEqual({ total: 5, replies: 2, skips: 1, notices: 1, user: 1 });
  });
});

describe('transcript paths and clock', () => {
  it('makes a file name from the room name', () => {
    expect(fileSlug('Simulation 2026-01-05T09:30:00.123Z')).toBe('Simulation_2026-01-05T09_30_00.123Z');
    expect(fileSlug('항구의 밤 / storm?')).toBe('항구의_밤_storm');
    expect(fileSlug('../..')).toBe('simulation');
    expect([...fileSlug('x'.repeat(200))]).toHaveLength(80);
  });

  it('puts the default transcript in simulations/ under the base folder', () => {
    expect(defaultTranscriptPath('/home/me', 'Simulation 2026-01-05T09:30:00.123Z')).toBe(
      '/home/me/simulations/Simulation_2026-01-05T09_30_00.123Z.md',
    );
  });

  it('formats HH:mm:ss on a 24-hour clock', () => {
    expect(formatClock('2026-01-05T00:05:09.999Z', 'UTC')).toBe('00:05:09');
    expect(formatClock('2026-01-05T13:05:09.000Z', 'America/New_York')).toBe('08:05:09');
  });
});
