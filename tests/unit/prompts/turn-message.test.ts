import { describe, expect, it } from 'vitest';
import { DEFAULT_CONVERSATION_CONTEXT } from '../../../src/server/prompts/defaults.js';
import { buildTurnMessage, type TurnMessageOptions } from '../../../src/server/prompts/turn-message.js';
import type { WindowRow } from '../../../src/server/prompts/turn-window.js';
import {
  MIRA_ID,
  NO_AUTHORS,
  TOBIN,
  agentRow,
  characterRow,
  situationRow,
  userRow,
  useConfigDir,
} from './turn-rows.js';

const configDir = useConfigDir();
const NOTE = DEFAULT_CONVERSATION_CONTEXT.situation_builder.note;
const INSTRUCTION = "Reply as Tobin: write only Tobin's next message, or use skip to stay silent.";
const IMAGES = { supported: true, mediaTypes: ['image/png', 'image/webp'] };

function build(rows: WindowRow[], extra: Partial<TurnMessageOptions> = {}) {
  const { config } = configDir().open();
  const base = { rows, agent: TOBIN, authors: NO_AUTHORS, provider: 'claude' as const, config, userName: 'Jae' };
  return buildTurnMessage({ ...base, ...extra });
}

describe('buildTurnMessage', () => {
  it('renders the behavior.md 4.11 example exactly', () => {
    const rows = [
      userRow('Anyone up for the night market?'),
      agentRow(MIRA_ID, 'Mira', 'Only if Tobin promises not to haggle over every skewer.'),
      situationRow('Rain starts as they reach the first stall.'),
    ];
    expect(build(rows)).toEqual({
      rendered: 3,
      parts: [
        {
          type: 'text',
          text: [
            '<conversation>',
            'Jae: Anyone up for the night market?',
            'Mira: Only if Tobin promises not to haggle over every skewer.',
            'Situation Builder: Rain starts as they reach the first stall.',
            '</conversation>',
            NOTE,
            "Reply as Tobin: write only Tobin's next message, or use skip to stay silent.",
          ].join('\n'),
        },
      ],
    });
  });

  it('keeps multi-line content and adds the recall reminder before the instruction', () => {
    configDir().write('conversation_context.yaml', 'recall_reminder: "Use recall for old memories."\n');
    const { parts } = build([userRow('line one\nline two')]);
    expect(parts).toEqual([
      {
        type: 'text',
        text: `<conversation>\nJae: line one\nline two\n</conversation>\nUse recall for old memories.\n${INSTRUCTION}`,
      },
    ]);
  });

  it('leaves the situation-builder note out when it is disabled or no such line is in the window', () => {
    expect(JSON.stringify(build([userRow('hi')]).parts)).not.toContain(NOTE);
    configDir().write('conversation_context.yaml', 'situation_builder:\n  enabled: false\n');
    expect(JSON.stringify(build([situationRow('Rain.')]).parts)).not.toContain(NOTE);
  });

  it('uses the provider-specific instruction with Korean particles and the first character as user_name', () => {
    configDir().write(
      'conversation_context.yaml',
      'response_instruction_openai: "{user_name:과와} 대화 중인 {agent_name:이가} 답한다."\n',
    );
    const rows = [userRow('hi'), characterRow('하늘', '안녕')];
    const text = (extra: Partial<TurnMessageOptions>) => JSON.stringify(build(rows, extra).parts);
    expect(text({ provider: 'openai', agent: { ...TOBIN, name: '토빈' } })).toContain('하늘과 대화 중인 토빈이 답한다.');
    expect(text({ provider: 'claude' })).toContain("Reply as Tobin: write only Tobin's next message");
  });

  it('fills user_name with USER_NAME only when a user message is in the window', () => {
    configDir().write('conversation_context.yaml', 'response_instruction: "To [{user_name}]"\n');
    const last = (rows: WindowRow[]) => {
      const part = build(rows).parts.at(-1);
      return part?.type === 'text' ? part.text.split('\n').at(-1) : '';
    };
    expect(last([userRow('hi')])).toBe('To [Jae]');
    expect(last([agentRow(MIRA_ID, 'Mira', 'hi')])).toBe('To []');
  });

  it('renders the empty conversation text when nothing is new', () => {
    const rows = [userRow('old'), agentRow(TOBIN.id, 'Tobin', 'mine')];
    expect(build(rows)).toEqual({
      rendered: 0,
      parts: [{ type: 'text', text: 'Nothing new has been said; go on as Tobin would.' }],
    });
  });

  it('splits the text around image parts when the provider takes images', () => {
    const rows = [
      userRow('look', { imageData: 'QUJD', imageMediaType: 'image/png' }),
      userRow('', { imageData: 'REVG', imageMediaType: 'image/webp' }),
    ];
    expect(build(rows, { images: IMAGES }).parts).toEqual([
      { type: 'text', text: '<conversation>\nJae: ' },
      { type: 'image', mediaType: 'image/png', base64: 'QUJD' },
      { type: 'text', text: 'look\nJae: ' },
      { type: 'image', mediaType: 'image/webp', base64: 'REVG' },
      { type: 'text', text: `\n</conversation>\n${INSTRUCTION}` },
    ]);
  });

  it('uses the placeholder for images the provider cannot take', () => {
    const rows = [
      userRow('look', { imageData: 'QUJD', imageMediaType: 'image/png' }),
      userRow('', { imageData: 'R0lG', imageMediaType: 'image/gif' }),
    ];
    const expected = '<conversation>\nJae: [image] look\nJae: [image]\n</conversation>';
    for (const images of [null, { supported: false, mediaTypes: [] }]) {
      const [part] = build(rows, { images }).parts;
      expect(part?.type === 'text' && part.text.startsWith(expected)).toBe(true);
    }
    const parts = build(rows, { images: IMAGES }).parts;
    expect(parts.filter((part) => part.type === 'image')).toHaveLength(1);
    expect(JSON.stringify(parts)).toContain('Jae: [image]\\n</conversation>');
  });

  it('sends only the 10 newest images as images', () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      userRow(`pic ${i}`, { imageData: `B${i}`, imageMediaType: 'image/png' }),
    );
    const parts = build(rows, { images: IMAGES }).parts;
    const images = parts.flatMap((part) => (part.type === 'image' ? [part.base64] : []));
    expect(images).toEqual(Array.from({ length: 10 }, (_, i) => `B${i + 2}`));
    expect(parts[0]).toEqual({ type: 'text', text: '<conversation>\nJae: [image] pic 0\nJae: [image] pic 1\nJae: ' });
  });

  it('puts a leading line such as the Codex time line before the header', () => {
    const [part] = build([userRow('hi')], { leadingLine: 'Current time: 2026-03-14 (Sat) 21:04:05 KST' }).parts;
    const text = part?.type === 'text' ? part.text : '';
    expect(text.startsWith('Current time: 2026-03-14 (Sat) 21:04:05 KST\n<conversation>\n')).toBe(true);
    const empty = build([], { leadingLine: 'Current time: now' }).parts;
    expect(empty).toEqual([{ type: 'text', text: 'Current time: now\nNothing new has been said; go on as Tobin would.' }]);
  });

  it('shows whiteboard messages as the board state replayed over the whole history', () => {
    const board = (id: number, content: string) => agentRow(7, 'Board', content, { id });
    const history = [board(1, '[whiteboard diff]\n+ Buy lanterns'), board(4, '[Whiteboard Diff]\n+ Book table\n```')];
    const rows = [history[0], agentRow(TOBIN.id, 'Tobin', 'ok', { id: 3 }), history[1]].filter(
      (row): row is WindowRow => row !== undefined,
    );
    const authors = { critics: new Set<number>(), whiteboards: new Set([7]) };
    const [part] = build(rows, { authors, whiteboardRows: history }).parts;
    expect(part?.type === 'text' ? part.text : '').toContain(
      '<conversation>\nBoard: [Whiteboard]\nBuy lanterns\nBook table\n</conversation>',
    );
    const renderings = new Map([[4, 'from the memo']]);
    const [memoPart] = build(rows, { authors, whiteboardRenderings: renderings }).parts;
    expect(memoPart?.type === 'text' ? memoPart.text : '').toContain('Board: from the memo\n');
  });
});
