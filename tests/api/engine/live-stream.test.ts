import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratingAgent } from '../../../src/shared/events.js';
import type { Agent } from '../../../src/shared/models.js';
import { makeAgent, recordEvents, roomWith, send, startEngineHarness, type EngineHarness } from '../../helpers/engine-room.js';
import { openEventStream } from '../../helpers/event-stream.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

/** api.md §9.3: a subscriber joining mid-turn gets the live state in `snapshot` and continues with the deltas. */
describe.runIf(await databaseAvailable())('live turns on the event stream', () => {
  let h: EngineHarness;
  let ivy: Agent;
  beforeAll(async () => {
    h = await startEngineHarness();
    ivy = await makeAgent(h, 'Ivy');
  });
  afterAll(async () => h?.close());

  it('a late subscriber sees the accumulated text in its snapshot and the next delta continues it', async () => {
    let goOn: () => void = () => undefined;
    const secondHalf = new Promise<void>((resolve) => (goOn = resolve));
    h.provider.setScript(() => [{ thinking: 'Weighing it.' }, { text: 'First half, ' }, { until: secondHalf }, { text: 'second half.' }]);
    const room = await roomWith(h, [ivy]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Tell me in two halves');
    await waitFor(
      () => recorder.events.some((event) => event.type === 'delta' && event.data.text === 'First half, '),
      { timeoutMs: 5000, what: 'the first delta' },
    );

    const stream = await openEventStream(h.t, `/rooms/${room.id}/events`, { 'x-api-key': h.admin });
    try {
      const snapshot = await stream.nextEvent();
      expect(snapshot.event).toBe('snapshot');
      const generating = (snapshot.data as { generating: GeneratingAgent[] }).generating;
      expect(generating).toHaveLength(1);
      expect(generating[0]).toMatchObject({
        agent_id: ivy.id,
        agent_name: 'Ivy',
        attempt: 1,
        thinking_text: 'Weighing it.',
        response_text: 'First half, ',
      });
      const turnId = generating[0]?.turn_id;
      goOn();
      let next = await stream.nextEvent();
      while (next.event !== 'delta') next = await stream.nextEvent();
      expect(next.data).toEqual({ agent_id: ivy.id, turn_id: turnId, kind: 'response', text: 'second half.' });
      let message = await stream.nextEvent();
      while (message.event !== 'message') message = await stream.nextEvent();
      expect(message.data).toMatchObject({ agent_id: ivy.id, content: 'First half, second half.', thinking: 'Weighing it.' });
      const end = await stream.nextEvent();
      expect(end).toMatchObject({ event: 'agent_end', data: { turn_id: turnId, outcome: 'responded' } });
    } finally {
      goOn();
      stream.close();
    }
    await recorder.runEnded();
    recorder.stop();
  });

  it('/chatting-agents shows the same live state and is empty once the room is idle', async () => {
    let goOn: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (goOn = resolve));
    h.provider.setScript(() => [{ text: 'Halfway' }, { until: rest }, { text: ' there.' }]);
    const room = await roomWith(h, [ivy]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Go slowly');
    const live = await waitFor(
      async () => {
        const response = await h.t.request({ method: 'GET', url: `/rooms/${room.id}/chatting-agents`, token: h.admin });
        const body = response.json() as { chatting_agents: { id: number; response_text: string }[] };
        return body.chatting_agents[0]?.response_text === 'Halfway' ? body : null;
      },
      { timeoutMs: 5000, what: 'Ivy halfway' },
    );
    expect(live.value.chatting_agents).toEqual([{ id: ivy.id, name: 'Ivy', profile_pic: null, thinking_text: '', response_text: 'Halfway' }]);
    goOn();
    await recorder.runEnded();
    const idle = await h.t.request({ method: 'GET', url: `/rooms/${room.id}/chatting-agents`, token: h.admin });
    expect(idle.json()).toEqual({ chatting_agents: [] });
    recorder.stop();
  });
});
