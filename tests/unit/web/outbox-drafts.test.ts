import { describe, expect, it } from 'vitest';
import { fromOutbox, parseOutboxEntry, toOutbox } from '../../../src/web/send/outbox.js';
import {
  DRAFT_MAX_AGE_MS,
  draftsKey,
  keepRooms,
  parseDrafts,
  pruneDrafts,
  rememberCharacter,
  saveComposer,
  saveOutbox,
  serializeDrafts,
} from '../../../src/web/send/drafts.js';
import { pendingSend, sendBody } from './helpers/fixtures.js';

const withImage = pendingSend('a', 'look', {
  body: sendBody('look', { image_data: 'AAAA', image_media_type: 'image/png' }),
  status: 'sending',
  afterId: 4,
});

describe('outbox', () => {
  it('keeps sends without their image, noting that they had one', () => {
    expect(toOutbox([withImage])).toEqual([
      { localId: 'a', body: sendBody('look'), hadImage: true, createdAt: 1_000, afterId: 4, outcomeUnknown: true },
    ]);
  });

  it('brings sends back after a reload as failed rows whose outcome may be unknown', () => {
    const [restored] = fromOutbox(toOutbox([withImage]));
    expect(restored).toMatchObject({
      localId: 'a',
      status: 'failed',
      error: { reason: 'interrupted' },
      outcomeUnknown: true,
      afterId: 4,
      imageDropped: true,
    });
  });

  it('reads back only entries with a usable shape', () => {
    const [entry] = toOutbox([pendingSend('b', 'hi')]);
    expect(parseOutboxEntry(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
    expect(parseOutboxEntry({ localId: 'x', createdAt: 1, body: { content: 'hi', participant_type: 'system' } })).toBeNull();
    expect(parseOutboxEntry('nope')).toBeNull();
  });
});

describe('drafts', () => {
  const now = 10 * DRAFT_MAX_AGE_MS;

  it('stores drafts per user under a chitchats key', () => {
    expect(draftsKey('guest-1')).toBe('chitchats.drafts.guest-1');
  });

  it('round-trips through versioned JSON', () => {
    let drafts = saveComposer({}, 3, { text: 'half a thought', persona: 'character', characterName: 'Bob' }, now);
    drafts = saveOutbox(drafts, 3, toOutbox([pendingSend('a', 'hi')]), now);
    expect(parseDrafts(serializeDrafts(drafts))).toEqual(drafts);
  });

  it('falls back to no drafts for unreadable or foreign data', () => {
    expect(parseDrafts(null)).toEqual({});
    expect(parseDrafts('{oops')).toEqual({});
    expect(parseDrafts(JSON.stringify({ version: 99, rooms: {} }))).toEqual({});
    expect(parseDrafts(JSON.stringify({ version: 1, rooms: { x: {}, 4: { updatedAt: 'soon' } } }))).toEqual({});
  });

  it('drops a draft that holds nothing', () => {
    const drafts = saveComposer({}, 3, { text: 'x', persona: 'user', characterName: '' }, now);
    expect(saveComposer(drafts, 3, { text: '', persona: 'user', characterName: '' }, now)).toEqual({});
  });

  it('remembers the five most recent character names, newest first, without repeats', () => {
    let drafts = {};
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'b']) drafts = rememberCharacter(drafts, 3, name, now);
    expect(parseDrafts(serializeDrafts(drafts))[3]?.recentCharacters).toEqual(['b', 'F', 'E', 'D', 'C']);
  });

  it('prunes drafts older than 30 days', () => {
    const drafts = {
      ...saveComposer({}, 1, { text: 'old', persona: 'user', characterName: '' }, now - DRAFT_MAX_AGE_MS - 1),
      ...saveComposer({}, 2, { text: 'new', persona: 'user', characterName: '' }, now - 1),
    };
    expect(Object.keys(pruneDrafts(drafts, now))).toEqual(['2']);
  });

  it('drops the drafts of rooms that left the list', () => {
    const drafts = {
      ...saveComposer({}, 1, { text: 'a', persona: 'user', characterName: '' }, now),
      ...saveComposer({}, 2, { text: 'b', persona: 'user', characterName: '' }, now),
    };
    expect(Object.keys(keepRooms(drafts, [2, 5]))).toEqual(['2']);
  });
});
