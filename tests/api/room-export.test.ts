import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Message, Room } from '../../src/shared/models.js';
import { createMessageQueries } from '../../src/server/db/messages.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  agentByName,
  createRoom,
  getRoom,
  listMessages,
  manualClock,
  sendMessage,
  validationIssues,
} from '../helpers/room-api.js';

describe.runIf(await databaseAvailable())('GET /rooms/{id}/export', () => {
  let t: TestServer;
  let admin: string;
  let room: Room;
  let juniper: Agent;
  let wren: Agent;
  const clock = manualClock('2026-02-01T10:00:00.000Z');
  const ROOM_NAME = 'Tea & Cakes/2 é';

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample', now: clock.now, env: { USER_NAME: 'Alex' } });
    admin = await t.login('admin');
    juniper = await agentByName(t, admin, 'Juniper');
    wren = await agentByName(t, admin, 'Wren');
    room = await createRoom(t, admin, { name: ROOM_NAME, provider: 'openai', model: 'llama3.2:3b', is_paused: true });
    await t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${juniper.id}`, token: admin });

    const queries = createMessageQueries(t.server.database.db);
    const agentMessage = (fields: { content: string; thinking?: string; isSkip?: boolean; agentId?: number | null }) =>
      queries.insertMessage({
        roomId: room.id,
        agentId: fields.agentId === undefined ? juniper.id : fields.agentId,
        content: fields.content,
        role: 'assistant',
        thinking: fields.thinking ?? null,
        isSkip: fields.isSkip ?? false,
        provider: 'openai',
        model: 'llama3.2:3b',
        timestamp: clock.now(),
      });

    clock.advance(1_000);
    await sendMessage(t, admin, room.id, 'Hello everyone');
    clock.advance(1_000);
    await sendMessage(t, admin, room.id, { content: 'I am Bob.', participant_type: 'character', participant_name: 'Bob' });
    clock.advance(1_000);
    await sendMessage(t, admin, room.id, { content: 'Rain starts.', participant_type: 'situation_builder' });
    clock.advance(1_000);
    await agentMessage({ content: 'Welcome, Bob!', thinking: 'Greet the newcomer.' });
    clock.advance(1_000);
    await agentMessage({ content: '(무시함)', isSkip: true, thinking: 'Nothing to add.' });
    clock.advance(1_000);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
    await sendMessage(t, admin, room.id, { content: 'A photo', image_data: png.toString('base64'), image_media_type: 'image/png' });
    clock.advance(1_000);
    await t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${wren.id}`, token: admin });
    clock.advance(1_000);
    await agentMessage({ content: 'Words of a departed agent', agentId: null });
    clock.advance(60_000);
  });
  afterAll(async () => t?.close());

  const exportRoom = (query = '', token = admin, id = room.id) =>
    t.request({ method: 'GET', url: `/rooms/${id}/export${query}`, token });
  const at = (seconds: number) => new Date(Date.parse('2026-02-01T10:00:00.000Z') + seconds * 1000).toISOString();

  function expectedMarkdown({ thinking, skips }: { thinking: boolean; skips: boolean }): string {
    const members = [juniper, wren].sort((a, b) => a.id - b.id).map((agent) => agent.name).join(', ');
    const block = (speaker: string, second: number, ...body: string[]) => [`**${speaker}** · ${at(second)}`, '', ...body];
    const lines = [
      `# ${ROOM_NAME}`,
      '',
      `- Room ID: ${room.id}`,
      '- Provider: openai (llama3.2:3b)',
      `- Agents: ${members}`,
      `- Exported: ${clock.now().toISOString()}`,
      '',
      '---',
      '',
      ...block('Alex', 1, 'Hello everyone', ''),
      ...block('Bob', 2, 'I am Bob.', ''),
      ...block('Situation Builder', 3, 'Rain starts.', ''),
      ...block('Juniper', 4, ...(thinking ? ['<details><summary>Thinking</summary>', '', 'Greet the newcomer.', '', '</details>', ''] : []), 'Welcome, Bob!', ''),
      ...(skips
        ? block('Juniper', 5, ...(thinking ? ['<details><summary>Thinking</summary>', '', 'Nothing to add.', '', '</details>', ''] : []), '*(skipped)*', '')
        : []),
      ...block('Alex', 6, 'A photo', '', '*[image: image/webp]*', ''),
      ...block('System', 7, 'Wren joined the chat', ''),
      ...block('Unknown', 8, 'Words of a departed agent', ''),
    ];
    return lines.map((line) => `${line}\n`).join('');
  }

  it('downloads Markdown with the exact headers', async () => {
    const response = await exportRoom();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="room-${room.id}.md"; filename*=UTF-8''Tea___Cakes_2_%C3%A9-${room.id}.md`,
    );
  });

  it('writes the header, then one block per message without skip markers or thinking by default', async () => {
    const response = await exportRoom('?format=markdown');
    expect(response.body).toBe(expectedMarkdown({ thinking: false, skips: false }));
  });

  it('includes thinking and skip markers when asked', async () => {
    expect((await exportRoom('?include_thinking=true')).body).toBe(expectedMarkdown({ thinking: true, skips: false }));
    expect((await exportRoom('?include_skips=1')).body).toBe(expectedMarkdown({ thinking: false, skips: true }));
    expect((await exportRoom('?include_thinking=yes&include_skips=true')).body).toBe(expectedMarkdown({ thinking: true, skips: true }));
  });

  it('writes none for a room without members and the bare provider without a model', async () => {
    const empty = await createRoom(t, admin, { name: 'Empty room', provider: 'codex' });
    const body = (await exportRoom('', admin, empty.id)).body;
    expect(body).toBe(
      [
        '# Empty room',
        '',
        `- Room ID: ${empty.id}`,
        '- Provider: codex',
        '- Agents: none',
        `- Exported: ${clock.now().toISOString()}`,
        '',
        '---',
        '',
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
  });

  it('downloads JSON with the room, every message and the export time', async () => {
    const response = await exportRoom('?format=json&include_skips=false');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="room-${room.id}.json"; filename*=UTF-8''Tea___Cakes_2_%C3%A9-${room.id}.json`,
    );
    const { messages: history, ...withAgents } = await getRoom(t, admin, room.id);
    const body = response.json() as { format: string; exported_at: string; room: unknown; messages: Message[] };
    expect(Object.keys(body).sort()).toEqual(['exported_at', 'format', 'messages', 'room']);
    expect(body.format).toBe('chitchats.room.v1');
    expect(body.exported_at).toBe(clock.now().toISOString());
    expect(body.room).toEqual(withAgents);
    expect(body.messages).toEqual(history);
    expect(body.messages).toEqual(await listMessages(t, admin, room.id));
    expect(body.messages.some((message) => message.is_skip && message.thinking === 'Nothing to add.')).toBe(true);
    expect(body.messages.some((message) => message.image_media_type === 'image/webp' && message.image_data)).toBe(true);
  });

  it('cuts the file name slug to 80 code points', async () => {
    const long = await createRoom(t, admin, `${'가'.repeat(90)}`);
    const disposition = String((await exportRoom('', admin, long.id)).headers['content-disposition']);
    expect(disposition).toBe(
      `attachment; filename="room-${long.id}.md"; filename*=UTF-8''${encodeURIComponent('가'.repeat(80))}-${long.id}.md`,
    );
  });

  it('rejects an unknown format and a non-boolean flag', async () => {
    const [format] = validationIssues(await exportRoom('?format=pdf'));
    expect(format).toMatchObject({ type: 'enum', loc: ['query', 'format'], input: 'pdf' });
    const [flag] = validationIssues(await exportRoom('?include_thinking=maybe'));
    expect(flag).toMatchObject({ type: 'bool_parsing', loc: ['query', 'include_thinking'] });
  });

  it('answers ROOM404 and ROOM403', async () => {
    const missing = await exportRoom('', admin, 999999);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Room with id 999999 not found' });
    const guest = await t.login('guest');
    const forbidden = await exportRoom('', guest);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ detail: 'You do not have access to this room' });
    const own = await createRoom(t, guest, 'Guest export');
    expect((await exportRoom('?format=json', guest, own.id)).json().room.owner_id).toBe(own.owner_id);
  });
});
