import { describe, expect, it } from 'vitest';
import {
  applyWhiteboardDiff,
  createWhiteboardMemo,
  parseWhiteboardDiff,
  renderWhiteboardHistory,
} from '../../../src/server/prompts/whiteboard.js';

const texts = { header: '[Whiteboard]', empty: '(empty)' };

describe('whiteboard', () => {
  it('reads the diff from the marker line up to a fence line', () => {
    expect(parseWhiteboardDiff('Updating.\n```\n[WHITEBOARD diff]\n+ a\n```\n+ b')).toEqual(['+ a']);
    expect(parseWhiteboardDiff('[화이트보드 diff]\n+ 가')).toEqual(['+ 가']);
    expect(parseWhiteboardDiff('[화이트보드 DIFF]\n+ 가')).toEqual(['+ 가']);
    expect(parseWhiteboardDiff('no marker\n+ a')).toBeNull();
  });

  it('adds, removes and replaces the first line matching after collapsing whitespace', () => {
    const board = applyWhiteboardDiff(['Buy  lanterns', 'Book table', 'Buy lanterns'], [
      '- Buy lanterns',
      '~ Book   table \u2192 Book a table for six',
      '+ Call Hana',
      '- Nothing like this',
      '~ Missing \u2192 Ignored',
      'random text',
    ]);
    expect(board).toEqual(['Book a table for six', 'Buy lanterns', 'Call Hana']);
  });

  it('empties the board on CLEAR and keeps applying after it', () => {
    expect(applyWhiteboardDiff(['a', 'b'], ['CLEAR', '+ c'])).toEqual(['c']);
  });

  it('renders each message with the board after it, the empty text, or its raw content without a marker', () => {
    const rendered = renderWhiteboardHistory(
      [
        { id: 1, content: '[whiteboard diff]\n+ a\n+ b' },
        { id: 2, content: 'Just chatting.' },
        { id: 3, content: '[whiteboard diff]\n- a' },
        { id: 4, content: '[whiteboard diff]\nCLEAR' },
      ],
      texts,
    );
    expect([...rendered]).toEqual([
      [1, '[Whiteboard]\na\nb'],
      [2, 'Just chatting.'],
      [3, '[Whiteboard]\nb'],
      [4, '[Whiteboard]\n(empty)'],
    ]);
  });
});

describe('createWhiteboardMemo', () => {
  it('reuses a room rendering until a newer whiteboard message arrives or the room is invalidated', () => {
    const memo = createWhiteboardMemo();
    const first = [{ id: 1, content: '[whiteboard diff]\n+ a' }];
    const rendered = memo.render(5, first, texts);
    expect(memo.render(5, first, texts)).toBe(rendered);
    expect(memo.render(6, first, texts)).not.toBe(rendered);
    const second = [...first, { id: 2, content: '[whiteboard diff]\n+ b' }];
    expect(memo.render(5, second, texts).get(2)).toBe('[Whiteboard]\na\nb');
    const again = memo.render(5, second, texts);
    memo.invalidateRoom(5);
    expect(memo.render(5, second, texts)).not.toBe(again);
  });

  it('keeps at most maxRooms rooms', () => {
    const memo = createWhiteboardMemo({ maxRooms: 1 });
    const messages = [{ id: 1, content: 'raw' }];
    const kept = memo.render(1, messages, texts);
    memo.render(2, messages, texts);
    expect(memo.render(1, messages, texts)).not.toBe(kept);
  });
});
