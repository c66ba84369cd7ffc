import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { parse } from 'yaml';
import {
  addMember,
  conversation,
  expectedTurnMessage,
  httpError,
  makeAgent,
  messages,
  notices,
  recordEvents,
  replies,
  reply,
  roomAction,
  roomWith,
  scriptAgents,
  send,
  skipResponse,
  startOpenAiHarness,
  systemPrompt,
  turnMessage,
  turnRequestsFor,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';

/**
 * What the model is sent (behavior.md §4, §4.10, §7.8 rule 2): the requests the fake chat-completions server
 * received from the real AI SDK, for windows built from rows stored through the API.
 */
describe.runIf(await databaseAvailable())('openai prompt content (behavior.md §4)', () => {
  let h: OpenAiHarness;
  beforeAll(async () => {
    // One round per user message: the scenarios look at single turns.
    h = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '0' } });
  });
  afterAll(async () => h?.close());

  it('sends the system prompt, the rebuilt history with own replies as assistant messages, and exactly the last 25 lines (scenarios 16, 60)', async () => {
    const tobin = await makeAgent(h, 'Tobin', { characteristics: 'Tobin haggles over every skewer.' });
    scriptAgents(h, { Tobin: [reply('Morning, all.'), reply('That is a lot of talk.')] });
    const room = await roomWith(h, [tobin], { is_paused: true });
    const recorder = recordEvents(h, room.id);
    const early = Array.from({ length: 9 }, (_, i) => `early ${i + 1}`);
    for (const content of early) await send(h, room.id, content);
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(1);
    // Tobin's reply is message 10; then 30 messages by others while the room is paused.
    await roomAction(h, room.id, 'pause');
    const later = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0 ? { content: `later ${i + 1}`, participant_type: 'character', participant_name: 'Jae' } : { content: `later ${i + 1}` },
    );
    for (const body of later) await send(h, room.id, body);
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(2);

    const stored = await messages(h, room.id);
    expect(stored.findIndex((message) => message.agent_id === tobin.id)).toBe(9);
    const [first, second] = turnRequestsFor(h, 'Tobin');
    expect(first && second).toBeTruthy();
    const earlyLines = early.map((content) => `User: ${content}`);
    // A first turn has no history: its window is the per-turn message (README resolution 16).
    expect(conversation(first!)).toEqual([{ role: 'user', text: expectedTurnMessage('Tobin', earlyLines) }]);
    expect(systemPrompt(first!)).toContain('## Tobin: characteristics\n\nTobin haggles over every skewer.');

    const lastLines = later.slice(5).map((body) => `${'participant_name' in body ? 'Jae' : 'User'}: ${body.content}`);
    expect(lastLines).toHaveLength(25);
    expect(conversation(second!)).toEqual([
      // The history up to Tobin's reply: the others' messages as one conversation block without instruction…
      { role: 'user', text: ['<conversation>', ...earlyLines, '</conversation>'].join('\n') },
      // …Tobin's own reply as an assistant message…
      { role: 'assistant', text: 'Morning, all.' },
      // …and the per-turn message: the newest 25 of the 30 lines, oldest first, between header and footer.
      { role: 'user', text: expectedTurnMessage('Tobin', lastLines) },
    ]);
    const withoutTime = (prompt: string) => prompt.split('\n').slice(0, -1).join('\n');
    expect(withoutTime(systemPrompt(second!))).toBe(withoutTime(systemPrompt(first!)));
    recorder.stop();
  });

  it('leaves skip markers, join and error notices, critic output and repeated lines out of the window (scenario 17)', async () => {
    const tess = await makeAgent(h, 'Tess');
    const erro = await makeAgent(h, 'Erro');
    const sly = await makeAgent(h, 'Sly');
    const kit = await makeAgent(h, 'Kit', { is_critic: true });
    const jon = await makeAgent(h, 'Jon');
    scriptAgents(h, {
      Tess: [reply('First from Tess.'), reply('Second from Tess.')],
      Erro: httpError(400, 'bad request from the fake'),
      Kit: reply('Critique: fine.'),
      // Sly and Jon skip through the tool.
    });
    const room = await roomWith(h, [tess, erro, sly, kit]);
    const recorder = recordEvents(h, room.id);
    // Tess is mentioned so she speaks first: everything the others produce comes after her reply.
    await send(h, room.id, { content: 'Opening line', mentioned_agent_ids: [tess.id] });
    await recorder.runEnded(1);
    await addMember(h, room.id, jon);
    await roomAction(h, room.id, 'pause');
    await send(h, room.id, 'Same words again');
    await send(h, room.id, 'Same words again');
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(2);

    // The rows really exist between Tess's two turns…
    const stored = await messages(h, room.id);
    const firstReply = stored.findIndex((message) => message.content === 'First from Tess.');
    const between = stored.slice(firstReply + 1, stored.findIndex((message) => message.content === 'Same words again') + 2);
    expect(between.some((message) => message.is_skip && message.agent_id === sly.id)).toBe(true);
    expect(between.some((message) => message.participant_type === 'system' && message.content.startsWith('Erro could not respond:'))).toBe(true);
    expect(between.some((message) => message.participant_type === 'system' && message.content === 'Jon joined the chat')).toBe(true);
    expect(between.some((message) => message.agent_id === kit.id && message.content === 'Critique: fine.')).toBe(true);
    expect(between.filter((message) => message.content === 'Same words again')).toHaveLength(2);
    // …and none of them reaches Tess: one line, the repeat dropped.
    const second = turnRequestsFor(h, 'Tess')[1];
    expect(turnMessage(second!)).toBe(expectedTurnMessage('Tess', ['User: Same words again']));
    // Her history holds the first window and her own reply only.
    expect(conversation(second!).slice(0, 2)).toEqual([
      { role: 'user', text: '<conversation>\nUser: Opening line\n</conversation>' },
      { role: 'assistant', text: 'First from Tess.' },
    ]);
    expect(replies(stored).filter((message) => message.agent_id === tess.id)).toHaveLength(2);
    recorder.stop();
  });

  it("starts a late joiner's first window at its join time, with no history (scenario 19)", async () => {
    const ada = await makeAgent(h, 'Ada');
    const cole = await makeAgent(h, 'Cole');
    scriptAgents(h, { Cole: reply('Hello, I just got here.') });
    const room = await roomWith(h, [ada], { is_paused: true });
    const recorder = recordEvents(h, room.id);
    for (let i = 1; i <= 40; i += 1) await send(h, room.id, `before ${i}`);
    await addMember(h, room.id, cole);
    await send(h, room.id, 'After Cole joined');
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(1);

    const [request] = turnRequestsFor(h, 'Cole');
    expect(conversation(request!)).toEqual([{ role: 'user', text: expectedTurnMessage('Cole', ['User: After Cole joined']) }]);
    // Ada, a member from the start, has no such cut.
    expect(turnMessage(turnRequestsFor(h, 'Ada')[0]!)).toContain('User: before 40\nUser: After Cole joined\n');
    expect(replies(await messages(h, room.id)).map((message) => message.content)).toEqual(['Hello, I just got here.']);
    recorder.stop();
  });

  it('renders character and situation-builder speakers, and adds the note only when a situation-builder line is in the window (scenario 20)', async () => {
    const dove = await makeAgent(h, 'Dove');
    scriptAgents(h, { Dove: [reply('Let us find cover.'), reply('Dumplings, then.')] });
    const context = parse(await readFile(join(h.configDir, 'conversation_context.yaml'), 'utf8')) as {
      situation_builder: { note: string };
    };
    const room = await roomWith(h, [dove], { is_paused: true });
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, { content: 'Anyone up for the night market?', participant_type: 'character', participant_name: 'Jae' });
    await send(h, room.id, { content: 'Rain starts as they reach the first stall.', participant_type: 'situation_builder' });
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(1);
    await send(h, room.id, 'Anyone hungry?');
    await recorder.runEnded(2);

    const [first, second] = turnRequestsFor(h, 'Dove');
    expect(turnMessage(first!)).toBe(
      expectedTurnMessage(
        'Dove',
        ['Jae: Anyone up for the night market?', 'Situation Builder: Rain starts as they reach the first stall.'],
        [context.situation_builder.note],
      ),
    );
    expect(context.situation_builder.note.length).toBeGreaterThan(20);
    expect(turnMessage(second!)).toBe(expectedTurnMessage('Dove', ['User: Anyone hungry?']));
    recorder.stop();
  });

  it('shows the whole-history whiteboard state to the other agents (scenario 21)', async () => {
    const board = await makeAgent(h, 'Whiteboard', { priority: 1 });
    const oren = await makeAgent(h, 'Oren');
    scriptAgents(h, {
      Whiteboard: [reply('[whiteboard diff]\n+ Budget: 10'), reply('[whiteboard diff]\n+ Venue: pier')],
      Oren: (call, request) => (call === 1 ? skipResponse(request) : reply('Noted.')),
    });
    const room = await roomWith(h, [board, oren]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Set the budget');
    await recorder.runEnded(1);
    await roomAction(h, room.id, 'pause');
    for (let i = 1; i <= 300; i += 1) await send(h, room.id, `chatter ${i}`);
    await roomAction(h, room.id, 'resume');
    await recorder.runEnded(2, 20_000);

    const stored = await messages(h, room.id);
    expect(stored.filter((message) => message.agent_id === board.id).map((message) => message.content)).toEqual([
      '[whiteboard diff]\n+ Budget: 10',
      '[whiteboard diff]\n+ Venue: pier',
    ]);
    const request = turnRequestsFor(h, 'Oren')[1];
    const text = turnMessage(request!);
    expect(text).toContain('\nUser: chatter 300\nWhiteboard: [Whiteboard]\nBudget: 10\nVenue: pier\n</conversation>');
    expect(text).not.toContain('[whiteboard diff]');
    recorder.stop();
  }, 60_000);

  it('sends images as placeholders by default and as image parts with OPENAI_SUPPORTS_IMAGES (§4.4, §7.8 rule 5)', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c03030' } }).png().toBuffer();
    const image = { content: 'Look at this lantern', image_data: png.toString('base64'), image_media_type: 'image/png' };

    const iris = await makeAgent(h, 'Iris');
    scriptAgents(h, { Iris: reply('Pretty.') });
    const room = await roomWith(h, [iris]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, image);
    await recorder.runEnded(1);
    expect(turnMessage(turnRequestsFor(h, 'Iris')[0]!)).toBe(expectedTurnMessage('Iris', ['User: [image] Look at this lantern']));
    recorder.stop();

    const withImages = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '0', OPENAI_SUPPORTS_IMAGES: 'true' } });
    try {
      const juno = await makeAgent(withImages, 'Juno');
      scriptAgents(withImages, { Juno: reply('Bright red.') });
      const imageRoom = await roomWith(withImages, [juno]);
      const imageRecorder = recordEvents(withImages, imageRoom.id);
      const stored = await send(withImages, imageRoom.id, image);
      await imageRecorder.runEnded(1);
      const content = turnRequestsFor(withImages, 'Juno')[0]!.body.messages!.at(-1)!.content;
      expect(content).toEqual([
        { type: 'text', text: '<conversation>\nUser: ' },
        { type: 'image_url', image_url: { url: `data:${stored.image_media_type};base64,${stored.image_data}` } },
        { type: 'text', text: `Look at this lantern\n</conversation>\n${expectedTurnMessage('Juno', []).split('\n').at(-1)}` },
      ]);
      imageRecorder.stop();
    } finally {
      await withImages.close();
    }
  });

  it('ends the system prompt with the current time in Asia/Seoul (scenario 22)', async () => {
    const vega = await makeAgent(h, 'Vega');
    scriptAgents(h, { Vega: reply('Hi.') });
    const room = await roomWith(h, [vega]);
    const recorder = recordEvents(h, room.id);
    const before = Date.now();
    await send(h, room.id, 'What time is it?');
    await recorder.runEnded(1);
    const after = Date.now();

    const prompt = systemPrompt(turnRequestsFor(h, 'Vega')[0]!);
    const lines = prompt.split('\n');
    expect(lines.slice(-3, -1)).toEqual(['---', '']);
    const match = /^Current time: (\d{4})-(\d{2})-(\d{2}) \((Mon|Tue|Wed|Thu|Fri|Sat|Sun)\) (\d{2}):(\d{2}):(\d{2}) KST$/.exec(lines.at(-1)!);
    expect(match, lines.at(-1)).not.toBeNull();
    const [, y, mo, d, weekday, hh, mm, ss] = match!;
    const shown = Date.parse(`${y}-${mo}-${d}T${hh}:${mm}:${ss}+09:00`);
    expect(shown).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(shown).toBeLessThanOrEqual(after);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Seoul', weekday: 'short' }).format(new Date(shown))).toBe(weekday);
    expect(notices(await messages(h, room.id))).toHaveLength(0);
    recorder.stop();
  });
});
