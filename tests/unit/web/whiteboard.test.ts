import { describe, expect, it } from 'vitest';
import {
  applyWhiteboardDiff,
  applyWithChanges,
  boardStates,
  hasWhiteboardMarker,
  isPartialHistory,
  parseWhiteboardDiff,
} from '../../../src/web/whiteboard/whiteboard.js';

const diff = (...lines: string[]) => ['[whiteboard diff]', ...lines].join('\n');

describe('whiteboard diffs (ui.md §4.10)', () => {
  it('adds, removes, modifies and clears lines', () => {
    let board = applyWhiteboardDiff([], diff('+ Plan the trip', '+ Book hotel', '+ Pack'));
    expect(board).toEqual(['Plan the trip', 'Book hotel', 'Pack']);
    board = applyWhiteboardDiff(board, diff('- Book hotel'));
    expect(board).toEqual(['Plan the trip', 'Pack']);
    board = applyWhiteboardDiff(board, diff('~ Pack → Pack light'));
    expect(board).toEqual(['Plan the trip', 'Pack light']);
    board = applyWhiteboardDiff(board, diff('CLEAR'));
    expect(board).toEqual([]);
  });

  it('matches lines for - and ~ after trimming and collapsing whitespace, first match only', () => {
    const board = ['Buy   milk', 'Buy milk', 'Call  mom'];
    expect(applyWhiteboardDiff(board, diff('-   Buy milk  '))).toEqual(['Buy milk', 'Call  mom']);
    expect(applyWhiteboardDiff(board, diff('~ Call mom → Call dad'))).toEqual(['Buy   milk', 'Buy milk', 'Call dad']);
  });

  it('ends the diff at a line of three backticks or at the end of the text', () => {
    const fenced = '```\n[whiteboard diff]\n+ inside\n```\n+ after the fence';
    expect(applyWhiteboardDiff([], fenced)).toEqual(['inside']);
    expect(applyWhiteboardDiff([], diff('+ a', '+ b'))).toEqual(['a', 'b']);
  });

  it('accepts both marker spellings, the Latin part in any case', () => {
    expect(hasWhiteboardMarker('[Whiteboard DIFF]\n+ x')).toBe(true);
    expect(hasWhiteboardMarker('  [화이트보드 diff]  \n+ x')).toBe(true);
    expect(applyWhiteboardDiff([], '[화이트보드 diff]\n+ 회의 안건')).toEqual(['회의 안건']);
    expect(hasWhiteboardMarker('[whiteboard] diff\n+ x')).toBe(false);
    expect(hasWhiteboardMarker('Let us use the whiteboard diff format')).toBe(false);
    expect(parseWhiteboardDiff('no marker here\n+ x')).toBeNull();
  });

  it('ignores unknown lines, ops that match nothing and a ~ without the arrow', () => {
    const board = applyWhiteboardDiff(['keep'], diff('hello there', '+nospace', '- missing', '~ keep -> other', '* bullet', '', '+ real'));
    expect(board).toEqual(['keep', 'real']);
  });

  it('leaves the board unchanged for a message without a marker', () => {
    expect(applyWhiteboardDiff(['a'], '+ b')).toEqual(['a']);
  });

  it('reports the line diff behind the highlights: added, changed, removed, cleared', () => {
    const ops = parseWhiteboardDiff(diff('+ new', '~ two → 2', '- three', '+ temp', '- temp', '+ x', '~ x → y'))?.ops ?? [];
    const change = applyWithChanges(['one', 'two', 'three'], ops);
    expect(change.lines).toEqual([
      { text: 'one', status: 'kept' },
      { text: '2', status: 'changed', was: 'two' },
      { text: 'new', status: 'added' },
      { text: 'y', status: 'added' },
    ]);
    // A line added and removed in the same diff never was on the board.
    expect(change.removed).toEqual(['three']);
    expect(change.cleared).toBe(false);

    const cleared = applyWithChanges(['a', 'b'], parseWhiteboardDiff(diff('CLEAR', '+ c'))?.ops ?? []);
    expect(cleared).toEqual({ lines: [{ text: 'c', status: 'added' }], removed: ['a', 'b'], cleared: true });
  });

  it('keeps state across several messages, in id order, ignoring non-diff messages', () => {
    const states = boardStates([
      { id: 3, agent_id: 9, content: diff('~ A → A2', '+ B') },
      { id: 1, agent_id: 9, content: diff('+ A') },
      { id: 2, agent_id: 4, content: 'just chatting, + not a diff' },
      { id: 4, agent_id: null, content: diff('+ from a user') },
      { id: 5, agent_id: 9, content: 'the whiteboard agent speaking normally' },
    ]);
    expect(states.byMessage.get(1)?.lines.map((l) => l.text)).toEqual(['A']);
    expect(states.byMessage.get(3)?.lines).toEqual([
      { text: 'A2', status: 'changed', was: 'A' },
      { text: 'B', status: 'added' },
    ]);
    expect(states.byMessage.has(2)).toBe(false);
    expect(states.byMessage.has(4)).toBe(false);
    expect(states.byMessage.has(5)).toBe(false);
    expect(states.current).toEqual(['A2', 'B']);
    expect(states.latestId).toBe(3);
    expect([...states.whiteboardAgents]).toEqual([9]);
  });

  it('gives an empty board after CLEAR and for a room without diffs', () => {
    const states = boardStates([
      { id: 1, agent_id: 2, content: diff('+ A') },
      { id: 2, agent_id: 2, content: diff('CLEAR') },
    ]);
    expect(states.byMessage.get(2)?.lines).toEqual([]);
    expect(states.byMessage.get(2)?.cleared).toBe(true);
    expect(states.current).toEqual([]);
    expect(boardStates([]).current).toEqual([]);
    expect(boardStates([]).latestId).toBeNull();
  });

  it('detects partial history only when earlier pages exist and there is a board', () => {
    const withBoard = boardStates([{ id: 7, agent_id: 1, content: diff('+ A') }]);
    expect(isPartialHistory({ hasMoreBefore: true }, withBoard)).toBe(true);
    expect(isPartialHistory({ hasMoreBefore: false }, withBoard)).toBe(false);
    expect(isPartialHistory({ hasMoreBefore: true }, boardStates([]))).toBe(false);
  });
});
