import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import type { Room } from '../../../src/shared/models.js';
import {
  agentDir,
  makeAgent,
  messages,
  notices,
  offeredTools,
  readAgentFile,
  recordEvents,
  replies,
  reply,
  requestsFor,
  roomWith,
  scriptAgents,
  send,
  startOpenAiHarness,
  steps,
  systemPrompt,
  toolCall,
  toolResults,
  turnRequestsFor,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';

/** `YYYY-MM-DD HH:mm` in Asia/Seoul, as memorize writes it (behavior.md §2.9, §9.3). */
function seoulMinute(at: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Asia/Seoul',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/**
 * The agent tools as `openai` function tools (behavior.md §8, §7.8 rule 3): the fake makes the model call
 * them, the real AI SDK executes them in-process and sends the results back in the next request.
 */
describe.runIf(await databaseAvailable())('openai agent tools (behavior.md §8)', () => {
  let h: OpenAiHarness;
  beforeAll(async () => {
    h = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '0' } });
  });
  afterAll(async () => h?.close());

  it('memorize appends a Seoul-time line to recent_events.md that the next system prompt shows (scenarios 6, 60, 9)', async () => {
    const mira = await makeAgent(h, 'Mira');
    scriptAgents(h, {
      Mira: [toolCall('memorize', { memory_entry: '  Lost the lantern - regret\n' }), reply('I will not forget that.'), reply('Yes, the lantern.')],
    });
    const room = await roomWith(h, [mira]);
    const recorder = recordEvents(h, room.id);
    const before = Date.now();
    await send(h, room.id, 'What happened last night?');
    await recorder.runEnded(1);
    const after = Date.now();

    const file = await readAgentFile(h, mira, 'recent_events.md');
    const lastLine = file.split('\n').at(-2);
    expect(file.endsWith('\n')).toBe(true);
    expect([`- [${seoulMinute(before)}] Lost the lantern - regret`, `- [${seoulMinute(after)}] Lost the lantern - regret`]).toContain(lastLine);
    expect(file.split('\n').filter((line) => line.startsWith('- ['))).toHaveLength(1);

    const [first, followUp] = requestsFor(h, 'Mira');
    // No memory sections: no recall tool (scenario 9).
    expect(offeredTools(first!)).toEqual(['skip', 'memorize', 'read_guidelines', 'check_boundary']);
    expect(toolResults(followUp!)).toEqual(["Saved to Mira's memories: Lost the lantern - regret"]);
    expect(replies(await messages(h, room.id)).map((message) => message.content)).toEqual(['I will not forget that.']);

    await send(h, room.id, 'Do you remember?');
    await recorder.runEnded(2);
    const next = turnRequestsFor(h, 'Mira')[1];
    expect(systemPrompt(next!)).toContain(`## Recent events\n\n${file.trim()}\n\n---\n`);
    recorder.stop();
  });

  it('recall returns a memory section by subtitle and lists the subtitles when not found (scenario 8)', async () => {
    const rhea = await makeAgent(h, 'Rhea');
    await writeFile(
      join(agentDir(h, rhea), 'consolidated_memory.md'),
      '# Long-term memories\n\n## [Harbor night]\nThe fog rolled in and Rhea lost her way back to the pier.\nA fisherman lit a lamp for her.\n\n## [First snow] (winter)\nSnow on the market roofs.\n',
    );
    scriptAgents(h, {
      Rhea: [
        toolCall('recall', { subtitle: '[Harbor night]' }),
        toolCall('recall', { subtitle: 'Unknown' }),
        reply('The harbor, yes.'),
      ],
    });
    const room = await roomWith(h, [rhea]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Tell me about the harbor.');
    await recorder.runEnded();

    const [first, second, third] = requestsFor(h, 'Rhea');
    const recall = first!.body.tools?.find((tool) => tool.function.name === 'recall');
    expect(recall?.function.description).toContain('Available subtitles: Harbor night, First snow');
    expect(toolResults(second!)).toEqual([
      'Memory "Harbor night":\n\nThe fog rolled in and Rhea lost her way back to the pier.\nA fisherman lit a lamp for her.',
    ]);
    expect(toolResults(third!).at(-1)).toBe('No memory is filed under "Unknown". Available subtitles: Harbor night, First snow');
    expect(replies(await messages(h, room.id)).map((message) => message.content)).toEqual(['The harbor, yes.']);
    recorder.stop();
  });

  it("check_boundary answers denied for an agent listed in the group's extreme_traits.yaml and records the situation (scenario 64)", async () => {
    const sela = await makeAgent(h, 'Sela', { group: 'Cove' });
    const tam = await makeAgent(h, 'Tam', { group: 'Cove' });
    await writeFile(join(h.t.dirs.agents, 'group_Cove', 'extreme_traits.yaml'), 'Sela: "Never goes out on the water at night."\n');
    scriptAgents(h, {
      Sela: [toolCall('check_boundary', { situation: 'Sailing at midnight' }), reply('I would rather stay ashore.')],
      Tam: [toolCall('check_boundary', { situation: 'Sailing at midnight' }), reply('Count me in.')],
    });
    const room = await roomWith(h, [sela, tam]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Who is up for a midnight sail?');
    await recorder.runEnded();

    expect(toolResults(requestsFor(h, 'Sela')[1]!)).toEqual([
      "This goes past Sela's personal limits. Stay in character and let Sela decline or steer the conversation somewhere else.",
    ]);
    expect(toolResults(requestsFor(h, 'Tam')[1]!)).toEqual(["This is within Tam's limits (Sailing at midnight). Carry on in character."]);
    const stored = replies(await messages(h, room.id));
    expect(stored.find((message) => message.agent_name === 'Sela')).toMatchObject({
      content: 'I would rather stay ashore.',
      anthropic_calls: ['Sailing at midnight'],
    });
    expect(stored.find((message) => message.agent_name === 'Tam')?.anthropic_calls).toEqual(['Sailing at midnight']);
    // The boundary text itself never reaches a model.
    expect(JSON.stringify(h.fake.requests.map((request) => request.body))).not.toContain('Never goes out on the water');
    recorder.stop();
  });

  it('skip ends the tool loop at once, stores a skip marker with the thinking, and streams nothing after it (§5.7 rules 5, 8)', async () => {
    const zed = await makeAgent(h, 'Zed');
    scriptAgents(h, {
      Zed: steps(
        { kind: 'reasoning', text: 'Not my business.' },
        { kind: 'text', text: '(sighs) ' },
        { kind: 'tool_call', id: 'call_skip_zed', name: 'skip', arguments: '{}' },
        { kind: 'text', text: 'never shown' },
      ),
    });
    const room = await roomWith(h, [zed]);
    const recorder = recordEvents(h, room.id);
    const user = await send(h, room.id, 'Zed, anything?');
    await recorder.runEnded();

    expect(requestsFor(h, 'Zed')).toHaveLength(1);
    const stored = await messages(h, room.id);
    const marker = stored.find((message) => message.agent_id === zed.id);
    expect(marker).toMatchObject({ is_skip: true, content: '(무시함)', thinking: 'Not my business.', provider: 'openai' });
    expect(replies(stored)).toHaveLength(0);
    const responseDeltas = recorder.events
      .filter((event): event is Extract<RoomEvent, { type: 'delta' }> => event.type === 'delta' && event.data.kind === 'response')
      .map((event) => event.data.text)
      .join('');
    expect(responseDeltas).not.toContain('never shown');
    expect(recorder.events.find((event) => event.type === 'agent_end')?.data).toMatchObject({ outcome: 'skipped', message_id: marker!.id });
    // A skip does not bump activity; a one-agent room whose round skipped is finished.
    const room2 = (await h.t.request({ method: 'GET', url: `/rooms/${room.id}`, token: h.admin })).json() as Room;
    expect(room2.last_activity_at).toBe(user.timestamp);
    expect(room2.is_finished).toBe(true);
    recorder.stop();
  });

  it('read_guidelines returns the guidelines for the agent, and invalid input is an error result the turn survives (§8.2)', async () => {
    const gus = await makeAgent(h, 'Gus');
    scriptAgents(h, {
      Gus: [toolCall('read_guidelines'), toolCall('memorize', { memory_entry: '   ' }), reply('Understood.')],
    });
    const room = await roomWith(h, [gus]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'House rules?');
    await recorder.runEnded();

    const [, second, third] = requestsFor(h, 'Gus');
    const [guidelines] = toolResults(second!);
    expect(guidelines).toMatch(/^These are the house rules for Gus in this room\./);
    expect(guidelines).not.toContain('{agent_name}');
    expect(toolResults(third!).at(-1)).toMatch(/memory_entry/);
    expect(await readAgentFile(h, gus, 'recent_events.md')).not.toMatch(/- \[/);
    const stored = await messages(h, room.id);
    expect(replies(stored).map((message) => message.content)).toEqual(['Understood.']);
    expect(notices(stored)).toHaveLength(0);
    recorder.stop();
  });
});
