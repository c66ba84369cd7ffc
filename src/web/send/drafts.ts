import { parseOutboxEntry, type OutboxEntry } from './outbox.js';
import type { Persona } from './send-validation.js';

/**
 * Per-room drafts, `chitchats.drafts.<userId>` in localStorage (ui.md §2.3): the composer's text, persona and
 * character name, the 5 most recent character names, and the outbox. Pure functions over an immutable record; the
 * caller reads and writes the storage.
 */

export interface RoomDraft {
  text: string;
  persona: Persona;
  characterName: string;
  recentCharacters: readonly string[];
  outbox: readonly OutboxEntry[];
  updatedAt: number;
}

export type Drafts = Readonly<Record<number, RoomDraft>>;

export const DRAFTS_VERSION = 1;
export const DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1_000;
export const RECENT_CHARACTERS = 5;

export function draftsKey(userId: string): string {
  return `chitchats.drafts.${userId}`;
}

export function emptyDraft(now: number): RoomDraft {
  return { text: '', persona: 'user', characterName: '', recentCharacters: [], outbox: [], updatedAt: now };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PERSONAS: readonly Persona[] = ['user', 'situation', 'character'];

function parseDraft(value: unknown): RoomDraft | null {
  if (!isRecord(value) || typeof value.updatedAt !== 'number') return null;
  const persona = PERSONAS.find((candidate) => candidate === value.persona) ?? 'user';
  const recent = Array.isArray(value.recentCharacters) ? value.recentCharacters : [];
  const outbox = Array.isArray(value.outbox) ? value.outbox : [];
  return {
    text: typeof value.text === 'string' ? value.text : '',
    persona,
    characterName: typeof value.characterName === 'string' ? value.characterName : '',
    recentCharacters: recent.filter((name): name is string => typeof name === 'string').slice(0, RECENT_CHARACTERS),
    outbox: outbox.map(parseOutboxEntry).filter((entry): entry is OutboxEntry => entry !== null),
    updatedAt: value.updatedAt,
  };
}

/** Unreadable, foreign or other-version data gives no drafts rather than an error. */
export function parseDrafts(raw: string | null): Drafts {
  if (raw === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!isRecord(parsed) || parsed.version !== DRAFTS_VERSION || !isRecord(parsed.rooms)) return {};
  const drafts: Record<number, RoomDraft> = {};
  for (const [key, value] of Object.entries(parsed.rooms)) {
    const roomId = Number(key);
    const draft = parseDraft(value);
    if (Number.isInteger(roomId) && roomId > 0 && draft !== null) drafts[roomId] = draft;
  }
  return drafts;
}

export function serializeDrafts(drafts: Drafts): string {
  return JSON.stringify({ version: DRAFTS_VERSION, rooms: drafts });
}

/** A draft that says nothing is not stored. */
function isBlank(draft: RoomDraft): boolean {
  return (
    draft.text === '' &&
    draft.persona === 'user' &&
    draft.characterName === '' &&
    draft.recentCharacters.length === 0 &&
    draft.outbox.length === 0
  );
}

function put(drafts: Drafts, roomId: number, draft: RoomDraft): Drafts {
  const next: Record<number, RoomDraft> = { ...drafts };
  if (isBlank(draft)) delete next[roomId];
  else next[roomId] = draft;
  return next;
}

export function saveComposer(
  drafts: Drafts,
  roomId: number,
  composer: Pick<RoomDraft, 'text' | 'persona' | 'characterName'>,
  now: number,
): Drafts {
  return put(drafts, roomId, { ...(drafts[roomId] ?? emptyDraft(now)), ...composer, updatedAt: now });
}

export function saveOutbox(drafts: Drafts, roomId: number, outbox: readonly OutboxEntry[], now: number): Drafts {
  return put(drafts, roomId, { ...(drafts[roomId] ?? emptyDraft(now)), outbox, updatedAt: now });
}

/** The persona menu offers the 5 most recent character names of the room, newest first (ui.md §4.4.5). */
export function rememberCharacter(drafts: Drafts, roomId: number, name: string, now: number): Drafts {
  const trimmed = name.trim();
  if (trimmed === '') return drafts;
  const draft = drafts[roomId] ?? emptyDraft(now);
  const others = draft.recentCharacters.filter((recent) => recent.toLocaleLowerCase() !== trimmed.toLocaleLowerCase());
  const recentCharacters = [trimmed, ...others].slice(0, RECENT_CHARACTERS);
  return put(drafts, roomId, { ...draft, recentCharacters, updatedAt: now });
}

/** At boot: drafts untouched for 30 days go. */
export function pruneDrafts(drafts: Drafts, now: number): Drafts {
  const entries = Object.entries(drafts).filter(([, draft]) => now - draft.updatedAt <= DRAFT_MAX_AGE_MS);
  return entries.length === Object.keys(drafts).length ? drafts : Object.fromEntries(entries);
}

/** A room's draft is dropped when the room leaves the list. */
export function keepRooms(drafts: Drafts, roomIds: Iterable<number>): Drafts {
  const keep = new Set(roomIds);
  const entries = Object.entries(drafts).filter(([roomId]) => keep.has(Number(roomId)));
  return entries.length === Object.keys(drafts).length ? drafts : Object.fromEntries(entries);
}
