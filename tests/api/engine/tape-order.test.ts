import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/shared/models.js';
import { alwaysReply } from '../../fakes/instant-provider.js';
import {
  makeAgent,
  messages,
  recordEvents,
  replies,
  roomWith,
  send,
  speakers,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { roomRequests } from './engine-steps.js';

/** Turn order through the real app (behavior.md §5.4–5.5, §3.9 PRIORITY_AGENTS): scenarios 24–26, 33, 34. */
describe.runIf(await databaseAvailable())('turn order (behavior.md §5.5)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({ env: { PRIORITY_AGENTS: 'Zed,Yan' } });
  });
  afterAll(async () => h?.close());

  /** Runs one user message to the end of its run and returns the speaking order of the provider calls. */
  async function order(roomId: number, body: Record<string, unknown> | string): Promise<string[]> {
    const recorder = recordEvents(h, roomId);
    const before = roomRequests(h, roomId).length;
    await send(h, roomId, body);
    await recorder.runEnded();
    recorder.stop();
    return roomRequests(h, roomId)
      .slice(before)
      .map((request) => request.agentName);
  }

  it('scenario 24: a transparent interrupt narrator opens and follows every other agent, and no follow-up round runs', async () => {
    h.provider.setScript(alwaysReply);
    const a = await makeAgent(h, 'Alder');
    const b = await makeAgent(h, 'Basil');
    const n = await makeAgent(h, 'Narrator', { interrupt_every_turn: true, transparent: true, priority: 5 });
    const room = await roomWith(h, [a, b, n]);
    const turns = await order(room.id, 'Begin the tale');
    expect(turns).toHaveLength(5);
    expect([turns[0], turns[2], turns[4]]).toEqual(['Narrator', 'Narrator', 'Narrator']);
    expect(new Set([turns[1], turns[3]])).toEqual(new Set(['Alder', 'Basil']));
    expect(speakers(await messages(h, room.id))).toEqual(turns);
  });

  it('scenario 25: every tape orders P3, P1, the shuffled regulars, then the late agent', async () => {
    h.provider.setScript(alwaysReply);
    const agents = [
      await makeAgent(h, 'Reg1'),
      await makeAgent(h, 'Late', { priority: -1 }),
      await makeAgent(h, 'Prio1', { priority: 1 }),
      await makeAgent(h, 'Reg2'),
      await makeAgent(h, 'Prio3', { priority: 3 }),
    ];
    const room = await roomWith(h, agents);
    const turns = await order(room.id, 'Go around the table');
    // Initial round + 5 follow-ups of 5 agents = 30 = MAX_RESPONSES_PER_TRIGGER.
    expect(turns).toHaveLength(30);
    const regularOrders = new Set<string>();
    for (let tape = 0; tape < 6; tape += 1) {
      const slice = turns.slice(tape * 5, tape * 5 + 5);
      expect(slice.slice(0, 2)).toEqual(['Prio3', 'Prio1']);
      expect(new Set(slice.slice(2, 4))).toEqual(new Set(['Reg1', 'Reg2']));
      expect(slice[4]).toBe('Late');
      regularOrders.add(slice.slice(2, 4).join(','));
    }
    expect(regularOrders.size).toBe(2);
  });

  it('scenario 26: a non-transparent interrupt agent answers after each other reply and never twice in a row', async () => {
    h.provider.setScript(alwaysReply);
    const a = await makeAgent(h, 'Aspen');
    const b = await makeAgent(h, 'Beech');
    const n = await makeAgent(h, 'Needle', { interrupt_every_turn: true });
    const room = await roomWith(h, [a, b, n]);
    const turns = await order(room.id, 'Discuss');
    // Initial [N] A N B N, then 5 follow-ups of A N B N.
    expect(turns).toHaveLength(5 + 5 * 4);
    expect(turns[0]).toBe('Needle');
    turns.forEach((name, index) => {
      if (name !== 'Needle') expect(turns[index + 1]).toBe('Needle');
      if (index > 0 && name === 'Needle') expect(turns[index - 1]).not.toBe('Needle');
    });
    expect(turns.filter((name) => name !== 'Needle')).toHaveLength(12);
  });

  it('PRIORITY_AGENTS: listed agents speak before regular ones in list order, after higher configured priorities', async () => {
    h.provider.setScript(alwaysReply);
    const agents = [
      await makeAgent(h, 'Ash'),
      await makeAgent(h, 'Yan'),
      await makeAgent(h, 'Zed'),
      await makeAgent(h, 'Big', { priority: 2 }),
    ];
    const room = await roomWith(h, agents);
    const turns = await order(room.id, 'Who goes first?');
    expect(turns).toHaveLength(24);
    for (let tape = 0; tape < 6; tape += 1) expect(turns.slice(tape * 4, tape * 4 + 4)).toEqual(['Big', 'Zed', 'Yan', 'Ash']);
  });

  describe('mentions (§5.4)', () => {
    let trio: Agent[];
    beforeAll(async () => {
      trio = [await makeAgent(h, 'Cato'), await makeAgent(h, 'Dara'), await makeAgent(h, 'Ezra')];
    });

    it('scenario 33: mention_mode first puts the mentioned agent first in the initial round, then the others', async () => {
      h.provider.setScript(alwaysReply);
      // Each of the three in turn: no shuffle makes all of them first.
      for (const mentioned of trio) {
        const room = await roomWith(h, trio);
        const turns = await order(room.id, { content: `${mentioned.name}, you first`, mentioned_agent_ids: [mentioned.id] });
        expect(turns[0]).toBe(mentioned.name);
        expect(new Set(turns.slice(0, 3))).toEqual(new Set(trio.map((agent) => agent.name)));
        // Follow-up rounds run as usual.
        expect(turns).toHaveLength(18);
      }
    });

    it('scenario 34: mention_mode only lets just the mentioned agent answer, with no follow-up round', async () => {
      h.provider.setScript(alwaysReply);
      const dara = trio[1]!;
      const room = await roomWith(h, trio);
      const turns = await order(room.id, { content: 'Only Dara', mentioned_agent_ids: [dara.id], mention_mode: 'only' });
      expect(turns).toEqual(['Dara']);
      expect(speakers(await messages(h, room.id))).toEqual(['Dara']);
    });

    it('mentioned ids that are not members are ignored; with none left, everyone takes part', async () => {
      h.provider.setScript(alwaysReply);
      const [cato, dara, ezra] = trio as [Agent, Agent, Agent];
      const outsider = await makeAgent(h, 'Outsider');
      const room = await roomWith(h, [cato, dara, ezra]);

      const onlyMembers = await order(room.id, {
        content: 'Ezra only',
        mentioned_agent_ids: [999_999, outsider.id, ezra.id, ezra.id],
        mention_mode: 'only',
      });
      expect(onlyMembers).toEqual(['Ezra']);

      const first = await order(room.id, { content: 'Dara first', mentioned_agent_ids: [outsider.id, dara.id] });
      expect(first[0]).toBe('Dara');

      const nobody = await order(room.id, { content: 'Nobody in particular', mentioned_agent_ids: [outsider.id, 999_999], mention_mode: 'only' });
      expect(new Set(nobody)).toEqual(new Set(['Cato', 'Dara', 'Ezra']));
      expect(nobody.length).toBeGreaterThan(3);
      expect(roomRequests(h, room.id).some((request) => request.agentName === 'Outsider')).toBe(false);
      expect(replies(await messages(h, room.id)).every((message) => message.agent_name !== 'Outsider')).toBe(true);
    });
  });
});
