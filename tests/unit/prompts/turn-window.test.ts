import { beforeEach, describe, expect, it } from 'vitest';
import { resolveSpeaker, selectWindow, windowCandidates } from '../../../src/server/prompts/turn-window.js';
import {
  MIRA_ID,
  NO_AUTHORS,
  TOBIN,
  agentRow,
  characterRow,
  noticeRow,
  resetRows,
  situationRow,
  userRow,
} from './turn-rows.js';

const names = { userName: 'Jae', situationBuilderLabel: 'Situation Builder' };
type WindowOptions = Parameters<typeof selectWindow>[0];
const speakers = (rows: WindowOptions['rows'], extra: Partial<WindowOptions> = {}) =>
  selectWindow({ rows, agent: TOBIN, authors: NO_AUTHORS, names, ...extra }).map(
    (message) => `${message.speaker}: ${message.row.content}`,
  );

beforeEach(resetRows);

describe('selectWindow', () => {
  it('starts after the agent newest message, whatever kind it was', () => {
    const rows = [
      userRow('old'),
      agentRow(TOBIN.id, 'Tobin', 'my reply'),
      userRow('between'),
      agentRow(TOBIN.id, 'Tobin', '', { isSkip: true }),
      userRow('new'),
    ];
    expect(speakers(rows)).toEqual(['Jae: new']);
  });

  it('uses messages since joining when the agent never wrote, and all of them without a join time', () => {
    const rows = [userRow('before'), userRow('after')];
    const joinedAt = rows[1]?.timestamp ?? null;
    expect(speakers(rows, { agent: { ...TOBIN, joinedAt } })).toEqual(['Jae: after']);
    expect(speakers(rows)).toEqual(['Jae: before', 'Jae: after']);
  });

  it('leaves out skip markers, notices, critic output and legacy provider errors', () => {
    const rows = [
      userRow('hello'),
      agentRow(MIRA_ID, 'Mira', '', { isSkip: true }),
      noticeRow('Mira joined the chat'),
      agentRow(9, 'Critic', 'Weak scene.'),
      agentRow(MIRA_ID, 'Mira', 'Error generating response: 529'),
      agentRow(MIRA_ID, 'Mira', 'hi'),
    ];
    const authors = { critics: new Set([9]), whiteboards: new Set<number>() };
    expect(speakers(rows, { authors })).toEqual(['Jae: hello', 'Mira: hi']);
  });

  it('keeps only the first of exact repeats but never drops a message with an image', () => {
    const rows = [
      userRow('ping'),
      userRow('ping'),
      userRow('ping', { participantName: 'Sol' }),
      userRow('', { imageData: 'AAAA', imageMediaType: 'image/png' }),
      userRow('', { imageData: 'AAAA', imageMediaType: 'image/png' }),
    ];
    expect(speakers(rows)).toEqual(['Jae: ping', 'Sol: ping', 'Jae: ', 'Jae: ']);
  });

  it('renders only the last max_messages messages, oldest first', () => {
    const rows = Array.from({ length: 30 }, (_, i) => userRow(`m${i}`));
    const window = speakers(rows, { maxMessages: 25 });
    expect(window).toHaveLength(25);
    expect(window[0]).toBe('Jae: m5');
    expect(window[24]).toBe('Jae: m29');
  });

  it('reads at most the newest 200 candidates', () => {
    const rows = Array.from({ length: 230 }, (_, i) => userRow(`m${i}`));
    const candidates = windowCandidates(rows, TOBIN);
    expect(candidates).toHaveLength(200);
    expect(candidates[0]?.content).toBe('m30');
  });
});

describe('resolveSpeaker', () => {
  it('names each kind of author', () => {
    expect(resolveSpeaker(characterRow('Hana', 'x'), names).speaker).toBe('Hana');
    expect(resolveSpeaker(characterRow(' ', 'x'), names).speaker).toBe('Jae');
    expect(resolveSpeaker(situationRow('x'), names).speaker).toBe('Situation Builder');
    expect(resolveSpeaker(userRow('x', { participantName: 'Sol' }), names).speaker).toBe('Sol');
    expect(resolveSpeaker(agentRow(MIRA_ID, 'Mira', 'x'), names).speaker).toBe('Mira');
    const deleted = agentRow(MIRA_ID, 'Mira', 'x', { agentId: null, agentName: null, participantName: 'Old Mira' });
    expect(resolveSpeaker(deleted, names).speaker).toBe('Old Mira');
    expect(resolveSpeaker({ ...deleted, participantName: null }, names).speaker).toBe('Unknown');
  });
});
