import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Message } from '../../../src/shared/models.js';
import {
  makeAgent,
  messages,
  recordEvents,
  replies,
  roomWith,
  send,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-room.js';
import { getRoom } from '../../helpers/room-api.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';
import { gate, ofType, requestText, roomRequests, steps } from './engine-steps.js';

/** Critics (behavior.md §5.12, README binding resolution 4): scenario 43. */
describe.runIf(await databaseAvailable())('critics', () => {
  let h: EngineHarness;
  let critic: Agent;
  beforeAll(async () => {
    h = await startEngineHarness();
    critic = await makeAgent(h, 'Dr. Crit', { is_critic: true });
    h.provider.setScript((request) =>
      request.agentName === 'Dr. Crit'
        ? [{ thinking: 'weighing the reply' }, { text: `CRITIQUE ${roomRequests(h, request.roomId).length}: too polite` }]
        : [{ text: `${request.agentName} answers politely` }],
    );
  });
  afterAll(async () => h?.close());

  const criticMessages = async (roomId: number): Promise<Message[]> => {
    const response = await h.t.request({ method: 'GET', url: `/rooms/${roomId}/critic-messages`, token: h.admin });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Message[];
  };

  it('scenario 43: after the rounds the critic writes a report file and a critic message no agent ever sees', async () => {
    const writer = await makeAgent(h, 'Writer');
    const room = await roomWith(h, [writer, critic]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Write me a line');
    await recorder.runEnded();

    // The critic speaks after the conversation's rounds.
    expect(roomRequests(h, room.id).map((request) => request.agentName)).toEqual(['Writer', 'Dr. Crit']);
    const critiques = await criticMessages(room.id);
    expect(critiques).toHaveLength(1);
    expect(critiques[0]).toMatchObject({ agent_id: critic.id, agent_name: 'Dr. Crit', thinking: 'weighing the reply', is_skip: false });
    expect(critiques[0]!.content).toMatch(/^CRITIQUE \d+: too polite$/);
    // Critic output does not count as activity (binding resolution 4).
    const writerReply = replies(await messages(h, room.id)).find((row) => row.agent_name === 'Writer')!;
    expect((await getRoom(h.t, h.admin, room.id)).last_activity_at).toBe(writerReply.timestamp);

    const reports = (await readdir(join(h.t.dirs.data, 'reports'))).filter((name) => name.startsWith('Dr__Crit_'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^Dr__Crit_\d{8}_\d{6}\.md$/);
    const report = await readFile(join(h.t.dirs.data, 'reports', reports[0]!), 'utf8');
    expect(report).toContain('Dr. Crit');
    expect(report).toContain(critiques[0]!.content);
    expect(report).toMatch(/Thinking[\s\S]*weighing the reply/);

    // The next user message: the writer's window and history never hold the critique.
    await send(h, room.id, 'Another line');
    await recorder.runEnded(2);
    const writerRequests = roomRequests(h, room.id).filter((request) => request.agentName === 'Writer');
    expect(writerRequests).toHaveLength(2);
    expect(requestText(writerRequests[1]!)).toContain('Another line');
    for (const request of writerRequests) expect(requestText(request)).not.toContain('CRITIQUE');
    // Nor does the critic see its own or other critics' output as conversation.
    const criticRequests = roomRequests(h, room.id).filter((request) => request.agentName === 'Dr. Crit');
    for (const request of criticRequests) expect(requestText(request)).not.toContain('CRITIQUE');
    expect(await criticMessages(room.id)).toHaveLength(2);
    recorder.stop();
  });

  it('critic replies do not count against max_interactions', async () => {
    const room = await roomWith(h, [await makeAgent(h, 'Capped'), critic], { max_interactions: 2 });
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'One');
    await recorder.runEnded();
    await send(h, room.id, 'Two');
    await recorder.runEnded(2);
    // The second user message is answered although two critic messages already exist: they are not replies.
    expect(replies(await messages(h, room.id)).filter((row) => row.agent_name === 'Capped')).toHaveLength(2);
    expect(await criticMessages(room.id)).toHaveLength(2);
    recorder.stop();
  });

  it('a critic that skips stores nothing and ends with skipped, message_id null', async () => {
    const quiet = await makeAgent(h, 'Quiet Critic', { is_critic: true });
    const room = await roomWith(h, [await makeAgent(h, 'Talker'), quiet]);
    h.provider.setScript((request) => (request.agentName === 'Quiet Critic' ? [{ tool: 'skip' }] : [{ text: 'Talk talk' }]));
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Go');
    await recorder.runEnded();
    const rows = await messages(h, room.id);
    expect(rows.some((row) => row.agent_id === quiet.id)).toBe(false);
    expect(ofType(recorder.events, 'agent_end').find((end) => end.agent_id === quiet.id)).toMatchObject({ outcome: 'skipped', message_id: null });
    // A critic's skip does not make the room "all skipped".
    expect((await getRoom(h.t, h.admin, room.id)).is_finished).toBe(false);
    recorder.stop();
  });
  it('critics run after a run that stopped on its limit, and only mentioned critics take part in mode only', async () => {
    h.provider.setScript((request) =>
      request.agentName.includes('Crit') ? [{ text: `CRITIQUE by ${request.agentName}` }] : [{ text: `${request.agentName} talks` }],
    );
    const one = await makeAgent(h, 'LimitOne');
    const two = await makeAgent(h, 'LimitTwo');
    const capped = await roomWith(h, [one, two, critic], { max_interactions: 1 });
    const recorder = recordEvents(h, capped.id);
    await send(h, capped.id, 'Just one reply');
    await recorder.runEnded();
    expect(replies(await messages(h, capped.id)).filter((row) => row.agent_id !== critic.id)).toHaveLength(1);
    expect(await criticMessages(capped.id)).toHaveLength(1);
    recorder.stop();

    const other = await makeAgent(h, 'Other Crit', { is_critic: true });
    const room = await roomWith(h, [one, two, critic, other]);
    const roomRecorder = recordEvents(h, room.id);
    await send(h, room.id, { content: 'LimitTwo and Dr. Crit only', mentioned_agent_ids: [two.id, critic.id], mention_mode: 'only' });
    await roomRecorder.runEnded();
    expect(roomRequests(h, room.id).map((request) => request.agentName)).toEqual(['LimitTwo', 'Dr. Crit']);
    roomRecorder.stop();
  });

  it("a user message during a critic's turn saves no critic partial", async () => {
    const hold = gate();
    h.provider.setScript((request) =>
      request.agentName === 'Dr. Crit' ? steps({ text: 'CRITIQUE half' }, hold) : [{ text: `${request.agentName} answers` }],
    );
    const room = await roomWith(h, [await makeAgent(h, 'Speaker'), critic]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'Start');
    await waitFor(() => ofType(recorder.events, 'delta').some((delta) => delta.text === 'CRITIQUE half'), { timeoutMs: 5000, what: 'critic delta' });
    h.provider.setScript((request) => [{ text: `${request.agentName} answers again` }]);
    await send(h, room.id, 'Interrupt the critic');
    hold.open();
    await recorder.runEnded(2);
    expect((await messages(h, room.id)).some((row) => row.content.includes('CRITIQUE'))).toBe(false);
    expect(ofType(recorder.events, 'agent_end').find((end) => end.agent_id === critic.id)).toMatchObject({ outcome: 'interrupted', message_id: null });
    recorder.stop();
  });

  it('regenerating a critic message replaces it with a new critique', async () => {
    h.provider.setScript((request) =>
      request.agentName === 'Dr. Crit' ? [{ text: `CRITIQUE ${roomRequests(h, request.roomId).length}` }] : [{ text: 'Fine words' }],
    );
    const room = await roomWith(h, [await makeAgent(h, 'Poet'), critic]);
    const recorder = recordEvents(h, room.id);
    await send(h, room.id, 'A poem please');
    await recorder.runEnded();
    const [first] = await criticMessages(room.id);
    const response = await h.t.request({ method: 'POST', url: `/rooms/${room.id}/messages/${first!.id}/regenerate`, token: h.admin });
    expect(response.statusCode, response.body).toBe(202);
    await recorder.runEnded(2);
    const after = await criticMessages(room.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBeGreaterThan(first!.id);
    expect(after[0]!.content).not.toBe(first!.content);
    recorder.stop();
  });
});
