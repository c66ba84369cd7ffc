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

describe.runIf(await databaseAvailable())('user runs (behavior.md §5.10)', () => {
  let h: EngineHarness;
  let agents: Record<string, Agent>;
  beforeAll(async () => {
    h = await startEngineHarness();
    agents = {};
    for (const name of ['Ash', 'Birch', 'Cedar', 'Dune', 'Elm', 'Fern', 'Gale']) agents[name] = await makeAgent(h, name);
  });
  afterAll(async () => h?.close());

  it('a one-agent room answers a user message exactly once, with provider and model stored (scenario 23)', async () => {
    h.provider.setScript((request, call) => [{ thinking: 'pondering' }, { text: `${request.agentName} answer ${call}` }]);
    const room = await roomWith(h, [agents.Ash!]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Hello there');
    await recorder.runEnded();
    const stored = replies(await messages(h, room.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ agent_name: 'Ash', thinking: 'pondering', provider: 'openai', model: 'instant-1', is_skip: false });
    recorder.stop();
  });

  it('two always-replying agents give 12 replies: the initial round and 5 follow-ups (scenario 27)', async () => {
    h.provider.setScript(alwaysReply);
    const room = await roomWith(h, [agents.Ash!, agents.Birch!]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Talk among yourselves');
    await recorder.runEnded();
    const order = speakers(await messages(h, room.id));
    expect(order).toHaveLength(12);
    // Nobody speaks twice in a row within a round pair: each round has both agents once.
    for (let round = 0; round < 6; round += 1) expect(new Set(order.slice(round * 2, round * 2 + 2)).size).toBe(2);
    recorder.stop();
  });

  it('seven always-replying agents stop at exactly 30 replies (scenario 28)', async () => {
    h.provider.setScript(alwaysReply);
    const room = await roomWith(h, Object.values(agents));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Everyone, go');
    await recorder.runEnded(1, 30_000);
    expect(replies(await messages(h, room.id))).toHaveLength(30);
    recorder.stop();
  });
});

describe.runIf(await databaseAvailable())('user run caps from settings (behavior.md §3.9, §5.6, §5.10)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '1', MAX_RESPONSES_PER_TRIGGER: '5' } });
    h.provider.setScript(alwaysReply);
  });
  afterAll(async () => h?.close());

  it('MAX_FOLLOW_UP_ROUNDS=1: two always-replying agents give 4 replies (scenario 27)', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'One'), await makeAgent(h, 'Two')]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Two rounds only');
    await recorder.runEnded();
    const order = speakers(await messages(h, room.id));
    expect(order).toHaveLength(4);
    expect(new Set(order.slice(0, 2)).size).toBe(2);
    expect(new Set(order.slice(2, 4)).size).toBe(2);
    recorder.stop();
  });

  it('MAX_RESPONSES_PER_TRIGGER=5 stops a run of three agents at 5 replies; the next message gets a fresh count', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Uno'), await makeAgent(h, 'Dos'), await makeAgent(h, 'Tres')]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Everyone twice');
    await recorder.runEnded();
    expect(replies(await messages(h, room.id))).toHaveLength(5);
    await send(h, room.id, 'Again');
    await recorder.runEnded(2);
    expect(replies(await messages(h, room.id))).toHaveLength(10);
    recorder.stop();
  });
});
