import { describe, expect, it } from 'vitest';
import {
  buildSeedMessage,
  buildStatelessHistory,
  type TurnMessageOptions,
} from '../../../src/server/prompts/turn-message.js';
import type { WindowRow } from '../../../src/server/prompts/turn-window.js';
import { MIRA_ID, NO_AUTHORS, TOBIN, agentRow, noticeRow, userRow, useConfigDir } from './turn-rows.js';

const configDir = useConfigDir();
const INSTRUCTION = "Reply as Tobin: write only Tobin's next message, or use skip to stay silent.";
const IMAGES = { supported: true, mediaTypes: ['image/png'] };

function options(rows: WindowRow[], limit: number, extra: Partial<TurnMessageOptions> = {}) {
  const { config } = configDir().open();
  const base = { rows, agent: TOBIN, authors: NO_AUTHORS, provider: 'openai' as const, config, userName: 'Jae' };
  return { ...base, limit, ...extra };
}

describe('buildSeedMessage', () => {
  it('renders the last messages including the agent own, without the after-my-last-message cut', () => {
    const rows = [
      userRow('too old'),
      userRow('Hi Tobin'),
      agentRow(TOBIN.id, 'Tobin', 'Hey Jae.'),
      agentRow(TOBIN.id, 'Tobin', '', { isSkip: true }),
      agentRow(MIRA_ID, 'Mira', 'Evening.'),
    ];
    expect(buildSeedMessage(options(rows, 3))).toEqual({
      rendered: 3,
      parts: [
        {
          type: 'text',
          text: `<conversation>\nJae: Hi Tobin\nTobin: Hey Jae.\nMira: Evening.\n</conversation>\n${INSTRUCTION}`,
        },
      ],
    });
  });

  it('sends only the 5 newest images as images', () => {
    const rows = Array.from({ length: 7 }, (_, i) =>
      userRow(`p${i}`, { imageData: `I${i}`, imageMediaType: 'image/png' }),
    );
    const parts = buildSeedMessage(options(rows, 50, { images: IMAGES })).parts;
    const sent = parts.flatMap((part) => (part.type === 'image' ? [part.base64] : []));
    expect(sent).toEqual(['I2', 'I3', 'I4', 'I5', 'I6']);
  });
});

describe('buildStatelessHistory', () => {
  it('turns the agent replies into assistant entries and each run of others into one conversation block', () => {
    const rows = [
      userRow('Hi all', { imageData: 'QUJD', imageMediaType: 'image/png' }),
      agentRow(MIRA_ID, 'Mira', 'Hello.'),
      agentRow(TOBIN.id, 'Tobin', 'Hey.'),
      noticeRow('Sol joined the chat'),
      agentRow(TOBIN.id, 'Tobin', '', { isSkip: true }),
      userRow('Market?'),
      agentRow(TOBIN.id, 'Tobin', 'Sure.'),
      userRow('after the last reply: the per-turn message'),
    ];
    expect(buildStatelessHistory(options(rows, 100, { images: IMAGES }))).toEqual([
      {
        role: 'user',
        parts: [{ type: 'text', text: '<conversation>\nJae: [image] Hi all\nMira: Hello.\n</conversation>' }],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'Hey.' }] },
      { role: 'user', parts: [{ type: 'text', text: '<conversation>\nJae: Market?\n</conversation>' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Sure.' }] },
    ]);
  });

  it('takes only the last limit rows up to the agent newest message', () => {
    const rows = [userRow('a'), userRow('b'), agentRow(TOBIN.id, 'Tobin', 'c'), userRow('d')];
    expect(buildStatelessHistory(options(rows, 2))).toEqual([
      { role: 'user', parts: [{ type: 'text', text: '<conversation>\nJae: b\n</conversation>' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'c' }] },
    ]);
  });

  it('is empty for an agent that never spoke, whose window is the per-turn message', () => {
    expect(buildStatelessHistory(options([userRow('a'), agentRow(MIRA_ID, 'Mira', 'b')], 100))).toEqual([]);
  });
});
