import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentDir,
  lastMessage,
  makeAgent,
  messages,
  offeredTools,
  readAgentFile,
  recordEvents,
  replies,
  reply,
  requestsFor,
  roomWith,
  scriptAgents,
  send,
  speakers,
  startOpenAiHarness,
  systemPrompt,
  toolCall,
  toolResults,
  turnMessage,
  turnRequestsFor,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';

/** Every agent answers every turn with its name and call number. */
const chatty = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, (call: number) => reply(`${name} says ${call}`)]));

/**
 * Hot configuration (behavior.md §2.11, §3.1): agent files, group_config.yaml and the config YAMLs are read at
 * every turn and tape, so an edit on disk reaches the very next request the fake receives — no restart, no wait.
 */
describe.runIf(await databaseAvailable())('openai hot configuration (behavior.md §2.11, §3.1)', () => {
  let h: OpenAiHarness;
  beforeAll(async () => {
    h = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '0' } });
  });
  afterAll(async () => h?.close());

  it("an edit of characteristics.md on disk is in the next turn's system prompt (scenario 3)", async () => {
    const mira = await makeAgent(h, 'Mira', { characteristics: 'Mira hums while she works.' });
    scriptAgents(h, chatty(['Mira']));
    const room = await roomWith(h, [mira]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello Mira');
    await recorder.runEnded(1);
    expect(systemPrompt(turnRequestsFor(h, 'Mira')[0]!)).toContain('## Mira: characteristics\n\nMira hums while she works.');

    await writeFile(join(agentDir(h, mira), 'characteristics.md'), 'Mira collects sea glass\nand keeps it in jars.\n');
    await send(h, room.id, 'What are you up to?');
    await recorder.runEnded(2);
    const prompt = systemPrompt(turnRequestsFor(h, 'Mira')[1]!);
    expect(prompt).toContain('## Mira: characteristics\n\nMira collects sea glass\nand keeps it in jars.\n\n---\n');
    expect(prompt).not.toContain('hums');
    recorder.stop();
  });

  it('a priority change in group_config.yaml reaches the next tape: the group agent speaks first (scenario 4)', async () => {
    const nell = await makeAgent(h, 'Nell', { group: 'Night' });
    const others = [];
    for (const name of ['Owen', 'Pax', 'Rune', 'Sage']) others.push(await makeAgent(h, name));
    const groupConfig = join(h.t.dirs.agents, 'group_Night', 'group_config.yaml');
    await writeFile(groupConfig, 'priority: 0\n');
    scriptAgents(h, chatty(['Nell', 'Owen', 'Pax', 'Rune', 'Sage']));
    const room = await roomWith(h, [...others, nell]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Round one');
    await recorder.runEnded(1);
    const firstRound = speakers(await messages(h, room.id));
    expect(firstRound).toHaveLength(5);

    // Each change is followed at once by the next message, with no wait for the watcher: 0 → 3 keeps the size
    // (only mtime and text change); -1 makes Nell a late agent, so every round has a definite place for her.
    const changes = [
      { priority: 3, place: 0 },
      { priority: -1, place: 4 },
      { priority: 3, place: 0 },
      { priority: -1, place: 4 },
    ];
    for (const [index, { priority, place }] of changes.entries()) {
      await writeFile(groupConfig, `priority: ${priority}\n`);
      const before = (await messages(h, room.id)).length;
      await send(h, room.id, `Round ${index + 2}`);
      await recorder.runEnded(index + 2);
      const round = speakers((await messages(h, room.id)).slice(before));
      expect(round, `round ${index + 2} with priority ${priority} (the first round was ${firstRound.join(', ')})`).toHaveLength(5);
      expect(round.indexOf('Nell'), `round ${index + 2}: ${round.join(', ')}`).toBe(place);
    }
    recorder.stop();
  });

  it('conversation_context.yaml edits apply on the next turn, and template values are never re-expanded (scenario 13)', async () => {
    const file = join(h.configDir, 'conversation_context.yaml');
    const original = await readFile(file, 'utf8');
    const tova = await makeAgent(h, 'Tova');
    scriptAgents(h, chatty(['Tova']));
    const room = await roomWith(h, [tova]);
    const recorder = recordEvents(h, room.id);
    try {
      const edited = original.replace(/^response_instruction: .*$/m, 'response_instruction: "{user_name}/{agent_name}/{foo}"');
      expect(edited).not.toBe(original);
      await writeFile(file, edited);
      await send(h, room.id, { content: 'Who am I?', participant_type: 'character', participant_name: '{agent_name}' });
      await recorder.runEnded(1);
      expect(turnMessage(turnRequestsFor(h, 'Tova')[0]!)).toBe('<conversation>\n{agent_name}: Who am I?\n</conversation>\n{agent_name}/Tova/{foo}');
    } finally {
      await writeFile(file, original);
    }
    await send(h, room.id, 'And now?');
    await recorder.runEnded(2);
    expect(turnMessage(turnRequestsFor(h, 'Tova')[1]!).split('\n').at(-1)).toBe(
      "Reply as Tova: write only Tova's next message, or use skip to stay silent.",
    );
    recorder.stop();
  });

  it("a group that disables memorize in group_config.yaml offers its agents no memorize tool, and a call to it is refused (scenario 63)", async () => {
    const uma = await makeAgent(h, 'Uma', { group: 'Dock' });
    const vik = await makeAgent(h, 'Vik');
    await writeFile(join(h.t.dirs.agents, 'group_Dock', 'group_config.yaml'), 'tools:\n  memorize:\n    enabled: false\n');
    scriptAgents(h, {
      // A model that calls the tool anyway.
      Uma: [toolCall('memorize', { memory_entry: 'Should not be saved' }), reply('Fine, I will just remember it myself.')],
      Vik: reply('Vik is here.'),
    });
    const room = await roomWith(h, [uma, vik]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Remember this moment');
    await recorder.runEnded(1);

    const [umaFirst, umaSecond] = requestsFor(h, 'Uma');
    expect(offeredTools(umaFirst!)).not.toContain('memorize');
    expect(offeredTools(umaFirst!)).toContain('skip');
    expect(offeredTools(requestsFor(h, 'Vik')[0]!)).toContain('memorize');
    expect(lastMessage(umaSecond!)?.role).toBe('tool');
    expect(toolResults(umaSecond!).join('\n')).toMatch(/not available|unavailable/i);
    expect(await readAgentFile(h, uma, 'recent_events.md')).not.toContain('Should not be saved');
    expect(replies(await messages(h, room.id)).map((message) => message.agent_name).sort()).toEqual(['Uma', 'Vik']);

    // Re-enabled on disk: the next turn offers it again.
    await writeFile(join(h.t.dirs.agents, 'group_Dock', 'group_config.yaml'), 'tools:\n  memorize:\n    enabled: true\n');
    scriptAgents(h, chatty(['Uma', 'Vik']));
    await send(h, room.id, 'Again');
    await recorder.runEnded(2);
    expect(offeredTools(turnRequestsFor(h, 'Uma').at(-1)!)).toContain('memorize');
    recorder.stop();
  });
});
